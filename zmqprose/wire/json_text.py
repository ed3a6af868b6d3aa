"""JSON written in a spec (a message to send, a stub's answer); a mistake shows the text.

What arrives in a frame is read by the JSON format (:mod:`zmqprose.wire.format_registry`).

JSON is read strictly (:mod:`zmqprose.wire.one_reading`): ``NaN``,
``Infinity`` and a key twice in one object, which Python's reader takes, are
refused, and a whole number longer than Python's digit limit is named as
such, not as "not JSON".
"""

from __future__ import annotations

import json
import re
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.wire.one_reading import Refused, strict_loads


def parse_json_text(text: str, where: str) -> Any:
    """JSON written in a spec; bad JSON fails with its line and column, and shows the text."""
    try:
        return strict_loads(text)
    except Refused as error:
        raise ProseError(f"{where} is refused as JSON: {error}:\n{text}") from None
    except ValueError as error:
        hint = "; a backslash in JSON is written twice (a #regex's \\d is \\\\d)" if lone_backslash(error) else ""
        raise ProseError(f"{where} is not valid JSON ({error}){hint}:\n{text}") from None
    except RecursionError:
        raise ProseError(f"{where} is JSON nested too deeply to read") from None


JSON_ESCAPES = frozenset('"\\/bfnrtu')  # what may follow a backslash in a JSON string


def lone_backslash(error: ValueError) -> bool:
    """Whether JSON refused a backslash that escapes nothing it knows (a ``#regex``'s ``\\d``, written once)."""
    return isinstance(error, json.JSONDecodeError) and error.msg.startswith("Invalid \\escape")


def backslashes_doubled(text: str) -> str:
    """``text`` with each backslash that escapes nothing JSON knows written twice, as JSON wants it."""
    return re.sub(r"\\(.?)", lambda pair: pair[0] if pair[1] in JSON_ESCAPES else "\\\\" + pair[1], text)
