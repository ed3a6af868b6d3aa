"""``from_zmq_socket(sock)``: read what a socket received (Storyplayer's fromZmqSocket)."""

from __future__ import annotations

from typing import Any

from zmqprose.errors import ProseError, checked
from zmqprose.pipelines.pipeline import Pipeline
from zmqprose.pipelines.pull import PullTally
from zmqprose.sockets.socket import ProseSocket
from zmqprose.sockets.transfer import Listening, receive_frames
from zmqprose.wire.format_registry import decode_value
from zmqprose.wire.format_registry import get as get_format


@checked
class FromZmqSocket:
    """Receives on one socket. Every received message becomes the socket's last message."""

    def __init__(self, sock: ProseSocket, listening: Listening, pipeline: Pipeline) -> None:
        """``listening``: the scenario's default wait and what it knows of silence; ``pipeline``: its pushes."""
        self._sock = sock
        self._listening = listening
        self._pipeline = pipeline

    def recv_multi(self, timeout: float | None = None) -> list[bytes]:
        """The next message's frames, waiting up to ``timeout``; fails naming the socket if none came.

        Example: ``frames = prose.from_zmq_socket(pull).recv_multi(timeout=2)  # [b"PONG", b"42"]``
        """
        return self._listening.receive(self._sock, timeout)

    def recv(self, timeout: float | None = None) -> bytes:
        """The first frame of the next message (the whole message is kept as the last message).

        Example: ``first = prose.from_zmq_socket(pull).recv()  # b"PONG"``
        """
        return self.recv_multi(timeout)[0]

    def recv_multi_non_blocking(self) -> list[bytes] | None:
        """The next message if one is waiting now, else None; never waits.

        Example: ``frames = prose.from_zmq_socket(pull).recv_multi_non_blocking()  # or None``
        """
        return receive_frames(self._sock, None)

    def recv_non_blocking(self) -> bytes | None:
        """The first frame of a message waiting now, else None; never waits.

        Example: ``first = prose.from_zmq_socket(pull).recv_non_blocking()  # or None``
        """
        frames = self.recv_multi_non_blocking()
        return None if frames is None else frames[0]

    def pull(self, count: int, timeout: float | None = None) -> PullTally:
        """Drain numbered messages until ``count`` of this scenario's push arrived; fails with the tally if not.

        Example: ``tally = prose.from_zmq_socket(pull).pull(100_000, timeout=30)``
        """
        return self._pipeline.pull(self._sock, count, self._listening.wait(timeout))

    def get_endpoints(self) -> list[str]:
        """The addresses the socket is bound or connected to (real ports for ``:*`` binds).

        Example: ``prose.from_zmq_socket("inbox").get_endpoints()  # ["tcp://127.0.0.1:41233"]``
        """
        return list(self._sock.addresses)

    def get_last_value(self, format: str = "JSON") -> Any:
        """The last message's value in ``format`` (a one-frame format reads the last frame).

        Example: ``status = prose.from_zmq_socket(control).get_last_value("JSON")["status"]``
        """
        fmt = get_format(format)
        _, own = fmt.split(self.get_last_message())
        return decode_value(fmt, own, self._listening.format_context(self._sock),
                            f"the last message of {self._sock.describe()}", self._sock.log.showing)

    def get_last_message(self) -> list[bytes]:
        """The last message received (on a ROUTER, the frames after the routing id).

        Example: ``frames = prose.from_zmq_socket(pull).get_last_message()  # [b"PONG", b"42"]``
        """
        if self._sock.last_message is None:
            raise ProseError(f"{self._sock.describe()} has received no message yet in this scenario")
        return self._sock.last_message
