"""Options of a run (live log, whole frames, stories kept) belong to the run, not to a module; what the action
log and the story keep is bounded in bytes; zmqprose's log records do not depend on the process's logging."""

from __future__ import annotations

import gc
import io
import json
import logging
import signal
import subprocess
import sys
import textwrap
import types
import weakref
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from zmqprose import Prose, Settings
from zmqprose.wire.masking import remember_secrets

pytest_plugins = ["pytester"]

FREE = "tcp://127.0.0.1:*"
LONG = "a frame of many words " * 40  # 880 characters: shortened unless frames are shown in full
MB = 1 << 20


def run_options(**options: Any) -> Any:
    from zmqprose.actionlog import RunOptions  # imported here: each test fails on its own before RunOptions was

    return RunOptions(**options)


def exchange(prose: Prose, *messages: list[bytes | str], bind: str = "PULL", connect: str = "PUSH") -> None:
    """Send each message from a connected socket to a bound one over tcp, and receive it."""
    server = prose.using_zmq().bind(FREE, bind, name="server")
    client = prose.using_zmq().connect('the endpoint of "server"', connect, name="client")
    for message in messages:
        prose.using_zmq().send_multi(client, message)
        prose.from_zmq_socket(server).recv_multi()


# -- 19: options belong to the run --------------------------------------------------------------------------------

def test_two_prose_objects_show_frames_each_as_its_own_options_say() -> None:
    with Prose(Settings({}), timeout=2, options=run_options(frames_in_full=True)) as whole, \
            Prose(Settings({}), timeout=2) as shortened:
        exchange(whole, [LONG])
        exchange(shortened, [LONG])
        assert LONG in whole.action_log()
        shown = shortened.action_log()
        assert LONG not in shown and f"…({len(LONG)} bytes)" in shown


def test_a_failure_shows_frames_as_its_runs_options_say() -> None:
    with Prose(Settings({}), timeout=2, options=run_options(frames_in_full=True)) as whole, \
            Prose(Settings({}), timeout=2) as shortened:
        for prose in (whole, shortened):
            exchange(prose, [LONG], bind="PAIR", connect="PAIR")
            prose.using_zmq().send("client", LONG)
        with pytest.raises(AssertionError) as in_full:
            whole.expects_zmq_socket("server").receives(["something else"])
        with pytest.raises(AssertionError) as cut:
            shortened.expects_zmq_socket("server").receives(["something else"])
    assert LONG in str(in_full.value)
    assert LONG not in str(cut.value) and f"…({len(LONG)} bytes)" in str(cut.value)


def test_two_prose_objects_are_live_each_as_its_own_options_say() -> None:
    printed, quiet = io.StringIO(), io.StringIO()
    with Prose(Settings({}), timeout=2, options=run_options(live_log=True, live_to=printed)) as live, \
            Prose(Settings({}), timeout=2, options=run_options(live_to=quiet)) as kept:
        exchange(live, [b"live one"])
        exchange(kept, [b"kept one"])
        assert "kept one" in kept.action_log()  # the quiet one keeps its lines for a failure
    assert "zmqprose: " in printed.getvalue() and "live one" in printed.getvalue()
    assert "kept one" not in printed.getvalue() and quiet.getvalue() == ""


class FakeBehave(types.SimpleNamespace):
    """The little of behave's context and scenario that before_all and before_scenario read."""


@pytest.fixture
def environments(tmp_path: Path) -> Path:
    (tmp_path / "local.json").write_text(json.dumps({"zmqprose": {"timeout": 2}}))
    return tmp_path


@pytest.fixture
def sigterm_kept() -> Iterator[None]:
    """before_all turns SIGTERM into an orderly exit (for behave's process): this test's process gets its own back."""
    before = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, before)


def behave_run(environments: Path, **userdata: str) -> Any:
    """A run's hooks as behave calls them, up to a scenario's prose object; the context."""
    from zmqprose import hooks

    context = FakeBehave(config=FakeBehave(userdata={"environments": str(environments), **userdata}),
                         _runner=FakeBehave(hooks={}))
    hooks.before_all(context)
    hooks.before_scenario(context, FakeBehave(filename="features/x.feature", line=3))
    return context


def test_one_behave_runs_options_do_not_reach_the_next_run_in_the_same_process(
        environments: Path, sigterm_kept: None, capfd: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    from zmqprose import hooks

    first = behave_run(environments, show_frames="full", action_log="live", diagrams=str(tmp_path / "pictures"))
    exchange(first.prose, [LONG])
    assert first.prose.story()["events"] and LONG in capfd.readouterr().err
    first.prose.close()
    hooks.after_all(first)

    second = behave_run(environments)
    exchange(second.prose, [LONG])
    assert second.prose.story() == {"events": [], "not_kept": 0}  # no pictures asked for: nothing kept
    assert capfd.readouterr().err == ""  # not live
    with caplog.at_level(logging.INFO, logger="zmqprose"):
        second.prose.tell_failure(RuntimeError("boom"))  # its lines go to the logger, as any run's do
    told = "\n".join(record.getMessage() for record in caplog.records)
    assert "send_multi" in told and LONG not in told and f"…({len(LONG)} bytes)" in told
    second.prose.close()
    hooks.after_all(second)


def test_a_behave_run_leaves_the_process_as_it_found_it(environments: Path, sigterm_kept: None) -> None:
    """Its SIGTERM handler (an orderly exit, so that its apps are stopped) and its exit handler last as long as
    the run: a later run, or whatever else the process does, finds the process as it was."""
    from zmqprose import hooks

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    run = behave_run(environments)
    assert signal.getsignal(signal.SIGTERM) is hooks.exit_on_signal  # while it runs
    run.prose.close()
    hooks.after_all(run)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    apps = weakref.ref(run.zmqprose_apps)
    del run
    gc.collect()
    assert apps() is None, "the run's apps are still held (by an exit handler) after the run"


def test_the_pytest_plugins_pictures_reach_no_later_test(pytester: pytest.Pytester) -> None:
    (pytester.path / "environments").mkdir()
    (pytester.path / "environments" / "local.json").write_text("{}")
    pytester.makepyfile(test_one='''
        def test_a_pair_talks(prose):
            server = prose.using_zmq().bind("tcp://127.0.0.1:*", "PAIR", name="server")
            prose.using_zmq().connect('the endpoint of "server"', "PAIR")
            assert prose.story()["events"]  # kept for its picture
    ''')
    result = pytester.runpytest_inprocess("-p", "zmqprose", f"--zmq-diagrams={pytester.path / 'pictures'}")
    result.assert_outcomes(passed=1)
    with Prose(Settings({}), timeout=2) as later:  # a later test of the same process asked for no picture
        exchange(later, [b"hello"])
        assert later.story() == {"events": [], "not_kept": 0}


# -- 17: zmqprose's records whatever the process's logging --------------------------------------------------------

HOSTILE_LOGGING = '''
import logging
import sys

class SaltLikeLogger(logging.Logger):
    """As Salt's logger class: its makeRecord takes what its own _log always passes, an extra dict."""
    def makeRecord(self, name, level, fn, lno, msg, args, exc_info, func=None, extra=None, sinfo=None):
        extra.pop("exc_info_on_loglevel", None)
        return super().makeRecord(name, level, fn, lno, msg, args, exc_info, func, extra, sinfo)

def refusing_factory(*args, **kwargs):
    raise RuntimeError("a project's record factory that zmqprose must not need")

logging.setLoggerClass(SaltLikeLogger)
logging.setLogRecordFactory(refusing_factory)
handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(logging.Formatter("root got: %(message)s"))
logging.getLogger().addHandler(handler)

from zmqprose import Prose, Settings
from zmqprose.actionlog import log_now

with Prose(Settings({}), timeout=2, live_log=True) as prose:
    server = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="server")
    client = prose.using_zmq().connect('the endpoint of "server"', "PUSH")
    prose.using_zmq().send(client, "PING")
    prose.expects_zmq_socket(server).receives(["PING"])
try:
    with Prose(Settings({}), timeout=2) as quiet:
        quiet.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="quiet one")
        raise RuntimeError("not an assertion: the action log goes to the logger")
except RuntimeError:
    pass
logging.getLogger().setLevel(logging.INFO)
log_now("start", "an app of the run")
print("done")
'''


def test_the_live_log_works_whatever_logger_class_and_record_factory_the_process_has(tmp_path: Path) -> None:
    script = tmp_path / "hostile.py"
    script.write_text(textwrap.dedent(HOSTILE_LOGGING))
    ran = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert "zmqprose: " in ran.stderr and "send_multi -> tcp://127.0.0.1:" in ran.stderr  # live, as it happened
    assert "root got: " in ran.stdout and "quiet one" in ran.stdout  # a failure's lines reach the process's logging
    assert "root got: start an app of the run" in ran.stdout
    assert ran.stdout.rstrip().endswith("done")


# -- 13: what the log and the story keep is bounded in bytes ------------------------------------------------------

def kept_bytes(root: object) -> int:
    """The bytes of every bytes and str object reachable from ``root`` (each counted once): what it keeps."""
    seen: set[int] = set()
    total = 0
    todo: list[object] = [root]
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, (type, types.ModuleType, types.FunctionType, types.MethodType,
                                                 io.IOBase, logging.Logger)):
            continue
        seen.add(id(item))
        if isinstance(item, (bytes, bytearray, str)):
            total += len(item)
        elif isinstance(item, (list, tuple, deque, set, frozenset)):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item.keys())
            todo.extend(item.values())
        if hasattr(item, "__dict__"):
            todo.append(vars(item))
    return total


def test_many_large_messages_keep_a_bounded_number_of_bytes_in_the_log_and_the_story() -> None:
    from zmqprose import actionlog

    messages = 30  # each of a 1 MB frame and 60 of 64 KB: 140 MB in all, which the log and the story kept twice
    with Prose(Settings({}), timeout=5, options=run_options(keep_stories=True, frames_in_full=True)) as prose:
        exchange(prose, *([bytes([65 + number % 26]) * MB, *[b"%d" % number * 65_536] * 60]
                          for number in range(messages)))
        log = prose.socket("server").log
        kept = kept_bytes(log)
        story = prose.story()
        text = prose.action_log()
    bound = actionlog.LOG_BYTES_KEPT + actionlog.STORY_BYTES_KEPT
    assert bound <= 16 * MB  # a few MB, not the 80 MB that passed
    assert kept <= bound, f"the action log and the story keep {kept:,} bytes, more than {bound:,}"
    assert f"…({MB} bytes)" in text  # a long frame kept as its start, and its size
    assert "earlier lines" in text  # what was left out is said
    assert story["not_kept"] > 0 and story["events"]
    assert any(f"…({MB} bytes)" in str(event["detail"]) for event in story["events"])


def test_a_long_frame_kept_as_its_start_never_shows_a_part_of_a_secret_it_was_cut_through() -> None:
    from zmqprose import actionlog

    secret = "cut-through-secret-8831"
    remember_secrets([secret])
    frame = b"x" * (actionlog.FRAME_BYTES_KEPT - 6) + secret.encode() + b"y" * MB
    with Prose(Settings({}), timeout=2, options=run_options(keep_stories=True, frames_in_full=True)) as prose:
        exchange(prose, [frame])
        shown = prose.action_log() + json.dumps(prose.story())
    assert "cut-th" not in shown and secret not in shown
    assert f"…({len(frame)} bytes)" in shown


def test_a_message_of_many_frames_keeps_its_first_ones_and_says_how_many_it_had() -> None:
    from zmqprose import actionlog

    many = [b"%d" % number for number in range(actionlog.FRAMES_KEPT * 3)]
    with Prose(Settings({}), timeout=2, options=run_options(frames_in_full=True)) as prose:
        exchange(prose, many)
        log = prose.socket("server").log
        assert kept_bytes(log) < actionlog.FRAMES_KEPT * 2 * 2 * 10  # two messages' first frames, not all of them
        shown = prose.action_log()
    assert f"… {len(many) - actionlog.FRAMES_KEPT} more frames" in shown


def test_a_small_message_in_a_format_is_still_shown_in_it() -> None:
    with Prose(Settings({}), timeout=2) as prose:
        server = prose.using_zmq().bind(FREE, "PULL", name="server")
        client = prose.using_zmq().connect('the endpoint of "server"', "PUSH")
        prose.using_zmq().send_value(client, {"hello": "world" * 100}, "JSON")
        prose.expects_zmq_socket(server).receives_json({"hello": "#string"})
        assert "JSON {" in prose.action_log()
