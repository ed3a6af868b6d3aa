"""Frames: how text becomes bytes on the wire, and how bytes read in a log.

Messages are bytes on the wire; text is UTF-8 at the edges only. A text frame
written ``hex:0a0bff`` stands for those raw bytes, and one written
``struct:>IQ? [7, 42, true]`` for those values packed by Python's ``struct``
(:mod:`zmqprose.wire.structs`), so that specs can send and expect binary frames.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from zmqprose.errors import ProseError
from zmqprose.wire.masking import mask_bytes, safe_cut
from zmqprose.wire.structs import STRUCT_PREFIX, is_struct_frame, pack_struct_frame, show_struct

Frame = str | bytes
HEX_PREFIX = "hex:"
BINARY_PREFIXES = (HEX_PREFIX, STRUCT_PREFIX)  # a text frame that starts so stands for bytes
SHORTEN_FRAMES_AT = 80  # characters of one frame shown, by default (a run's choice is its Showing)
MAX_FRAMES = 10  # frames of one message shown, by default


@dataclass(frozen=True)
class Showing:
    """How frames read for a person: shortened (the default), or whole (``-D show_frames=full``).

    A run's choice, handed down with its options (its action log's ``showing``), never a module's state.
    """

    shorten_at: int = SHORTEN_FRAMES_AT  # characters of one frame shown; 0: all of them
    max_frames: int = MAX_FRAMES  # frames of one message shown

    def limit(self, shortened: int) -> int:
        """How many characters of a text (a value, a frame in an error) are shown where a shortened run shows
        ``shortened``: those, or all of them (0) when this run shows frames in full."""
        return shortened if self.shorten_at else 0


SHORTENED = Showing()
IN_FULL = Showing(0, 1_000_000)


class FrameStart(bytes):
    """The start of a long frame, kept (in a log, a story) instead of the whole; ``size`` is the whole's."""

    size: int

    def __new__(cls, start: bytes, size: int) -> FrameStart:
        kept = super().__new__(cls, start)
        kept.size = size
        return kept


class MessageStart(list[bytes]):
    """The first frames of a message of many, kept instead of all; ``frame_count`` is how many it had."""

    def __init__(self, frames: Iterable[bytes], frame_count: int) -> None:
        super().__init__(frames)
        self.frame_count = frame_count


def frame_size(frame: bytes) -> int:
    """The size of a frame as it was on the wire, also when only its start was kept."""
    return frame.size if isinstance(frame, FrameStart) else len(frame)


def frame_count(frames: Sequence[bytes]) -> int:
    """How many frames a message had, also when only its first ones were kept."""
    return frames.frame_count if isinstance(frames, MessageStart) else len(frames)


def cut_frames(frames: Sequence[bytes], frame_bytes: int, max_frames: int) -> Sequence[bytes]:
    """A message as a log keeps it: ``frames`` themselves when each is at most ``frame_bytes`` long and they
    are at most ``max_frames``; else its first frames, each long one as its start (a :class:`FrameStart`).

    A start is cut before a secret that runs across the cut, so that it keeps no part of one that its mask
    would not know.
    """
    if len(frames) <= max_frames and max(map(len, frames), default=0) <= frame_bytes:
        return frames
    kept = [frame if len(frame) <= frame_bytes
            else FrameStart(frame[:safe_cut(frame, frame_bytes)], frame_size(frame))
            for frame in frames[:max_frames]]
    return MessageStart(kept, frame_count(frames))


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


def show_frame(frame: bytes, shorten_at: int | None = None, showing: Showing = SHORTENED) -> str:
    """A frame for a person: its text if it is UTF-8, else ``hex:…``; long ones shortened (as ``showing``
    says, or at ``shorten_at`` characters), and a kept start (:class:`FrameStart`) always, with its size.

    Secrets are masked first, so that neither the cut nor the hex shows a
    part of one. Callers quote it with ``repr``, which escapes tabs and newlines.
    """
    limit = showing.shorten_at if shorten_at is None else shorten_at
    size = frame_size(frame)
    cut = size > len(frame)
    frame = mask_bytes(frame)
    text = start_text(frame) if cut else frame_text(frame)
    shown = HEX_PREFIX + frame.hex() if text is None else text
    if limit and len(shown) > limit:
        shown = f"{shown[:max(limit - 20, 10)]}…({size} bytes)"
    elif cut:
        shown = f"{shown}…({size} bytes)"
    return shown


def start_text(start: bytes) -> str | None:
    """The start of a frame as text if it is UTF-8 (its last character may have been cut), else None."""
    for end in range(len(start), max(len(start) - 4, 0), -1):
        if (text := frame_text(start[:end])) is not None:
            return text
    return frame_text(start)


def show_frames(frames: Sequence[bytes] | None, showing: Showing = SHORTENED) -> str:
    """A message for a person, as a list of shown frames: ``['PONG', '42']``."""
    if frames is None:
        return "(none)"
    shown = [show_frame(frame, showing=showing) for frame in frames[:showing.max_frames]]
    return "[" + ", ".join(repr(frame) for frame in shown) + more_frames(frames, len(shown)) + "]"


def more_frames(frames: Sequence[bytes], shown: int) -> str:
    """What a shown message says of the frames it leaves out."""
    more = frame_count(frames) - shown
    return f", … {more} more frames" if more > 0 else ""


def show_frame_as(expected: Frame, actual: bytes, showing: Showing = SHORTENED) -> str:
    """A received frame as the spec would read it: unpacked like the ``struct:`` frame it was expected to be,
    else as :func:`show_frame` shows it."""
    if is_struct_frame(expected) and (shown := show_struct(str(expected), mask_bytes(actual))) is not None:
        return shown
    return show_frame(actual, showing=showing)


def show_frames_as(expected: Sequence[Frame], actual: Sequence[bytes], showing: Showing = SHORTENED) -> str:
    """A received message as the spec would read it: each frame shown like the expected one at its place."""
    if not any(is_struct_frame(frame) for frame in expected):
        return show_frames(actual, showing)
    shown = [show_frame_as(expected[index] if index < len(expected) else "", frame, showing)
             for index, frame in enumerate(actual[:showing.max_frames])]
    return "[" + ", ".join(repr(frame) for frame in shown) + more_frames(actual, len(shown)) + "]"
