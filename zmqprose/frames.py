"""Frames: how text becomes bytes on the wire, and how bytes read in a log.

Messages are bytes on the wire; text is UTF-8 at the edges only. A text frame
written ``hex:0a0bff`` stands for those raw bytes, so that specs can send and
expect binary frames.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from zmqprose.errors import ProseError

Frame = str | bytes
HEX_PREFIX = "hex:"
SHORTEN_AT = 80


def encode_frame(frame: Frame) -> bytes:
    """One frame as bytes: ``bytes`` as they are, ``hex:…`` decoded, text as UTF-8."""
    if isinstance(frame, bytes):
        return frame
    if isinstance(frame, str):
        if frame.startswith(HEX_PREFIX):
            return decode_hex(frame)
        return frame.encode("utf-8")
    raise ProseError(f"a frame must be text or bytes, not {type(frame).__name__}: {frame!r}")


def encode_frames(frames: Iterable[Frame]) -> list[bytes]:
    """Every frame of a message as bytes (see :func:`encode_frame`)."""
    return [encode_frame(frame) for frame in frames]


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


def show_frame(frame: bytes, shorten_at: int = SHORTEN_AT) -> str:
    """A frame for a person: its text if it is printable UTF-8, else ``hex:…``; long ones shortened."""
    text = frame_text(frame)
    shown = HEX_PREFIX + frame.hex() if text is None or not text.isprintable() else text
    if len(shown) > shorten_at:
        shown = f"{shown[:shorten_at - 20]}…({len(frame)} bytes)"
    return shown


def show_frames(frames: Sequence[bytes] | None) -> str:
    """A message for a person, as a list of shown frames: ``['PONG', '42']``."""
    if frames is None:
        return "(none)"
    shown = [show_frame(frame) for frame in frames[:10]]
    more = f", … {len(frames) - 10} more frames" if len(frames) > 10 else ""
    return "[" + ", ".join(repr(frame) for frame in shown) + more + "]"
