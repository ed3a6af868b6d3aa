"""The registry of message formats (what a format is: :mod:`zmqprose.wire.format`).

One registry, open to users::

    zmqprose.formats.register("protobuf", encode, decode)   # encode(value) -> bytes, decode(bytes) -> value

or the entry point group ``zmqprose.formats`` (an object with ``encode`` and
``decode``, or an ``(encode, decode)`` pair). Names are matched without case.
Formats that need a package of their own (msgpack, Jupyter) import it only
when a step uses them, and say which ``pip install`` brings it.
"""

from __future__ import annotations

import importlib
import json
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

from zmqprose.errors import ProseError, describe_error
from zmqprose.wire.format import (
    Format,
    FormatContext,
    InFormat,
    WholeMessageFormat,
    decode_value,
    encode_value,
    in_format,
    needs,
)
from zmqprose.wire.one_reading import strict_loads

__all__ = ["FORMATS", "FORMAT_NAME", "Format", "FormatContext", "InFormat", "WholeMessageFormat", "check_name",
           "decode_value", "encode_value", "get", "in_format", "names", "needs", "register", "register_msgpack"]

ENTRY_POINT_GROUP = "zmqprose.formats"
BUILT_IN = {  # formats that need a package of their own: made from their module when a step first uses them
    "msgpack": "zmqprose.wire.msgpack_format:MsgpackFormat",
    "Jupyter": "zmqprose.wire.jupyter_format:JupyterFormat",
}
PHRASE_WORD = "multipart"  # a word of the phrases themselves ("I send the multipart message …"): never a FORMAT
FORMAT_NAME = rf"(?!{PHRASE_WORD}\b)[A-Za-z][\w-]*"  # a format's name: what the phrases' FORMAT argument takes
# (zmqprose.steps.arguments) and what register takes (check_name), one rule written here only


def check_name(name: object) -> str:
    """``name`` if a phrase can name it as its FORMAT; else a :class:`ProseError` that says what a name may be.

    A name no phrase can match (``"wrongly-signed Jupyter"``: a space) would
    register fine and never be used.
    """
    if not isinstance(name, str):
        raise ProseError(f"a format's name is text, not {type(name).__name__} ({name!r})")
    if not re.fullmatch(FORMAT_NAME, name):
        why = (f"'{PHRASE_WORD}' is a word of the phrases themselves" if re.match(rf"{PHRASE_WORD}\b", name)
               else "a letter first, then letters, digits, '_' or '-' (no spaces), as a phrase's FORMAT is written")
        raise ProseError(f"the format name {name!r} cannot be written in a step: a name is {why}; "
                         f"e.g. \"{suggested_name(name)}\"")
    return name


def suggested_name(name: str) -> str:
    """A name like ``name`` that a phrase can write: ``wrongly-signed-Jupyter``."""
    words = re.findall(r"[\w-]+", name) or ["my-format"]
    suggestion = "-".join(words)
    if not suggestion[0].isalpha() or not re.fullmatch(FORMAT_NAME, suggestion):
        suggestion = f"my-{suggestion}" if re.fullmatch(FORMAT_NAME, f"my-{suggestion}") else "my-format"
    return suggestion


class Registry:
    """The known formats by lower-case name: the built-in ones, the users', and the entry points'."""

    def __init__(self) -> None:
        self._formats: dict[str, Format | Callable[[], Format]] = {}
        self._names: dict[str, str] = {}  # lower-case name -> the name as registered
        self._entry_points_loaded = False
        self._lock = threading.Lock()

    def add(self, fmt: Format | Callable[[], Format], name: str | None = None) -> None:
        """Know a format (or a maker of one, called when a step first uses it)."""
        name = name or fmt.name  # type: ignore[union-attr]
        self._formats[name.lower()] = fmt
        self._names[name.lower()] = name

    def get(self, name: str) -> Format:
        """The format called ``name``; an unknown one lists the known ones."""
        if not isinstance(name, str):
            raise ProseError(f"a format is named by its name, text such as \"JSON\" or \"msgpack\", "
                             f"not {type(name).__name__}")
        self._load_entry_points()
        found = self._formats.get(name.lower())
        if found is None:
            raise ProseError(f"unknown format '{name}': the known formats are {', '.join(self.names())}; "
                             f"a project adds one with zmqprose.formats.register(name, encode, decode)")
        if not isinstance(found, Format):
            found = found()
            self._formats[name.lower()] = found
        return found

    def names(self) -> list[str]:
        """The names of every known format."""
        self._load_entry_points()
        return sorted(self._names.values(), key=str.lower)

    def _load_entry_points(self) -> None:
        with self._lock:
            if self._entry_points_loaded:
                return
            self._entry_points_loaded = True
        from importlib.metadata import entry_points  # slow to import: only when a format is first asked for

        for point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                check_name(point.name)
            except ProseError as error:
                raise ProseError(f"the entry point {point.value} (group {ENTRY_POINT_GROUP}): {error}") from None
            try:
                loaded = point.load()
                encode, decode = loaded if isinstance(loaded, tuple) else (loaded.encode, loaded.decode)
            except Exception as error:
                raise ProseError(f"the format '{point.name}' of the entry point {point.value} "
                                 f"(group {ENTRY_POINT_GROUP}) cannot be loaded: {describe_error(error)}") from None
            self.add(Format(point.name, encode, decode))


FORMATS = Registry()


def register(name: str, encode: Callable[[Any], Any], decode: Callable[[Any], Any], frames: str = "last",
             summary: Callable[[Any], str | None] | None = None) -> None:
    """Add a format: of one frame (``frames="last"``: ``encode(value) -> bytes``, ``decode(bytes) -> value``,
    the message's last frame), or of the whole message (``frames="all"``: ``encode(value) -> [bytes, …]``,
    ``decode([bytes, …]) -> value``, every frame after the envelope). ``summary(value) -> str``, optional,
    names a decoded message in a few characters (its type, its command): a picture's arrow leads with it.

    The value is what a spec writes as JSON in its docstring; a decoded value
    should be JSON-like (dicts, lists, strings, numbers) for markers to match it.
    """
    check_name(name)
    for role, function, shape in (("encode", encode, "encode(value) -> bytes"),
                                  ("decode", decode, "decode(bytes) -> value")):
        if not callable(function):
            raise ProseError(f"the format {name!r}: {role} must be a function, {shape}, "
                             f"not {type(function).__name__}")
    if frames == "last":
        FORMATS.add(Format(name, encode, decode, summary))
    elif frames == "all":
        FORMATS.add(WholeMessageFormat(name, encode, decode, summary))
    else:
        raise ProseError(f'the format {name!r}: frames is "last" (one frame, the default) or "all" (the whole '
                         f"message after its envelope), not {frames!r}")


def register_msgpack(name: str, raw: bool = False, nested: Sequence[str] = ()) -> None:
    """Add a variant of msgpack for a service that writes it its own way, with msgpack's own options::

        zmqprose.formats.register_msgpack("salt", raw=True, nested=["load"])

    ``raw=True``: bytes go as msgpack str, as msgpack did before it had bin
    (``use_bin_type=False``): a received str that is not UTF-8 shows as
    ``"hex:…"``, and ``"hex:…"`` is sent as a str of those bytes.
    ``nested``: dotted paths (``load``, ``load.data``, ``0.body``) to fields
    whose bytes are msgpack themselves: read as their value, written back as bytes.
    """
    check_name(name)
    if not isinstance(raw, bool):
        raise ProseError(f"the msgpack variant {name!r}: raw is True or False, not {raw!r}")
    if isinstance(nested, str) or not all(isinstance(path, str) and path and "" not in path.split(".")
                                          for path in nested):
        raise ProseError(f"the msgpack variant {name!r}: nested is a list of dotted paths to fields whose bytes "
                         f"are msgpack, e.g. [\"load\"] or [\"load.data\", \"0.body\"], not {nested!r}")
    from zmqprose.wire.msgpack_format import MsgpackFormat  # needs the msgpack package: asked for when first used

    FORMATS.add(lambda: MsgpackFormat(name, raw, list(nested)), name)


def get(name: str) -> Format:
    """The registered format called ``name`` (case does not matter)."""
    return FORMATS.get(name)


def names() -> list[str]:
    """The names of the known formats."""
    return FORMATS.names()


# -- JSON ----------------------------------------------------------------------

def _encode_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")  # NaN is not JSON: refused


def _decode_json(frame: bytes) -> Any:
    return strict_loads(frame.decode("utf-8"))


FORMATS.add(Format("JSON", _encode_json, _decode_json))


def _maker(where: str) -> Callable[[], Format]:
    """A maker of the format class at ``where`` (``module:Class``), imported when first called."""
    module, _, name = where.partition(":")
    return lambda: getattr(importlib.import_module(module), name)()


for _name, _where in BUILT_IN.items():
    FORMATS.add(_maker(_where), _name)

