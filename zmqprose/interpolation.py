"""``${...}`` in a spec's strings: values from the checkpoint and the settings.

``${checkpoint.KEY}`` is a stored value, ``${APP.SETTING}`` an app setting
(dotted paths reach nested settings). An unknown name is an error, never an
empty string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.frames import frame_text

PLACEHOLDER = re.compile(r"\$\{([^{}]*)\}")

Lookup = Callable[[str], Any]


def interpolate(text: str, lookup: Lookup, keep: tuple[str, ...] = ()) -> str:
    """``text`` with every ``${name}`` replaced by ``lookup(name)`` as text.

    Names that start with one of ``keep`` are left as they are, to be filled
    in later (a stub's ``${request.…}``, when the request arrives).
    """
    if "${" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        name = match[1].strip()
        if not name:
            raise ProseError(f"empty ${{}} in {text!r}: write ${{checkpoint.KEY}} or ${{APP.SETTING}}")
        if name.startswith(keep):
            return match[0]
        return as_text(lookup(name))

    result = PLACEHOLDER.sub(replace, text)
    if "${" in PLACEHOLDER.sub("", text):
        raise ProseError(f"unclosed ${{ in {text!r}: write ${{name}}")
    return result


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


def as_text(value: Any) -> str:
    """A looked-up value as it reads inside a string.

    A stored message of one frame is that frame's text; of several frames,
    a JSON array of their texts. Objects and arrays are JSON.
    """
    if isinstance(value, bytes):
        return frame_text(value) or "hex:" + value.hex()
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(f, bytes) for f in value):
        texts = [as_text(frame) for frame in value]
        return texts[0] if len(texts) == 1 else json.dumps(texts, ensure_ascii=False)
    if isinstance(value, (dict, list, bool)) or value is None:
        return json.dumps(value, ensure_ascii=False)
    return str(value)
