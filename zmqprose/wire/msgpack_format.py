"""msgpack (``pip install "zmqprose[msgpack]"``): one frame, the value written in a spec as JSON.

Bytes have no JSON form, so a JSON string ``"hex:0aff"`` is sent as msgpack
bin, and a received bin shows as ``"hex:…"``: it can be matched, stored and
sent back unchanged (a zerorpc message id, for one). ``"#literal hex:0aff"``
is the text itself, sent as str (:mod:`zmqprose.wire.literals`).

msgpack's extension types have no JSON form either: a Timestamp (ext type
-1) shows as ISO 8601 text (``"2026-12-02T10:15:00.5Z"``), any other as
``{"ext": CODE, "data": "hex:…"}``, so that a report can show it and a
marker can match it.

A map read two ways is refused (:mod:`zmqprose.wire.one_reading`): a key
twice, or two keys that read the same as JSON (``1`` and ``"1"``); so is a
NaN or an infinite float (by :func:`zmqprose.wire.format.decode_value`).

Real services write msgpack in older ways, and a project registers a variant
that reads them (:func:`zmqprose.wire.format_registry.register_msgpack`), with
msgpack's own options:

- ``raw=True``: bytes are written as msgpack str, as msgpack did before it
  had bin (``use_bin_type=False``; Salt): a received str that is not UTF-8
  is bytes, shown ``"hex:…"``, and ``"hex:…"`` is sent as a str of those bytes;
- ``nested=["load"]``: the bytes at a field (dotted paths: ``load``,
  ``load.data``, ``0.body``) are msgpack themselves, read as their value and
  written back as bytes; a message without that field is read as it is.

A received message that cannot be read says where: ``the str at $.load is
not UTF-8 text (byte 0x82 at 0)``, ``the nested msgpack at $.load: …``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zmqprose.limits import counted
from zmqprose.wire.format import Format, FormatContext, needs
from zmqprose.wire.frames import HEX_PREFIX, decode_hex
from zmqprose.wire.literals import Binary, Literal
from zmqprose.wire.one_reading import unique_keys

Path = tuple[str, ...]


class Pairs(list[tuple[Any, Any]]):
    """A msgpack map as it was read: its (key, value) pairs in order, every one kept (a dict would keep
    only the last of two equal keys)."""


class NotRead(ValueError):
    """A msgpack value that cannot be read, saying where in the message."""


def to_wire(value: Any) -> Any:
    """A spec's value as msgpack takes it: ``"hex:…"`` strings become bytes; a :class:`Literal` stays text."""
    if isinstance(value, str):
        if value.startswith(HEX_PREFIX) and not isinstance(value, Literal):
            return decode_hex(value)
        return str(value)
    if isinstance(value, list):
        return [to_wire(item) for item in value]
    if isinstance(value, dict):
        return {to_wire(key): to_wire(item) for key, item in value.items()}
    return value


def is_text(value: str) -> bool:
    """Whether a received str is UTF-8 text (not bytes that a raw writer put in a str)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: the bytes that were not UTF-8 (surrogateescape)
        return False
    return True


def raw_bytes(value: str) -> bytes:
    """The bytes of a received str, as they were on the wire."""
    return value.encode("utf-8", "surrogateescape")


class Reader:
    """Reads an unpacked msgpack value into its JSON form, with a variant's options, knowing where it is."""

    def __init__(self, raw: bool, nested: frozenset[Path], unpack: Any = None) -> None:
        """``unpack``: how bytes are unpacked (for a nested payload, and to tell whether bytes are msgpack)."""
        self.raw, self.nested, self.unpack = raw, nested, unpack

    def read(self, value: Any, steps: Path, path: str) -> Any:
        """``value`` (at ``steps`` in the message, shown as ``path``) as JSON shows it."""
        if steps in self.nested and isinstance(value, (bytes, bytearray, str)):
            value = self.nested_value(raw_bytes(value) if isinstance(value, str) else bytes(value), path)
        if isinstance(value, str):
            return self.text(value, path)
        if isinstance(value, (bytes, bytearray)):
            return Binary(HEX_PREFIX + bytes(value).hex())
        if hasattr(value, "to_datetime") and hasattr(value, "nanoseconds"):  # msgpack.Timestamp
            try:
                return value.to_datetime().isoformat().replace("+00:00", "Z")
            except (OverflowError, ValueError, OSError):  # past what a datetime holds
                return {"ext": -1, "seconds": value.seconds, "nanoseconds": value.nanoseconds}
        if type(value).__name__ == "ExtType":  # msgpack.ExtType: (code, data)
            code, data = value
            return {"ext": code, "data": HEX_PREFIX + bytes(data).hex()}
        if isinstance(value, (Pairs, dict)):
            return self.map(value.items() if isinstance(value, dict) else value, steps, path)
        if isinstance(value, (list, tuple)):
            return [self.read(item, (*steps, str(index)), f"{path}[{index}]") for index, item in enumerate(value)]
        return value

    def nested_value(self, data: bytes, path: str) -> Any:
        """The msgpack value that the bytes at ``path`` hold (a field the variant says is nested)."""
        try:
            return self.unpack(data)
        except Exception as error:
            raise NotRead(f"the nested msgpack at {path} cannot be read: {describe(error, data)}") from None

    def map(self, pairs: Any, steps: Path, path: str) -> dict[str, Any]:
        """A map's pairs as a JSON object: keys as text (each once), values read where they are."""
        read = []
        for key, item in pairs:
            name = key if isinstance(key, str) and is_text(key) else str(self.read(key, (), f"a key of {path}"))
            read.append((name, self.read(item, (*steps, name), f"{path}.{name}")))
        return unique_keys(read)

    def text(self, value: str, path: str) -> str:
        """A received str: its text, or (not UTF-8) its bytes as ``hex:…`` when the variant reads raw strings."""
        if is_text(value):
            return value
        data = raw_bytes(value)
        if self.raw:
            return Binary(HEX_PREFIX + data.hex())
        try:
            data.decode("utf-8")
            at = 0
        except UnicodeDecodeError as error:
            at = error.start
        raise NotRead(f"the str at {path} is not UTF-8 text (byte 0x{data[at]:02x} at {at} of its {len(data)}): "
                      f"it holds bytes, as msgpack written before bin (or with use_bin_type=False) does"
                      f"{self.hint(data, path)}")

    def hint(self, data: bytes, path: str) -> str:
        """What a project registers to read such a message: raw strings, and the field nested if it is msgpack."""
        field = path.removeprefix("$").replace("[", ".").replace("]", "").lstrip(".")
        try:
            self.unpack(data)
            nested = bool(field) and not field.startswith("a key")
        except Exception:
            nested = False
        options = "raw=True" + (f', nested=["{field}"]' if nested else "")
        why = f"; they are msgpack themselves, nested at {field}" if nested else ""
        return f"{why}: read such messages with a variant, e.g. zmqprose.formats.register_msgpack(\"NAME\", {options})"


def describe(error: Exception, data: bytes) -> str:
    """A msgpack reader's error in words that say where in the bytes."""
    extra = getattr(error, "extra", None)
    if isinstance(extra, (bytes, bytearray)):
        return (f"{counted(len(extra), 'byte is', 'bytes are')} left after the msgpack value, which ends at byte "
                f"{len(data) - len(extra)}")
    text = str(error) or type(error).__name__
    return f"{text} ({counted(len(data), 'byte')}, starting {data[:8].hex()})"


class MsgpackFormat(Format):
    """msgpack in the last frame of a message; a variant reads raw strings, or msgpack nested in a field."""

    def __init__(self, name: str = "msgpack", raw: bool = False, nested: Sequence[str] = ()) -> None:
        self.msgpack = needs("msgpack", "msgpack")
        super().__init__(name, self._pack, self._unpack)
        self.raw = raw
        self.nested = [tuple(path.split(".")) for path in nested]
        self._reader = Reader(raw, frozenset(self.nested), self._unpack_bytes)

    def _pack(self, value: Any) -> bytes:
        wire = to_wire(value)
        for steps in sorted(self.nested, key=len, reverse=True):  # the innermost first: the outer packs it whole
            wire = self._pack_at(wire, steps)
        return bytes(self.msgpack.packb(wire, use_bin_type=not self.raw))

    def _pack_at(self, value: Any, steps: Path) -> Any:
        """``value`` with the value at ``steps`` packed into bytes (not there, or bytes already: as it is)."""
        if not steps:
            return value if isinstance(value, bytes) else bytes(self.msgpack.packb(value, use_bin_type=not self.raw))
        step, rest = steps[0], steps[1:]
        if isinstance(value, dict) and step in value:
            return {**value, step: self._pack_at(value[step], rest)}
        if isinstance(value, list) and step.isdigit() and int(step) < len(value):
            index = int(step)
            return [*value[:index], self._pack_at(value[index], rest), *value[index + 1:]]
        return value

    def _unpack_bytes(self, frame: bytes) -> Any:
        return self.msgpack.unpackb(frame, raw=False, unicode_errors="surrogateescape", strict_map_key=False,
                                    object_pairs_hook=Pairs)

    def _unpack(self, frame: bytes) -> Any:
        try:
            if not self.raw and not self.nested:
                try:  # the usual message: strict, at C speed
                    value = self.msgpack.unpackb(frame, raw=False, strict_map_key=False, object_pairs_hook=Pairs)
                except UnicodeDecodeError:
                    value = self._unpack_bytes(frame)  # read again, to say where the str that is not UTF-8 is
            else:
                value = self._unpack_bytes(frame)
        except RecursionError:
            raise
        except Exception as error:
            raise NotRead(describe(error, frame)) from None
        return self._reader.read(value, (), "$")

    def decode(self, frames: Sequence[bytes], context: FormatContext) -> Any:
        return self._unpack(frames[-1])
