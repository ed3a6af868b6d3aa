"""PyHamcrest matchers for messages and JSON: ``assert_that(frames, matches_frames(["PONG", "#ignore"]))``.

They report expected and actual side by side, with the first difference.
zmqprose's own checks use the plain functions of :mod:`zmqprose.matching`
and import this module only to report a failure: importing PyHamcrest
takes longer than a whole step should.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NoReturn

from hamcrest import assert_that
from hamcrest.core.base_matcher import BaseMatcher
from hamcrest.core.description import Description

from zmqprose.errors import ProseError
from zmqprose.wire.frames import show_frames
from zmqprose.wire.matching import frames_difference, json_difference, shorten_json, show_expected

__all__ = ["FramesMatcher", "JsonMatcher", "assert_that", "contains_json", "fail_with", "matches_frames",
           "matches_json"]


class FramesMatcher(BaseMatcher[Sequence[bytes]]):
    """Matches a received message (a list of frames) against expected frames."""

    def __init__(self, expected: Sequence[str | bytes]) -> None:
        self.expected = list(expected)

    def _matches(self, item: Sequence[bytes]) -> bool:
        return frames_difference(self.expected, item) is None

    def describe_to(self, description: Description) -> None:
        description.append_text(show_expected(self.expected))

    def describe_mismatch(self, item: Sequence[bytes], mismatch_description: Description) -> None:
        mismatch_description.append_text(
            f"{show_frames(item)}\n          ({frames_difference(self.expected, item)})"
        )


def fail_with(actual: Any, matcher: BaseMatcher[Any], reason: str) -> NoReturn:
    """Raise a :class:`ProseError` with PyHamcrest's side-by-side report of why ``actual`` fails ``matcher``."""
    try:
        assert_that(actual, matcher, reason)
    except AssertionError as report:
        raise ProseError(str(report)) from None
    raise ProseError(f"{reason} (zmqprose judged it a mismatch, PyHamcrest did not: please report this)")


def matches_frames(expected: Sequence[str | bytes]) -> FramesMatcher:
    """A matcher for a message whose frames are ``expected`` (markers allowed)."""
    return FramesMatcher(expected)


class JsonMatcher(BaseMatcher[Any]):
    """Matches a decoded JSON value: exactly apart from markers, or as a subset."""

    def __init__(self, expected: Any, subset: bool, format: str = "JSON") -> None:
        self.expected = expected
        self.subset = subset
        self.format = format  # the value was read in this format (JSON, msgpack, Jupyter, …)

    def _matches(self, item: Any) -> bool:
        return json_difference(self.expected, item, self.subset) is None

    def describe_to(self, description: Description) -> None:
        kind = f"{self.format} containing " if self.subset else f"{self.format} matching "
        description.append_text(kind + json.dumps(self.expected, ensure_ascii=False))

    def describe_mismatch(self, item: Any, mismatch_description: Description) -> None:
        difference = json_difference(self.expected, item, self.subset)
        mismatch_description.append_text(f"{shorten_json(item, 400)}\n          (first difference {difference})")


def matches_json(expected: Any, format: str = "JSON") -> JsonMatcher:
    """A matcher for JSON (or a value read in ``format``) equal to ``expected`` apart from markers."""
    return JsonMatcher(expected, subset=False, format=format)


def contains_json(expected: Any, format: str = "JSON") -> JsonMatcher:
    """A matcher for JSON (or a value read in ``format``) that contains ``expected`` (keys and elements may
    be extra)."""
    return JsonMatcher(expected, subset=True, format=format)
