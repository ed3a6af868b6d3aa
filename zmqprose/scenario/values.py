"""What ``${…}`` means in one scenario: the checkpoint, values made for the spec, the scenario's sockets and
links, and the apps' settings (docs: reference/matching.md)."""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from zmqprose.settings.app import CHECKPOINT_NAMES, LINK_NAMES, SOCKET_NAMES
from zmqprose.wire.interpolation import interpolate_all, interpolate_frames, interpolate_json

if TYPE_CHECKING:
    from zmqprose.checkpoint import Checkpoint
    from zmqprose.links.table import LinkTable
    from zmqprose.sockets.table import SocketTable
    from zmqprose.wire.frames import Frame

MADE_VALUES: dict[str, Callable[[], Any]] = {
    "uuid": lambda: str(uuid.uuid4()),
    "now": lambda: datetime.datetime.now(datetime.UTC).isoformat().replace("+00:00", "Z"),
    "now.epoch": time.time,
}


class ScenarioValues:
    """The values ``${name}`` stands for in one scenario, and text, frames and JSON with them filled in.

    Each kind of name is answered by what keeps it: ``checkpoint.…`` by the checkpoint, ``socket.…`` by the
    socket table, ``link.…`` by the links, ``APP.SETTING`` by the apps; ``uuid``, ``now`` and ``now.epoch``
    are made anew each time."""

    def __init__(self, checkpoint: Checkpoint, sockets: SocketTable, links: LinkTable,
                 setting: Callable[[str], Any]) -> None:
        """``setting``: the value of ``APP.SETTING`` (the apps' settings, free ports as chosen so far)."""
        self._checkpoint, self._sockets, self._links, self._setting = checkpoint, sockets, links, setting

    def lookup(self, name: str) -> Any:
        """The value of ``${name}``: ``checkpoint.KEY`` (dotted paths reach inside), a value made for
        the spec (``uuid``, ``now``, ``now.epoch``), ``socket.…``, ``link.…``, or ``APP.SETTING``."""
        if name.startswith(CHECKPOINT_NAMES):
            return self._checkpoint.reach(name[len(CHECKPOINT_NAMES):])
        made = MADE_VALUES.get(name)
        if made is not None:
            return made()
        if name.startswith(SOCKET_NAMES):
            return self._sockets.value(name[len(SOCKET_NAMES):])
        if name.startswith(LINK_NAMES):
            return self._links.value(name[len(LINK_NAMES):])
        return self._setting(name)

    def interpolate(self, value: Any, keep: tuple[str, ...] = ()) -> Any:
        """``value`` with ``${…}`` filled in as text (strings, lists, dicts).

        Names starting with one of ``keep`` stay as they are (``("request.",)`` for a stub's answers).
        """
        return interpolate_all(value, self.lookup, keep)

    def interpolate_frames(self, frames: Sequence[Frame], keep: tuple[str, ...] = ()) -> list[Frame]:
        """Frames with ``${…}`` filled in; what a placeholder brings is data, sent as it came."""
        return interpolate_frames(frames, self.lookup, keep)

    def interpolate_json(self, text: str, keep: tuple[str, ...] = ()) -> str:
        """JSON text with ``${…}`` filled in as JSON (escaped inside strings)."""
        return interpolate_json(text, self.lookup, keep)
