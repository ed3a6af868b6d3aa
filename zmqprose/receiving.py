"""``from_zmq_socket(sock)``: read what a socket received (Storyplayer's fromZmqSocket)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zmqprose.errors import ProseError
from zmqprose.sockets import ProseSocket
from zmqprose.transfer import nothing_arrived, receive_frames

if TYPE_CHECKING:
    from zmqprose.prose import Prose


class FromZmqSocket:
    """Receives on one socket. Every received message becomes the socket's last message."""

    def __init__(self, prose: Prose, sock: ProseSocket) -> None:
        self._prose = prose
        self._sock = sock

    def recv_multi(self, timeout: float | None = None) -> list[bytes]:
        """The next message's frames, waiting up to ``timeout``; fails naming the socket if none came."""
        wait = self._prose.timeout_or_default(timeout)
        frames = receive_frames(self._sock, wait)
        if frames is None:
            raise nothing_arrived(self._sock, wait, self._prose.started_at)
        return frames

    def recv(self, timeout: float | None = None) -> bytes:
        """The first frame of the next message (the whole message is kept as the last message)."""
        return self.recv_multi(timeout)[0]

    def recv_multi_non_blocking(self) -> list[bytes] | None:
        """The next message if one is waiting now, else None; never waits."""
        return receive_frames(self._sock, None)

    def recv_non_blocking(self) -> bytes | None:
        """The first frame of a message waiting now, else None; never waits."""
        frames = self.recv_multi_non_blocking()
        return None if frames is None else frames[0]

    def get_endpoints(self) -> list[str]:
        """The addresses the socket is bound or connected to (real ports for ``:*`` binds)."""
        return list(self._sock.endpoints)

    def get_last_message(self) -> list[bytes]:
        """The last message received (on a ROUTER, the frames after the routing id)."""
        if self._sock.last_message is None:
            raise ProseError(f"{self._sock.describe()} has received no message yet in this scenario")
        return self._sock.last_message
