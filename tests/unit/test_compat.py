"""The private parts of pyzmq and behave that zmqprose relies on (zmqprose/compat.py) are still there."""

from __future__ import annotations

import importlib

import pytest

from zmqprose import compat


@pytest.mark.parametrize(("module", "name"), [(module, name) for module, names in compat.PINNED.items()
                                               for name in names])
def test_a_pinned_internal_still_exists(module: str, name: str) -> None:
    found = importlib.import_module(module)
    for part in name.split("."):
        assert hasattr(found, part), f"{module}.{name} is gone: zmqprose/compat.py relies on it"
        found = getattr(found, part)


def test_behave_registers_a_step_through_the_checks_zmqprose_leaves_out() -> None:
    """ProseMatcher.compile does nothing because behave's registry calls it to check a new step (and for
    nothing else): if behave stops doing that, the override is dead and should go."""
    import inspect

    from behave.step_registry import StepRegistry

    assert "is_good_step_definition" in inspect.getsource(StepRegistry.add_step_definition)
    assert ".compile()" in inspect.getsource(StepRegistry.is_good_step_definition)


def test_behave_runs_a_hook_from_the_runners_hooks() -> None:
    import inspect

    from behave.runner import Runner

    assert "self.hooks[hook_name]" in inspect.getsource(Runner.run_hook)
    assert "self.hooks.get(hook_name" in inspect.getsource(Runner.should_capture_hook)


def test_behave_keeps_a_runs_formatters_where_attach_finds_them() -> None:
    import inspect

    from behave.runner import Context

    assert "self._runner.formatters" in inspect.getsource(Context.attach)


def test_the_fast_send_sends_as_pyzmqs_own() -> None:
    import zmq

    context = zmq.Context()
    try:
        server, client = context.socket(zmq.PAIR), context.socket(zmq.PAIR)
        port = server.bind_to_random_port("tcp://127.0.0.1")
        client.connect(f"tcp://127.0.0.1:{port}")
        client.rcvtimeo = server.rcvtimeo = 5000
        compat.send_now(client, b"hello")
        assert server.recv() == b"hello"
    finally:
        context.destroy(linger=0)


def test_a_behave_name_loads_when_asked_for_and_a_stranger_is_refused() -> None:
    assert compat.ParseMatcher.__name__ == "ParseMatcher"
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        compat.Nothing  # noqa: B018
