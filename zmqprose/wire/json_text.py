"""JSON at the edges: written in a spec, or received in a frame; a mistake shows the text.

JSON is read strictly (:mod:`zmqprose.wire.one_reading`): ``NaN``,
``Infinity`` and a key twice in one object, which Python's reader takes, are
refused, and a whole number longer than Python's digit limit is named as
such, not as "not JSON".
"""

from __future__ import annotations

from typing import Any

from zmqprose.errors import ProseError
from zmqprose.wire.frames import show_frame
from zmqprose.wire.one_reading import Refused, strict_loads


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
