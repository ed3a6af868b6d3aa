"""What a message format is: how a value, written in a spec as JSON, goes on the wire and comes back.

A format is one frame (JSON, msgpack, a user's protobuf: the last frame of
a message) or a whole message (Jupyter: everything from ``<IDS|MSG>`` on).
The frames before it are the envelope: sent and checked only when a step
says ``with the envelope FRAMES``. The known formats are in the registry,
:mod:`zmqprose.wire.formats`.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from zmqprose.errors import ProseError, describe_error
from zmqprose.wire import frames as notation
from zmqprose.wire.frames import show_frame
from zmqprose.wire.matching import shorten_json
from zmqprose.wire.one_reading import Refused, check_numbers

DEFAULT_SIGNATURE_SCHEME = "hmac-sha256"  # how a Jupyter app signs, when its settings do not say


@dataclass(frozen=True)
class FormatContext:
    """What a format may need besides the value: a Jupyter key and session, from the app's settings."""

    key: bytes | None = None
    signature_scheme: str = DEFAULT_SIGNATURE_SCHEME
    session: str = ""
    username: str = "zmqprose"


class Format:
    """A format of one frame: the last frame of a message. Subclasses may take the whole message."""

    def __init__(self, name: str, encode: Callable[[Any], bytes], decode: Callable[[bytes], Any]) -> None:
        self.name = name
        self._encode = encode
        self._decode = decode

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
                 decode: Callable[[list[bytes]], Any]) -> None:
        super().__init__(name, encode, decode)  # type: ignore[arg-type]  # the frames, not one frame

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

    def __init__(self, fmt: Format, frames: Sequence[bytes], context: FormatContext) -> None:
        self.fmt, self.frames, self.context = fmt, frames, context

    def __str__(self) -> str:
        before, own = self.fmt.split(self.frames)
        try:
            value = decode_value(self.fmt, own, self.context, "the message")
        except ProseError:
            return notation.show_frames(list(self.frames))
        limit = notation.SHORTEN_AT and notation.SHORTEN_AT * 5  # a value reads longer than a frame; 0: in full
        parts = [repr(notation.show_frame(frame)) for frame in before]
        return "[" + ", ".join([*parts, f"{self.fmt.name} {shorten_json(value, limit or 1 << 30)}"]) + "]"


def in_format(fmt: Format, context: FormatContext) -> Callable[[list[bytes]], InFormat]:
    """How a step's messages are shown: in its format (see :class:`InFormat`)."""
    return lambda frames: InFormat(fmt, frames, context)


def needs(module: str, extra: str) -> Any:
    """Import the package a format needs, or say which ``pip install`` brings it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ProseError(f"this format needs the package '{module}': pip install \"zmqprose[{extra}]\"") from None


def decode_value(fmt: Format, frames: Sequence[bytes], context: FormatContext, where: str) -> Any:
    """The value of a received message in a format; a message that is not that format fails clearly, and
    one that reads two ways (a key twice, NaN: :mod:`zmqprose.wire.one_reading`) is refused, saying why."""
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
        shown = ", ".join(repr(show_frame(frame, 200)) for frame in frames[-3:])
        raise ProseError(f"{where} is refused as {fmt.name}: {error}: {shown}") from None
    except Exception as error:
        shown = ", ".join(repr(show_frame(frame, 200)) for frame in frames[-3:])
        raise ProseError(f"{where} is not a {fmt.name} message ({describe_error(error)}): {shown}") from None


def encode_value(fmt: Format, value: Any, context: FormatContext) -> list[bytes]:
    """The frames of a value in a format; a value the format cannot take fails clearly, and so does one that
    would be refused if it came back (NaN, an infinity: jupyter_client would send NaN as the text "nan")."""
    try:
        check_numbers(value)
        return fmt.encode(value, context)
    except ProseError:
        raise
    except Exception as error:
        raise ProseError(f"cannot write {json.dumps(value)[:200]} as {fmt.name}: {describe_error(error)}") from None
