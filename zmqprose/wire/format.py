"""What a message format is: how a value, written in a spec as JSON, goes on the wire and comes back.

A format is one frame (JSON, msgpack, a user's protobuf: the last frame of
a message) or a whole message (Jupyter: everything from ``<IDS|MSG>`` on).
The frames before it are the envelope: sent and checked only when a step
says ``with the envelope FRAMES``. The known formats are in the registry,
:mod:`zmqprose.wire.format_registry`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from zmqprose.errors import ProseError, describe_error
from zmqprose.wire import frames as notation
from zmqprose.wire.frames import SHORTENED, Showing, show_frame
from zmqprose.wire.literals import as_sent
from zmqprose.wire.matching import shorten_json
from zmqprose.wire.one_reading import Refused, check_numbers

DEFAULT_SIGNATURE_SCHEME = "hmac-sha256"  # how a Jupyter app signs, when its settings do not say
NAMING_KEYS = ("msg_type", "method", "type", "cmd", "command", "event", "action", "op")  # a map's field naming it
ANSWER_KEYS = ("result", "error")  # what a JSON-RPC answer carries (with "jsonrpc" or "id")
LEAD_CHARS = 32  # characters of a summary: a name, not a sentence
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.:/-]*")  # a list's item that names its message (client_ready, add, OK)
VALUE_WIDER = 5  # a value shown reads this many times as long as a frame shown: it is a message, not a part of one
FRAME_IN_ERROR = 200  # characters of a frame an error about its format shows, where a run shortens frames
VALUE_IN_ERROR = 200  # characters of a value a format cannot take that its error shows, likewise


@dataclass(frozen=True)
class FormatContext:
    """What a format may need besides the value: a Jupyter key and session, from the app's settings."""

    key: bytes | None = None
    signature_scheme: str = DEFAULT_SIGNATURE_SCHEME
    session: str = ""
    username: str = "zmqprose"


class Format:
    """A format of one frame: the last frame of a message. Subclasses may take the whole message.

    ``summary(value)``, optional, says in a few characters what tells a message of the format apart (its
    type, its command): a picture's arrow leads with it. Without one, :func:`summary_of` guesses."""

    _summary: Callable[[Any], str | None] | None = None

    def __init__(self, name: str, encode: Callable[[Any], bytes], decode: Callable[[bytes], Any],
                 summary: Callable[[Any], str | None] | None = None) -> None:
        self.name = name
        self._encode = encode
        self._decode = decode
        self._summary = summary

    def summary(self, value: Any) -> str | None:
        """What tells a decoded message apart from others (a type, a method), or None: the format's own
        ``summary`` if it was given one, else :func:`summary_of`."""
        return summary_of(value) if self._summary is None else self._summary(value)

    def encode(self, value: Any, context: FormatContext) -> list[bytes]:
        """The frames for ``value``."""
        return [self._encode(value)]

    def decode(self, frames: Sequence[bytes], context: FormatContext) -> Any:
        """The value of the format's frames (one frame here)."""
        return self._decode(frames[-1])

    def signature(self, frames: Sequence[bytes]) -> bytes | None:
        """The signature of a received message in this format, if the format signs (Jupyter): a socket
        refuses one it has seen before, a replay."""
        return None

    def split(self, frames: Sequence[bytes]) -> tuple[list[bytes], list[bytes]]:
        """A received message as (the frames before the format's, the format's frames)."""
        return list(frames[:-1]), list(frames[-1:])


class WholeMessageFormat(Format):
    """A format of a whole message: every frame after the envelope (a protocol that spreads one message over
    frames: a header, a name, arguments). ``encode(value) -> list of bytes``, ``decode(list of bytes) -> value``."""

    def __init__(self, name: str, encode: Callable[[Any], Sequence[bytes]],
                 decode: Callable[[list[bytes]], Any], summary: Callable[[Any], str | None] | None = None) -> None:
        super().__init__(name, encode, decode, summary)  # type: ignore[arg-type]  # the frames, not one frame

    def encode(self, value: Any, context: FormatContext) -> list[bytes]:
        frames = self._encode(value)
        if isinstance(frames, (bytes, str)) or not all(isinstance(frame, bytes) for frame in frames):
            raise ProseError(f"the format {self.name} (frames=\"all\") must encode a value as a list of bytes, "
                             f"one per frame, not {type(frames).__name__}")
        return list(frames)

    def decode(self, frames: Sequence[bytes], context: FormatContext) -> Any:
        return self._decode(list(frames))  # type: ignore[arg-type]

    def split(self, frames: Sequence[bytes]) -> tuple[list[bytes], list[bytes]]:
        return [], list(frames)


class InFormat:
    """A message shown in the format a step sent or expected it in: its envelope as frames, then its value
    (msgpack and Jupyter as JSON, not the hex of their bytes). Rendered only when it is shown; a message
    that is not in the format is shown as frames."""

    def __init__(self, fmt: Format, frames: Sequence[bytes], context: FormatContext, envelope: int = 0) -> None:
        """``envelope``: how many of the first frames are the socket's envelope (a ROUTER's routing id), shown as
        frames before the format's own split (a format of the whole message would read them as its own)."""
        self.fmt, self.frames, self.context, self.envelope = fmt, frames, context, envelope

    def __str__(self) -> str:
        return self.show(SHORTENED)

    def show(self, showing: Showing) -> str:
        """The message as ``showing`` says, shortened or whole: the action log calls it with its run's showing,
        and so do failures (``str`` shortens)."""
        try:
            before, own = self.fmt.split(self.frames[self.envelope:])
            before = [*self.frames[:self.envelope], *before]
            value = decode_value(self.fmt, own, self.context, "the message")
        except ProseError:
            return notation.show_frames(self.frames, showing)
        parts = [repr(show_frame(frame, showing=showing)) for frame in before]
        return "[" + ", ".join([*parts, f"{self.fmt.name} {shorten_json(value, showing.shorten_at * VALUE_WIDER)}"]) \
            + "]"

    def summary(self) -> str | None:
        """What tells this message apart (see :meth:`Format.summary`), or None: also when it is not in the
        format, or a format's own summary fails (a picture's label is no place for an error)."""
        try:
            own = self.fmt.split(self.frames[self.envelope:])[1]
            found = self.fmt.summary(decode_value(self.fmt, own, self.context, "the message"))
        except Exception:
            return None
        return found if isinstance(found, str) and found else None


class ShownInFormat:
    """How a socket's (or a step's) messages are shown: in a format (see :class:`InFormat`)."""

    def __init__(self, fmt: Format, context: FormatContext) -> None:
        self.fmt, self.context = fmt, context

    def __call__(self, frames: Sequence[bytes], envelope: int = 0) -> InFormat:
        """``frames`` shown in the format, the first ``envelope`` of them as frames."""
        return InFormat(self.fmt, frames, self.context, envelope)


def summary_of(value: Any) -> str | None:
    """What tells a message apart from others, in a few characters, or None: a Jupyter message's
    ``msg_type``; a map's ``method`` (JSON-RPC), ``type``, ``cmd``, ``command``, ``event``, ``action`` or ``op``;
    ``result`` or ``error`` for a JSON-RPC answer; ``status: …``; else the first name among a list's first two
    items (Locust's ``["client_ready", …]``, zerorpc's ``[header, "add", …]``)."""
    if isinstance(value, dict):
        header = value.get("header")
        if isinstance(header, dict) and is_name(header.get("msg_type")):
            return str(header["msg_type"])
        for key in NAMING_KEYS:
            if is_name(value.get(key)):
                return str(value[key])
        if "jsonrpc" in value or "id" in value:
            for key in ANSWER_KEYS:
                if key in value:
                    return key
        status = value.get("status")
        if is_name(status) or (isinstance(status, int) and not isinstance(status, bool)):
            return f"status: {status}"
        return None
    if isinstance(value, list):
        for item in value[:2]:
            if isinstance(item, str) and len(item) <= LEAD_CHARS and WORD.fullmatch(item) \
                    and not item.startswith(notation.HEX_PREFIX):
                return item
    return None


def is_name(value: Any) -> bool:
    """Whether a field's value can lead a label: short, printable text."""
    return isinstance(value, str) and 0 < len(value) <= LEAD_CHARS and value.isprintable()


def show_shown(shown: object, showing: Showing) -> str:
    """A message as a step's or a socket's way of showing made it (a :class:`InFormat`, a text), as ``showing``
    says: its own ``show`` if it has one, else its text."""
    show = getattr(shown, "show", None)
    return str(show(showing)) if callable(show) else str(shown)


def in_format(fmt: Format, context: FormatContext) -> ShownInFormat:
    """How a step's messages are shown: in its format (see :class:`InFormat`)."""
    return ShownInFormat(fmt, context)


def needs(module: str, extra: str) -> Any:
    """Import the package a format needs, or say which ``pip install`` brings it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ProseError(f"this format needs the package '{module}': pip install \"zmqprose[{extra}]\"") from None


def decode_value(fmt: Format, frames: Sequence[bytes], context: FormatContext, where: str,
                 showing: Showing = SHORTENED) -> Any:
    """The value of a received message in a format; a message that is not that format fails clearly, and
    one that reads two ways (a key twice, NaN: :mod:`zmqprose.wire.one_reading`) is refused, saying why (its
    frames shown as ``showing`` says: their start, or whole)."""
    if not frames:
        raise ProseError(f"{where} has no frames, so no {fmt.name} message")
    try:
        value = fmt.decode(frames, context)
        check_numbers(value)
        return value
    except ProseError:
        raise
    except RecursionError:
        raise ProseError(f"{where} is {fmt.name} nested too deeply to read") from None
    except Refused as error:
        raise ProseError(f"{where} is refused as {fmt.name}: {error}: {frames_in_error(frames, showing)}") from None
    except Exception as error:
        raise ProseError(f"{where} is not a {fmt.name} message ({describe_error(error)}): "
                         f"{frames_in_error(frames, showing)}") from None


def frames_in_error(frames: Sequence[bytes], showing: Showing) -> str:
    """The last frames of a message an error is about: their start, or (a run that shows frames in full) whole."""
    return ", ".join(repr(show_frame(frame, showing.limit(FRAME_IN_ERROR))) for frame in frames[-3:])


def encode_value(fmt: Format, value: Any, context: FormatContext, showing: Showing = SHORTENED) -> list[bytes]:
    """The frames of a value in a format; a value the format cannot take fails clearly (the value shown as
    ``showing`` says, secrets masked before it is cut), and so does one that would be refused if it came back
    (NaN, an infinity: jupyter_client would send NaN as the text "nan").
    A ``"#literal TEXT"`` string is sent as TEXT (:mod:`zmqprose.wire.literals`)."""
    try:
        check_numbers(value)
        return fmt.encode(as_sent(value), context)
    except ProseError:
        raise
    except Exception as error:
        raise ProseError(f"cannot write {shorten_json(value, showing.limit(VALUE_IN_ERROR))} as {fmt.name}: "
                         f"{describe_error(error)}") from None
