"""The Jupyter messaging protocol, wire format 5.x (``pip install "zmqprose[jupyter]"``).

A message is ``<IDS|MSG>``, an HMAC signature, then header, parent_header,
metadata and content as JSON frames; the frames before ``<IDS|MSG>`` are
routing ids (the envelope). A spec writes the value as an object with
those four keys; what it leaves out is filled in (``msg_id`` a new UUID,
``session`` one per scenario, ``date`` now, ``version``, ``username``;
``parent_header`` and ``metadata`` empty). Signing, serialising and checking
are ``jupyter_client``'s ``Session``: a received message whose signature is
wrong fails the step that reads it. A signed message where no key is known
(a socket that belongs to no app with a ``key``) fails too: a signature that
cannot be checked never passes. A signature seen before on the same socket
is a replay, refused by the receiving socket (:meth:`JupyterFormat.signature`).
Its JSON parts are read as strictly as any JSON (:mod:`zmqprose.wire.one_reading`):
a key twice or a NaN is refused, naming the part.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Sequence
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.wire.format import Format, FormatContext, needs
from zmqprose.wire.matching import shorten_json
from zmqprose.wire.one_reading import Refused, strict_loads

DELIMITER = b"<IDS|MSG>"
PARTS = ("header", "parent_header", "metadata", "content")


def jsonable(value: Any) -> Any:
    """A decoded message as JSON shows it: dates as ISO 8601 text."""
    if isinstance(value, datetime.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    return value


class PartNotJSON(Exception):
    """A part of a signed message that is not JSON (told apart from a wrong signature, a ValueError too)."""


class StrictUnpacker:
    """``Session.unpack`` made strict: UTF-8 and one reading only, and saying which part it reads
    (``Session.deserialize`` reads them in the order of :data:`PARTS`)."""

    def __init__(self) -> None:
        self.parts = iter(PARTS)

    def __call__(self, data: bytes) -> Any:
        part = next(self.parts, "a")
        try:
            return strict_loads(bytes(data).decode("utf-8"))
        except Refused as error:
            raise Refused(f"in its {part} frame, {error}") from None
        except ValueError as error:
            raise PartNotJSON(f"its {part} frame is not JSON ({error})") from None


class JupyterFormat(Format):
    """A whole Jupyter message after its routing ids."""

    def __init__(self) -> None:
        self.session_module = needs("jupyter_client.session", "jupyter")
        self.name = "Jupyter"
        self._sessions: dict[FormatContext, Any] = {}
        self._lock = threading.Lock()

    def session(self, context: FormatContext) -> Any:
        """jupyter_client's Session for a key, a scheme and a session id (one each, kept)."""
        with self._lock:
            if context not in self._sessions:
                self._sessions[context] = self.session_module.Session(
                    key=context.key or b"", signature_scheme=context.signature_scheme,
                    session=context.session, username=context.username)
                self._sessions[context].unpack = StrictUnpacker()
            return self._sessions[context]

    def encode(self, value: Any, context: FormatContext) -> list[bytes]:
        if not isinstance(value, dict) or set(value) - set(PARTS):
            raise ProseError(f"a Jupyter message is an object with the keys {', '.join(PARTS)} (any may be left out), "
                             f"not {shorten_json(value, 200)}")  # masked, then cut
        session = self.session(context)
        header = dict(value.get("header", {}))
        header = {**session.msg_header(header.get("msg_type", "")), "msg_id": str(uuid.uuid4()), **header}
        message = {"header": header, "parent_header": value.get("parent_header", {}),
                   "metadata": value.get("metadata", {}), "content": value.get("content", {})}
        return [bytes(frame) for frame in session.serialize(message)]

    def signature(self, frames: Sequence[bytes]) -> bytes | None:
        """The message's signature (the frame after ``<IDS|MSG>``), if it is signed."""
        return bytes(frames[1]) if len(frames) > 1 and frames[1] else None

    def decode(self, frames: Sequence[bytes], context: FormatContext) -> Any:
        if context.key is None and self.signature(frames) is not None:
            raise ProseError("the Jupyter message is signed, but no key is known for this socket, so its "
                             "signature cannot be checked: make the socket through an app reference "
                             "(APP's shell port), whose app's settings have the 'key': connect to it, or, "
                             "where the spec plays the kernel, bind to it (an app without 'start' whose port "
                             "is 0 takes a free port then: docs: how-to/play-a-service.md, *Playing a service*)")
        session = self.session(context)
        with self._lock:
            session.digest_history.clear()  # the same message may be read twice (a receive, then a store)
            session.unpack.parts = iter(PARTS)
            try:
                message = session.deserialize(list(frames[1:]), content=True, copy=True)
            except PartNotJSON as error:
                raise ProseError(f"the Jupyter message's signature checks out, but {error}") from None
            except Refused:
                raise
            except ValueError as error:
                raise ProseError(f"the Jupyter message's signature does not check out ({error}): "
                                 f"is the key in the settings the kernel's key?") from None
        return jsonable({part: message.get(part, {}) for part in PARTS})

    def split(self, frames: Sequence[bytes]) -> tuple[list[bytes], list[bytes]]:
        if DELIMITER not in frames:
            raise ProseError(f"no {DELIMITER.decode()} frame: not a Jupyter message")
        cut = list(frames).index(DELIMITER)
        return list(frames[:cut]), list(frames[cut:])
