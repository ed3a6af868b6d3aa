"""``expects_pipeline()``: nothing lost, order kept, speed reached."""

from __future__ import annotations

from zmqprose.errors import ProseError, checked, describe_error
from zmqprose.limits import counted
from zmqprose.pipelines.pipeline import Pipeline
from zmqprose.pipelines.pull import PullTally
from zmqprose.pipelines.push import Pusher


@checked
class ExpectsPipeline:
    """Expectations about the scenario's push and pull: nothing lost, order kept, speed reached."""

    def __init__(self, pipeline: Pipeline, timeout: float) -> None:
        self._pipeline = pipeline
        self._timeout = timeout

    def _tally(self) -> PullTally:
        return self._pipeline.pulled()

    def _finished_pushers(self) -> list[Pusher]:
        pushers = self._pipeline.pushers
        if not pushers:
            raise ProseError("nothing was pushed in this scenario: write 'I push N messages of S bytes to SOCKET'")
        for pusher in pushers:
            if not pusher.wait(self._timeout):
                raise ProseError(f"the push of {counted(pusher.count, 'message')} has not finished within "
                                 f"{self._timeout:g} s")
            if pusher.error is not None:
                raise ProseError(f"the push failed: {describe_error(pusher.error)}")
        return pushers

    def lost_nothing(self) -> None:
        """Every pushed message was pulled, none twice (each push checked on its own).

        Example: ``prose.expects_pipeline().lost_nothing()``
        """
        self._finished_pushers()
        tally, sent = self._tally(), self._pipeline.sent
        if tally.unique != sent or tally.duplicates:
            raise ProseError(f"messages were lost or duplicated: {sent} pushed; {tally.summary()}")

    def in_order(self) -> None:
        """The pulled messages came in the order they were pushed.

        Example: ``prose.expects_pipeline().in_order()``
        """
        tally = self._tally()
        if tally.out_of_order:
            raise ProseError(f"the pulled messages were not in order: {tally.summary()}")

    def moved_at_least(self, rate: float) -> float:
        """From the push's start to the pull's end, at least ``rate`` messages per second; returns the rate.

        Example: ``rate = prose.expects_pipeline().moved_at_least(50_000)  # messages per second``
        """
        self._finished_pushers()
        measured, seconds = self._pipeline.rate()
        if measured < rate:
            raise ProseError(
                f"the pipeline moved {measured:,.0f} messages per second, less than {rate:,.0f} "
                f"({self._tally().unique} in {seconds:.3f} s)"
            )
        return measured
