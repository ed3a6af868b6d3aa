"""JSON at the edges: written in a spec, or received in a frame; a mistake shows the text.

JSON is read strictly: Python's reader takes ``NaN`` and ``Infinity``, which
are not JSON, and keeps the last of two equal keys, so that
``{"status": "error", "status": "ok"}`` would match ``{"status": "ok"}``.
Both are refused. A whole number longer than Python's digit limit is
named as such, not as "not JSON".
"""

from __future__ import annotations

import json
import re
from typing import Any, NoReturn

from zmqprose.errors import ProseError
from zmqprose.wire.frames import show_frame

DIGIT_LIMIT = re.compile(r"Exceeds the limit \((\d+) digits\)")


class Refused(ValueError):
    """Text that Python's JSON reader would take, but that is not (unambiguous) JSON."""


def _no_constant(name: str) -> NoReturn:
    raise Refused(f"{name} is not a number in JSON")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise Refused(f"the key {json.dumps(twice)[:80]} appears twice in one object")
    return value


def strict_loads(text: str) -> Any:
    """``json.loads``, refusing NaN, Infinity and duplicate keys (:class:`Refused`); a number over the
    digit limit is a :class:`Refused` that says so."""
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except ValueError as error:
        if isinstance(error, Refused) or not (limit := DIGIT_LIMIT.search(str(error))):
            raise
        raise Refused(f"it holds a whole number over Python's limit of {limit[1]} digits "
                      f"(sys.set_int_max_str_digits raises it)") from None


def decode_json_frame(frame: bytes, where: str) -> Any:
    """A frame's JSON value; a frame that is not JSON fails and shows its text."""
    try:
        return strict_loads(frame.decode("utf-8"))
    except Refused as error:
        raise ProseError(f"{where} is refused as JSON: {error}: {show_frame(frame, 200)!r}") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ProseError(f"{where} is not JSON ({error}): {show_frame(frame, 200)!r}") from None
    except RecursionError:
        raise ProseError(f"{where} is JSON nested too deeply to read: {show_frame(frame, 200)!r}") from None


def parse_json_text(text: str, where: str) -> Any:
    """JSON written in a spec; bad JSON fails with its line and column, and shows the text."""
    try:
        return strict_loads(text)
    except Refused as error:
        raise ProseError(f"{where} is refused as JSON: {error}:\n{text}") from None
    except ValueError as error:
        raise ProseError(f"{where} is not valid JSON ({error}):\n{text}") from None
    except RecursionError:
        raise ProseError(f"{where} is JSON nested too deeply to read") from None
