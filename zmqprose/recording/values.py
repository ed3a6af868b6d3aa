"""A recorded message as a spec writes it: a value in its format, text as text, anything else ``hex:``;
and in what the service said, markers where it makes something new each time.

**Formats.** A message is tried, in this order, as: Jupyter (a ``<IDS|MSG>``
frame, its signature checked with the key of the app's settings); each
format a project registers (an entry point of ``zmqprose.formats``), taken
only when writing its value back gives the very same frames; JSON (the last
frame, an object or an array: JSON readers read values, not spacing); msgpack
(the last frame, an array or a map; a message the client sent is taken only
when writing its value back gives the same bytes). The frames before the
format's are its envelope. Anything else is frames: UTF-8 text as text, other
bytes (and text a spec would read as notation: ``hex:…``, ``struct:…``, a
``#`` marker, a ``${…}``) as ``hex:``.

**Markers.** What a service makes anew each time cannot be a literal, or the
spec fails on its next run. Known shapes, in what the service said (never in
what the client sent, which the spec sends again as it was): a UUID
(``#uuid``); an ISO 8601 time, or seconds (milliseconds, microseconds) since
1970, within a day of the recording (``#regex`` of a time, ``#number``); text
with a random id in it, 16 hex digits or more (``#regex``, the id's shape, and
the digits around it as ``\\d+``: a process id, a counter); 16 bytes or more of
binary (``#regex hex:…`` of that length). A value the service echoes, one the
client sent on the same connection, is left as it is: the replayed spec sends
the same. Each marker comes with a note that says where it is and why
(:class:`Marked`).
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.wire import format_registry
from zmqprose.wire.format import Format, FormatContext, decode_value, encode_value, summary_of
from zmqprose.wire.frames import HEX_PREFIX, frame_text
from zmqprose.wire.literals import LITERAL_PREFIX, Binary
from zmqprose.wire.matching import UUID
from zmqprose.wire.one_reading import strict_loads
from zmqprose.wire.structs import STRUCT_PREFIX

DELIMITER = b"<IDS|MSG>"
BUILT_IN = ("json", "msgpack", "jupyter")
JUPYTER_FRAMES = 6  # <IDS|MSG>, the signature, header, parent_header, metadata, content (no buffers)
DAY = 86_400.0
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
ISO_PATTERN = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"
HEX_ID = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F](?:-?[0-9a-fA-F]){15,}(?![0-9A-Za-z])")
ID_BYTES = 16  # binary of this many bytes or more, made by the service, is taken for an id
EPOCH_SCALES = (1.0, 1e3, 1e6, 1e9)  # seconds, milliseconds, microseconds, nanoseconds since 1970
NOTATION_STARTS = (HEX_PREFIX, STRUCT_PREFIX, "#")  # text a frame notation would read as something else


class Marker(str):
    """A marker the recorder put in place of a value (never read as the text it is)."""

    __slots__ = ()


class Reference(str):
    """Text in which the recorder wrote a secret of the settings as ``${APP.SETTING}``: its ``${`` is meant."""

    __slots__ = ()


REFERENCE_START = "\ue000\ue001{"  # a Reference's own ${ while its JSON is written (private-use characters)


@dataclass
class Written:
    """A message as a step writes it: a value in a format (``format``), or frames in frame notation."""

    format: str | None  # "JSON", "msgpack", "Jupyter", a project's; None: frames
    value: Any  # the format's value, or the frames (notation strings)
    envelope: list[str] = field(default_factory=list)  # frames before the format's, in notation
    notes: list[str] = field(default_factory=list)  # what a reader of the feature should know of it

    @property
    def lead(self) -> str | None:
        """What tells this message apart (a method, a msg_type), as a picture's arrow leads with it."""
        if self.format is None:
            return None
        return summary_of(self.value)


def notation(frame: bytes) -> str:
    """A frame as a step writes it: its text if it is UTF-8 a step reads as that text, else ``hex:…``."""
    text = frame_text(frame)
    if text is None or text.startswith(NOTATION_STARTS) or "${" in text or not is_clean(text):
        return HEX_PREFIX + frame.hex()
    return text


def is_clean(text: str) -> bool:
    """Text without lone surrogates and without controls other than tab and newline (they read badly)."""
    return all(char.isprintable() or char in "\t\n\r" for char in text)


class Reader:
    """Reads the messages of one recording into :class:`Written` values (see the module)."""

    def __init__(self, jupyter: FormatContext | None = None) -> None:
        self.jupyter = jupyter  # the key and scheme of the app the client talks to, if the settings gave them
        self._formats: list[Format] | None = None

    def project_formats(self) -> list[Format]:
        """The formats a project registered (entry points), tried before the built-in ones."""
        if self._formats is None:
            self._formats = []
            for name in format_registry.names():
                if name.lower() not in BUILT_IN:
                    try:
                        self._formats.append(format_registry.get(name))
                    except ProseError:
                        continue
        return self._formats

    def read(self, frames: Sequence[bytes], sent: bool) -> Written:
        """The message ``frames`` as a step writes it; ``sent``: the client sent it (the spec will send it)."""
        frames = list(frames)
        if DELIMITER in frames:
            written = self._jupyter(frames)
            if written is not None:
                return written
        for fmt in self.project_formats():
            found = self._exactly(fmt, frames)
            if found is not None:
                return found
        if frames:
            found = self._json(frames)
            if found is None:
                found = self._msgpack(frames, sent)
            if found is not None:
                return found
        return Written(None, [notation(frame) for frame in frames])

    def _jupyter(self, frames: list[bytes]) -> Written | None:
        try:
            fmt = format_registry.get("Jupyter")
            before, own = fmt.split(frames)
        except ProseError:
            return None  # jupyter_client is not installed
        envelope = [notation(frame) for frame in before]
        if len(own) != JUPYTER_FRAMES:
            return Written(None, [notation(frame) for frame in frames],
                           notes=[f"a Jupyter message of {len(own)} frames after <IDS|MSG> (with buffers): "
                                  f"written as its frames"])
        if self.jupyter is None or self.jupyter.key is None:
            if own[1]:
                return Written(None, [notation(frame) for frame in frames],
                               notes=["a signed Jupyter message, and no key to check it with (--settings, --env "
                                      "and --app name the app whose key signs it): written as its frames, "
                                      "whose signature a service will refuse when the spec sends them again"])
            context = FormatContext()
        else:
            context = self.jupyter
        try:
            value = decode_value(fmt, own, context, "a recorded message")
        except ProseError as error:
            return Written(None, [notation(frame) for frame in frames], notes=[f"not written as Jupyter: {error}"])
        return Written("Jupyter", value, envelope)

    def _exactly(self, fmt: Format, frames: list[bytes]) -> Written | None:
        """``frames`` in ``fmt``, if writing the value back gives the very same frames."""
        try:
            before, own = fmt.split(frames)
            value = decode_value(fmt, own, FormatContext(), "a recorded message")
            if encode_value(fmt, value, FormatContext()) != own:
                return None
        except Exception:  # a project's decoder may raise anything on what is not its format
            return None
        return Written(fmt.name, value, [notation(frame) for frame in before])

    def _json(self, frames: list[bytes]) -> Written | None:
        text = frame_text(frames[-1])
        if text is None or text.lstrip()[:1] not in ("{", "["):
            return None
        try:
            value = strict_loads(text)
        except ValueError:
            return None
        return Written("JSON", value, [notation(frame) for frame in frames[:-1]])

    def _msgpack(self, frames: list[bytes], sent: bool) -> Written | None:
        if frames[-1][:1] == b"" or (frame_text(frames[-1]) is not None and is_clean(frames[-1].decode())):
            return None  # text reads as text
        try:
            fmt = format_registry.get("msgpack")
            value = decode_value(fmt, frames[-1:], FormatContext(), "a recorded message")
        except ProseError:
            return None
        if not isinstance(value, (list, dict)):
            return None
        if sent and encode_value(fmt, value, FormatContext()) != frames[-1:]:
            return None  # the spec would send other bytes
        return Written("msgpack", value, [notation(frame) for frame in frames[:-1]])


# -- what the client sent ---------------------------------------------------------------

def leaves(value: Any) -> Iterable[Any]:
    """Every string and number in a value (the keys of its objects too)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        yield value


def sent_values(written: Written) -> set[Any]:
    """What a message the client sent holds, to tell an echo from something the service made."""
    found: set[Any] = {str(item) if isinstance(item, str) else item for item in leaves(written.value)}
    found.update(written.envelope)
    return found


# -- markers ------------------------------------------------------------------------------

@dataclass
class Marked:
    """A received message with its markers in place, and a note for each: where, and why."""

    written: Written
    notes: list[str]


def mark(written: Written, echoes: set[Any], recorded_at: float) -> Marked:
    """``written`` (what the service said) with markers for what it makes anew each time (see the module);
    ``echoes``: what the client sent on the connection; ``recorded_at``: the recording's time (seconds since
    1970)."""
    notes: list[str] = []
    if written.format is None:
        value = [frame_marker(frame, echoes, recorded_at, f"frame {index}", notes)
                 for index, frame in enumerate(written.value)]
    else:
        value = value_marker(written.value, echoes, recorded_at, "$", notes)
    return Marked(Written(written.format, value, written.envelope, written.notes), notes)


def value_marker(value: Any, echoes: set[Any], recorded_at: float, path: str, notes: list[str]) -> Any:
    """``value`` with a marker in place of each part the service made anew (notes say where and why)."""
    if isinstance(value, dict):
        return {key: value_marker(item, echoes, recorded_at, f"{path}.{key}" if is_word(key) else
                                  f"{path}[{json.dumps(key, ensure_ascii=False)}]", notes)
                for key, item in value.items()}
    if isinstance(value, list):
        return [value_marker(item, echoes, recorded_at, f"{path}[{index}]", notes) for index, item in enumerate(value)]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        if value not in echoes and is_epoch(value, recorded_at):
            notes.append(f"{path}: #number: a time (since 1970) near the recording, which the service makes anew")
            return Marker("#number")
        return value
    if isinstance(value, Binary):
        size = (len(value) - len(HEX_PREFIX)) // 2
        if str(value) not in echoes and size >= ID_BYTES:
            notes.append(f"{path}: #regex hex:…: {size} bytes the service made, as ids are (the client sent none such)")
            return Marker(f"#regex hex:[0-9a-f]{{{size * 2}}}")
        return value
    if isinstance(value, str):
        return text_marker(value, echoes, recorded_at, path, notes) or value
    return value


def frame_marker(frame: str, echoes: set[Any], recorded_at: float, where: str, notes: list[str]) -> str:
    """A frame (in notation) with a marker in its place if the service made it anew."""
    if frame.startswith(HEX_PREFIX):
        return frame
    if frame not in echoes and re.fullmatch(r"-?\d+(\.\d+)?", frame) and is_epoch(float(frame), recorded_at):
        notes.append(f"{where}: #number: a time (since 1970) near the recording, which the service makes anew")
        return Marker("#number")
    return text_marker(frame, echoes, recorded_at, where, notes) or frame


def text_marker(text: str, echoes: set[Any], recorded_at: float, where: str, notes: list[str]) -> Marker | None:
    """The marker for text the service made anew, or None: a UUID, a time near the recording, an id in it."""
    if text in echoes:
        return None
    if UUID.fullmatch(text):
        notes.append(f"{where}: #uuid: a UUID the service made")
        return Marker("#uuid")
    time_found = ISO_TIME.fullmatch(text)
    if time_found and near(text, recorded_at):
        notes.append(f"{where}: #regex: a time near the recording, which the service makes anew")
        return Marker(f"#regex {ISO_PATTERN}")
    pieces, made = pattern_of(text, echoes, recorded_at)
    if made:
        notes.append(f"{where}: #regex: text with {' and '.join(made)} the service made in it "
                     f"(the digits around as \\d+)")
        return Marker("#regex " + "".join(pieces))
    return None


def pattern_of(text: str, echoes: set[Any], recorded_at: float) -> tuple[list[str], list[str]]:
    """A pattern for text with ids or times the service made in it: each id by its shape, each time by an ISO
    time's, the digits around them as ``\\d+``, the rest as it reads; and what was found. Ids the client sent
    stay as they read."""
    spans: list[tuple[int, int, str, str]] = []
    for found in ISO_TIME.finditer(text):
        if near(found.group(), recorded_at) and found.group() not in echoes:
            spans.append((found.start(), found.end(), ISO_PATTERN, "a time"))
    for found in HEX_ID.finditer(text):
        digits = found.group().replace("-", "")
        if found.group() in echoes or digits.isdigit() or not re.search(r"\d", digits) \
                or any(start < found.end() and found.start() < end for start, end, _, _ in spans):
            continue
        spans.append((found.start(), found.end(), f"[0-9a-fA-F-]{{{len(found.group())}}}", "an id"))
    if not spans:
        return [], []
    pieces: list[str] = []
    at = 0
    for start, end, shape, _ in sorted(spans):
        pieces.append(re.sub(r"\d+", r"\\d+", re.escape(text[at:start])))
        pieces.append(shape)
        at = end
    pieces.append(re.sub(r"\d+", r"\\d+", re.escape(text[at:])))
    return pieces, sorted({what for _, _, _, what in spans})


def near(text: str, recorded_at: float) -> bool:
    """Whether an ISO 8601 time is within a day of the recording."""
    found = text.replace(" ", "T").replace("Z", "+00:00")
    try:
        moment = datetime.datetime.fromisoformat(found)
    except ValueError:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return abs(moment.timestamp() - recorded_at) <= DAY


def is_epoch(number: float, recorded_at: float) -> bool:
    """Whether a number is the recording's time (within a day) in seconds, ms, µs or ns since 1970."""
    if not math.isfinite(number) or number <= 0:
        return False
    return any(abs(number / scale - recorded_at) <= DAY for scale in EPOCH_SCALES)


def is_word(key: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z_][\w-]*", key))


# -- written as JSON ----------------------------------------------------------------------

def as_spec_value(value: Any, fmt: str | None) -> Any:
    """A value as a spec writes it: text that a spec would read as notation (a ``#`` marker; in msgpack,
    ``hex:…`` that was text) written ``#literal TEXT``; markers the recorder put stay markers."""
    if isinstance(value, Marker):
        return str(value)
    if isinstance(value, dict):
        return {key: as_spec_value(item, fmt) for key, item in value.items()}
    if isinstance(value, list):
        return [as_spec_value(item, fmt) for item in value]
    if isinstance(value, Binary):
        return str(value)
    if isinstance(value, str) and (value.startswith("#") or
                                   (fmt is not None and fmt.lower() != "json" and value.startswith(HEX_PREFIX))):
        return LITERAL_PREFIX + value
    return value


def json_text(value: Any, width: int = 100) -> str:
    """JSON as a docstring holds it: each value on one line when it fits in ``width``, else its items one a
    line, indented; ``${`` written so that it is never filled in (``\\u0024{``), but for the references
    the recorder put for secrets (:class:`Reference`)."""
    text = layout(hide_references(value), 0, width).replace("${", "\\u0024{")
    return text.replace(REFERENCE_START, "${")


def hide_references(value: Any) -> Any:
    if isinstance(value, Reference):
        return value.replace("${", REFERENCE_START)
    if isinstance(value, dict):
        return {key: hide_references(item) for key, item in value.items()}
    if isinstance(value, list):
        return [hide_references(item) for item in value]
    return value


def with_references(value: Any, secrets: dict[str, str], frames: bool = False) -> Any:
    """``value`` with each secret of the settings in its text written as its reference (``${kernel.key}``):
    the spec fills it in, and the feature never shows it. ``frames``: a list of frames in notation (a
    ``hex:`` frame stays as it is)."""
    if not secrets:
        return value
    if isinstance(value, dict):
        return {key: with_references(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [with_references(item, secrets) for item in value]
    if isinstance(value, str) and not isinstance(value, Marker) and not value.startswith(("#regex ", HEX_PREFIX)):
        found = value
        for secret in sorted(secrets, key=len, reverse=True):
            found = found.replace(secret, secrets[secret])
        return Reference(found) if found != value else value
    return value


def layout(value: Any, indent: int, width: int, column: int | None = None) -> str:
    """One value of :func:`json_text`: its lines indented by ``indent``, its first starting at ``column``."""
    flat = json.dumps(value, ensure_ascii=False, allow_nan=False)
    if len(flat) + (indent if column is None else column) <= width or not isinstance(value, (dict, list)) \
            or not value:
        return flat
    inner = " " * (indent + 2)
    if isinstance(value, dict):
        keys = {key: json.dumps(key, ensure_ascii=False) + ": " for key in value}
        items = [keys[key] + layout(item, indent + 2, width, indent + 2 + len(keys[key]))
                 for key, item in value.items()]
        opening, closing = "{", "}"
    else:
        items = [layout(item, indent + 2, width) for item in value]
        opening, closing = "[", "]"
    return opening + "\n" + ",\n".join(inner + item for item in items) + "\n" + " " * indent + closing
