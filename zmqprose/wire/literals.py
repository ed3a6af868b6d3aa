"""Strings that stand for themselves, in a value written as JSON: never a marker, never ``hex:…``.

In a spec's JSON a string can be notation: ``"#ignore"`` is a marker in an
expected value, and ``"hex:4142"`` is msgpack bin. A string written
``"#literal TEXT"`` is TEXT exactly, whatever it reads as: expected, it
matches only TEXT; sent, it is TEXT (a msgpack str). What ``${…}`` brings
into a spec's JSON is written so when it would read as notation (data,
never notation: :mod:`zmqprose.wire.interpolation`).

Two kinds of ``str`` say where a string came from, so that it goes back as it came:

- :class:`Literal`: text that is itself (a ``"#literal …"`` string once read,
  before it is encoded): msgpack sends it as str even when it reads ``hex:…``;
- :class:`Binary`: the ``"hex:…"`` a format shows for bytes it received (a
  msgpack bin): filled into a spec's JSON it stays ``hex:…``, so it goes back as bytes.
"""

from __future__ import annotations

from typing import Any

LITERAL_PREFIX = "#literal "


class Literal(str):
    """Text that is itself, never notation (what ``"#literal TEXT"`` is read as, once a value is sent)."""

    __slots__ = ()


class Binary(str):
    """``hex:…`` that stands for bytes a format received: sent back as those bytes."""

    __slots__ = ()


def literal_text(value: Any) -> str | None:
    """The TEXT of a ``"#literal TEXT"`` string; None for any other value."""
    if type(value) is str and value.startswith(LITERAL_PREFIX):
        return value[len(LITERAL_PREFIX):]
    return None


def as_sent(value: Any) -> Any:
    """A value as a format encodes it: each ``"#literal TEXT"`` string as TEXT (a :class:`Literal`), the rest
    as it is; the same object when it holds none (the usual value costs one walk, no copy)."""
    if isinstance(value, str):
        text = literal_text(value)
        return value if text is None else Literal(text)
    if isinstance(value, list):
        items = [as_sent(item) for item in value]
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        pairs = {key: as_sent(item) for key, item in value.items()}
        return value if all(pairs[key] is item for key, item in value.items()) else pairs
    return value
