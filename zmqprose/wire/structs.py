"""``struct:`` frames: binary headers written as Python's ``struct`` format and a JSON array of values.

``struct:>IQ? [7, 42, true]`` is the 13 bytes ``struct.pack(">IQ?", 7, 42, True)``.
Sent, the values are packed; expected, a received frame must have exactly
the format's size, and each unpacked value must match (markers work:
``struct:>IQ? ["#number", 42, false]``); shown, such a frame is unpacked the
same way. Text and ``hex:…`` values fill ``c``, ``s`` and ``p`` fields (UTF-8);
unpacked bytes read as text when they are UTF-8, else as ``hex:…``.

Each value must fit its field as written, or the frame is refused, naming
the frame, the format and the value: a whole number in range for an integer
field, a number in range for a float, ``true`` or ``false`` for ``?``, at most
the field's bytes for ``s`` and ``p`` (never cut short), one byte for ``c``.
Python's ``struct`` would take more (``"false"`` packs as true in a ``?``,
a longer text is cut to fit an ``s``); a spec means what it writes. The
values are JSON read one way only (:mod:`zmqprose.wire.one_reading`).
"""

from __future__ import annotations

import functools
import json
import re
import struct
import sys
from dataclasses import dataclass
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.limits import counted
from zmqprose.wire.one_reading import Refused, strict_loads

STRUCT_PREFIX = "struct:"
MAX_STRUCT_SIZE = 1 << 20  # bytes one struct: frame may pack to
HEX = "hex:"
BYTE_ORDERS = "@=<>!"
CODE = re.compile(r"(\d*)(\D)")
INTEGERS = "bBhHiIlLqQnNP"
FLOATS = "efd"
TEXTS = "csp"
LARGEST_FLOAT = {2: 65504.0, 4: 3.4028234663852886e38, 8: sys.float_info.max}  # e, f, d


class DoesNotFit(ValueError):
    """A value that its field does not take: what the field takes, in words."""


@dataclass(frozen=True)
class Field:
    """One value's place in a format: its code and, alone, how it packs (``>21s``, ``>I``)."""

    code: str
    packer: struct.Struct

    @property
    def length(self) -> int:
        """The bytes an ``s`` or ``p`` field holds (``p``: one of them is the length)."""
        return self.packer.size

    @property
    def room(self) -> int:
        """The bytes of text a ``c``, ``s`` or ``p`` field takes (a ``p`` field's first byte is the length)."""
        return {"c": 1, "s": self.length}.get(self.code, max(min(self.length - 1, 255), 0))

    def takes(self) -> str:
        """What the field takes, in words, for a value that does not fit."""
        if self.code in INTEGERS:
            low, high = integer_range(self.code, self.packer.size)
            return f"'{self.code}' takes a whole number from {low:,} to {high:,}"
        if self.code in FLOATS:
            return f"'{self.code}' takes a number of at most ±{LARGEST_FLOAT[self.packer.size]:.5g}"
        if self.code == "?":
            return "'?' takes true or false"
        if self.code == "c":
            return "'c' takes one byte: a character, or hex: and two digits"
        if self.code == "s":
            return (f"'{self.length}s' takes text or hex:… of at most {counted(self.length, 'byte')} "
                    f"(a shorter one is padded with zero bytes)")
        return f"'{self.length}p' takes text or hex:… of at most {counted(self.room, 'byte')}"

    def value(self, written: Any) -> Any:
        """A written (JSON) value as ``struct`` packs it into this field; :class:`DoesNotFit` if it does not."""
        if self.code in INTEGERS:
            fits = type(written) is int
        elif self.code in FLOATS:
            fits = type(written) in (int, float)
        elif self.code == "?":
            fits = type(written) is bool
        else:
            fits = isinstance(written, str)
        if not fits:
            raise DoesNotFit(self.takes())
        if self.code in TEXTS:
            return self._text_value(written)
        try:
            self.packer.pack(written)
        except (struct.error, OverflowError, ValueError, TypeError):
            raise DoesNotFit(self.takes()) from None
        return written

    def _text_value(self, written: str) -> bytes:
        data = text_bytes(written)
        if len(data) > self.room or (self.code == "c" and len(data) != 1):
            raise DoesNotFit(f"{self.takes()}, not {len(data):,}")
        return data

    def as_unpacked(self, written: Any) -> Any:
        """A written value as it reads once packed and unpacked (``"ab"`` in ``4s`` is ``"ab\\u0000\\u0000"``,
        ``0.1`` in ``f`` a float near it, ``"hex:41"`` is ``"A"``): what a received frame is compared with."""
        return shown_value(self.packer.unpack(self.packer.pack(self.value(written)))[0])


@dataclass(frozen=True)
class StructFrame:
    """A ``struct:FORMAT VALUES`` frame, read: its format, a field per value, and the values as written."""

    written: str
    packer: struct.Struct
    fields: tuple[Field, ...]
    values: tuple[Any, ...]

    @property
    def layout(self) -> str:
        return self.packer.format

    def misfit(self, index: int, reason: str) -> ProseError:
        """The error for value ``index`` that does not fit its field."""
        value = json.dumps(self.values[index], ensure_ascii=False)
        value = value if len(value) <= 60 else f"{value[:50]}…"
        return ProseError(f"frame {self.written!r}: value {index} ({value}) does not fit the format "
                          f"{self.layout!r}: {reason}")

    def field_value(self, index: int) -> Any:
        """Value ``index`` as its field packs it; a value that does not fit is a clear error."""
        try:
            return self.fields[index].value(self.values[index])
        except DoesNotFit as error:
            raise self.misfit(index, str(error)) from None

    def expected_value(self, index: int) -> Any:
        """Value ``index`` as a received frame's would read if it were the same (see :meth:`Field.as_unpacked`)."""
        try:
            return self.fields[index].as_unpacked(self.values[index])
        except DoesNotFit as error:
            raise self.misfit(index, str(error)) from None

    def pack(self) -> bytes:
        """The frame's bytes (its values literal: no markers)."""
        values = [self.field_value(index) for index in range(len(self.fields))]
        try:
            return self.packer.pack(*values)
        except (struct.error, OverflowError, ValueError, TypeError) as error:  # each field fits: not expected
            raise ProseError(f"frame {self.written!r}: the values do not fit the format {self.layout!r}: "
                             f"{error}") from None


def integer_range(code: str, size: int) -> tuple[int, int]:
    """The whole numbers an integer field of ``size`` bytes holds (lower-case codes are signed)."""
    if code.islower():
        return -(1 << (8 * size - 1)), (1 << (8 * size - 1)) - 1
    return 0, (1 << (8 * size)) - 1


def is_struct_frame(frame: object) -> bool:
    """Whether a written frame is ``struct:FORMAT VALUES``."""
    return isinstance(frame, str) and frame.startswith(STRUCT_PREFIX)


def split_struct_frame(frame: str) -> tuple[str, str]:
    """A ``struct:`` frame's format and its values' text, as written."""
    layout, _, values_text = frame[len(STRUCT_PREFIX):].strip().partition(" ")
    return layout, values_text


@functools.lru_cache(maxsize=256)
def fields_of(layout: str) -> tuple[struct.Struct, tuple[Field, ...]]:
    """A format and its fields, one per value (``x`` pads have none; ``3I`` is three, ``21s`` one);
    ``struct.error`` or ``ValueError`` for a format that is not one."""
    packer = struct.Struct(layout)
    if packer.size > MAX_STRUCT_SIZE:
        return packer, ()
    order, codes = (layout[0], layout[1:]) if layout and layout[0] in BYTE_ORDERS else ("@", layout)
    fields: list[Field] = []
    for count, code in CODE.findall("".join(codes.split())):
        if code == "p" and count and int(count) == 0:
            raise ValueError("a '0p' field has no room for its length byte (Python's struct cannot unpack it): "
                             "write 1p or more")
        if code in "sp":
            fields.append(Field(code, struct.Struct(f"{order}{count}{code}")))
        elif code != "x":
            fields.extend([Field(code, struct.Struct(order + code))] * int(count or 1))
    return packer, tuple(fields)


def read_struct_frame(frame: str) -> StructFrame:
    """A ``struct:FORMAT VALUES`` frame read; a clear error, naming the frame, for one written wrongly."""
    layout, values_text = split_struct_frame(frame)
    try:
        packer, fields = fields_of(layout)
    except (struct.error, ValueError) as error:
        raise ProseError(f"frame {frame!r}: {layout!r} is not a struct format ({error}); write e.g. "
                         f"'struct:>IQ? [7, 42, true]' (Python's struct module)") from None
    if packer.size > MAX_STRUCT_SIZE:
        raise ProseError(f"frame {frame!r}: the format packs {packer.size:,} bytes, more than {MAX_STRUCT_SIZE:,}")
    values = read_values(frame, layout, values_text)
    if len(values) != len(fields):
        raise ProseError(f"frame {frame!r}: the format {layout!r} has {len(fields)} field(s), the array "
                         f"{len(values)}")
    return StructFrame(frame, packer, fields, tuple(values))


def read_values(frame: str, layout: str, values_text: str) -> list[Any]:
    """The JSON array of a ``struct:`` frame's values, read one way only."""
    try:
        values = strict_loads(values_text)
    except Refused as error:
        raise ProseError(f"frame {frame!r}: its values are refused as JSON: {error}") from None
    except RecursionError:
        raise ProseError(f"frame {frame!r}: its values are nested too deeply to read") from None
    except ValueError:
        values = None
    if not isinstance(values, list):
        raise ProseError(f"frame {frame!r}: after the format comes a JSON array of its values, e.g. "
                         f"'struct:{layout} [7, 42, true]'")
    return values


def parse_struct_frame(frame: str) -> tuple[struct.Struct, list[Any]]:
    """The format and the values of a ``struct:FORMAT VALUES`` frame; a clear error for anything else."""
    read = read_struct_frame(frame)
    return read.packer, list(read.values)


def pack_struct_frame(frame: str) -> bytes:
    """The bytes of a ``struct:`` frame to send (its values literal: no markers)."""
    return read_struct_frame(frame).pack()


def unpack_struct(packer: struct.Struct, data: bytes) -> list[Any] | None:
    """The values of ``data`` in a format, JSON-like (bytes as text or ``hex:…``); None if the size differs."""
    if len(data) != packer.size:
        return None
    return [shown_value(value) for value in packer.unpack(data)]


def show_struct(frame: str, data: bytes) -> str | None:
    """``data`` unpacked in the format of an expected ``struct:`` frame (``struct:>IQ? [7, 42, true]``),
    or None if it cannot be (a bad format, another size)."""
    try:
        packer, _ = parse_struct_frame(frame)
    except ProseError:
        return None
    values = unpack_struct(packer, data)
    return None if values is None else f"{STRUCT_PREFIX}{packer.format} {json.dumps(values, ensure_ascii=False)}"


def text_bytes(value: str) -> bytes:
    """The bytes a text value stands for: ``hex:…`` decoded, other text as UTF-8."""
    if not value.startswith(HEX):
        return value.encode("utf-8")
    try:
        return bytes.fromhex(value[len(HEX):])
    except ValueError:
        raise DoesNotFit(f"{value[:40]!r} is not valid hex: write an even number of hex digits after 'hex:'") \
            from None


def shown_value(value: Any) -> Any:
    """An unpacked value as JSON shows it: bytes as their text if UTF-8, else ``hex:…``."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return HEX + value.hex()
    return value
