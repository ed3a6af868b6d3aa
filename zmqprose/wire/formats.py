"""Message formats: how a value, written in a spec as JSON, goes on the wire, and how it comes back.

A format is one frame (JSON, msgpack, a user's protobuf: the last frame of
a message) or a whole message (Jupyter: everything from ``<IDS|MSG>`` on).
The frames before it are the envelope: sent and checked only when a step
says ``with the envelope FRAMES``.

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
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

from zmqprose.errors import ProseError, describe_error
from zmqprose.wire.frames import show_frame
from zmqprose.wire.json_text import Refused, strict_loads

ENTRY_POINT_GROUP = "zmqprose.formats"


@dataclass(frozen=True)
class FormatContext:
    """What a format may need besides the value: a Jupyter key and session, from the app's settings."""

    key: bytes | None = None
    signature_scheme: str = "hmac-sha256"
    session: str = ""
    username: str = "zmqprose"


class Format:
    """A format of one frame: the last frame of a message. Subclasses may take the whole message."""

    whole_message = False

    def __init__(self, name: str, encode: Callable[[Any], bytes], decode: Callable[[bytes], Any]) -> None:
        self.name = name
        self._encode = encode
        self._decode = decode

    def encode(self, value: Any, context: FormatContext) -> list[bytes]:
        """The frames for ``value``."""
        return [self._encode(value)]

    def decode(self, frames: Sequence[bytes], context: FormatContext) -> Any:
        """The value of the format's frames (one frame here)."""
        return self._decode(frames[-1])

    def signature(self, frames: Sequence[bytes]) -> bytes | None:
        """The signature of a received message in this format, if the format signs (Jupyter): a socket
        refuses one it has seen before, a replay."""
        return None

    def split(self, frames: Sequence[bytes]) -> tuple[list[bytes], list[bytes]]:
        """A received message as (the frames before the format's, the format's frames)."""
        return list(frames[:-1]), list(frames[-1:])


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
        for point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                loaded = point.load()
                encode, decode = loaded if isinstance(loaded, tuple) else (loaded.encode, loaded.decode)
            except Exception as error:
                raise ProseError(f"the format '{point.name}' of the entry point {point.value} "
                                 f"(group {ENTRY_POINT_GROUP}) cannot be loaded: {describe_error(error)}") from None
            self.add(Format(point.name, encode, decode))


FORMATS = Registry()


def register(name: str, encode: Callable[[Any], bytes], decode: Callable[[bytes], Any]) -> None:
    """Add a format of one frame: ``encode(value) -> bytes``, ``decode(bytes) -> value``.

    The value is what a spec writes as JSON in its docstring; a decoded value
    should be JSON-like (dicts, lists, strings, numbers) for markers to match it.
    """
    FORMATS.add(Format(name, encode, decode))


def get(name: str) -> Format:
    """The registered format called ``name`` (case does not matter)."""
    return FORMATS.get(name)


def names() -> list[str]:
    """The names of the known formats."""
    return FORMATS.names()


def needs(module: str, extra: str) -> Any:
    """Import the package a format needs, or say which ``pip install`` brings it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ProseError(f"this format needs the package '{module}': pip install \"zmqprose[{extra}]\"") from None


def decode_value(fmt: Format, frames: Sequence[bytes], context: FormatContext, where: str) -> Any:
    """The value of a received message in a format; a message that is not that format fails clearly."""
    if not frames:
        raise ProseError(f"{where} has no frames, so no {fmt.name} message")
    try:
        return fmt.decode(frames, context)
    except ProseError:
        raise
    except RecursionError:
        raise ProseError(f"{where} is {fmt.name} nested too deeply to read") from None
    except Refused as error:
        shown = ", ".join(repr(show_frame(frame, 200)) for frame in frames[-3:])
        raise ProseError(f"{where} is refused as {fmt.name}: {error}: {shown}") from None
    except Exception as error:
        shown = ", ".join(repr(show_frame(frame, 200)) for frame in frames[-3:])
        raise ProseError(f"{where} is not a {fmt.name} message ({describe_error(error)}): {shown}") from None


def encode_value(fmt: Format, value: Any, context: FormatContext) -> list[bytes]:
    """The frames of a value in a format; a value the format cannot take fails clearly."""
    try:
        return fmt.encode(value, context)
    except ProseError:
        raise
    except Exception as error:
        raise ProseError(f"cannot write {json.dumps(value)[:200]} as {fmt.name}: {describe_error(error)}") from None


# -- JSON ----------------------------------------------------------------------

def _encode_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _decode_json(frame: bytes) -> Any:
    return strict_loads(frame.decode("utf-8"))


FORMATS.add(Format("JSON", _encode_json, _decode_json))


def _msgpack() -> Format:
    from zmqprose.wire.msgpack_format import MsgpackFormat

    return MsgpackFormat()


def _jupyter() -> Format:
    from zmqprose.wire.jupyter_format import JupyterFormat

    return JupyterFormat()


FORMATS.add(_msgpack, "msgpack")
FORMATS.add(_jupyter, "Jupyter")

