"""A scenario's pipeline run: its pushers (one, or K from K sockets) and the tally of its last pull."""

from __future__ import annotations

from collections.abc import Callable

from zmqprose.errors import ProseError, WaitTimeout, describe_error
from zmqprose.limits import check_count, counted, seconds
from zmqprose.pipelines.pull import PullTally, pull
from zmqprose.pipelines.push import Pusher
from zmqprose.sockets.socket import ProseSocket, close_all

MAX_PUSHERS = 64
NewPushSocket = Callable[[str], ProseSocket]  # a new PUSH socket of the scenario, shown with this label


class Pipeline:
    """A scenario's pipeline run: its pushers and the tally of its last pull."""

    def __init__(self, new_push_socket: NewPushSocket) -> None:
        self._new_push_socket = new_push_socket
        self._pushers: list[Pusher] = []
        self._started: list[Pusher] = []  # every pusher of the scenario, the earlier pushes' too: stopped at its end
        self._own_sockets: list[ProseSocket] = []  # the sockets of pushers 2 … K, closed with the pipeline
        self.tally: PullTally | None = None

    @property
    def pushers(self) -> list[Pusher]:
        """The pushers of the scenario's last push."""
        return list(self._pushers)

    def push(self, sock: ProseSocket, count: int, size: int, pushers: int = 1) -> list[Pusher]:
        """Start pushing ``count`` numbered messages of ``size`` bytes in the background; returns at once.

        The socket belongs to the pusher until it has sent them all. With ``pushers`` K > 1, the
        count is split over K pushes, each from a socket of its own connected where ``sock`` is
        (the first is ``sock`` itself), so that the client is not what limits the pipeline.
        """
        check_count(pushers, "the number of pushers", MAX_PUSHERS)
        sockets = [sock, *(self._push_socket_like(sock) for _ in range(pushers - 1))]
        counts = [count // pushers + (index < count % pushers) for index in range(pushers)]
        self._pushers = [Pusher(each, share, size) for each, share in zip(sockets, counts, strict=True) if share]
        sock.log.note("push -> {}  {} of {} bytes from {}", sock.where, counted(count, "message"), size,
                      counted(len(self._pushers), "pusher"))
        sock.log.event("push", sock.label, f"{counted(count, 'message')} of {size} bytes")
        for pusher in self._pushers:
            pusher.start()
        self._started.extend(self._pushers)
        return self.pushers

    def _push_socket_like(self, like: ProseSocket) -> ProseSocket:
        """A PUSH socket of a pusher's own, connected where ``like`` is connected; closed with the pipeline."""
        connected = [address for address in like.addresses if address not in like.bound.values()]
        if not connected:
            raise ProseError(f"pushing from several pushers needs a socket that is connected, not bound: "
                             f"{like.describe()}; connect a PUSH socket to the pipeline's input")
        sock = self._new_push_socket(like.label)
        self._own_sockets.append(sock)
        for address in connected:
            sock.attach("connect", address)
        return sock

    def pull(self, sock: ProseSocket, count: int, wait: float) -> PullTally:
        """Drain numbered messages from ``sock`` until ``count`` of this scenario's push arrived, within
        ``wait`` seconds; the tally is kept for the checks, and a failure shows it and how the push went."""
        check_count(count, "the number of messages to pull")
        sock.log.note("pull <- {}  {}, up to {} s", sock.where, counted(count, "message"), seconds(wait))
        self.tally = pull(sock, count, wait, self.push_ids())
        rate = self.tally.unique / max(self.tally.last_at - self.tally.started_at, 1e-9)
        sock.log.event("pull", sock.label, f"{self.tally.summary()}; {rate:,.0f} messages/s")
        if self.tally.unique < count:
            raise WaitTimeout(f"pulled too few messages from {sock.describe()} within {wait:g} s: "
                              f"{self.tally.summary()}{self.push_state()}")
        return self.tally

    def push_ids(self) -> dict[int, int] | None:
        """The pushes a pull counts, by id, with their counts; None if the scenario pushed nothing."""
        return {pusher.push_id: pusher.count for pusher in self._pushers} or None

    @property
    def sent(self) -> int:
        """How many messages the pushers have sent so far."""
        return sum(pusher.sent for pusher in self._pushers)

    def push_state(self) -> str:
        """How the push is going, for a failure message."""
        if not self._pushers:
            return "; nothing was pushed in this scenario"
        failed = [pusher.error for pusher in self._pushers if pusher.error is not None]
        if failed:
            return f"; the push failed: {describe_error(failed[0])}"
        count = sum(pusher.count for pusher in self._pushers)
        if not all(pusher.is_done() for pusher in self._pushers):
            return f"; the push of {counted(count, 'message')} is still going"
        return f"; {self.sent} of {count} were pushed"

    def pulled(self) -> PullTally:
        """The tally of the last pull; an error that says which phrase pulls, if nothing was pulled."""
        if self.tally is None:
            raise ProseError("nothing was pulled in this scenario: write 'I pull N messages from SOCKET' first")
        return self.tally

    def rate(self) -> tuple[float, float]:
        """Messages per second moved, and the seconds it took: from the push's start (or the pull's,
        if this scenario pushed nothing) to the end of the last pull: the time the user waits."""
        tally = self.pulled()
        began = min((pusher.started_at for pusher in self._pushers), default=tally.started_at)
        seconds = max(tally.last_at - began, 1e-9)
        return tally.unique / seconds, seconds

    def stop(self) -> None:
        """Stop the pushes still going (at the end of the scenario), every push's, and close the pushers' own
        sockets; a pusher still pushing closes its own socket as it ends, never another thread under it."""
        for pusher in self._started:
            pusher.stop()
        close_all(sock for sock in self._own_sockets if sock.lent_to is None or sock.lent_to.is_done())
        self._own_sockets.clear()
        self._started.clear()
