"""A stub's rules: which requests they answer, and the answers, with ``${request.…}`` filled in from the request."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.wire.format_registry import Format, FormatContext, decode_value, encode_value
from zmqprose.wire.format_registry import get as get_format
from zmqprose.wire.frames import SHORTENED, Frame, Showing, encode_frames, show_frames
from zmqprose.wire.interpolation import interpolate_frame, interpolate_json
from zmqprose.wire.json_text import parse_json_text
from zmqprose.wire.matching import check_pattern, frames_difference, json_difference, shorten_json
from zmqprose.wire.paths import PathMissing, walk

REQUEST = "request."
VALUE_IN_ERROR = 200  # characters of a request's value an error shows, where a run shortens frames


NO_RULE = "zmqprose stub: no rule for "


@dataclass(frozen=True)
class Rule:
    """When a request matches, answer (``${request.…}`` filled in), after a delay.

    An answer whose other ``${…}`` were filled in when it was written (the
    phrases' answers: :func:`~zmqprose.wire.interpolation.filled_now`) keeps
    those values as data: the request's are filled in among them, and nothing
    they hold is read for ``${…}``.

    Without a format, the request is matched by its frames and the answer is
    frames. With a format, the request's value in it (the last frame, for a
    one-frame format) must contain ``value_subset``, and the answer is one
    value written as JSON text, sent in that format.
    """

    answer: tuple[Frame, ...]
    frames: tuple[Frame, ...] | None = None  # the request's frames, markers allowed
    value_subset: Any = None  # or: the request's value (in ``format``) contains this
    format: Format | None = None
    delay: float = 0.0

    def check(self) -> None:
        """Fail now, when the rule is given, for a pattern that could only fail when a request comes."""
        for pattern in (*(self.frames or ()), *json_strings(self.value_subset)):
            check_pattern(pattern)
        if self.format is not None:
            parse_json_text(interpolate_json(self.answer_text(), lambda name: 0),
                            f"the stub's {self.format.name} answer, written as JSON,")

    def matches(self, body: Sequence[bytes], context: FormatContext) -> bool:
        """True if a received message (after any routing envelope) is a request this rule answers."""
        if self.frames is not None:
            return frames_difference(self.frames, body) is None
        if self.value_subset is not None:
            value = value_of(body, self.format or get_format("JSON"), context)
            return value is not None and json_difference(self.value_subset, value, subset=True) is None
        return True

    def render(self, body: Sequence[bytes], context: FormatContext, showing: Showing = SHORTENED) -> list[bytes]:
        """The answer to one request, ``${request.…}`` filled in from it; an error shows the request as
        ``showing`` (the run's) says: shortened, or whole."""
        lookup = request_lookup(body, self.format, context, showing)
        if self.format is None:
            return encode_frames(interpolate_frame(frame, lookup) for frame in self.answer)
        value = parse_json_text(interpolate_json(self.answer_text(), lookup), "the stub's answer")
        return encode_value(self.format, value, context, showing)

    def answer_text(self) -> str:
        """The answer of a rule with a format: its JSON text as it was given, with the values filled in when it
        was written (a :class:`~zmqprose.wire.interpolation.Filled`), which are data when the rest is filled in."""
        answer = self.answer[0]
        return answer if isinstance(answer, str) else str(answer)


def rule_counting_the_envelope(rules: Sequence[Rule], envelope: Sequence[bytes],
                               body: Sequence[bytes]) -> tuple[Rule, int] | None:
    """The first rule whose frames would match a request that no rule answered if the first frames of its
    envelope came before it (a ROUTER stub's rule written with the routing id, which the stub sets aside), and
    how many of them; None if there is none."""
    for rule in rules:
        if rule.frames is None or not 0 < len(rule.frames) - len(body) <= len(envelope):
            continue
        counted = len(rule.frames) - len(body)
        try:
            if frames_difference(rule.frames, [*envelope[:counted], *body]) is None:
                return rule, counted
        except ProseError:  # a pattern out of time: no answer to why
            continue
    return None


def value_of(body: Sequence[bytes], fmt: Format, context: FormatContext) -> Any:
    """A message's value in a format, or None if it has none (or is not that format)."""
    if not body:
        return None
    try:
        _, own = fmt.split(body)
        return decode_value(fmt, own, context, "the request")
    except ProseError:
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


def request_lookup(body: Sequence[bytes], fmt: Format | None = None, context: FormatContext | None = None,
                   showing: Showing = SHORTENED) -> Callable[[str], Any]:
    """What ``${request.…}`` means for one request: ``request.frame.N`` (the frame as it came),
    or a dotted path into its value (in ``fmt``; JSON when none is given). What cannot be filled in is an
    error that shows the request as ``showing`` says (the run's: shortened, or whole)."""
    context = context or FormatContext()

    def lookup(name: str) -> Any:
        if not name.startswith(REQUEST):
            raise ProseError(f"${{{name}}} cannot be filled in when the stub answers; only ${{request.…}} can")
        path = name[len(REQUEST):].split(".")
        if path[0] == "frame" and len(path) == 2 and path[1].isdigit():
            index = int(path[1])
            if index >= len(body):
                raise ProseError(f"${{{name}}}: the request has only {len(body)} frame(s): "
                                 f"{show_frames(body, showing)}")
            return body[index]
        used = fmt or get_format("JSON")
        value = value_of(body, used, context)
        if value is None:
            raise ProseError(f"${{{name}}}: the request is not {used.name}: {show_frames(body, showing)}")
        try:
            return walk(value, path)
        except PathMissing as missing:
            raise ProseError(f"${{{name}}}: the request has no {missing.step!r}: "
                             f"{shorten_json(missing.value, showing.limit(VALUE_IN_ERROR))}") from None

    return lookup
