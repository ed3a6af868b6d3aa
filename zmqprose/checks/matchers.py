"""PyHamcrest matchers for messages and JSON: ``assert_that(frames, matches_frames(["PONG", "#ignore"]))``.

They report expected and actual side by side, with the first difference.
Each computes the difference once, in ``_matches``, and describes the
mismatch from that same difference (PyHamcrest's advice), so a report never
disagrees with the verdict. zmqprose's own checks compute the difference
with the plain functions of :mod:`zmqprose.wire.matching` and import this
module only to report a failure (importing PyHamcrest takes longer than a
whole step should), handing over the difference they found
(:meth:`DifferenceMatcher.knowing`), never computing it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, NoReturn, TypeVar

from hamcrest import assert_that
from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description

from zmqprose.errors import ProseError
from zmqprose.wire.frames import SHORTENED, Showing, show_frames_as
from zmqprose.wire.matching import frames_difference, json_difference, shorten_json, show_expected

__all__ = ["DifferenceMatcher", "FramesMatcher", "JsonMatcher", "assert_that", "contains_json", "contains_only_json",
           "fail_with", "matches_frames", "matches_json"]


Item = TypeVar("Item")
VALUE_IN_REPORT = 400  # characters of a value a mismatch shows, where a run shortens frames


class DifferenceMatcher(BaseMatcher[Item], Generic[Item]):
    """A matcher whose verdict and report come from one difference, computed once per item."""

    def __init__(self) -> None:
        self._known: tuple[Any, Any] | None = None  # (item, its difference), the last one computed or given

    def knowing(self, item: Item, difference: Any) -> DifferenceMatcher[Item]:
        """The matcher, told the difference a check already found for ``item`` (it is not computed again)."""
        self._known = (item, difference)
        return self

    def difference(self, item: Item) -> Any:
        """What differs between the expectation and ``item`` (None: nothing)."""
        if self._known is None or self._known[0] is not item:
            self._known = (item, self._difference(item))
        return self._known[1]

    def _difference(self, item: Item) -> Any:
        raise NotImplementedError

    def _matches(self, item: Item) -> bool:
        return self.difference(item) is None


class FramesMatcher(DifferenceMatcher[Sequence[bytes]]):
    """Matches a received message (a list of frames) against expected frames; a mismatch shows the message as
    ``showing`` says (a run's: shortened, or whole)."""

    def __init__(self, expected: Sequence[str | bytes], showing: Showing = SHORTENED) -> None:
        super().__init__()
        self.expected = list(expected)
        self.showing = showing

    def _difference(self, item: Sequence[bytes]) -> Any:
        return frames_difference(self.expected, item, None, self.showing)  # None: no step's deadline

    def describe_to(self, description: Description) -> None:
        description.append_text(show_expected(self.expected, self.showing))

    def describe_mismatch(self, item: Sequence[bytes], mismatch_description: Description) -> None:
        mismatch_description.append_text(f"{show_frames_as(self.expected, item, self.showing)}\n"
                                          f"          ({self.difference(item)})")


def fail_with(actual: Any, matcher: BaseMatcher[Any], reason: str) -> NoReturn:
    """Raise a :class:`ProseError` with PyHamcrest's side-by-side report of why ``actual`` fails ``matcher``
    (a check hands the difference it found to the matcher first: :meth:`DifferenceMatcher.knowing`)."""
    try:
        assert_that(actual, matcher, reason)
    except AssertionError as report:
        raise ProseError(str(report)) from None
    raise ProseError(reason)  # only if a caller reports a match: the verdict is the caller's difference


def matches_frames(expected: Sequence[str | bytes]) -> FramesMatcher:
    """A matcher for a message whose frames are ``expected`` (markers allowed)."""
    return FramesMatcher(expected)


class JsonMatcher(DifferenceMatcher[Any]):
    """Matches a decoded JSON value: exactly apart from markers, or as a subset; a mismatch shows the value as
    ``showing`` says (a run's: shortened, or whole)."""

    def __init__(self, expected: Any, subset: bool, format: str = "JSON", any_order: bool = False,
                 showing: Showing = SHORTENED) -> None:
        super().__init__()
        self.expected = expected
        self.subset = subset
        self.any_order = any_order  # every array in any order, each element once (containing only)
        self.format = format  # the value was read in this format (JSON, msgpack, Jupyter, …)
        self.showing = showing

    def _difference(self, item: Any) -> Any:
        return json_difference(self.expected, item, self.subset, self.any_order, self.showing)

    def describe_to(self, description: Description) -> None:
        kind = ("containing " if self.subset else "containing only " if self.any_order else "matching ")
        kind = f"{self.format} {kind}"
        description.append_text(kind + shorten_json(self.expected, 0))  # whole: what the spec wrote

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        mismatch_description.append_text(f"{shorten_json(item, self.showing.limit(VALUE_IN_REPORT))}\n"
                                         f"          (first difference {self.difference(item)})")


def matches_json(expected: Any, format: str = "JSON") -> JsonMatcher:
    """A matcher for JSON (or a value read in ``format``) equal to ``expected`` apart from markers."""
    return JsonMatcher(expected, subset=False, format=format)


def contains_only_json(expected: Any, format: str = "JSON") -> JsonMatcher:
    """A matcher for JSON (or a value read in ``format``) equal to ``expected`` with every array in any order,
    each element used once: the same elements, nothing more."""
    return JsonMatcher(expected, subset=False, format=format, any_order=True)


def contains_json(expected: Any, format: str = "JSON") -> JsonMatcher:
    """A matcher for JSON (or a value read in ``format``) that contains ``expected`` (keys and elements may
    be extra)."""
    return JsonMatcher(expected, subset=True, format=format)
