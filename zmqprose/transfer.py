"""Sending and receiving with a bound on every wait.

Every wait is a poll with a timeout followed by a non-blocking call, so no
action can hang, and a refusal from ZeroMQ becomes a message that says what
to do about it.
"""

from __future__ import annotations

import time

import zmq

from zmqprose import actionlog
from zmqprose.errors import ProseError, TimeoutExpired
from zmqprose.frames import ShownFrames, show_frames
from zmqprose.sockets import ProseSocket

SEND_HINTS = {
    "REQ": "a REQ socket must receive its reply before it sends again",
    "REP": "a REP socket can only answer a request it has received",
    "PUSH": "no peer is connected, or the peer's queue is full",
    "DEALER": "no peer is connected, or the peer's queue is full",
}
RECEIVE_HINTS = {
    "SUB": "is it subscribed to the topic, and was it connected before the message was sent?",
    "REQ": "a REQ socket receives only after it has sent a request",
}


def send_frames(sock: ProseSocket, frames: list[bytes], timeout: float | None) -> None:
    """Queue one message; ``timeout`` None means do not wait at all (non-blocking)."""
    action = "send_multi" if timeout is not None else "send_multi_non_blocking"
    where = ", ".join(sock.endpoints) or sock.label
    actionlog.started(action, f"-> {where}", ShownFrames(frames))
    began = time.monotonic()
    if timeout is not None and not sock.zmq.poll(int(timeout * 1000), zmq.POLLOUT):
        raise TimeoutExpired(
            f"could not send on {sock.describe()} within {timeout:g} s: {show_frames(frames)}; "
            f"{SEND_HINTS.get(sock.type_name, 'no peer is ready to take it')}"
        )
    try:
        sock.zmq.send_multipart(frames, flags=zmq.NOBLOCK)
    except zmq.Again:
        raise ProseError(
            f"{sock.describe()} would block sending {show_frames(frames)}: "
            f"{SEND_HINTS.get(sock.type_name, 'no peer is ready to take it')}"
        ) from None
    except zmq.ZMQError as error:
        raise ProseError(f"cannot send on {sock.describe()}: {error.strerror} ({hint_for(sock, error)})") from None
    actionlog.ended(action, f"waited {time.monotonic() - began:.3f} s")


def receive_frames(sock: ProseSocket, timeout: float | None) -> list[bytes] | None:
    """The next message on ``sock``, waiting up to ``timeout`` (None: not at all); None if nothing came."""
    action = "recv_multi" if timeout else "recv_multi_non_blocking"
    where = ", ".join(sock.endpoints) or sock.label
    actionlog.started(action, f"<- {where}", f"up to {timeout:g} s" if timeout else "without waiting")
    began = time.monotonic()
    if not sock.zmq.poll(int(timeout * 1000) if timeout else 0, zmq.POLLIN):
        actionlog.ended(action, f"waited {time.monotonic() - began:.3f} s", "nothing arrived")
        return None
    try:
        frames = sock.zmq.recv_multipart(flags=zmq.NOBLOCK)
    except zmq.ZMQError as error:
        raise ProseError(f"cannot receive on {sock.describe()}: {error.strerror} ({hint_for(sock, error)})") from None
    sock.record(frames)
    actionlog.ended(action, f"waited {time.monotonic() - began:.3f} s", ShownFrames(frames))
    return frames


def hint_for(sock: ProseSocket, error: zmq.ZMQError) -> str:
    """What to do about a ZeroMQ error on this kind of socket."""
    if error.errno == zmq.EFSM:
        return SEND_HINTS.get(sock.type_name, "the socket is in the wrong state for this")
    if error.errno == zmq.ENOTSUP:
        return f"a {sock.type_name} socket cannot do this"
    if error.errno == zmq.EHOSTUNREACH:
        return "the peer it is addressed to is not connected"
    return "see the ZeroMQ documentation of this error"


def nothing_arrived(sock: ProseSocket, timeout: float, started_at: float) -> TimeoutExpired:
    """The failure of a receive that timed out: socket, endpoint, wait, and what came before."""
    if sock.last_message is None:
        before = "nothing has arrived on this socket in this scenario"
    else:
        before = f"last message on this socket: {show_frames(sock.last_message)} at {sock.last_at - started_at:.1f} s"
    hint = RECEIVE_HINTS.get(sock.type_name)
    return TimeoutExpired(
        f"nothing arrived on {sock.describe()} within {timeout:g} s;\n  {before}"
        + (f"\n  ({hint})" if hint else "")
    )
