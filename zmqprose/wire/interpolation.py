"""``${...}`` in a spec's strings: values from the checkpoint and the settings.

``${checkpoint.KEY}`` is a stored value, ``${APP.SETTING}`` an app setting
(dotted paths reach nested settings). An unknown name is an error, never an
empty string.

What a placeholder brings in is data, never notation: a received frame
that reads ``hex:4142`` or ``#ignore`` is sent and compared as those very
bytes, and a value with a quote in it stays one JSON string. Only what the
spec writes itself is read as ``hex:…`` or as a marker.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.wire.frames import HEX_PREFIX, Frame, frame_text
from zmqprose.wire.matching import is_marker

PLACEHOLDER = re.compile(r"\$\{([^{}]*)\}")

Lookup = Callable[[str], Any]


def interpolate(text: str, lookup: Lookup, keep: tuple[str, ...] = ()) -> str:
    """``text`` with every ``${name}`` replaced by ``lookup(name)`` as text.

    Names that start with one of ``keep`` are left as they are, to be filled
    in later (a stub's ``${request.…}``, when the request arrives).
    """
    if "${" not in text:
        return text
    return "".join(piece if isinstance(piece, str) else as_text(piece.value)
                   for piece in pieces(text, lookup, keep))


TEMPLATE_ESCAPE = "$${"  # in a template, a literal ``${`` (a shell script's own ``${HOME}``)


def fill_template(text: str, lookup: Lookup) -> str:
    """A template file's text with ``${…}`` filled in; ``$${`` is written as a literal ``${``."""
    return "${".join(interpolate(piece, lookup) for piece in text.split(TEMPLATE_ESCAPE))


def interpolate_all(value: Any, lookup: Lookup, keep: tuple[str, ...] = ()) -> Any:
    """:func:`interpolate` in every string of a value: lists and dicts too."""
    if isinstance(value, str):
        return interpolate(value, lookup, keep)
    if isinstance(value, list):
        return [item if type(item) is str and "${" not in item else interpolate_all(item, lookup, keep)
                for item in value]
    if isinstance(value, dict):
        return {key: interpolate_all(item, lookup, keep) for key, item in value.items()}
    return value


def interpolate_frame(frame: Frame, lookup: Lookup, keep: tuple[str, ...] = ()) -> Frame:
    """One frame written in a spec, with its placeholders filled in.

    A frame the spec writes as ``hex:…`` or as a marker is notation, and is
    filled in as text. Any other frame becomes bytes: the spec's own text
    as UTF-8, each value as its bytes (a stored frame exactly as it came).
    A frame that keeps a placeholder for later stays text until then.
    """
    if not isinstance(frame, str) or "${" not in frame:
        return frame
    if frame.startswith(HEX_PREFIX) or is_marker(frame):
        return interpolate(frame, lookup, keep)
    parts = list(pieces(frame, lookup, keep))
    if any(isinstance(part, str) and PLACEHOLDER.search(part) for part in parts):
        return "".join(part if isinstance(part, str) else as_text(part.value) for part in parts)
    return b"".join(part.encode("utf-8") if isinstance(part, str) else as_bytes(part.value) for part in parts)


def interpolate_frames(frames: Sequence[Frame], lookup: Lookup, keep: tuple[str, ...] = ()) -> list[Frame]:
    """:func:`interpolate_frame` for every frame of a message."""
    return [interpolate_frame(frame, lookup, keep) for frame in frames]


def interpolate_json(text: str, lookup: Lookup, keep: tuple[str, ...] = ()) -> str:
    """JSON text written in a spec, with its placeholders filled in as JSON.

    Inside a JSON string a value is escaped as string content (a quote in
    it stays a quote); outside, it is written as a JSON value
    (``{"count": ${checkpoint.n}}`` gives a number when ``n`` is one).
    """
    if "${" not in text:
        return text
    written: list[str] = []
    in_string = False
    for piece in pieces(text, lookup, keep):
        if isinstance(piece, str):
            in_string = string_state_after(piece, in_string)
            written.append(piece)
        elif in_string:
            written.append(json.dumps(as_text(piece.value), ensure_ascii=False)[1:-1])
        else:
            written.append(json_literal(piece.value))
    return "".join(written)


class Value:
    """A looked-up value in the middle of a spec's text."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def pieces(text: str, lookup: Lookup, keep: tuple[str, ...]) -> list[str | Value]:
    """``text`` cut into the spec's own text and looked-up values, in order; kept placeholders stay text."""
    found: list[str | Value] = []
    at = 0
    for match in PLACEHOLDER.finditer(text):
        name = match[1].strip()
        if not name:
            raise ProseError(f"empty ${{}} in {text!r}: write ${{checkpoint.KEY}} or ${{APP.SETTING}}")
        found.append(text[at:match.start()])
        found.append(match[0] if name.startswith(keep) else Value(lookup(name)))
        at = match.end()
    found.append(text[at:])
    if any(isinstance(piece, str) and "${" in PLACEHOLDER.sub("", piece) for piece in found):
        raise ProseError(f"unclosed ${{ in {text!r}: write ${{name}}")
    return found


def string_state_after(json_text: str, in_string: bool) -> bool:
    """Whether a JSON text that starts inside a string (``in_string``) ends inside one."""
    escaped = False
    for char in json_text:
        if escaped:
            escaped = False
        elif in_string and char == "\\":
            escaped = True
        elif char == '"':
            in_string = not in_string
    return in_string


def as_text(value: Any) -> str:
    """A looked-up value as it reads inside a string.

    A stored message of one frame is that frame's text; of several frames,
    a JSON array of their texts. Objects and arrays are JSON.
    """
    if isinstance(value, bytes):
        return frame_text(value) or HEX_PREFIX + value.hex()
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(f, bytes) for f in value):
        texts = [as_text(frame) for frame in value]
        return texts[0] if len(texts) == 1 else json.dumps(texts, ensure_ascii=False)
    if isinstance(value, (dict, list, tuple, bool)) or value is None:
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def as_bytes(value: Any) -> bytes:
    """A looked-up value as the bytes of a frame: a stored frame exactly as it came."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], bytes):
        return value[0]
    return as_text(value).encode("utf-8")


def json_literal(value: Any) -> str:
    """A looked-up value written as a JSON value: text that is JSON stays as it is, other text is quoted."""
    if isinstance(value, (str, bytes)) or (isinstance(value, list) and value and isinstance(value[0], bytes)):
        text = as_text(value)
        try:
            json.loads(text)
        except ValueError:
            return json.dumps(text, ensure_ascii=False)
        return text
    return json.dumps(value, ensure_ascii=False)
