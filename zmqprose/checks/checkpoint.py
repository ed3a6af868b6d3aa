"""``expects_checkpoint()``: checks of what a scenario stored in its checkpoint."""

from __future__ import annotations

from collections.abc import Sequence

from zmqprose.checkpoint import Checkpoint
from zmqprose.errors import ProseError, checked
from zmqprose.wire.frames import Frame
from zmqprose.wire.matching import frames_difference


@checked
class ExpectsCheckpoint:
    """Expectations about what a scenario stored in its checkpoint."""

    def __init__(self, checkpoint: Checkpoint) -> None:
        self._checkpoint = checkpoint

    def has(self, key: str) -> None:
        """``key`` was stored.

        Example: ``prose.expects_checkpoint().has("response")``
        """
        self._checkpoint.get(key)

    def lacks(self, key: str) -> None:
        """``key`` was not stored.

        Example: ``prose.expects_checkpoint().lacks("error")``
        """
        if self._checkpoint.has(key):
            raise ProseError(f"the checkpoint has '{key}' = {self._checkpoint.get(key)!r}, but should not")

    def holds(self, key: str, expected: str | Sequence[Frame]) -> None:
        """The stored value is ``expected``: a text, or frames (markers allowed).

        Example: ``prose.expects_checkpoint().holds("response", ["PONG", "#number"])``
        """
        value = self._checkpoint.get(key)
        actual = [value.encode("utf-8")] if isinstance(value, str) else value
        wanted = [expected] if isinstance(expected, str) else list(expected)
        if not (isinstance(actual, list) and all(isinstance(frame, bytes) for frame in actual)):
            raise ProseError(f"the checkpoint '{key}' holds {value!r}, which is neither text nor a message")
        if (difference := frames_difference(wanted, actual)) is not None:
            from zmqprose.checks.matchers import fail_with, matches_frames

            fail_with(actual, matches_frames(wanted).knowing(actual, difference),
                      f"the checkpoint '{key}' is not what was expected")
