"""A scenario's pipeline run: its pushers (one, or K from K sockets) and the tally of its last pull."""

from __future__ import annotations

from zmqprose.errors import ProseError, describe_error
from zmqprose.pipelines.pull import PullTally
from zmqprose.pipelines.push import Pusher
from zmqprose.sockets.socket import ProseSocket, close_all


class Pipeline:
    """A scenario's pipeline run: its pushers and the tally of its last pull."""

    def __init__(self) -> None:
        self.pushers: list[Pusher] = []
        self.own_sockets: list[ProseSocket] = []  # the sockets of pushers 2 … K, closed with the pipeline
        self.tally: PullTally | None = None

    def push_ids(self) -> dict[int, int] | None:
        """The pushes a pull counts, by id, with their counts; None if the scenario pushed nothing."""
        return {pusher.push_id: pusher.count for pusher in self.pushers} or None

    @property
    def sent(self) -> int:
        """How many messages the pushers have sent so far."""
        return sum(pusher.sent for pusher in self.pushers)

    def push_state(self) -> str:
        """How the push is going, for a failure message."""
        if not self.pushers:
            return "; nothing was pushed in this scenario"
        failed = [pusher.error for pusher in self.pushers if pusher.error is not None]
        if failed:
            return f"; the push failed: {describe_error(failed[0])}"
        count = sum(pusher.count for pusher in self.pushers)
        if not all(pusher.is_done() for pusher in self.pushers):
            return f"; the push of {count} messages is still going"
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
        began = min((pusher.started_at for pusher in self.pushers), default=tally.started_at)
        seconds = max(tally.last_at - began, 1e-9)
        return tally.unique / seconds, seconds

    def stop(self) -> None:
        """Stop the pushes still going (at the end of the scenario), and close the pushers' own sockets."""
        for pusher in self.pushers:
            pusher.stop()
        close_all(self.own_sockets)
        self.own_sockets.clear()
