"""``${...}`` in a spec's strings: values from the checkpoint and the settings.

``${checkpoint.KEY}`` is a stored value, ``${APP.SETTING}`` an app setting
(dotted paths reach nested settings). An unknown name is an error, never an
empty string.

What a placeholder brings in is data, never notation: a received frame
that reads ``hex:4142`` or ``#ignore`` is sent and compared as those very
bytes, a value with a quote in it stays one JSON string, a value inside a
``#regex`` pattern is matched as it reads (escaped), and a value in a
``struct:`` frame is one of its values, packed with the rest. Only what the
spec writes itself is read as ``hex:…``, as a marker or as a struct format.

Text that keeps some placeholders for later (a stub's answer keeps
``${request.…}`` until a request comes) has the others looked up now and
kept as they came, each in a placeholder of its own (:class:`Filled`): when
the rest is filled in, they are brought in as data, exactly as if the whole
text were filled in at once then, never read for ``${…}`` again (a CURVE key
has ``$``, ``{`` and ``}`` among its letters).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.wire.frames import HEX_PREFIX, Frame, frame_text
from zmqprose.wire.literals import LITERAL_PREFIX, Binary
from zmqprose.wire.matching import REGEX_MARKER, is_marker
from zmqprose.wire.one_reading import strict_loads
from zmqprose.wire.structs import STRUCT_PREFIX, is_struct_frame, split_struct_frame

PLACEHOLDER = re.compile(r"\$\{([^{}]*)\}")

Lookup = Callable[[str], Any]


def interpolate(text: str, lookup: Lookup, keep: tuple[str, ...] = ()) -> str:
    """``text`` with every ``${name}`` replaced by ``lookup(name)`` as text.

    Names that start with one of ``keep`` are left as they are, to be filled
    in later (a stub's ``${request.…}``, when the request arrives): see
    :func:`filled_now`. In a ``#regex`` pattern a value is escaped: it
    matches as it reads.
    """
    if "${" not in text:
        return text
    if (later := filled_now(text, lookup, keep)) is not None:
        return later
    fill = as_pattern if text.startswith(REGEX_MARKER) else as_text
    return "".join(piece if isinstance(piece, str) else fill(piece.value) for piece in pieces(text, lookup))


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

    A frame the spec writes as ``hex:…`` or as a ``#regex`` is notation, and
    is filled in as text (a pattern's values escaped); a ``struct:`` frame is
    filled in value by value (:func:`interpolate_struct_frame`). Any other
    frame becomes bytes: the spec's own text as UTF-8, each value as its
    bytes (a stored frame exactly as it came). A frame that keeps a
    placeholder for later stays text until then (:func:`filled_now`).
    """
    if not isinstance(frame, str) or "${" not in frame:
        return frame
    if is_struct_frame(frame):
        return interpolate_struct_frame(frame, lookup, keep)
    if (later := filled_now(frame, lookup, keep)) is not None:
        return later
    if frame.startswith(HEX_PREFIX) or is_marker(frame):
        return interpolate(frame, lookup)
    parts = pieces(frame, lookup)
    return b"".join(part.encode("utf-8") if isinstance(part, str) else as_bytes(part.value) for part in parts)


def interpolate_frames(frames: Sequence[Frame], lookup: Lookup, keep: tuple[str, ...] = ()) -> list[Frame]:
    """:func:`interpolate_frame` for every frame of a message."""
    return [interpolate_frame(frame, lookup, keep) for frame in frames]


def interpolate_json(text: str, lookup: Lookup, keep: tuple[str, ...] = ()) -> str:
    """JSON text written in a spec, with its placeholders filled in as JSON.

    Inside a JSON string a value is escaped as string content (a quote in
    it stays a quote; inside a ``"#regex …"`` string it is a pattern's
    literal text too); outside, it is written as a JSON value
    (``{"count": ${checkpoint.n}}`` gives a number when ``n`` is one).
    """
    if "${" not in text:
        return text
    if (later := filled_now(text, lookup, keep)) is not None:
        return later
    written: list[str] = []
    for part in json_parts(text, lookup):
        if isinstance(part, str):
            written.append(part)
        elif isinstance(part, Value):
            written.append(json_literal(part.value))
        else:
            written.append(part.filled_as_text())
    return "".join(written)


def interpolate_struct_frame(frame: str, lookup: Lookup, keep: tuple[str, ...] = ()) -> str:
    """A ``struct:`` frame with its placeholders filled in as its values: ``struct:>HB21s [43681, 1,
    "${socket.inbox.endpoint}"]`` is then packed with the endpoint as text.

    A value is data: inside a string, its bytes exactly as they came
    (written back as ``hex:…`` where its text would read as notation or it
    is not UTF-8); as a whole value, its JSON (a stored ``42`` is a number).
    The spec's own ``"hex:…"`` and ``"#regex …"`` strings stay notation,
    filled in as text (a pattern's values escaped). The format is written
    out in the spec: a placeholder there is refused.
    """
    layout, values_text = split_struct_frame(frame)
    if "${" in layout:
        raise ProseError(f"frame {frame!r}: the format of a struct: frame is written out, not filled in; "
                         f"${{…}} goes among its values, e.g. 'struct:>I [${{checkpoint.n}}]'")
    if (later := filled_now(frame, lookup, keep)) is not None:
        return later
    lookup = own_values(frame, lookup)
    written: list[str] = []
    try:
        for part in json_parts(values_text, lookup):
            if isinstance(part, str):
                written.append(part)
            elif isinstance(part, Value):
                written.append(json.dumps(data_value(part.value), ensure_ascii=False))
            else:
                written.append(part.filled_as_data(frame))
    except RecursionError:
        raise ProseError(f"frame {frame!r}: a value filled in is nested too deeply to read") from None
    return f"{STRUCT_PREFIX}{layout} {''.join(written)}"


class Value:
    """A looked-up value in the middle of a spec's text."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def pieces(text: str, lookup: Lookup) -> list[str | Value]:
    """``text`` cut into the spec's own text and looked-up values, in order (a :class:`Filled` text's values
    filled in now are its own)."""
    lookup = own_values(text, lookup)
    found: list[str | Value] = []
    at = 0
    for match in PLACEHOLDER.finditer(text):
        found.append(text[at:match.start()])
        found.append(Value(lookup(placeholder_name(match, text))))
        at = match.end()
    found.append(text[at:])
    check_closed(text, PLACEHOLDER.sub("", text))
    return found


def placeholder_name(match: re.Match[str], text: str) -> str:
    """The name a placeholder of ``text`` says; an empty one is refused."""
    name = match[1].strip()
    if not name:
        raise ProseError(f"empty ${{}} in {text!r}: write ${{checkpoint.KEY}} or ${{APP.SETTING}}")
    return name


def check_closed(text: str, outside: str) -> None:
    """Refuse a ``${`` of ``text`` left without its ``}`` (``outside``: the text without its placeholders)."""
    if "${" in outside:
        raise ProseError(f"unclosed ${{ in {text!r}: write ${{name}}")


FILLED_NOW = "="  # the names of the values a Filled text keeps begin so: no name a spec's ${…} may mean does


class Filled(str):
    """Text of a spec filled in now but for what it keeps for later (a stub's ``${request.…}``).

    Each value filled in now stands in it as a placeholder of its own
    (``${=0 checkpoint.key}``) and is kept in :attr:`values` as it came: when
    the rest is filled in (:func:`interpolate_frame`, :func:`interpolate_json`,
    … with the text and any lookup), those placeholders are filled from
    :attr:`values`, and the whole text is filled in at once, each value as data.
    Text made from it (a slice, a join) is plain text, and keeps no values.
    """

    values: dict[str, Any]

    def __new__(cls, text: str, values: dict[str, Any]) -> Filled:
        made = super().__new__(cls, text)
        made.values = values
        return made

    def __getnewargs__(self) -> tuple[str, dict[str, Any]]:  # type: ignore[override]  # a copy keeps its values
        return str(self), self.values


def filled_now(text: str, lookup: Lookup, keep: tuple[str, ...]) -> Filled | None:
    """``text`` with its placeholders that ``keep`` does not name looked up now and kept as values of a
    :class:`Filled`, the kept ones left as they are; None if it keeps none (it is filled in at once)."""
    if not keep or not any(placeholder_name(match, text).startswith(keep) for match in PLACEHOLDER.finditer(text)):
        return None
    lookup = own_values(text, lookup)
    values: dict[str, Any] = {}

    def kept_or_filled(match: re.Match[str]) -> str:
        name = placeholder_name(match, text)
        if name.startswith(keep):
            return match[0]
        slot = f"{FILLED_NOW}{len(values)} {name}"
        values[slot] = lookup(name)
        return f"${{{slot}}}"

    written = PLACEHOLDER.sub(kept_or_filled, text)
    check_closed(text, PLACEHOLDER.sub("", written))
    return Filled(written, values)


def own_values(text: str, lookup: Lookup) -> Lookup:
    """``lookup``, but for the values a :class:`Filled` text filled in when it was written: those it has."""
    if not isinstance(text, Filled) or not text.values:
        return lookup
    values = text.values
    return lambda name: values[name] if name in values else lookup(name)


class JsonString:
    """A JSON string of a spec's text, as written between its quotes: the spec's own pieces (raw, escapes
    and all) and the values filled in among them."""

    def __init__(self) -> None:
        self.parts: list[str | Value] = []
        self.closed = False

    def filled_as_text(self) -> str:
        """The string with each value escaped as string content (a ``#regex`` string's as a pattern's too).

        What the values make is data: a string that would read as notation
        because of them (a stored ``#ignore``, text that reads ``hex:4142``)
        is written ``"#literal …"``, itself and nothing more; a value that
        stands for bytes (received as msgpack bin, or not UTF-8) stays ``hex:…``.
        """
        start = self._spec_start()
        fill = as_pattern if start.startswith(REGEX_MARKER) else as_text
        inner = "".join(part if isinstance(part, str) else json.dumps(fill(part.value), ensure_ascii=False)[1:-1]
                        for part in self.parts)
        if self.closed and not start.startswith((HEX_PREFIX, REGEX_MARKER)) and self._values():
            try:
                text: str = json.loads(f'"{inner}"')
            except ValueError:  # the spec's own escapes are wrong: the JSON reader says so, later
                text = ""
            if reads_as_json_notation(text) and not self._stands_for_bytes():
                return json.dumps(LITERAL_PREFIX + text, ensure_ascii=False)
        return f'"{inner}"' if self.closed else f'"{inner}'

    def _values(self) -> list[Value]:
        return [part for part in self.parts if isinstance(part, Value)]

    def _stands_for_bytes(self) -> bool:
        """Whether the string is one value and nothing else, a value that stands for bytes (its ``hex:…``)."""
        values = self._values()
        return (len(values) == 1 and not any(isinstance(part, str) and part for part in self.parts)
                and stands_for_bytes(values[0].value))

    def filled_as_data(self, frame: str) -> str:
        """The string as one value of a ``struct:`` frame: the spec's ``"hex:…"`` and ``"#regex …"`` are
        notation, filled in as text; any other string is data, its bytes exactly (see :func:`data_text`)."""
        start = self._spec_start()
        if not self.closed or start.startswith((HEX_PREFIX, REGEX_MARKER)):
            return self.filled_as_text()
        data = b"".join(self._spec_bytes(part, frame) if isinstance(part, str) else as_bytes(part.value)
                        for part in self.parts)
        return json.dumps(data_text(data), ensure_ascii=False)

    def _spec_start(self) -> str:
        first = self.parts[0] if self.parts else ""
        return first if isinstance(first, str) else ""

    @staticmethod
    def _spec_bytes(raw: str, frame: str) -> bytes:
        try:
            text: str = json.loads(f'"{raw}"')
        except ValueError:
            raise ProseError(f"frame {frame!r}: {raw!r} is not the inside of a JSON string (a backslash "
                             f"escapes the next character: \\\\ for one backslash)") from None
        return text.encode("utf-8")


def json_parts(text: str, lookup: Lookup) -> list[str | Value | JsonString]:
    """JSON text of a spec, cut into the spec's text outside strings, values filled in outside strings,
    and strings (:class:`JsonString`) with the values filled in inside them."""
    found: list[str | Value | JsonString] = []
    string: JsonString | None = None
    escaped = False
    for piece in pieces(text, lookup):
        if isinstance(piece, Value):
            if string is None:
                found.append(piece)
            else:
                string.parts.append(piece)
            escaped = False
            continue
        start = 0
        for at, char in enumerate(piece):
            if escaped:
                escaped = False
            elif string is not None and char == "\\":
                escaped = True
            elif char == '"':
                if string is None:
                    found.append(piece[start:at])
                    string = JsonString()
                    found.append(string)
                else:
                    string.parts.append(piece[start:at])
                    string.closed = True
                    string = None
                start = at + 1
        if string is None:
            found.append(piece[start:])
        else:
            string.parts.append(piece[start:])
    return found


def is_notation(text: str) -> bool:
    """Whether a text written in a frame or a ``struct:`` value would read as more than itself."""
    return text.startswith(HEX_PREFIX) or is_marker(text)


def data_text(data: bytes) -> str:
    """Bytes as a ``struct:`` text value that packs them exactly: their text, unless it is not UTF-8 or would
    read as notation (``hex:…``, a marker), then ``hex:`` and their digits."""
    text = frame_text(data)
    return HEX_PREFIX + data.hex() if text is None or is_notation(text) else text


def data_value(value: Any) -> Any:
    """A looked-up value as one value of a ``struct:`` frame: a stored frame that is JSON is its JSON
    (``42`` a number), any other text or bytes a string of exactly its bytes; strings inside as data too."""
    if isinstance(value, list) and value and all(isinstance(frame, bytes) for frame in value):
        return data_value(value[0]) if len(value) == 1 else [data_text(frame) for frame in value]
    if isinstance(value, (str, bytes)):
        data = value.encode("utf-8") if isinstance(value, str) else value
        try:
            return as_data(strict_loads(data.decode("utf-8")))
        except ValueError:  # not UTF-8, not JSON, or JSON read two ways: the text itself
            return data_text(data)
    return as_data(value)


def as_data(value: Any) -> Any:
    """A JSON-like value whose strings are data (:func:`data_text`), never notation."""
    if isinstance(value, str):
        return data_text(value.encode("utf-8"))
    if isinstance(value, (list, tuple)):
        return [as_data(item) for item in value]
    if isinstance(value, dict):
        return {key: as_data(item) for key, item in value.items()}
    return value


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


def as_pattern(value: Any) -> str:
    """A looked-up value inside a ``#regex`` pattern: its text, escaped, so that it matches as it reads."""
    return re.escape(as_text(value))


def as_bytes(value: Any) -> bytes:
    """A looked-up value as the bytes of a frame: a stored frame exactly as it came."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], bytes):
        return value[0]
    return as_text(value).encode("utf-8")


def json_literal(value: Any) -> str:
    """A looked-up value written as a JSON value: text that is JSON (read one way, and not too deep to
    read) stays as it is, other text is quoted (a stored ``NaN`` is the text "NaN"). Its strings are data
    (:func:`as_json_data`): one that would read as notation is written ``"#literal …"``."""
    if isinstance(value, (str, bytes)) or (isinstance(value, list) and value and isinstance(value[0], bytes)):
        text = as_text(value)
        try:
            parsed = strict_loads(text)
        except (ValueError, RecursionError):
            if stands_for_bytes(value):
                return json.dumps(text)  # hex:…: bytes, sent back as bytes (msgpack bin)
            return json.dumps(LITERAL_PREFIX + text if reads_as_json_notation(text) else text, ensure_ascii=False)
        data = as_json_data(parsed, texts_only=True)
        return text if data is parsed else json.dumps(data, ensure_ascii=False)
    return json.dumps(as_json_data(value), ensure_ascii=False)


def reads_as_json_notation(text: str) -> bool:
    """Whether a string in a spec's JSON would read as more than itself: a marker, ``hex:…``, ``#literal …``."""
    return is_notation(text) or text.startswith(LITERAL_PREFIX)


def stands_for_bytes(value: Any) -> bool:
    """Whether a looked-up value stands for bytes, so that its ``hex:…`` goes back as bytes: what a format
    received as bytes (:class:`~zmqprose.wire.literals.Binary`), or a stored frame that is not UTF-8."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return isinstance(value, Binary) or (isinstance(value, bytes) and frame_text(value) is None)


def as_json_data(value: Any, texts_only: bool = False) -> Any:
    """A JSON-like value whose strings are data: one that would read as notation is written ``"#literal …"``;
    a :class:`~zmqprose.wire.literals.Binary` stays ``hex:…`` (unless ``texts_only``: a value read from
    text holds text only), and bytes become ``hex:…``. The very value when none changes."""
    if isinstance(value, str):
        if (isinstance(value, Binary) and not texts_only) or not reads_as_json_notation(value):
            return value
        return LITERAL_PREFIX + value
    if isinstance(value, (bytes, bytearray)):
        return HEX_PREFIX + bytes(value).hex()
    if isinstance(value, (list, tuple)):
        items = [as_json_data(item, texts_only) for item in value]
        return value if all(new is old for new, old in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        pairs = {key: as_json_data(item, texts_only) for key, item in value.items()}
        return value if all(pairs[key] is item for key, item in value.items()) else pairs
    return value
