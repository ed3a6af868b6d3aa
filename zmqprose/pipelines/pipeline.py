"""A scenario's pipeline run: its pusher and the tally of its last pull."""

from __future__ import annotations

from zmqprose.errors import ProseError, describe_error
from zmqprose.pipelines.pull import PullTally
from zmqprose.pipelines.push import Pusher


class Pipeline:
    """A scenario's pipeline run: its pusher and the tally of its last pull."""

    def __init__(self) -> None:
        self.pusher: Pusher | None = None
        self.tally: PullTally | None = None

    def push_state(self) -> str:
        """How the push is going, for a failure message."""
        if self.pusher is None:
            return "; nothing was pushed in this scenario"
        if self.pusher.error is not None:
            return f"; the push failed: {describe_error(self.pusher.error)}"
        if not self.pusher.is_done():
            return f"; the push of {self.pusher.count} messages is still going"
        return f"; {self.pusher.sent} of {self.pusher.count} were pushed"

    def pulled(self) -> PullTally:
        """The tally of the last pull; an error that says which phrase pulls, if nothing was pulled."""
        if self.tally is None:
            raise ProseError("nothing was pulled in this scenario: write 'I pull N messages from SOCKET' first")
        return self.tally

    def rate(self) -> tuple[float, float]:
        """Messages per second moved, and the seconds it took: from the push's start (or the pull's,
        if this scenario pushed nothing) to the end of the last pull."""
        tally = self.pulled()
        began = self.pusher.started_at if self.pusher is not None else tally.started_at
        seconds = max(tally.last_at - began, 1e-9)
        return tally.unique / seconds, seconds

    def stop(self) -> None:
        """Stop a push that is still going (at the end of the scenario)."""
        if self.pusher is not None:
            self.pusher.stop()
