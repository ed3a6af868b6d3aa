"""Sending and receiving with a bound on every wait.

Every blocking call waits with ZeroMQ's own SNDTIMEO/RCVTIMEO, so no
action can hang, and a refusal from ZeroMQ becomes a message that says what
to do about it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import zmq

from zmqprose.errors import ProseError, WaitTimeout
from zmqprose.limits import check_wait, seconds
from zmqprose.sockets.socket import ProseSocket
from zmqprose.wire.envelope import peer_type
from zmqprose.wire.format import FormatContext, InFormat, show_shown
from zmqprose.wire.frames import show_frames

SLICE = 0.25  # seconds one blocking call waits before the apps a socket talks to are looked at again
T = TypeVar("T")
Shown = Callable[[list[bytes]], object]  # how a message reads in the action log (a step's format)
SEND_HINTS = {
    "REQ": "a REQ socket must receive its reply before it sends again",
    "REP": "a REP socket can only answer a request it has received",
    "PUSH": "no peer is connected, or the peer's queue is full",
    "DEALER": "no peer is connected, or the peer's queue is full",
}
WAIT_HINTS = {  # why a receive may wait in vain, where it can only be that: a REQ that had not sent, or a REP that
    # had not answered, is refused by ZeroMQ at once (RECEIVE_HINTS), so a REQ's wait is for an answer
    "REQ": "its request has had no answer: is the peer up, and does it answer this request?",
}
RECEIVE_HINTS = {
    "SUB": "is it subscribed to the topic, and was it connected before the message was sent?",
    "REQ": "a REQ socket must send a request before it receives",
    "REP": "a REP socket must answer the request it received before it receives another",
}


def send_frames(sock: ProseSocket, frames: list[bytes], timeout: float | None, shown: Shown | None = None,
                envelope: int = 0) -> None:
    """Queue one message, waiting up to ``timeout`` for ZeroMQ to take it (None: not at all).

    The action log gets one line when it is done (with ``live``, one when it begins too); ``shown``
    says how the message reads there, else the format the socket spoke (its first ``envelope`` frames
    as frames), else it is shown as frames.
    """
    if not frames:
        raise ProseError(f"a message has at least one frame; nothing to send on {sock.describe()}")
    action = "send_multi" if timeout is not None else "send_multi_non_blocking"
    log = sock.log
    message = shown_as(sock, frames, shown, envelope)
    if log.live:  # what it sends, once: on the line that says it is done (or not taken)
        log.note("{} -> {}  …", action, sock.where)
    began = time.monotonic()
    if sock.is_publisher:
        sock.zmq.getsockopt(zmq.EVENTS)  # apply subscriptions that have arrived: ZeroMQ defers them up to 1 ms
    try:
        if timeout is None:
            sock.zmq.send_multipart(frames, flags=zmq.NOBLOCK)
        elif len(frames) == 1:
            sock.wait_to_send(min(timeout, SLICE))
            try:
                sock.zmq.send(frames[0])  # the usual send: ZeroMQ takes it at once
            except zmq.Again:
                in_slices(rest_of(timeout, began), sock, sock.wait_to_send, lambda: sock.zmq.send(frames[0]))
        else:
            in_slices(timeout, sock, sock.wait_to_send, lambda: sock.zmq.send_multipart(frames))
    except zmq.Again:
        log.note("{} -> {}  {}  not taken after {:.3f} s", action, sock.where, message, time.monotonic() - began)
        hint = SEND_HINTS.get(sock.type_name, "no peer is ready to take it")
        valued = message if isinstance(message, InFormat) else None
        refused = show_shown(valued, log.showing) if valued is not None else show_frames(frames, log.showing)
        if timeout is None:
            raise ProseError(f"{sock.describe()} would block sending {refused}: {hint}") from None
        raise WaitTimeout(
            f"could not send on {sock.describe()} within {timeout:g} s: {refused}; {hint}"
        ) from None
    except zmq.ZMQError as error:
        log.note("{} -> {}  {}  failed: {}", action, sock.where, message, error.strerror)
        hint = hint_for(sock, error, SEND_HINTS)
        raise ProseError(f"cannot send on {sock.describe()}: {error.strerror} ({hint})") from None
    waited = time.monotonic() - began
    log.note("{} -> {}  {}  waited {:.3f} s", action, sock.where, message, waited)
    log.event("send", sock.label, message, waited=round(waited, 6))


def receive_frames(sock: ProseSocket, timeout: float | None, shown: Shown | None = None) -> list[bytes] | None:
    """The next message on ``sock``, waiting up to ``timeout`` (None or 0: not at all); None if nothing came.

    Its frames after the envelope (see :mod:`zmqprose.wire.envelope`); the whole
    message is the socket's last message. The action log gets one line when
    it is done (with ``live``, one when it begins too).
    """
    action = "recv_multi" if timeout else "recv_multi_non_blocking"
    log = sock.log
    if log.live:
        log.note("{} <- {}  up to {} s …", action, sock.where, seconds(timeout or 0))
    began = time.monotonic()
    with_peer = sock.has_envelope
    try:
        if timeout:
            sock.wait_to_receive(min(timeout, SLICE))
            try:
                frames, peer = receive_message(sock.zmq, 0, with_peer)  # the usual receive: within one slice
            except zmq.Again:
                frames, peer = in_slices(rest_of(timeout, began), sock, sock.wait_to_receive,
                                         lambda: receive_message(sock.zmq, 0, with_peer))
        else:
            frames, peer = receive_message(sock.zmq, zmq.NOBLOCK, with_peer)
    except zmq.Again:
        waited = time.monotonic() - began
        log.note("{} <- {}  waited {:.3f} s  nothing arrived", action, sock.where, waited)
        log.event("nothing", sock.label, waited=round(waited, 6))
        return None
    except zmq.ZMQError as error:
        log.note("{} <- {}  failed: {}", action, sock.where, error.strerror)
        hint = hint_for(sock, error, RECEIVE_HINTS)
        raise ProseError(f"cannot receive on {sock.describe()}: {error.strerror} ({hint})") from None
    arrived = time.monotonic()
    body = sock.record(frames, peer, arrived)
    message = shown_as(sock, frames, shown, len(frames) - len(body))
    log.note("{} <- {}  waited {:.3f} s  {}", action, sock.where, arrived - began, message)
    log.event("receive", sock.label, message, waited=round(arrived - began, 6))
    return body


def receive_or_fail(sock: ProseSocket, timeout: float, started_at: float,
                    why_silent: Callable[[ProseSocket], str | None], shown: Shown | None = None) -> list[bytes]:
    """The next message on ``sock`` (after its envelope), waiting up to ``timeout``; if none came, a failure
    that says what it can about why (``why_silent``: an app not started, no peer ever)."""
    frames = receive_frames(sock, timeout, shown)
    if frames is None:
        raise nothing_arrived(sock, timeout, started_at, why_silent(sock))
    return frames


@dataclass(frozen=True)
class Listening:
    """What the actions and checks of one scenario's sockets need of it, and nothing more: the default wait,
    when the scenario began, why a socket may be silent (an app not started, no peer, a client that ended),
    and what a format needs for a socket (its app's Jupyter key, the scenario's session)."""

    timeout: float
    started_at: float
    why_silent: Callable[[ProseSocket], str | None]
    format_context: Callable[[ProseSocket], FormatContext]

    def wait(self, timeout: float | None, what: str = "a wait") -> float:
        """``timeout`` (checked: positive, finite, at most a day), or the default wait if None."""
        return self.timeout if timeout is None else check_wait(timeout, what)

    def receive(self, sock: ProseSocket, timeout: float | None) -> list[bytes]:
        """The next message on ``sock`` (after its envelope), waiting up to ``timeout`` (None: the default
        wait), or a failure that says what it can about why nothing came."""
        return receive_or_fail(sock, self.wait(timeout), self.started_at, self.why_silent)


def rest_of(timeout: float, began: float) -> float:
    """What is left of a wait of ``timeout`` that began at ``began``, after a first slice; Again if nothing."""
    remaining = timeout - (time.monotonic() - began)
    if remaining <= 0:
        raise zmq.Again()
    return remaining


def in_slices(timeout: float, sock: ProseSocket, set_wait: Callable[[float], None], attempt: Callable[[], T]) -> T:
    """A blocking ZeroMQ call, tried until it succeeds or ``timeout`` has passed (then zmq.Again).

    Each try blocks at most :data:`SLICE` seconds; before each, the app the
    socket talks to is looked at (``sock.check_peer``), so that a wait on a
    service that died fails at once, naming it, instead of at its end. (The
    first slice of a send or a receive is tried before this: the usual one
    needs no more.)
    """
    deadline = time.monotonic() + timeout
    while True:
        if sock.check_peer is not None:
            sock.check_peer()
        remaining = deadline - time.monotonic()
        set_wait(min(remaining, SLICE))
        try:
            return attempt()
        except zmq.Again:
            if remaining <= SLICE:
                raise


def receive_message(zsock: zmq.Socket[bytes], flags: int, with_peer: bool = False) -> tuple[list[bytes], str | None]:
    """All frames of the next message, and (``with_peer``) the sender's socket type from its metadata.

    As ``recv_multipart``, but cheaper for the usual short message.
    """
    frame = zsock.recv(flags, copy=False)
    peer = peer_type(frame) if with_peer else None
    frames = [frame.bytes]
    while frame.more:
        frame = zsock.recv(copy=False)
        frames.append(frame.bytes)
    return frames, peer


def hint_for(sock: ProseSocket, error: zmq.ZMQError, hints: dict[str, str]) -> str:
    """What to do about a ZeroMQ error on this kind of socket (``hints``: for a send, or a receive)."""
    if error.errno == zmq.EFSM:
        return hints.get(sock.type_name, "the socket is in the wrong state for this")
    if error.errno == zmq.ENOTSUP:
        return f"a {sock.type_name} socket cannot do this"
    if error.errno == zmq.EHOSTUNREACH:
        return "the peer it is addressed to is not connected"
    return "see the ZeroMQ documentation of this error"


def shown_as(sock: ProseSocket, frames: list[bytes], shown: Shown | None, envelope: int) -> object:
    """A message as the action log keeps it: as ``shown`` says, else in the format the socket spoke last
    (the spec's messages and its peer's alike; the first ``envelope`` frames as frames), else its frames."""
    if shown is not None:
        return shown(frames)
    return frames if sock.shown is None else sock.shown(frames, envelope)


def show_message(sock: ProseSocket, frames: list[bytes] | None) -> str:
    """A message of ``sock`` for a person: in the format the socket spoke last (its value), else as frames
    the way the run shows them."""
    if frames is None or sock.shown is None:
        return show_frames(frames, sock.log.showing)
    return show_shown(sock.shown(frames), sock.log.showing)


def subscription_hint(sock: ProseSocket) -> str | None:
    """Why a SUB socket may have received nothing, when its subscription can be why: it is subscribed to
    nothing, or no message on a topic it is subscribed to has arrived in this scenario (it may have joined
    after the message was sent). None when one has: the subscription works."""
    if not sock.topics:
        return ('it is subscribed to nothing, so it receives nothing: subscribe it to a topic ("" for everything), '
                "e.g. 'subscribed to \"alerts.\"'")
    heard = sock.topics_heard
    if any(topic in heard for topic in sock.topics):
        return None
    return RECEIVE_HINTS["SUB"]


def nothing_arrived(sock: ProseSocket, timeout: float, started_at: float, why: str | None = None) -> WaitTimeout:
    """The failure of a receive that timed out: socket, endpoint, wait, what came before, and ``why`` if known."""
    if sock.last_message is None:
        before = "nothing has arrived on this socket in this scenario"
    else:
        at = (sock.last_at or started_at) - started_at
        before = f"last message on this socket: {show_message(sock, sock.last_message)} at {at:.1f} s"
    hint = why or (subscription_hint(sock) if sock.zmq.type == zmq.SUB else WAIT_HINTS.get(sock.type_name))
    return WaitTimeout(
        f"nothing arrived on {sock.describe()} within {timeout:g} s;\n  {before}"
        + (f"\n  ({hint})" if hint else "")
    )
