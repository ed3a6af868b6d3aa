"""The run's context is ended when the process ends (an atexit callback), on every Python the package names."""

from __future__ import annotations

import threading

import pytest


def test_the_run_context_ends_quietly_where_python_starts_no_thread_at_exit(
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    """Python 3.12.0 and 3.12.1 refuse to start a thread in an atexit callback; the context is ended in a thread
    there, and every behave run on them ended with 'Exception ignored in atexit callback' and a traceback."""
    from zmqprose.sockets import context as run

    context = run.run_context()

    def refuse(*arguments: object) -> None:
        raise RuntimeError("can't create new thread at interpreter shutdown")

    monkeypatch.setattr(run._thread, "start_new_thread", refuse)  # where 3.12.0 and 3.12.1 refuse
    assert run.end_run_context() is False
    monkeypatch.undo()
    assert capfd.readouterr().err == ""
    assert run.run_context() is not context  # the next run in this process has a context of its own
    ending = threading.Thread(target=context.term, daemon=True)  # no socket of it is open: it ends at once
    ending.start()
    ending.join(5)
    assert not ending.is_alive(), "the old context did not end: a socket of it is still open, or not gone"
