"""Matching received messages against expectations, with markers.

In expected frames and expected JSON, a string that is a marker matches by
kind instead of by equality: ``#ignore`` (or ``#any``) ``#string #number #boolean #array
#object #null #notnull #uuid #regex PATTERN``. ``matching`` is exact apart
from markers; ``containing`` is a subset. The PyHamcrest matchers built on
these functions live in :mod:`zmqprose.checks.matchers`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from zmqprose.errors import ProseError
from zmqprose.limits import counted
from zmqprose.wire.frames import (
    BINARY_PREFIXES,
    SHORTENED,
    Showing,
    encode_frame,
    frame_text,
    show_frame,
    show_frame_as,
)
from zmqprose.wire.literals import literal_text
from zmqprose.wire.masking import mask_text
from zmqprose.wire.one_reading import strict_loads
from zmqprose.wire.paths import listed
from zmqprose.wire.structs import is_struct_frame, read_struct_frame, unpack_struct

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
REGEX_MARKER = "#regex "
DEFAULT_MATCH_TIME = 1.0  # seconds a #regex may run where no step's wait bounds it (a stub's rules)
_bound = threading.local()  # .deadline: when the current step's matching must be done


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


KIND_MARKERS: dict[str, Callable[[Any], bool]] = {
    "#ignore": lambda value: True,
    # the same as #ignore (the docs' probe writes it so: docs: reference/apps.md, *Probes: an app that still answers*)
    "#any": lambda value: True,
    "#string": lambda value: isinstance(value, str),
    "#number": _is_number,
    "#boolean": lambda value: isinstance(value, bool),
    "#array": lambda value: isinstance(value, list),
    "#object": lambda value: isinstance(value, dict),
    "#null": lambda value: value is None,
    "#notnull": lambda value: value is not None,
    "#uuid": lambda value: isinstance(value, str) and UUID.fullmatch(value) is not None,
}


def is_marker(expected: Any) -> TypeGuard[str]:
    """True if ``expected`` is a marker string rather than a literal value."""
    return isinstance(expected, str) and (expected in KIND_MARKERS or expected.startswith(REGEX_MARKER))


def marker_matches(marker: str, value: Any) -> bool:
    """Whether a (JSON) value is of the kind a marker asks for."""
    if marker.startswith(REGEX_MARKER):
        return isinstance(value, str) and regex_matches(marker, value)
    return KIND_MARKERS[marker](value)


@functools.lru_cache(maxsize=256)
def compile_regex(marker: str) -> Any:
    """The pattern of a ``#regex PATTERN`` marker; a bad pattern is a clear error."""
    import regex  # a regular expression engine with time bounds: imported when a spec first uses #regex

    pattern = marker[len(REGEX_MARKER):]
    try:
        return regex.compile(pattern)
    except (regex.error, ValueError) as error:
        raise ProseError(f"bad pattern in {marker!r}: {error}") from None


def check_pattern(expected: Any) -> None:
    """Fail now if ``expected`` is a ``#regex`` marker whose pattern does not compile."""
    if isinstance(expected, str) and expected.startswith(REGEX_MARKER):
        compile_regex(expected)


@contextlib.contextmanager
def matching_within(seconds: float) -> Iterator[None]:
    """Bound every ``#regex`` match of this thread, until the block ends, to ``seconds`` in all.

    A pattern that backtracks catastrophically would otherwise hold a step
    for as long as it runs, whatever the step's own wait.
    """
    outer = getattr(_bound, "deadline", None)
    _bound.deadline = time.monotonic() + max(seconds, 0.05)
    try:
        yield
    finally:
        _bound.deadline = outer


def regex_matches(marker: str, text: str, deadline: float | None = None) -> bool:
    """Whether ``text`` fully matches a ``#regex`` marker, by ``deadline`` (else the one
    :func:`matching_within` set for this thread, else within :data:`DEFAULT_MATCH_TIME`)."""
    if deadline is None:
        deadline = getattr(_bound, "deadline", None)
    allowed = DEFAULT_MATCH_TIME if deadline is None else max(deadline - time.monotonic(), 0.01)
    try:
        return compile_regex(marker).fullmatch(text, timeout=allowed) is not None
    except TimeoutError:
        raise ProseError(
            f"the pattern {marker!r} ran out of time ({allowed:.2f} s) against {show_text(text)}: "
            f"it backtracks too much; write a simpler pattern (e.g. no nested repeats like (a+)+)"
        ) from None


def show_text(text: str) -> str:
    """A text for a failure message, secrets masked, then shortened."""
    text = mask_text(text)
    return repr(text if len(text) <= 80 else f"{text[:60]}…({len(text)} chars)")


# -- frames ------------------------------------------------------------------

def frame_as_value(frame: bytes) -> Any:
    """A frame as the value that kind markers judge: its JSON value, else its text.

    ``42`` is a number, ``true`` a boolean, ``{"a": 1}`` an object, ``null``
    null, other UTF-8 a string; bytes that are not UTF-8 are none of those
    (only ``#ignore`` and ``#notnull`` match them).
    """
    text = frame_text(frame)
    if text is None:
        return frame
    try:
        return strict_loads(text)
    except (ValueError, RecursionError):  # not JSON, refused, or nested past reading: a string
        return text


def frame_matches(expected: str | bytes, actual: bytes, deadline: float | None = None) -> bool:
    """One expected frame (literal, ``hex:…`` or marker) against a received frame
    (a ``#regex`` by ``deadline``, see :func:`regex_matches`)."""
    if type(expected) is str and not expected.startswith(("#", *BINARY_PREFIXES)):
        return expected.encode("utf-8") == actual
    if is_struct_frame(expected):
        return struct_frame_difference(str(expected), actual) is None
    if is_marker(expected):
        if expected.startswith(REGEX_MARKER):
            text = frame_text(actual)
            return text is not None and regex_matches(expected, text, deadline)
        if expected == "#string":
            return frame_text(actual) is not None
        return marker_matches(expected, frame_as_value(actual))
    return encode_frame(expected) == actual


def frames_difference(expected: Sequence[str | bytes], actual: Sequence[bytes],
                      deadline: float | None = None, showing: Showing = SHORTENED) -> str | None:
    """Where a message first differs from the expected frames, in words; None if it matches
    (``deadline``: when a ``#regex`` must be done, see :func:`regex_matches`; ``showing``: how the frame that
    differs is shown, as the run shows frames)."""
    if len(expected) != len(actual):
        return f"expected {len(expected)} frame(s), got {len(actual)}"
    for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
        if is_struct_frame(want) and (why := struct_frame_difference(str(want), got, showing)) is not None:
            return f"frame {index} differs: expected {want!r}, got {show_frame_as(want, got, showing)!r} ({why})"
        if not frame_matches(want, got, deadline):
            if isinstance(want, str) and want.startswith(REGEX_MARKER) and frame_text(got) is None:
                return (f"frame {index} is binary (not UTF-8 text), so {want!r} cannot match it: expect it as "
                        f"hex:… or struct:FORMAT VALUES; got {show_frame(got, showing=showing)!r}")
            return f"frame {index} differs: expected {want!r}, got {show_frame(got, showing=showing)!r}"
    return None


def struct_frame_difference(expected: str, actual: bytes, showing: Showing = SHORTENED) -> str | None:
    """How a received frame differs from an expected ``struct:FORMAT VALUES`` one, in words (values shown as
    ``showing``, the run's, says); None if it matches: exactly the format's size, and each value matching
    (markers work).

    A value written literally is compared as it would read once packed, so that
    an expected frame matches exactly the bytes the same frame would send:
    ``"ab"`` in a ``4s`` field with its padding, ``0.1`` in an ``f`` field as a
    4-byte float, ``"hex:41"`` as ``"A"``. One that could not be packed is an error.
    """
    frame = read_struct_frame(expected)
    wanted = [want if is_marker(want) else frame.expected_value(index) for index, want in enumerate(frame.values)]
    values = unpack_struct(frame.packer, actual)
    shown = showing.limit(VALUE_SHOWN)
    if values is None:
        return f"{counted(len(actual), 'byte')}, not the {frame.packer.size} of {frame.layout!r}"
    for index, (want, got) in enumerate(zip(wanted, values, strict=True)):
        if is_marker(frame.values[index]):
            if not marker_matches(want, got):
                return f"value {index}: expected {want}, got {shorten_json(got, shown)}"
        elif not (type(want) is type(got) and want == got):
            return f"value {index}: expected {shorten_json(want, shown)}, got {shorten_json(got, shown)}"
    return None


def show_expected(expected: Sequence[str | bytes], showing: Showing = SHORTENED) -> str:
    """Expected frames as written, for a side-by-side report (frames given as bytes shown as ``showing`` says)."""
    return "[" + ", ".join(repr(f if isinstance(f, str) else show_frame(f, showing=showing)) for f in expected) + "]"


# -- JSON --------------------------------------------------------------------

def json_difference(expected: Any, actual: Any, subset: bool = False, any_order: bool = False,
                    showing: Showing = SHORTENED) -> Difference | None:
    """The first difference of ``actual`` from ``expected``; None if it matches.

    With ``subset``, ``actual`` may have more keys and more array elements, in
    any order (``containing``); without, keys and lengths must be the same
    (``matching``), and with ``any_order`` every array is compared in any order,
    each element used once (``containing only``). A value nested too deeply to
    compare is a clear error, not a RecursionError. The values a difference
    names are shortened, or whole when ``showing`` (the run's) shows frames in full.
    """
    try:
        return _json_difference(expected, actual, Comparison(subset, any_order, showing.limit(VALUE_SHOWN)))
    except RecursionError:
        raise ProseError("a JSON value is nested too deeply to compare (hundreds of levels)") from None


VALUE_SHOWN = 60  # characters of a value a difference names, where a run shortens frames


@dataclass(frozen=True)
class Comparison:
    """How values are compared: ``subset`` (more keys and elements allowed), ``any_order`` (arrays in any order);
    ``shown``: the characters of a value a difference names (0: all)."""

    subset: bool = False
    any_order: bool = False
    shown: int = VALUE_SHOWN

    @property
    def in_any_order(self) -> bool:
        return self.subset or self.any_order


MAX_ANY_ORDER = 2_000  # elements of an array compared in any order (each against each: bounded)


@dataclass(frozen=True)
class Difference:
    """The first place where a JSON value differs from what was expected."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"at {self.path}: {self.reason}"


def shorten_json(value: Any, limit: int = VALUE_SHOWN) -> str:
    """A JSON value for a report, shortened past ``limit`` characters (0: whole; secrets masked first, so that
    no part of one survives the cut). What JSON cannot write (bytes a project's own format decoded, a set) is
    written as Python's ``repr`` of it, in a string: a report never fails for the value it shows."""
    text = mask_text(json.dumps(value, ensure_ascii=False, default=repr))
    return text if not limit or len(text) <= limit else f"{text[:limit - 10]}…({len(text)} chars)"


def _json_difference(expected: Any, actual: Any, how: Comparison, path: str = "$") -> Difference | None:
    if (text := literal_text(expected)) is not None:  # "#literal TEXT": TEXT, whatever it reads as
        expected = text
    elif is_marker(expected):
        if marker_matches(expected, actual):
            return None
        return Difference(path, f"expected {expected}, got {shorten_json(actual, how.shown)}")
    if isinstance(expected, dict):
        return _object_difference(expected, actual, how, path)
    if isinstance(expected, list):
        return _array_difference(expected, actual, how, path)
    if type(expected) is bool or type(actual) is bool:
        same = type(expected) is type(actual) and expected == actual
    else:
        same = expected == actual and _is_number(expected) == _is_number(actual)
    return None if same else Difference(path, f"expected {shorten_json(expected, how.shown)}, "
                                              f"got {shorten_json(actual, how.shown)}")


def _object_difference(expected: dict[str, Any], actual: Any, how: Comparison, path: str) -> Difference | None:
    if not isinstance(actual, dict):
        return Difference(path, f"expected an object, got {shorten_json(actual, how.shown)}")
    for key, want in expected.items():
        if key not in actual:
            return Difference(f"{path}.{key}", f"missing; the object has: {listed(actual, '(no keys)')}")
        if difference := _json_difference(want, actual[key], how, f"{path}.{key}"):
            return difference
    extra = [key for key in actual if key not in expected]
    if extra and not how.subset:
        return Difference(f"{path}.{extra[0]}", f"unexpected key (value {shorten_json(actual[extra[0]], how.shown)})")
    return None


def _array_difference(expected: list[Any], actual: Any, how: Comparison, path: str) -> Difference | None:
    if not isinstance(actual, list):
        return Difference(path, f"expected an array, got {shorten_json(actual, how.shown)}")
    if not how.subset and len(expected) != len(actual):
        return Difference(path, f"expected {len(expected)} element(s), got {len(actual)}")
    if not how.in_any_order:
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            if difference := _json_difference(want, got, how, f"{path}[{index}]"):
                return difference
        return None
    if len(expected) > MAX_ANY_ORDER or len(actual) > MAX_ANY_ORDER:
        raise ProseError(f"the array at {path} has {max(len(expected), len(actual)):,} elements: more than "
                         f"{MAX_ANY_ORDER:,} are not compared in any order (each against each); compare it in order "
                         f"('matching'), or a part of it")
    return _unmatched_element(expected, actual, how, path)


def _unmatched_element(expected: list[Any], actual: list[Any], how: Comparison, path: str) -> Difference | None:
    """Arrays in any order: every expected element matches a different actual one (``containing``: the
    actual array may have more; ``containing only``: the lengths are the same, so all are used).

    A real assignment (augmenting paths), not a greedy one: ``["#string", "a"]``
    is contained in ``["a", "b"]`` although ``#string`` could take the ``"a"``.
    """
    fits = [[i for i, got in enumerate(actual) if _json_difference(want, got, how) is None] for want in expected]
    taken_by: dict[int, int] = {}  # actual index -> expected index

    def assign(want: int, seen: set[int]) -> bool:
        for got in fits[want]:
            if got not in seen:
                seen.add(got)
                if got not in taken_by or assign(taken_by[got], seen):
                    taken_by[got] = want
                    return True
        return False

    for index, want in enumerate(expected):
        if not assign(index, set()):
            reason = "no element of the array matches" if not fits[index] else "no element is left to match"
            return Difference(f"{path}[{index}]", f"{reason} {shorten_json(want, how.shown)}")
    return None


# -- the closest of messages that did not match --------------------------------------------------------------------

EDIT_CHARS = 48  # characters of two differing texts compared by their edit distance (its cost: their product)
CLOSENESS_NODES = 1_000  # parts of an expected value looked at to tell how close a value came


def edit_distance(first: str, second: str) -> int:
    """Levenshtein's distance between the starts of two texts (:data:`EDIT_CHARS` of each: bounded cost)."""
    first, second = first[:EDIT_CHARS], second[:EDIT_CHARS]
    previous = list(range(len(second) + 1))
    for row, char in enumerate(first, 1):
        current = [row]
        for column, other in enumerate(second, 1):
            current.append(min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + (char != other)))
        previous = current
    return previous[-1]


def frames_closeness(expected: Sequence[str | bytes], actual: Sequence[bytes]) -> tuple[int, bool, int]:
    """How close a message came to the expected frames, the closer the greater: how many frames match at their
    place, whether it has as many frames, and (negative) the edit distance of the first frames that differ."""
    matched, distance = 0, 0
    for want, got in zip(expected, actual, strict=False):
        try:
            same = frame_matches(want, got)
        except ProseError:  # a pattern out of time: not a match
            same = False
        if same:
            matched += 1
        elif not distance:
            shown_want = want if isinstance(want, str) else show_frame(want)
            distance = edit_distance(shown_want, show_frame(got)) or 1
    return matched, len(expected) == len(actual), -distance


def json_closeness(expected: Any, actual: Any, subset: bool = False, any_order: bool = False) -> tuple[int, bool, int]:
    """How close a value came to the expected one, the closer the greater: how many of the expected value's
    leaves it has alike at their place, and (negative) the edit distance of the first leaves that differ (at
    most :data:`CLOSENESS_NODES` parts looked at)."""
    how = Comparison(subset, any_order)
    budget = [CLOSENESS_NODES]
    first: list[tuple[Any, Any]] = []

    def alike(want: Any, got: Any) -> int:
        budget[0] -= 1
        if budget[0] < 0:
            return 0
        if isinstance(want, dict) and isinstance(got, dict):
            return sum(alike(inner, got[key]) for key, inner in want.items() if key in got)
        if isinstance(want, list) and isinstance(got, list) and not how.in_any_order:
            return sum(alike(inner, other) for inner, other in zip(want, got, strict=False))
        try:
            if _json_difference(want, got, how) is None:
                return 1
        except (ProseError, RecursionError):
            pass
        if not first:
            first.append((want, got))
        return 0

    matched = alike(expected, actual)
    distance = edit_distance(shorten_json(first[0][0]), shorten_json(first[0][1])) if first else 0
    return matched, True, -distance
