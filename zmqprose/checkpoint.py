"""The checkpoint: a plain attribute bag that keeps results between a scenario's steps.

Storyplayer's checkpoint carried data from one phase of a story to the next;
here it lives for one scenario and is new for the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.wire.paths import PathMissing, listed, paths_in, walk


class Checkpoint:
    """Values stored by a scenario: ``checkpoint.response = [b"PONG", b"42"]``.

    Any name can be stored, even one of the methods' (``keys``, ``get``):
    ``checkpoint["keys"]`` and ``checkpoint.get("keys")`` reach it, while
    ``checkpoint.keys`` stays the method.
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_values", {})

    def keys(self) -> list[str]:
        """The names stored so far, sorted."""
        return sorted(self._values)

    def has(self, key: str) -> bool:
        """True if ``key`` was stored."""
        return key in self._values

    def get(self, key: str) -> Any:
        """A stored value; an unknown key lists the keys there are."""
        if key not in self._values:
            raise ProseError(f"the checkpoint has no '{key}'; it has: {listed(self.keys(), '(nothing yet)')}")
        return self._values[key]

    def reach(self, dotted: str) -> Any:
        """A stored value, or a part of one by dotted path: ``reply.header.msg_id``, ``response.1`` (an index).

        The first name is the key (a key that has dots itself is found whole first).
        """
        if dotted in self._values:
            return self._values[dotted]
        key, _, path = dotted.partition(".")
        value = self.get(key)
        try:
            return walk(value, path.split("."))
        except PathMissing as missing:
            there = listed(paths_in(value), "(no parts: it is a single value)")
            raise ProseError(f'the checkpoint "{key}" has no "{path}" (no "{missing}"); it has: {there}') from None

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` as ``key`` (the same as ``checkpoint.key = value``)."""
        self._values[key] = value

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(f"the checkpoint has no '{key}'; it has: {listed(self.keys(), '(nothing yet)')}"
                                 ) from None

    def __setattr__(self, key: str, value: Any) -> None:
        self._values[key] = value

    def __delattr__(self, key: str) -> None:
        self._values.pop(key, None)

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._values[key] = value

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def __repr__(self) -> str:
        return f"Checkpoint({self._values!r})"
