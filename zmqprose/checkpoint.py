"""The checkpoint: a plain attribute bag that keeps results between a scenario's steps.

Storyplayer's checkpoint carried data from one phase of a story to the next;
here it lives for one scenario and is new for the next.
"""

from __future__ import annotations

from typing import Any

from zmqprose.errors import ProseError


class Checkpoint:
    """Values stored by a scenario: ``checkpoint.response = [b"PONG", b"42"]``."""

    def keys(self) -> list[str]:
        """The names stored so far, sorted."""
        return sorted(vars(self))

    def has(self, key: str) -> bool:
        """True if ``key`` was stored."""
        return key in vars(self)

    def get(self, key: str) -> Any:
        """A stored value; an unknown key lists the keys there are."""
        if not self.has(key):
            raise ProseError(
                f"the checkpoint has no '{key}'; it has: {', '.join(self.keys()) or '(nothing yet)'}"
            )
        return vars(self)[key]

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` as ``key`` (the same as ``checkpoint.key = value``)."""
        setattr(self, key, value)

    def __repr__(self) -> str:
        return f"Checkpoint({vars(self)!r})"
