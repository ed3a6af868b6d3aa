"""An app's probe: a request that it must answer, sent on a fresh socket that is closed after.

``APP is still running`` knows only that the process zmqprose started
lives; a service whose workers died behind a front end that lives is
caught by its probe (``APP still answers``, and ``"ready": {"probe": true}``
at its start). One exchange is :func:`ask`: a socket of the probe's type
connected to the app's port, the probe sent (frames, or a value in its
format), one answer received within the wait and checked as ``matching``
checks (markers work), the socket closed without lingering whatever
happened. Its :class:`Answer` says what arrived, and whether it matched.

The probe's socket is waited for until ZeroMQ is done with it, as a
scenario's sockets are (:func:`~zmqprose.sockets.socket.close_all`): closed
and thrown away at once, its watch went with it, and ZeroMQ's one thread
that closes every socket of the run waited for ever to tell that watch the
socket was gone, closing no socket of the run again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import zmq

from zmqprose.errors import AppError, ProseError, WaitTimeout
from zmqprose.limits import seconds
from zmqprose.settings.app import AppSettings, ProbeSettings
from zmqprose.sockets.options import socket_type
from zmqprose.sockets.references import as_port
from zmqprose.sockets.socket import ProseSocket, close_all
from zmqprose.sockets.transfer import receive_frames, send_frames
from zmqprose.wire.format import Format, FormatContext, show_shown
from zmqprose.wire.format_registry import decode_value, encode_value, in_format
from zmqprose.wire.format_registry import get as get_format
from zmqprose.wire.frames import SHORTENED, Showing, encode_frames, show_frames
from zmqprose.wire.masking import mask_text
from zmqprose.wire.matching import frames_difference, json_difference, matching_within, shorten_json

MakeSocket = Callable[[int, str, str], ProseSocket]  # (ZeroMQ type, type name, label) -> a new socket
SHOWN = 120  # characters of a value that a probe's description shows (all of it when the run shows frames in full)


@dataclass(frozen=True)
class Answer:
    """What one probe got back: the frames that arrived (None: nothing did), and why they do not match
    (None: they do, or nothing arrived)."""

    frames: list[bytes] | None
    difference: str | None
    shown: str  # what arrived, as it reads (in the probe's format), or why nothing did
    showing: Showing = SHORTENED  # how the run that asked shows frames: the probe's socket's log's

    @property
    def matches(self) -> bool:
        """Whether the app answered, as the probe expects."""
        return self.frames is not None and self.difference is None


def the_probe(app: AppSettings) -> ProbeSettings:
    """The app's probe; an app without one is an error that says how to give it one."""
    if app.probe is None:
        raise ProseError(f'{app.name} has no probe: give it a "probe" setting, a request it must answer, e.g. '
                         f'"probe": {{"port": "control_port", "type": "REQ", "send": ["PING"], "expect": ["PONG"]}}')
    return app.probe


def probe_address(app: AppSettings, value: Any) -> str:
    """Where the probe goes: the value of its port setting (filled in) as a ZeroMQ address, a port on the app's
    host."""
    probe = the_probe(app)
    if isinstance(value, str) and "://" in value:
        return value
    port = as_port(value)
    if port == 0:
        raise AppError(f"{app.name}'s probe goes to {app.name}.{probe.port}, a free port chosen when {app.name} "
                       f"starts: add 'Given {app.name} is running' before this step")
    if port is None:
        raise AppError(f"{app.name}.probe.port names {app.name}.{probe.port}, which is {kind(value)}: a port "
                       f"setting is a port number or a ZeroMQ address such as \"tcp://127.0.0.1:5555\"")
    return f"tcp://{app.host}:{port}"


def kind(value: Any) -> str:
    """A setting's value in a few words (it may be long)."""
    return repr(value) if isinstance(value, (int, float)) or (isinstance(value, str) and len(value) < 60) \
        else type(value).__name__


def describe(app: AppSettings, address: str, showing: Showing = SHORTENED) -> str:
    """How a failure names the probe: ``master's probe (REQ to tcp://127.0.0.1:5555, master.ret_port:
    msgpack {"cmd": "ping"})``, secrets masked; what it sends shortened or whole, as ``showing`` (the run's) says."""
    probe = the_probe(app)
    sent = f"{probe.format} {shorten_json(probe.send, showing.limit(SHOWN))}" if probe.format else \
        shorten(json.dumps(probe.send, ensure_ascii=False), showing)
    return mask_text(f"{app.name}'s probe ({probe.type} to {address}, {app.name}.{probe.port}: {sent})")


def expected_answer(app: AppSettings, showing: Showing = SHORTENED) -> str:
    """What the probe expects, as a failure shows it (in its format, or as frames), secrets masked; shortened or
    whole, as ``showing`` (the run's) says."""
    probe = the_probe(app)
    if probe.format:
        return f"{probe.format} {shorten_json(probe.expect, showing.limit(SHOWN))}"
    return mask_text(shorten(json.dumps(probe.expect, ensure_ascii=False), showing))


def shorten(text: str, showing: Showing = SHORTENED) -> str:
    """A text cut to :data:`SHOWN` characters, or whole when ``showing`` shows frames in full."""
    limit = showing.limit(SHOWN)
    return text if not limit or len(text) <= limit else f"{text[:limit]}…"


def format_of(app: AppSettings) -> Format | None:
    """The probe's format, or None for frames; an unknown one names the setting."""
    probe = the_probe(app)
    if probe.format is None:
        return None
    try:
        return get_format(probe.format)
    except ProseError as error:
        raise ProseError(f"{app.name}.probe.format: {error}") from None


def format_context(app: AppSettings, session: str) -> FormatContext:
    """What the probe's format needs from the app's settings: a Jupyter app's key and scheme."""
    return FormatContext(key=app.key.encode("utf-8") if app.key else None,
                         signature_scheme=str(app.signature_scheme), session=session)


def ask(app: AppSettings, address: str, timeout: float, make_socket: MakeSocket, context: FormatContext,
        check_peer: Callable[[], None] | None = None) -> Answer:
    """Send the app's probe on a fresh socket connected to ``address`` and wait up to ``timeout`` for one answer;
    the socket is closed after (no lingering), whatever happened. ``check_peer`` raises if the app has died
    (looked at while the answer is waited for)."""
    probe = the_probe(app)
    fmt = format_of(app)
    frames = encode_value(fmt, probe.send, context) if fmt is not None else encode_frames(probe.send)
    shown = in_format(fmt, context) if fmt is not None else None
    sock = make_socket(socket_type(probe.type), probe.type, f"{app.name}'s probe")
    try:
        if check_peer is not None:
            sock.made_for(app.name, check_peer)
        try:
            sock.attach("connect", address)
        except zmq.ZMQError as error:
            raise AppError(f"{app.name}'s probe cannot connect a {probe.type} socket to {address}: "
                           f"{error.strerror}") from None
        sock.log.note("connect {}  {}  ({})", probe.type, sock.where, sock.label)
        sock.log.event("socket", sock.label, how="connect", type=probe.type, address=address, app=app.name)
        began = time.monotonic()
        try:
            send_frames(sock, frames, timeout, shown)
        except WaitTimeout:
            return Answer(None, None, f"nothing: the probe itself could not be sent within {seconds(timeout)} s")
        with matching_within(timeout):
            arrived = receive_frames(sock, max(timeout - (time.monotonic() - began), 0.001), shown)
            if arrived is None:
                return Answer(None, None, f"nothing arrived within {seconds(timeout)} s")
            showing = sock.log.showing
            return Answer(arrived, difference(app, arrived, fmt, context, showing),
                          shown_answer(arrived, shown, showing), showing)
    finally:
        close_all([sock])  # and waited for, as a scenario's: see close_all
        sock.log.note("close {}", sock.label)
        sock.log.event("close", sock.label)


def difference(app: AppSettings, frames: list[bytes], fmt: Format | None, context: FormatContext,
               showing: Showing = SHORTENED) -> str | None:
    """How an answer differs from what the probe expects, in words (what arrived shown as ``showing``, the
    run's, says); None if it matches."""
    probe = the_probe(app)
    if fmt is None:
        return frames_difference(probe.expect, frames, showing=showing)
    _, own = fmt.split(frames)
    try:
        value = decode_value(fmt, own, context, "the answer", showing)
    except ProseError as error:
        return str(error)
    found = json_difference(probe.expect, value, showing=showing)
    return None if found is None else str(found)


def shown_answer(frames: list[bytes], shown: Callable[[list[bytes]], object] | None,
                 showing: Showing = SHORTENED) -> str:
    """An answer as it reads: in the probe's format, else as frames (secrets masked), shortened or whole as
    ``showing`` (the run's) says."""
    return mask_text(show_shown(shown(frames), showing) if shown is not None else show_frames(frames, showing))


def attempts(first: float, longest: float) -> Callable[[], float]:
    """How long each attempt of a probe at start waits: ``first``, then twice as long each time, up to ``longest``
    (a service slow to answer its first request is not asked so often that it never can)."""
    wait = [first]

    def next_wait() -> float:
        now = wait[0]
        wait[0] = min(now * 2, longest)
        return now

    return next_wait
