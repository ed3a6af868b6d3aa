"""Frames: how text becomes bytes on the wire, and how bytes read in a log.

Messages are bytes on the wire; text is UTF-8 at the edges only. A text frame
written ``hex:0a0bff`` stands for those raw bytes, and one written
``struct:>IQ? [7, 42, true]`` for those values packed by Python's ``struct``
(:mod:`zmqprose.wire.structs`), so that specs can send and expect binary frames.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from zmqprose.errors import ProseError
from zmqprose.wire.masking import mask_bytes
from zmqprose.wire.structs import STRUCT_PREFIX, is_struct_frame, pack_struct_frame, show_struct

Frame = str | bytes
HEX_PREFIX = "hex:"
BINARY_PREFIXES = (HEX_PREFIX, STRUCT_PREFIX)  # a text frame that starts so stands for bytes
SHORTEN_FRAMES_AT = 80  # characters of one frame shown
MAX_FRAMES = 10  # frames of one message shown
SHORTEN_AT, MAX_FRAMES_SHOWN = SHORTEN_FRAMES_AT, MAX_FRAMES


def encode_frame(frame: Frame) -> bytes:
    """One frame as bytes: ``bytes`` as they are, ``hex:…`` decoded, ``struct:…`` packed, text as UTF-8."""
    if isinstance(frame, bytes):
        return frame
    if isinstance(frame, str):
        if frame.startswith(HEX_PREFIX):
            return decode_hex(frame)
        if frame.startswith(STRUCT_PREFIX):
            return pack_struct_frame(frame)
        return frame.encode("utf-8")
    raise ProseError(f"a frame must be text or bytes, not {type(frame).__name__}: {frame!r}")


def encode_frames(frames: Iterable[Frame]) -> list[bytes]:
    """Every frame of a message as bytes (see :func:`encode_frame`)."""
    return [frame.encode("utf-8") if type(frame) is str and not frame.startswith(BINARY_PREFIXES)
            else encode_frame(frame) for frame in frames]  # the usual frame, text, without a call per frame


def decode_hex(frame: str) -> bytes:
    """The bytes of a ``hex:…`` frame; a clear error when the digits are wrong."""
    digits = frame[len(HEX_PREFIX):]
    try:
        return bytes.fromhex(digits)
    except ValueError:
        raise ProseError(
            f"frame {frame!r} is not valid hex: write an even number of hex digits "
            f"after 'hex:', e.g. hex:00ff"
        ) from None


def frame_text(frame: bytes) -> str | None:
    """The frame as text if it is UTF-8, else None."""
    try:
        return frame.decode("utf-8")
    except UnicodeDecodeError:
        return None


def show_frame(frame: bytes, shorten_at: int | None = None) -> str:
    """A frame for a person: its text if it is UTF-8, else ``hex:…``; long ones shortened.

    Secrets are masked first, so that neither the cut nor the hex shows a
    part of one. Callers quote it with ``repr``, which escapes tabs and newlines.
    """
    limit = SHORTEN_AT if shorten_at is None else shorten_at
    frame = mask_bytes(frame)
    text = frame_text(frame)
    shown = HEX_PREFIX + frame.hex() if text is None else text
    if limit and len(shown) > limit:
        shown = f"{shown[:max(limit - 20, 10)]}…({len(frame)} bytes)"
    return shown


def show_frames(frames: Sequence[bytes] | None) -> str:
    """A message for a person, as a list of shown frames: ``['PONG', '42']``."""
    if frames is None:
        return "(none)"
    shown = [show_frame(frame) for frame in frames[:MAX_FRAMES_SHOWN]]
    more = f", … {len(frames) - MAX_FRAMES_SHOWN} more frames" if len(frames) > MAX_FRAMES_SHOWN else ""
    return "[" + ", ".join(repr(frame) for frame in shown) + more + "]"


def show_frame_as(expected: Frame, actual: bytes) -> str:
    """A received frame as the spec would read it: unpacked like the ``struct:`` frame it was expected to be,
    else as :func:`show_frame` shows it."""
    if is_struct_frame(expected) and (shown := show_struct(str(expected), mask_bytes(actual))) is not None:
        return shown
    return show_frame(actual)


def show_frames_as(expected: Sequence[Frame], actual: Sequence[bytes]) -> str:
    """A received message as the spec would read it: each frame shown like the expected one at its place."""
    if not any(is_struct_frame(frame) for frame in expected):
        return show_frames(actual)
    shown = [show_frame_as(expected[index] if index < len(expected) else "", frame)
             for index, frame in enumerate(actual[:MAX_FRAMES_SHOWN])]
    more = f", … {len(actual) - MAX_FRAMES_SHOWN} more frames" if len(actual) > MAX_FRAMES_SHOWN else ""
    return "[" + ", ".join(repr(frame) for frame in shown) + more + "]"


def show_in_full(full: bool) -> None:
    """Show whole frames in logs and failures (``-D show_frames=full``), or shorten them again."""
    global SHORTEN_AT, MAX_FRAMES_SHOWN
    SHORTEN_AT, MAX_FRAMES_SHOWN = (0, 1_000_000) if full else (SHORTEN_FRAMES_AT, MAX_FRAMES)
