"""The argument types of the step phrases: TEXT, FRAMES, DURATION, TYPE, ENDPOINT, SOCKET.

Each type is a converter with the regular expression that delimits it in a
phrase (``@with_pattern``). The patterns are strict so that phrases never
overlap: an ENDPOINT ends with ``port``, ``socket`` or ``endpoint``, or is
quoted. A converter raises :class:`ProseError` for an argument that is
written wrongly; the step then fails with that message.

The public ones (:data:`PUBLIC`) are a project's too, in the patterns of its
own steps (``from zmqprose.steps import step``; docs: how-to/own-steps.md, *Your own steps*):
``{text:Text}`` → ``str`` (unquoted, ``${…}`` not filled in yet),
``{name:Name}`` → ``str``, ``{frames:Frames}`` → ``list[str]``,
``{wait:Duration}`` → ``float`` seconds, ``{wait:Within}`` → ``float | None``
(an optional `` within DURATION``), ``{count:Count}`` → ``int``,
``{count:Messages}`` → ``int`` (``1 message``, ``3 messages``),
``{type:SocketType}`` → ``str``, ``{endpoint:Endpoint}`` → :data:`Endpoint`,
``{socket:Socket}`` → :data:`SocketRef`, ``{app:App}`` → ``str``,
``{format:Format}`` → ``str``. The others are the optional parts of
zmqprose's own phrases, and may change.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from parse import with_pattern

from zmqprose.errors import ProseError
from zmqprose.limits import check_wait
from zmqprose.security.curve import CurveRequest
from zmqprose.sockets.options import socket_type
from zmqprose.sockets.references import (
    APP_NAME,
    APP_REFERENCE_TEXT,
    Address,
    Endpoint,
    SocketName,
    SocketRef,
    parse_endpoint,
)
from zmqprose.wire.format_registry import FORMAT_NAME
from zmqprose.wire.json_text import backslashes_doubled, lone_backslash

Converter = TypeVar("Converter", bound=Callable[..., Any])


def pattern(regex: str) -> Callable[[Converter], Converter]:
    """parse's ``with_pattern``, typed: the regular expression that delimits an argument type in a phrase."""
    return cast(Callable[[Converter], Converter], with_pattern(regex))


QUOTED = r'"(?:[^"\\]|\\.)*"'
NUMBER = r"\d+(?:\.\d+)?"
DURATION = rf"-?{NUMBER} [a-z]+"  # any sign and unit, so that a wrong one is named by the converter, not "undefined"
ENDPOINT = rf"(?:{APP_REFERENCE_TEXT}|the endpoint of \"[^\"]*\"|\"[^\"]*\")"
SECONDS_PER_UNIT = {
    "second": 1.0, "seconds": 1.0, "ms": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
    "minute": 60.0, "minutes": 60.0,
}


def unquote(quoted: str) -> str:
    """The text inside double quotes, with ``\\"`` and ``\\\\`` unescaped; any other backslash stays,
    so that ``"#regex ^\\d+$"`` reaches the pattern as written."""
    return re.sub(r'\\([\\"])', r"\1", quoted[1:-1])


@pattern(QUOTED)
def parse_text(text: str) -> str:
    """TEXT: a double-quoted string (``\\"`` is a literal quote)."""
    return unquote(text)


@pattern(r"\[.*\]")
def parse_frames(text: str) -> list[str]:
    """FRAMES: a JSON array of strings, one per frame."""
    return frames_from_json(text)


def frames_from_json(text: str) -> list[str]:
    """A JSON array of strings as frames; anything else is a clear error."""
    try:
        frames = json.loads(text)
    except ValueError as error:
        raise ProseError(
            f"frames {text} are not a JSON array of strings ({error}); {how_to_write_frames(text, error)}"
        ) from None
    if not isinstance(frames, list) or not all(isinstance(frame, str) for frame in frames):
        raise ProseError(f"frames {text} must be a JSON array of strings, e.g. [\"PING\", \"42\"] (numbers in quotes)")
    return frames


def how_to_write_frames(text: str, error: ValueError) -> str:
    """What to write instead: a lone backslash (a #regex's ``\\d``) doubled, as JSON wants it, or an example."""
    if lone_backslash(error):
        return f"a backslash in JSON is written twice: {backslashes_doubled(text)}"
    return 'write e.g. ["PING", "42"]'


@pattern(DURATION)
def parse_duration(text: str) -> float:
    """DURATION: ``2 seconds``, ``1 second``, ``1.5 seconds``, ``500 ms``, ``500 milliseconds`` → seconds."""
    return duration_seconds(text)


def duration_seconds(text: str) -> float:
    """A written duration in seconds; a clear error for anything else."""
    match = re.fullmatch(rf"\s*(-?{NUMBER})\s*([a-z]+)\s*", text)
    if not match or match[2] not in SECONDS_PER_UNIT:
        raise ProseError(
            f"'{text.strip()}' is not a duration: write e.g. 2 seconds, 1 second, 1.5 seconds, 500 ms, 1 minute"
        )
    return check_wait(float(match[1]) * SECONDS_PER_UNIT[match[2]], f"the duration '{text.strip()}'")


@pattern(rf"(?: within {DURATION})?")
def parse_within(text: str) -> float | None:
    """An optional `` within DURATION``: seconds, or None for the default wait."""
    return duration_seconds(text.removeprefix(" within ")) if text else None


@pattern(rf"(?: after {DURATION})?")
def parse_after(text: str) -> float | None:
    """An optional `` after DURATION``: a stub's delay in seconds, or None."""
    return duration_seconds(text.removeprefix(" after ")) if text else None


@pattern(r"[\[{].*[\]}]")
def parse_inline_json(text: str) -> str:
    """A JSON object or array written inline in a phrase (checked where it is used)."""
    return text


@pattern(FORMAT_NAME)
def parse_format(text: str) -> str:
    """FORMAT: a message format's name (JSON, msgpack, Jupyter, a registered one); checked where it is used."""
    return text


@pattern(r"(?: with the envelope \[.*?\])?")
def parse_envelope(text: str) -> list[str] | None:
    """An optional `` with the envelope FRAMES``: the frames before a format's, or None (not looked at)."""
    return frames_from_json(text.removeprefix(" with the envelope ")) if text else None


@pattern(r"(?: from \d+ pushers?)?")
def parse_pushers(text: str) -> int:
    """An optional `` from K pushers``: how many pushes share the count (1 when left out)."""
    return int(text.split()[1]) if text else 1


@pattern(r"(?:eventually )?")
def parse_eventually(text: str) -> bool:
    """An optional ``eventually `` before ``receive``: skip messages that do not match until one does."""
    return bool(text)


@pattern(r"\d+")
def parse_count(text: str) -> int:
    """N: a whole number (an exit code, a rate)."""
    return int(text)


def count_of(noun: str) -> Callable[[str], int]:
    """The converter of ``N NOUNs``: a count of things, ``1 NOUN`` in the singular as ``1 second`` (``1 NOUNs``
    is taken too)."""

    @pattern(rf"\d+ {noun}s?")
    def parse(text: str) -> int:
        return int(text.partition(" ")[0])

    parse.__doc__ = f"N {noun}s: a count, ``1 {noun}`` or ``2 {noun}s``."
    return parse


parse_messages = count_of("message")
parse_requests = count_of("request")
parse_users = count_of("user")
parse_workers = count_of("Locust worker")


@pattern(r"\d+ bytes?")
def parse_bytes(text: str) -> int:
    """N bytes: a size, ``1 byte`` or ``100 bytes``."""
    return int(text.partition(" ")[0])


@pattern(r"\w+")
def parse_socket_type(text: str) -> str:
    """TYPE: a socket type name; an unknown one lists the valid types."""
    socket_type(text)
    return text


@pattern(ENDPOINT)
@functools.lru_cache(maxsize=1024)  # one object per reference: every step finds its socket by identity
def parse_endpoint_argument(text: str) -> Endpoint:
    """ENDPOINT: an app reference, a quoted address, or ``the endpoint of "NAME"``."""
    if text.startswith('"'):
        address = unquote(text)
        if "://" not in address:
            raise ProseError(
                f"{text} is not a ZeroMQ address (it has no ://): write e.g. \"tcp://127.0.0.1:5555\", "
                f"or the endpoint of {text} for the address a named socket is bound to"
            )
        return Address(address)
    return parse_endpoint(text)


@pattern(ENDPOINT)
@functools.lru_cache(maxsize=1024)
def parse_socket_argument(text: str) -> SocketRef:
    """SOCKET: an ENDPOINT an earlier step used, or a quoted socket name."""
    if text.startswith('"') and "://" not in text:
        return SocketName(unquote(text))
    return parse_endpoint_argument(text)


@pattern(rf"(?: as {QUOTED})?")
def parse_as_name(text: str) -> str | None:
    """An optional `` as "NAME"``: the socket's name, or None."""
    return unquote(text.removeprefix(" as ")) if text else None


@pattern(rf"(?: subscribed to (?:{QUOTED}|everything))?")
def parse_subscription(text: str) -> list[str]:
    """An optional `` subscribed to "PREFIX"`` or `` subscribed to everything``."""
    if not text:
        return []
    topic = text.removeprefix(" subscribed to ")
    return [""] if topic == "everything" else [unquote(topic)]


CURVE = rf"(?: with CURVE(?: as client {QUOTED}| and the wrong server key| allowing only {QUOTED}(?:, {QUOTED})*)?)?"


@pattern(CURVE)
def parse_curve(text: str) -> CurveRequest | None:
    """An optional `` with CURVE`` (`` as client "NAME"``, `` and the wrong server key``,
    `` allowing only "A", "B"``): a CURVE client or server; None without it."""
    if not text:
        return None
    names = tuple(unquote(quoted) for quoted in re.findall(QUOTED, text))
    if " as client " in text:
        return CurveRequest(client=names[0])
    if " allowing only " in text:
        return CurveRequest(allowing=names)
    return CurveRequest(wrong_server_key=" and the wrong server key" in text)


@pattern(r"(?: with options:)?")
def parse_with_options(text: str) -> bool:
    """An optional `` with options:`` announcing an option table."""
    return bool(text)


@pattern(r"(?: without blocking)?")
def parse_without_blocking(text: str) -> bool:
    """An optional `` without blocking``."""
    return bool(text)


@pattern(APP_NAME)
def parse_app(text: str) -> str:
    """An app's name as the settings spell it."""
    return text


@dataclass(frozen=True)
class ArgumentType:
    """One argument type of the phrases: its name in a phrase (``{socket:Socket}``), its converter (which
    carries its pattern), how the docs and the near-miss advice write it, and whether a project's own
    patterns may use it (``public``: it keeps its name, pattern and value)."""

    name: str
    convert: Callable[[str], Any]
    readable: str
    public: bool = False


ARGUMENT_TYPES = (
    ArgumentType("Text", parse_text, "TEXT", public=True),
    ArgumentType("Name", parse_text, '"NAME"', public=True),
    ArgumentType("Frames", parse_frames, "FRAMES", public=True),
    ArgumentType("Duration", parse_duration, "DURATION", public=True),
    ArgumentType("Within", parse_within, " [within DURATION]", public=True),
    ArgumentType("After", parse_after, " [after DURATION]"),
    ArgumentType("InlineJson", parse_inline_json, "JSON"),
    ArgumentType("Format", parse_format, "FORMAT", public=True),
    ArgumentType("Envelope", parse_envelope, " [with the envelope FRAMES]"),
    ArgumentType("Eventually", parse_eventually, "[eventually ]"),
    ArgumentType("Pushers", parse_pushers, " [from K pushers]"),
    ArgumentType("Curve", parse_curve, " [with CURVE …]"),
    ArgumentType("Count", parse_count, "N", public=True),
    ArgumentType("Messages", parse_messages, "N messages", public=True),
    ArgumentType("Requests", parse_requests, "N requests"),
    ArgumentType("Users", parse_users, "N users"),
    ArgumentType("Workers", parse_workers, "N Locust workers"),
    ArgumentType("Bytes", parse_bytes, "N bytes"),
    ArgumentType("SocketType", parse_socket_type, "TYPE", public=True),
    ArgumentType("Endpoint", parse_endpoint_argument, "ENDPOINT", public=True),
    ArgumentType("Socket", parse_socket_argument, "SOCKET", public=True),
    ArgumentType("AsName", parse_as_name, ' [as "NAME"]'),
    ArgumentType("Subscription", parse_subscription, " [subscribed to TEXT]"),
    ArgumentType("WithOptions", parse_with_options, " [with options:]"),
    ArgumentType("WithoutBlocking", parse_without_blocking, " [without blocking]"),
    ArgumentType("App", parse_app, "APP", public=True),
)
PHRASE_TYPES: dict[str, Callable[[str], Any]] = {kind.name: kind.convert for kind in ARGUMENT_TYPES}
PUBLIC: tuple[str, ...] = tuple(kind.name for kind in ARGUMENT_TYPES if kind.public)  # a project's patterns too
READABLE: dict[str, str] = {kind.name: kind.readable for kind in ARGUMENT_TYPES}
