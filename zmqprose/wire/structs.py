"""``struct:`` frames: binary headers written as Python's ``struct`` format and a JSON array of values.

``struct:>IQ? [7, 42, true]`` is the 13 bytes ``struct.pack(">IQ?", 7, 42, True)``.
Sent, the values are packed; expected, a received frame must have exactly
the format's size, and each unpacked value must match (markers work:
``struct:>IQ? ["#number", 42, false]``); shown, such a frame is unpacked the
same way. Text and ``hex:…`` values fill ``s`` and ``p`` fields (UTF-8);
unpacked bytes read as text when they are UTF-8, else as ``hex:…``.
"""

from __future__ import annotations

import json
import struct
from typing import Any

from zmqprose.errors import ProseError

STRUCT_PREFIX = "struct:"
MAX_STRUCT_SIZE = 1 << 20  # bytes one struct: frame may pack to
HEX = "hex:"


def is_struct_frame(frame: object) -> bool:
    """Whether a written frame is ``struct:FORMAT VALUES``."""
    return isinstance(frame, str) and frame.startswith(STRUCT_PREFIX)


def parse_struct_frame(frame: str) -> tuple[struct.Struct, list[Any]]:
    """The format and the values of a ``struct:FORMAT VALUES`` frame; a clear error for anything else."""
    written = frame[len(STRUCT_PREFIX):]
    layout, _, values_text = written.strip().partition(" ")
    try:
        packer = struct.Struct(layout)
    except struct.error as error:
        raise ProseError(f"frame {frame!r}: {layout!r} is not a struct format ({error}); write e.g. "
                         f"'struct:>IQ? [7, 42, true]' (Python's struct module)") from None
    if packer.size > MAX_STRUCT_SIZE:
        raise ProseError(f"frame {frame!r}: the format packs {packer.size:,} bytes, more than {MAX_STRUCT_SIZE:,}")
    try:
        values = json.loads(values_text)
    except ValueError:
        values = None
    if not isinstance(values, list):
        raise ProseError(f"frame {frame!r}: after the format comes a JSON array of its values, e.g. "
                         f"'struct:{layout} [7, 42, true]'")
    fields = len(packer.unpack(bytes(packer.size)))
    if len(values) != fields:
        raise ProseError(f"frame {frame!r}: the format {layout!r} has {fields} field(s), the array {len(values)}")
    return packer, values


def pack_struct_frame(frame: str) -> bytes:
    """The bytes of a ``struct:`` frame to send (its values literal: no markers)."""
    packer, values = parse_struct_frame(frame)
    try:
        return packer.pack(*(_field_value(value) for value in values))
    except struct.error as error:
        raise ProseError(f"frame {frame!r}: the values do not fit the format: {error}") from None


def unpack_struct(packer: struct.Struct, data: bytes) -> list[Any] | None:
    """The values of ``data`` in a format, JSON-like (bytes as text or ``hex:…``); None if the size differs."""
    if len(data) != packer.size:
        return None
    return [_shown_value(value) for value in packer.unpack(data)]


def show_struct(frame: str, data: bytes) -> str | None:
    """``data`` unpacked in the format of an expected ``struct:`` frame (``struct:>IQ? [7, 42, true]``),
    or None if it cannot be (a bad format, another size)."""
    try:
        packer, _ = parse_struct_frame(frame)
    except ProseError:
        return None
    values = unpack_struct(packer, data)
    return None if values is None else f"{STRUCT_PREFIX}{packer.format} {json.dumps(values, ensure_ascii=False)}"


def _field_value(value: Any) -> Any:
    if isinstance(value, str):
        if value.startswith(HEX):
            try:
                return bytes.fromhex(value[len(HEX):])
            except ValueError:
                raise ProseError(f"{value!r} is not valid hex: write an even number of hex digits after 'hex:'") \
                    from None
        return value.encode("utf-8")
    return value


def _shown_value(value: Any) -> Any:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return HEX + value.hex()
    return value
