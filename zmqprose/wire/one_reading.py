"""One reading: a message that one reader would take one way and another reader another way is refused.

The rule for every format (JSON, msgpack, Jupyter's JSON parts, a
``struct:`` frame's values, a user's format): Python's readers keep the
last of two equal keys, so that ``{"status": "error", "status": "ok"}``
would match ``{"status": "ok"}``, and take ``NaN`` and ``Infinity``, which
are not numbers in JSON (``NaN`` equals nothing, not even itself, and a
JSON number past a float's range, ``1e400``, would read as Infinity).
Each is a :class:`Refused` that names what it found. The pieces are here
once: :func:`unique_keys` for a reader that hands over an object's pairs,
:func:`strict_loads` for JSON text, :func:`check_numbers` for a decoded value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any, NoReturn

DIGIT_LIMIT = re.compile(r"Exceeds the limit \((\d+) digits\)")


class Refused(ValueError):
    """A message that Python would read, but that reads two ways (or past a limit): what is wrong, in words."""


def unique_keys(pairs: Iterable[tuple[Any, Any]]) -> dict[Any, Any]:
    """An object from its pairs; a key that comes twice is :class:`Refused`, naming it."""
    value: dict[Any, Any] = {}
    for key, item in pairs:
        if key in value:
            raise Refused(f"the key {json.dumps(key, ensure_ascii=False)[:80]} appears twice in one object")
        value[key] = item
    return value


def key_twice(text: str) -> tuple[str, int] | None:
    """The first key of JSON ``text`` that comes twice in one object, and where its second coming begins (an
    index into ``text``); None if every object has each key once. For a reader that must say where (a settings
    file: its line), once a key twice is known to be there: one pass over the text, its strings skipped whole."""
    objects: list[set[str] | None] = []  # per open bracket: an object's keys so far (None: an array)
    expecting_key = False
    at = 0
    while at < len(text):
        char = text[at]
        if char == '"':
            close = string_end(text, at)
            if expecting_key and objects and (keys := objects[-1]) is not None:
                try:
                    key = json.loads(text[at:close + 1])
                except ValueError:
                    return None
                if key in keys:
                    return key, at
                keys.add(key)
            expecting_key = False
            at = close
        elif char in "{[":
            objects.append(set() if char == "{" else None)
            expecting_key = char == "{"
        elif char in "}]":
            if objects:
                objects.pop()
        elif char == ",":
            expecting_key = bool(objects) and objects[-1] is not None
        at += 1
    return None


def string_end(text: str, start: int) -> int:
    """The index of the quote that closes the JSON string opened at ``start`` (the text's end if none does)."""
    at = start + 1
    while at < len(text):
        if text[at] == "\\":
            at += 2
            continue
        if text[at] == '"':
            return at
        at += 1
    return len(text) - 1


def _no_constant(name: str) -> NoReturn:
    raise Refused(f"{name} is not a number in JSON")


def _finite(number: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        raise Refused(f"{number[:40]} is past what a number (a 64-bit float) holds: it would read as Infinity")
    return value


def strict_loads(text: str) -> Any:
    """``json.loads``, refusing NaN, Infinity, numbers past a float's range and duplicate keys
    (:class:`Refused`); a whole number over Python's digit limit is a :class:`Refused` that says so."""
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite, object_pairs_hook=unique_keys)
    except ValueError as error:
        if isinstance(error, Refused) or not (limit := DIGIT_LIMIT.search(str(error))):
            raise
        raise Refused(f"it holds a whole number over Python's limit of {limit[1]} digits "
                      f"(sys.set_int_max_str_digits raises it)") from None


def check_numbers(value: Any) -> None:
    """Refuse a decoded value that holds NaN or an infinity (a msgpack float, a user's format), naming
    where: ``NaN at $.load is not a number in JSON``. Walked without recursion: any depth is fine."""
    pending: list[tuple[str, Any]] = [("$", value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            name = "NaN" if math.isnan(item) else "Infinity" if item > 0 else "-Infinity"
            raise Refused(f"{name} at {path} is not a number in JSON")
        if isinstance(item, dict):
            pending.extend((f"{path}.{key}", inner) for key, inner in reversed(item.items()))
        elif isinstance(item, (list, tuple)):
            pending.extend((f"{path}[{index}]", inner) for index, inner in reversed(list(enumerate(item))))
