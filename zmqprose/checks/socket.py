"""``expects_zmq_socket(sock)``: checks that fail with a readable report (Storyplayer's expectsZmq)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import zmq

from zmqprose.errors import ProseError, WaitTimeout, checked
from zmqprose.limits import counted
from zmqprose.sockets.references import Endpoint, parse_endpoint
from zmqprose.sockets.socket import EndpointLike, ProseSocket
from zmqprose.sockets.transfer import Listening, Shown, nothing_arrived, receive_frames, send_frames, show_message
from zmqprose.wire.envelope import envelope_set_aside
from zmqprose.wire.format import show_shown
from zmqprose.wire.format_registry import decode_value, in_format
from zmqprose.wire.format_registry import get as get_format
from zmqprose.wire.frames import SHORTENED, Frame, Showing, encode_frames, show_frames, show_frames_as
from zmqprose.wire.matching import (
    frames_closeness,
    frames_difference,
    json_closeness,
    json_difference,
    matching_within,
)
from zmqprose.wire.structs import is_struct_frame

SHOWN_SKIPPED = 5  # messages an ``eventually`` shows of those it skipped
SKIPPED_COMPARED = 50  # the last messages an ``eventually`` skipped among which the closest is looked for

Report = Callable[[], None]  # raises the report of a message that did not match
Closeness = tuple[int, bool, int]  # how close a message came (the closer the greater): wire.matching


@dataclass(frozen=True)
class Mismatch:
    """A message that did not match: how to report it, how it differs (in words), and how close it came
    (worked out only if an ``eventually`` ends without a match; None: not comparable, e.g. not the format)."""

    report: Report
    difference: str = ""
    closeness: Callable[[], Closeness] | None = None


def skip() -> None:
    """The report of a message that ``eventually`` skips without a word."""


SKIP = Mismatch(skip)


def closest(skipped: Iterable[tuple[list[bytes], Mismatch]]) -> tuple[list[bytes], Mismatch] | None:
    """The skipped message that came closest: most frames or fields alike, then the smallest edit distance."""
    scored = [(mismatch.closeness(), frames, mismatch) for frames, mismatch in skipped
              if mismatch.closeness is not None]
    if not scored:
        return None
    best = max(scored, key=lambda item: item[0])
    return best[1], best[2]


def fail_envelope(where: str, expected: Sequence[Frame], actual: list[bytes], difference: str,
                  showing: Showing = SHORTENED) -> None:
    """Fail for a message whose envelope is not the one expected (its frames shown as the run shows them)."""
    raise ProseError(f"the envelope of {where} is {show_frames(actual, showing)}, not the one expected "
                     f"{list(expected)} ({difference})")


@checked
class ExpectsZmqSocket:
    """Expectations about one socket: what it can send, where it is connected, what arrives."""

    def __init__(self, sock: ProseSocket, listening: Listening, addresses: Callable[[Endpoint], set[str]]) -> None:
        """``listening``: the scenario's default wait and what it knows of silence; ``addresses``: every address
        an endpoint may stand for in the scenario."""
        self._sock = sock
        self._listening = listening
        self._addresses_of = addresses

    def _show(self, frames: list[bytes] | None) -> str:
        """A message as the socket's messages read: in the format it spoke, else as frames; shortened or whole,
        as the run shows frames."""
        if frames is None or self._sock.shown is None:
            return show_message(self._sock, frames)
        return show_shown(self._sock.shown(frames), self._sock.log.showing)

    # -- sending -------------------------------------------------------------

    def can_send_non_blocking(self, frame: Frame) -> None:
        """Send a one-frame message now; fail at once if ZeroMQ would block.

        Example: ``prose.expects_zmq_socket(push).can_send_non_blocking("PING")``
        """
        self.can_send_multi_non_blocking([frame])

    def can_send_multi_non_blocking(self, frames: Sequence[Frame]) -> None:
        """Send a multipart message now; fail at once if ZeroMQ would block.

        Example: ``prose.expects_zmq_socket(push).can_send_multi_non_blocking(["PING", "42"])``
        """
        send_frames(self._sock, encode_frames(frames), None)

    # -- connections ---------------------------------------------------------

    def is_connected_to(self, endpoint: EndpointLike) -> None:
        """The socket connected to ``endpoint`` (Storyplayer's isConnectedToHost); being bound there is not enough.

        Example: ``prose.expects_zmq_socket(push).is_connected_to("ogre's command port")``
        """
        ref, addresses = self._addresses(endpoint)
        if not any(self._sock.knows(address, "connect") for address in addresses):
            bound = any(self._sock.knows(address, "bind") for address in addresses)
            raise ProseError(
                f"{self._sock.label} is not connected to {ref} ({', '.join(sorted(addresses))})"
                + ("; it is bound there, which is not the same" if bound else "")
                + f"; it is bound or connected to: {', '.join(self._sock.addresses) or 'nothing'}"
            )

    def is_not_connected_to(self, endpoint: EndpointLike) -> None:
        """The socket's own list of endpoints does not hold ``endpoint`` (after a disconnect or unbind).

        Example: ``prose.expects_zmq_socket(push).is_not_connected_to("ogre's command port")``
        """
        ref, addresses = self._addresses(endpoint)
        if any(self._sock.knows(address, "connect") for address in addresses):
            raise ProseError(f"{self._sock.describe()} is still connected to {ref}")

    def is_bound_to(self, endpoint: EndpointLike) -> None:
        """The socket was bound to ``endpoint`` (and is still).

        Example: ``prose.expects_zmq_socket("inbox").is_bound_to("tcp://127.0.0.1:5599")``
        """
        ref, addresses = self._addresses(endpoint)
        if not any(self._sock.knows(address, "bind") for address in addresses):
            raise ProseError(f"{self._sock.describe()} is not bound to {ref} ({', '.join(sorted(addresses))})")

    def is_not_bound_to(self, endpoint: EndpointLike) -> None:
        """The socket is not bound to ``endpoint`` (after an unbind).

        Example: ``prose.expects_zmq_socket("inbox").is_not_bound_to("tcp://127.0.0.1:5599")``
        """
        ref, addresses = self._addresses(endpoint)
        if any(self._sock.knows(address, "bind") for address in addresses):
            raise ProseError(f"{self._sock.describe()} is still bound to {ref}")

    def _addresses(self, endpoint: EndpointLike) -> tuple[Endpoint, set[str]]:
        ref = parse_endpoint(endpoint) if isinstance(endpoint, str) else endpoint
        return ref, self._addresses_of(ref)

    def becomes_connected(self, timeout: float | None = None) -> None:
        """A peer completes its ZeroMQ handshake with the socket within ``timeout`` (socket monitor).

        Waiting for it before sending cures the slow-joiner problem: a SUB
        socket only gets what is published after it has joined. In-process
        (inproc) connections have no handshake and count as made at once.

        Example: ``prose.expects_zmq_socket(events).becomes_connected(timeout=2)``
        """
        wait = self._listening.wait(timeout)
        if all(endpoint.startswith("inproc://") for endpoint in self._sock.addresses) and self._sock.addresses:
            return
        connected = self._sock.watch.wait_for_peer(wait)
        self._sock.log.event("handshake", self._sock.label, "handshake made" if connected else "no handshake")
        if not connected:
            raise WaitTimeout(
                f"{self._sock.describe()} made no connection with a peer within {wait:g} s: "
                f"is something listening on {', '.join(self._sock.addresses) or 'its endpoint'}?"
            )

    # -- receiving -----------------------------------------------------------

    def receives_message(self, timeout: float | None = None) -> list[bytes]:
        """A message arrives within ``timeout``; its frames (after the envelope).

        Example: ``frames = prose.expects_zmq_socket(pull).receives_message(timeout=2)``
        """
        return self._listening.receive(self._sock, timeout)

    def receives(self, expected: Sequence[Frame], timeout: float | None = None,
                 eventually: bool = False) -> list[bytes]:
        """A message arrives within ``timeout`` and matches ``expected`` (markers allowed).

        With ``eventually``, messages that do not match are skipped until one does.

        Example: ``prose.expects_zmq_socket(pull).receives(["PONG", "#number"], timeout=2)``
        """

        showing = self._sock.log.showing
        if eventually:
            def check(frames: list[bytes]) -> Mismatch | None:
                if (difference := frames_difference(expected, frames, showing=showing)) is None:
                    return None
                difference += self._set_aside(len(expected) - len(frames))
                return Mismatch(lambda: self._report_frames(expected, frames, difference), difference,
                                lambda: frames_closeness(expected, frames))

            as_structs = any(is_struct_frame(frame) for frame in expected)  # else: as the socket's messages read
            return self._receive_matching(check, timeout, eventually,
                                          (lambda frames: show_frames_as(expected, frames, showing)) if as_structs
                                          else None)
        began = time.monotonic()  # the usual step, kept short: one message; a #regex has what is left of its wait
        frames = self._listening.receive(self._sock, timeout)
        deadline = began + self._listening.wait(timeout)
        if (difference := frames_difference(expected, frames, deadline, showing)) is not None:
            self._report_frames(expected, frames, difference + self._set_aside(len(expected) - len(frames)))
        return frames

    def _set_aside(self, missing: int, left_out_of: str = "the expected frames") -> str:
        """What a failure adds when ``missing`` more frames were expected than came and the envelope the socket
        set aside from the message it just received can be why (see :func:`envelope_set_aside`)."""
        if missing < 1 or not self._sock.last_envelope:
            return ""
        return envelope_set_aside(self._sock.type_name, self._sock.last_envelope, missing, self._sock.log.showing,
                                  left_out_of)

    def _report_frames(self, expected: Sequence[Frame], frames: list[bytes], difference: Any) -> None:
        from zmqprose.checks.matchers import FramesMatcher, fail_with  # PyHamcrest: only to report

        fail_with(frames, FramesMatcher(expected, self._sock.log.showing).knowing(frames, difference),
                  f"the message from {self._sock.describe()} is not the one expected")

    def receives_value(self, expected: Any, format: str = "JSON", subset: bool = False,
                       timeout: float | None = None, envelope: Sequence[Frame] | None = None,
                       eventually: bool = False, any_order: bool = False) -> Any:
        """A message arrives whose value in ``format`` matches (with ``subset``: contains) ``expected``;
        with ``any_order``, every array in any order, each element once (``containing only``).

        For a one-frame format the value is the last frame; with ``envelope``,
        the frames before it must match those (markers allowed), else they are
        not looked at. With ``eventually``, messages that do not match are skipped.

        Example: ``prose.expects_zmq_socket(rpc).receives_value([{"response_to": "m1"}], "msgpack", subset=True)``
        """
        fmt = get_format(format)
        context = self._listening.format_context(self._sock)
        where = f"the message from {self._sock.describe()}"
        showing = self._sock.log.showing
        found: list[Any] = []

        def check(frames: list[bytes]) -> Mismatch | None:
            before, own = fmt.split(frames)
            if envelope is not None and \
                    (difference := frames_difference(envelope, before, showing=showing)) is not None:
                difference += self._set_aside(len(envelope) - len(before), "the envelope expected")
                return Mismatch(lambda: fail_envelope(where, envelope, before, difference, showing),
                                f"its envelope differs: {difference}")
            value = decode_value(fmt, own, context, where, showing)
            self._sock.refuse_replay(fmt.signature(own), where)
            if (mismatch := json_difference(expected, value, subset, any_order, showing)) is None:
                found.append(value)
                return None
            return Mismatch(lambda: report_value(value, mismatch), str(mismatch),
                            lambda: json_closeness(expected, value, subset, any_order))

        def report_value(value: Any, difference: Any) -> None:
            from zmqprose.checks.matchers import JsonMatcher, fail_with  # only to report

            matcher = JsonMatcher(expected, subset, fmt.name, any_order, showing)
            fail_with(value, matcher.knowing(value, difference),
                      f"the {fmt.name} message from {self._sock.describe()} is not the one expected")

        self._sock.speak_in(in_format(fmt, context))  # from now on, its messages read in this format
        self._receive_matching(check, timeout, eventually)
        return found[-1]

    def receives_json(self, expected: Any, subset: bool = False, timeout: float | None = None,
                      eventually: bool = False) -> Any:
        """A message arrives whose last frame is JSON matching (or, with ``subset``, containing) ``expected``;
        with ``eventually``, messages that do not match are skipped until one does.

        Example: ``prose.expects_zmq_socket(control).receives_json({"status": "ok"}, subset=True, timeout=2)``
        """
        return self.receives_value(expected, "JSON", subset, timeout, eventually=eventually)

    def _receive_matching(self, check: Callable[[list[bytes]], Mismatch | None], timeout: float | None,
                          eventually: bool, shown: Shown | None = None) -> list[bytes]:
        """Receive until a message passes ``check`` (at once, or with ``eventually`` skipping others); ``shown``:
        how a message reads in the action log and among those skipped (in the step's format)."""
        wait = self._listening.wait(timeout)
        deadline = time.monotonic() + wait
        skipped: deque[tuple[list[bytes], Mismatch]] = deque(maxlen=SKIPPED_COMPARED)
        count = 0
        with matching_within(wait):
            while True:
                frames = receive_frames(self._sock, max(deadline - time.monotonic(), 0.0) or None, shown)
                if frames is None:
                    if skipped:
                        raise self._none_matched(wait, count, skipped, shown)
                    raise nothing_arrived(self._sock, wait, self._listening.started_at,
                                          self._listening.why_silent(self._sock))
                try:
                    mismatch = check(frames)
                except ProseError:  # not the format, or not readable: with eventually, one more to skip
                    if not eventually:
                        raise
                    mismatch = SKIP
                if mismatch is None:
                    return frames
                if not eventually:
                    mismatch.report()
                skipped.append((frames, mismatch))
                count += 1
                self._sock.log.skipped_last()

    def _none_matched(self, wait: float, count: int, skipped: deque[tuple[list[bytes], Mismatch]],
                      shown: Shown | None) -> WaitTimeout:
        """The failure of an ``eventually`` that skipped ``count`` messages: the last few, and how the closest
        of the last :data:`SKIPPED_COMPARED` differs (``640x480`` against ``480x640`` is not left to the eye)."""
        def show(frames: list[bytes]) -> str:
            return self._show(frames) if shown is None else show_shown(shown(frames), self._sock.log.showing)

        last = list(skipped)[-SHOWN_SKIPPED:]
        text = (f"no message that matches arrived on {self._sock.describe()} within {wait:g} s; {count} that did "
                f"not were skipped, the last {len(last)}:\n" + "\n".join(f"  {show(frames)}" for frames, _ in last))
        if (found := closest(skipped)) is not None:
            frames, mismatch = found
            text += f"\n  the closest, {show(frames)}: {mismatch.difference}"
        return WaitTimeout(text)

    def receives_count(self, count: int, timeout: float | None = None) -> list[list[bytes]]:
        """``count`` messages arrive, all within ``timeout`` together.

        Example: ``messages = prose.expects_zmq_socket(pull).receives_count(10, timeout=5)``
        """
        wait = self._listening.wait(timeout)
        deadline = time.monotonic() + wait
        received: list[list[bytes]] = []
        while len(received) < count:
            frames = receive_frames(self._sock, max(deadline - time.monotonic(), 0.0) or None)
            if frames is None:
                last = f"; the last: {self._show(self._sock.last_message)}" if received else ""
                raise WaitTimeout(
                    f"only {len(received)} of {counted(count, 'message')} arrived on {self._sock.describe()} "
                    f"within {wait:g} s{last}"
                )
            received.append(frames)
        return received

    def receives_nothing(self, timeout: float | None = None) -> None:
        """Nothing arrives for the whole of ``timeout``; whatever does arrive is shown.

        Example: ``prose.expects_zmq_socket(events).receives_nothing(timeout=0.5)``
        """
        wait = self._listening.wait(timeout)
        began = time.monotonic()
        if receive_frames(self._sock, wait) is not None:
            raise ProseError(
                f"expected nothing on {self._sock.describe()} for {wait:g} s, but "
                f"{self._show(self._sock.last_message)} arrived after {time.monotonic() - began:.3f} s"
            )

    def refuses_handshake(self, timeout: float | None = None) -> None:
        """A CURVE handshake on this socket fails within ``timeout`` (a wrong server key, a client not allowed);
        it fails the check if a handshake succeeds instead, or nothing happens (socket monitor).

        Example: ``prose.expects_zmq_socket(intruder).refuses_handshake(timeout=2)``
        """
        wait = self._listening.wait(timeout)
        outcome = self._sock.watch.wait_for_refusal(wait, success_counts=True)
        self._sock.log.event("handshake", self._sock.label, f"CURVE handshake {outcome or 'neither made nor refused'}")
        if outcome == "succeeded":
            raise ProseError(f"{self._sock.describe()} completed a handshake, but it should have been refused: "
                             f"the keys or the allowance let it through")
        if outcome is None:
            raise WaitTimeout(f"no handshake was refused (nor made) on {self._sock.describe()} within {wait:g} s: "
                              f"is anything there to connect, and does it speak CURVE?")

    def refused_a_handshake(self, timeout: float | None = None) -> None:
        """A CURVE server socket refused some client's handshake within ``timeout`` (others may have passed).

        Example: ``prose.expects_zmq_socket("server").refused_a_handshake(timeout=2)``
        """
        wait = self._listening.wait(timeout)
        refused = self._sock.watch.wait_for_refusal(wait, success_counts=False) is not None
        self._sock.log.event("handshake", self._sock.label, f"CURVE handshake {'refused' if refused else 'not refused'}"
                                                            f" ({self._sock.watch.handshakes} accepted)")
        if not refused:
            raise WaitTimeout(f"{self._sock.describe()} refused no handshake within {wait:g} s "
                              f"({self._sock.watch.handshakes} succeeded)")

    def has_subscriber(self, prefix: Frame | None = None, timeout: float | None = None) -> None:
        """A peer has subscribed (to a prefix that takes ``prefix``, if given) within ``timeout``.

        The publisher's side of the slow-joiner problem: a PUB socket of a spec
        is an XPUB underneath and sees the subscriptions its peers send, so a
        spec can wait for the service's SUB before it publishes.

        Example: ``prose.expects_zmq_socket("feed").has_subscriber("weather.", timeout=2)``
        """
        if self._sock.zmq.type != zmq.XPUB:
            raise ProseError(f"only a PUB or XPUB socket sees subscriptions; {self._sock.describe()} "
                             f"is a {self._sock.type_name}")
        topic = None if prefix is None else encode_frames([prefix])[0]
        wait = self._listening.wait(timeout)
        if not self._sock.subscriptions.wait_for(topic, wait):
            showing = self._sock.log.showing
            wanted = "a subscriber" if topic is None else f"a subscriber to {show_frames([topic], showing)[1:-1]}"
            now = self._sock.subscriptions.prefixes
            raise WaitTimeout(f"{self._sock.describe()} had no {wanted[2:]} within {wait:g} s; "
                              f"subscribed now: {show_frames(now, showing) if now else 'nothing'}")

    def has_message_waiting(self) -> None:
        """A message is waiting to be received now (it stays queued); never waits.

        Example: ``prose.expects_zmq_socket(pull).has_message_waiting()``
        """
        if not self._sock.zmq.poll(0, zmq.POLLIN):
            raise ProseError(f"no message is waiting on {self._sock.describe()}")

    def has_nothing_waiting(self) -> None:
        """No message is waiting now; never waits.

        Example: ``prose.expects_zmq_socket(pull).has_nothing_waiting()``
        """
        if self._sock.zmq.poll(0, zmq.POLLIN):
            raise ProseError(f"a message is waiting on {self._sock.describe()}, but nothing should be")
