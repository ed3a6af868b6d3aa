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
