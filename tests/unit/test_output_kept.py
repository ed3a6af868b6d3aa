"""What an app prints, kept for later (issue 28, item 3): ``store what … matches``, and ``the command's output is``.

Real processes print; the value kept is the first group (or the whole line)
of the first line the ``#regex`` matches whole, in what the app's current
process printed in this scenario; a line still being written is not one.
"""

from __future__ import annotations

import contextlib
import sys
import tracemalloc
from pathlib import Path

import pytest

from zmqprose import AppSupervisor, Prose, ProseError, Settings, WaitTimeout

PRINTS_ITS_PID = "import os, time; print('booting', flush=True); print(f'pid {os.getpid()} ready', flush=True); " \
                 "time.sleep(60)"


def python_app(code: str, **settings: object) -> Settings:
    """Settings for an app that runs a line of Python."""
    return Settings({"app": {"start": ["python", "-c", code], "ready": {"none": True}, **settings},
                     "zmqprose": {"timeout": 2}})


def python_line(code: str) -> str:
    """A command line that runs ``code`` with the interpreter of the tests."""
    return f"{sys.executable} -c \"{code}\""


def test_the_first_group_of_the_first_line_that_matches_whole_is_kept_from_the_current_process(tmp_path):
    apps = AppSupervisor(python_app(PRINTS_ITS_PID), log_dir=tmp_path)
    with apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("app")
        first = apps.process("app").pid
        expects = prose.expects_app("app")
        assert expects.value_in_output(r"#regex pid (\d+) ready", timeout=5) == str(first)
        assert expects.value_in_output(r"#regex pid \d+ ready", timeout=5) == f"pid {first} ready"  # no group
        assert expects.value_in_output(r"#regex (boot|pid)\w*.*", timeout=5) == "boot"  # the first line
        apps.restart("app")
        second = expects.value_in_output(r"#regex pid (\d+) ready", timeout=5)
        assert second == str(apps.process("app").pid) != str(first)  # never what an earlier process printed


def test_a_value_printed_later_is_waited_for_and_nothing_in_time_shows_the_last_lines(tmp_path):
    code = "import time; print('starting', flush=True); time.sleep(0.3); print('key: abc123', flush=True); " \
           "time.sleep(60)"
    apps = AppSupervisor(python_app(code), log_dir=tmp_path)
    with apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("app")
        expects = prose.expects_app("app")
        assert expects.value_in_output(r"#regex key: (\w+)", timeout=5) == "abc123"
        with pytest.raises(WaitTimeout) as failure:
            expects.value_in_output(r"#regex secret: (\w+)", timeout=0.2)
    message = str(failure.value)
    assert "no line of app's output matches '#regex secret: (\\\\w+)' (waited 0.2 s" in message
    assert "key: abc123" in message  # how it ends


def test_a_line_still_being_written_is_not_kept_half(tmp_path):
    go_on = tmp_path / "go-on"
    code = (f"import os, sys, time; sys.stdout.write('public: abc'); sys.stdout.flush(); "
            f"[time.sleep(0.01) for _ in iter(lambda: os.path.exists({str(go_on)!r}), True)]; "
            f"print('def', flush=True); time.sleep(60)")
    apps = AppSupervisor(python_app(code), log_dir=tmp_path / "run")
    with apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("app")
        expects = prose.expects_app("app")
        expects.output_contains("public: abc", timeout=5)
        with pytest.raises(WaitTimeout):
            expects.value_in_output(r"#regex public: (\S+)", timeout=0.2)  # 'abc' is only half of it
        go_on.touch()
        assert expects.value_in_output(r"#regex public: (\S+)", timeout=5) == "abcdef"


def test_the_commands_output_kept_and_compared_whole(prose):
    prose.using_shell().run(python_line("print('id=42'); print('id=43')"), 10)
    expects = prose.expects_command()
    assert expects.value_in_output(r"#regex id=(\d+)") == "42"
    with pytest.raises(ProseError, match=r"the output of the command \(.*\) is 'id=42\\nid=43', not 'id=42'"):
        expects.output_is("id=42")
    expects.output_is("id=42\nid=43")
    prose.using_shell().run(python_line("print('ok')"), 10)
    prose.expects_command().output_is("ok")  # one trailing newline left out
    with pytest.raises(ProseError, match="is 'ok', not 'ok\\\\n'"):
        prose.expects_command().output_is("ok\n")
    prose.using_shell().run(python_line("pass"), 10)
    prose.expects_command().output_is("")
    with pytest.raises(ProseError, match="is empty, not 'x'"):
        prose.expects_command().output_is("x")


def test_a_command_that_ended_without_the_line_fails_without_waiting_and_its_last_line_counts(prose):
    prose.using_shell().run(python_line("import sys; sys.stdout.write('last: 7')"), 10)
    assert prose.expects_command().value_in_output(r"#regex last: (\d+)", timeout=60) == "7"  # no newline
    with pytest.raises(WaitTimeout, match="no line of the output of the command .* matches '#regex id=.*' "
                                          r"\(it has ended;"):
        prose.expects_command().value_in_output(r"#regex id=(\d+)", timeout=60)  # ended: nothing more will come


def test_a_named_command_is_waited_for_while_it_runs(prose):
    prose.using_shell().start(python_line("import time; time.sleep(0.3); print('public: K3Y', flush=True); "
                                          "time.sleep(60)"), "keygen")
    assert prose.expects_command("keygen").value_in_output(r"#regex public: (\S+)", timeout=5) == "K3Y"


def test_what_is_not_a_pattern_or_backtracks_too_long_is_a_clear_error(prose):
    prose.using_shell().run(python_line("print('a' * 45 + '!')"), 10)
    with pytest.raises(ProseError, match=r"'id=\(\\\\d\+\)' is not a pattern: write \"#regex PATTERN\""):
        prose.expects_command().value_in_output(r"id=(\d+)")
    with pytest.raises(ProseError, match="ran out of time on a line of the output of the command"):
        prose.expects_command().value_in_output(r"#regex (a|aa)+", timeout=0.3)


def test_an_app_whose_output_is_tens_of_megabytes_is_read_a_line_at_a_time(tmp_path):
    code = ("import sys, time\nline = 'x' * 1023 + '\\n'\nfor _ in range(30 * 1024): sys.stdout.write(line)\n"
            "print('token: t0k3n', flush=True)\ntime.sleep(60)\n")
    apps = AppSupervisor(python_app(code, ready={"log": "^token"}, start_timeout=60), log_dir=tmp_path)
    with apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("app")
        tracemalloc.start()
        try:
            value = prose.expects_app("app").value_in_output(r"#regex token: (\w+)", timeout=30)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert value == "t0k3n"
    assert peak < 4 << 20, f"reading 30 MB of output held {peak >> 20} MB at once"


def test_the_phrases_store_the_value_as_text(tmp_path: Path):
    """The steps: a kept value is text in the checkpoint, reached by ${checkpoint.KEY}."""
    from behave.parser import parse_feature
    from behave.step_registry import registry

    import zmqprose.steps  # noqa: F401

    step_texts = ["I run \"python -c 'print(chr(105) + chr(100) + chr(61) + str(40 + 2))'\"",
                  'I store what the command\'s output matches "#regex id=(\\d+)" as "job"']
    feature = parse_feature("Feature: f\n  Scenario: s\n" + "".join(f"    When {text}\n" for text in step_texts))
    with Prose(Settings({}), timeout=2) as prose:
        context = type("Context", (), {"prose": prose, "checkpoint": prose.checkpoint,
                                     "use_with_user_mode": contextlib.nullcontext})()  # behave runs a step so
        for step in feature.scenarios[0].steps:
            registry.find_match(step).run(context)
        assert prose.checkpoint.job == "42"
        assert prose.interpolate("${checkpoint.job}") == "42"
