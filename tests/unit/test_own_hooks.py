"""zmqprose.hooks.with_zmqprose: a project's hook runs with zmqprose's of its name, in the right order."""

from __future__ import annotations

import pytest

from zmqprose import hooks


def test_a_before_hook_runs_after_zmqproses_and_an_after_hook_before_it_even_when_it_fails(monkeypatch):
    calls = []
    monkeypatch.setattr(hooks, "before_scenario", lambda context, scenario: calls.append("zmqprose's before"))
    monkeypatch.setattr(hooks, "after_scenario", lambda context, scenario: calls.append("zmqprose's after"))

    def before_scenario(context, scenario):
        calls.append("mine before")

    def after_scenario(context, scenario):
        calls.append("mine after")
        raise RuntimeError("mine failed")

    hooks.with_zmqprose(before_scenario)(None, None)
    with pytest.raises(RuntimeError, match="mine failed"):
        hooks.with_zmqprose(after_scenario)(None, None)
    assert calls == ["zmqprose's before", "mine before", "mine after", "zmqprose's after"]


def test_every_hook_it_gives_is_uncaptured_and_keeps_its_name():
    def before_feature(context, feature):
        """Mine."""

    def before_all(context):
        """Mine too."""

    for made in (hooks.with_zmqprose(before_feature), hooks.with_zmqprose(before_all)):
        assert made.capture is False
    assert hooks.with_zmqprose(before_all).__name__ == "before_all"
    assert hooks.with_zmqprose(before_feature) is before_feature  # zmqprose has no hook of that name


def behave_context(outer_checkpoint: str | None = None):
    """A behave context as a run has it in a scenario: a layer of the run (with a checkpoint a project's
    before_all set, if given), one of the scenario."""
    from behave.configuration import Configuration
    from behave.runner import Context, Runner

    context = Context(Runner(Configuration(command_args=[], load_config=False)))
    if outer_checkpoint is not None:
        with context.use_with_user_mode():
            context.checkpoint = outer_checkpoint
    context._push()
    return context


def test_the_checkpoint_is_set_on_the_context_as_behave_sets_an_attribute():
    """set_beside (one look at the call stack for context.prose and context.checkpoint): the value, where it was
    set and in which mode, as behave's own setattr keeps them."""
    ours, behaves = behave_context(), behave_context()
    ours.prose = behaves.prose = "prose"
    hooks.set_beside(ours, "checkpoint", "checkpoint", beside="prose")
    behaves.checkpoint = "checkpoint"
    assert ours.checkpoint == behaves.checkpoint == "checkpoint"
    assert ours._origin["checkpoint"] is behaves._origin["checkpoint"]
    assert ours._record["checkpoint"] is ours._record["prose"]
    assert ours._record["checkpoint"].filename == behaves._record["checkpoint"].filename


def test_a_checkpoint_that_masks_one_of_an_outer_layer_is_warned_of_as_behave_does():
    from behave.runner import ContextMaskWarning

    context = behave_context(outer_checkpoint="the run's")
    context.prose = "prose"
    with pytest.warns(ContextMaskWarning, match="checkpoint"):
        hooks.set_beside(context, "checkpoint", "the scenario's", beside="prose")
    assert context.checkpoint == "the scenario's"
