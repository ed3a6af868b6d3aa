"""A stub's rules: which requests they answer, and the answers, with ``${request.…}`` filled in from the request."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.wire.frames import Frame, show_frames
from zmqprose.wire.interpolation import interpolate_json
from zmqprose.wire.json_text import parse_json_text
from zmqprose.wire.matching import check_pattern, frames_difference, json_difference

REQUEST = "request."


NO_RULE = "zmqprose stub: no rule for "


@dataclass(frozen=True)
class Rule:
    """When a request matches, answer these frames (``${request.…}`` filled in), after a delay."""

    answer: tuple[Frame, ...]
    frames: tuple[Frame, ...] | None = None  # the request's frames, markers allowed
    json_subset: Any = None  # or: the request's last frame is JSON containing this
    delay: float = 0.0
    answer_is_json: bool = False  # the answer is one frame of JSON text: ${request.…} filled in as JSON

    def check(self) -> None:
        """Fail now, when the rule is given, for a pattern that could only fail when a request comes."""
        for pattern in (*(self.frames or ()), *json_strings(self.json_subset)):
            check_pattern(pattern)
        if self.answer_is_json:
            parse_json_text(interpolate_json(str(self.answer[0]), lambda name: 0), "the stub's JSON answer")

    def matches(self, body: Sequence[bytes]) -> bool:
        """True if a received message (after any routing envelope) is a request this rule answers."""
        if self.frames is not None:
            return frames_difference(self.frames, body) is None
        if self.json_subset is not None:
            value = json_of_last_frame(body)
            return value is not None and json_difference(self.json_subset, value, subset=True) is None
        return True

    def describe(self) -> str:
        """The rule as a person wrote it."""
        if self.frames is not None:
            when = f"to {list(self.frames)}"
        elif self.json_subset is not None:
            when = f"to JSON containing {json.dumps(self.json_subset)}"
        else:
            when = "to anything else"
        return f"answers {list(self.answer)} {when}" + (f" after {self.delay:g} s" if self.delay else "")


def json_of_last_frame(body: Sequence[bytes]) -> Any:
    """The JSON value of a message's last frame, or None if it has none (or it is not JSON)."""
    if not body:
        return None
    try:
        return json.loads(body[-1])
    except (ValueError, RecursionError):
        return None


def json_strings(value: Any) -> list[str]:
    """Every string inside a JSON value (where markers may be)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for inner in value.values() for text in json_strings(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in json_strings(inner)]
    return []


def request_lookup(body: Sequence[bytes]) -> Callable[[str], Any]:
    """What ``${request.…}`` means for one request: ``request.frame.N``, or a dotted path into its JSON."""

    def lookup(name: str) -> Any:
        if not name.startswith(REQUEST):
            raise ProseError(f"${{{name}}} cannot be filled in when the stub answers; only ${{request.…}} can")
        path = name[len(REQUEST):].split(".")
        if path[0] == "frame" and len(path) == 2 and path[1].isdigit():
            index = int(path[1])
            if index >= len(body):
                raise ProseError(f"${{{name}}}: the request has only {len(body)} frame(s): {show_frames(body)}")
            return body[index]
        value = json_of_last_frame(body)
        if value is None:
            raise ProseError(f"${{{name}}}: the request is not JSON: {show_frames(body)}")
        for key in path:
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
                value = value[int(key)]
            else:
                raise ProseError(f"${{{name}}}: the request has no {key!r}: {json.dumps(value)[:200]}")
        return value

    return lookup
