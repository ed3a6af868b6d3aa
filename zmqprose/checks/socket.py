"""``expects_zmq_socket(sock)``: checks that fail with a readable report (Storyplayer's expectsZmq)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import zmq

from zmqprose.actions.receiving import FromZmqSocket
from zmqprose.errors import ProseError, WaitTimeout
from zmqprose.sockets.references import Endpoint, parse_endpoint
from zmqprose.sockets.socket import ProseSocket
from zmqprose.wire.frames import Frame, encode_frames, show_frames
from zmqprose.wire.json_text import decode_json_frame
from zmqprose.wire.matching import frames_difference, json_difference, matching_within
from zmqprose.wire.transfer import receive_frames, send_frames

if TYPE_CHECKING:
    from zmqprose.actions.using import EndpointLike
    from zmqprose.scenario import Scenario


class ExpectsZmqSocket:
    """Expectations about one socket: what it can send, where it is connected, what arrives."""

    def __init__(self, scenario: Scenario, sock: ProseSocket) -> None:
        self._scenario = scenario
        self._sock = sock

    # -- sending -------------------------------------------------------------

    def can_send_non_blocking(self, frame: Frame) -> None:
        """Send a one-frame message now; fail at once if ZeroMQ would block."""
        self.can_send_multi_non_blocking([frame])

    def can_send_multi_non_blocking(self, frames: Sequence[Frame]) -> None:
        """Send a multipart message now; fail at once if ZeroMQ would block."""
        send_frames(self._sock, encode_frames(frames), None)

    # -- connections ---------------------------------------------------------

    def is_connected_to(self, endpoint: EndpointLike) -> None:
        """The socket connected to ``endpoint`` (Storyplayer's isConnectedToHost); being bound there is not enough."""
        ref, addresses = self._addresses(endpoint)
        if not any(self._sock.knows(address, "connect") for address in addresses):
            bound = any(self._sock.knows(address, "bind") for address in addresses)
            raise ProseError(
                f"{self._sock.label} is not connected to {ref} ({', '.join(sorted(addresses))})"
                + ("; it is bound there, which is not the same" if bound else "")
                + f"; it is bound or connected to: {', '.join(self._sock.endpoints) or 'nothing'}"
            )

    def is_not_connected_to(self, endpoint: EndpointLike) -> None:
        """The socket's own list of endpoints does not hold ``endpoint`` (after a disconnect or unbind)."""
        ref, addresses = self._addresses(endpoint)
        if any(self._sock.knows(address, "connect") for address in addresses):
            raise ProseError(f"{self._sock.describe()} is still connected to {ref}")

    def is_bound_to(self, endpoint: EndpointLike) -> None:
        """The socket was bound to ``endpoint`` (and is still)."""
        ref, addresses = self._addresses(endpoint)
        if not any(self._sock.knows(address, "bind") for address in addresses):
            raise ProseError(f"{self._sock.describe()} is not bound to {ref} ({', '.join(sorted(addresses))})")

    def is_not_bound_to(self, endpoint: EndpointLike) -> None:
        """The socket is not bound to ``endpoint`` (after an unbind)."""
        ref, addresses = self._addresses(endpoint)
        if any(self._sock.knows(address, "bind") for address in addresses):
            raise ProseError(f"{self._sock.describe()} is still bound to {ref}")

    def _addresses(self, endpoint: EndpointLike) -> tuple[Endpoint, set[str]]:
        ref = parse_endpoint(endpoint) if isinstance(endpoint, str) else endpoint
        return ref, self._scenario.addresses(ref)

    def becomes_connected(self, timeout: float | None = None) -> None:
        """A peer completes its ZeroMQ handshake with the socket within ``timeout`` (socket monitor).

        Waiting for it before sending cures the slow-joiner problem: a SUB
        socket only gets what is published after it has joined. In-process
        (inproc) connections have no handshake and count as made at once.
        """
        wait = self._scenario.wait(timeout)
        if all(endpoint.startswith("inproc://") for endpoint in self._sock.endpoints) and self._sock.endpoints:
            return
        if not self._sock.watch.wait_for_peer(wait):
            raise WaitTimeout(
                f"{self._sock.describe()} made no connection with a peer within {wait:g} s: "
                f"is something listening on {', '.join(self._sock.endpoints) or 'its endpoint'}?"
            )

    # -- receiving -----------------------------------------------------------

    def receives_message(self, timeout: float | None = None) -> list[bytes]:
        """A message arrives within ``timeout``; its frames (after the envelope)."""
        return FromZmqSocket(self._scenario, self._sock).recv_multi(timeout)

    def receives(self, expected: Sequence[Frame], timeout: float | None = None) -> list[bytes]:
        """A message arrives within ``timeout`` and matches ``expected`` (markers allowed)."""
        frames = self.receives_message(timeout)
        with matching_within(self._scenario.wait(timeout)):
            differs = frames_difference(expected, frames) is not None
        if differs:
            from zmqprose.checks.matchers import fail_with, matches_frames

            reason = f"the message from {self._sock.describe()} is not the one expected"
            fail_with(frames, matches_frames(expected), reason)
        return frames

    def receives_json(self, expected: Any, subset: bool = False, timeout: float | None = None) -> Any:
        """A message arrives whose last frame is JSON matching (or, with ``subset``, containing) ``expected``."""
        frames = self.receives_message(timeout)
        if not frames:
            raise ProseError(f"the message from {self._sock.describe()} has no frames, so no JSON")
        value = decode_json_frame(frames[-1], f"the message from {self._sock.describe()}")
        with matching_within(self._scenario.wait(timeout)):
            differs = json_difference(expected, value, subset) is not None
        if differs:
            from zmqprose.checks.matchers import contains_json, fail_with, matches_json

            matcher = contains_json(expected) if subset else matches_json(expected)
            fail_with(value, matcher, f"the JSON from {self._sock.describe()} is not the one expected")
        return value

    def receives_count(self, count: int, timeout: float | None = None) -> list[list[bytes]]:
        """``count`` messages arrive, all within ``timeout`` together."""
        wait = self._scenario.wait(timeout)
        deadline = time.monotonic() + wait
        received: list[list[bytes]] = []
        while len(received) < count:
            frames = receive_frames(self._sock, max(deadline - time.monotonic(), 0.0) or None)
            if frames is None:
                last = f"; the last: {show_frames(self._sock.last_message)}" if received else ""
                raise WaitTimeout(
                    f"only {len(received)} of {count} messages arrived on {self._sock.describe()} "
                    f"within {wait:g} s{last}"
                )
            received.append(self._sock.last_message)
        return received

    def receives_nothing(self, timeout: float | None = None) -> None:
        """Nothing arrives for the whole of ``timeout``; whatever does arrive is shown."""
        wait = self._scenario.wait(timeout)
        began = time.monotonic()
        if receive_frames(self._sock, wait) is not None:
            raise ProseError(
                f"expected nothing on {self._sock.describe()} for {wait:g} s, but "
                f"{show_frames(self._sock.last_message)} arrived after {time.monotonic() - began:.3f} s"
            )

    def has_message_waiting(self) -> None:
        """A message is waiting to be received now (it stays queued); never waits."""
        if not self._sock.zmq.poll(0, zmq.POLLIN):
            raise ProseError(f"no message is waiting on {self._sock.describe()}")

    def has_nothing_waiting(self) -> None:
        """No message is waiting now; never waits."""
        if self._sock.zmq.poll(0, zmq.POLLIN):
            raise ProseError(f"a message is waiting on {self._sock.describe()}, but nothing should be")
