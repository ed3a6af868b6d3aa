"""msgpack (``pip install "zmqprose[msgpack]"``): one frame, the value written in a spec as JSON.

Bytes have no JSON form, so a JSON string ``"hex:0aff"`` is sent as msgpack
bin, and a received bin shows as ``"hex:…"``: it can be matched, stored and
sent back unchanged (a zerorpc message id, for one).

msgpack's extension types have no JSON form either: a Timestamp (ext type
-1) shows as ISO 8601 text (``"2026-12-02T10:15:00.5Z"``), any other as
``{"ext": CODE, "data": "hex:…"}``, so that a report can show it and a
marker can match it.

A map read two ways is refused (:mod:`zmqprose.wire.one_reading`): a key
twice, or two keys that read the same as JSON (``1`` and ``"1"``); so is a
NaN or an infinite float (by :func:`zmqprose.wire.format.decode_value`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zmqprose.wire.format import Format, FormatContext, needs
from zmqprose.wire.frames import HEX_PREFIX, decode_hex
from zmqprose.wire.one_reading import unique_keys


class Pairs(list[tuple[Any, Any]]):
    """A msgpack map as it was read: its (key, value) pairs in order, every one kept (a dict would keep
    only the last of two equal keys)."""


def to_wire(value: Any) -> Any:
    """A spec's value as msgpack takes it: ``"hex:…"`` strings become bytes."""
    if isinstance(value, str) and value.startswith(HEX_PREFIX):
        return decode_hex(value)
    if isinstance(value, list):
        return [to_wire(item) for item in value]
    if isinstance(value, dict):
        return {to_wire(key): to_wire(item) for key, item in value.items()}
    return value


def from_wire(value: Any) -> Any:
    """A received msgpack value as JSON shows it: bytes as ``"hex:…"``, tuples as lists, keys as text,
    extension types as above; a map with a key twice (as JSON reads its keys) is refused."""
    if isinstance(value, (bytes, bytearray)):
        return HEX_PREFIX + bytes(value).hex()
    if hasattr(value, "to_datetime") and hasattr(value, "nanoseconds"):  # msgpack.Timestamp
        try:
            return value.to_datetime().isoformat().replace("+00:00", "Z")
        except (OverflowError, ValueError, OSError):  # past what a datetime holds
            return {"ext": -1, "seconds": value.seconds, "nanoseconds": value.nanoseconds}
    if type(value).__name__ == "ExtType":  # msgpack.ExtType: (code, data)
        code, data = value
        return {"ext": code, "data": HEX_PREFIX + bytes(data).hex()}
    if isinstance(value, (Pairs, dict)):
        pairs = value.items() if isinstance(value, dict) else value
        return unique_keys((key if isinstance(key, str) else str(from_wire(key)), from_wire(item))
                           for key, item in pairs)
    if isinstance(value, (list, tuple)):
        return [from_wire(item) for item in value]
    return value


class MsgpackFormat(Format):
    """msgpack in the last frame of a message."""

    def __init__(self) -> None:
        self.msgpack = needs("msgpack", "msgpack")
        super().__init__("msgpack", self._pack, self._unpack)

    def _pack(self, value: Any) -> bytes:
        return bytes(self.msgpack.packb(to_wire(value), use_bin_type=True))

    def _unpack(self, frame: bytes) -> Any:
        return from_wire(self.msgpack.unpackb(frame, raw=False, strict_map_key=False, object_pairs_hook=Pairs))

    def decode(self, frames: Sequence[bytes], context: FormatContext) -> Any:
        return self._unpack(frames[-1])
