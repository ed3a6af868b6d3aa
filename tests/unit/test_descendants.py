"""What an app or a command started in a session of its own, with an empty environment (as circusd starts its
watchers with ``copy_env = false``), ends with it: the child is in none of its process groups and carries none
of zmqprose's markers, so only its parentage says whose it is. Stopping, killing or restarting the app, the
end of the scenario (for an app or a command of its own) and the end of the run must leave no such child."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from zmqprose import AppSupervisor, Prose, Settings
from zmqprose.safety import processes
from zmqprose.safety.processes import birth, still_there

KEEPER = Path(__file__).resolve().parents[1] / "specs" / "faults" / "apps" / "session_keeper.py"


class Child:
    """The child a keeper started (its pid and birth, once the keeper wrote it), killed after the test if left."""

    def __init__(self, pidfile: Path) -> None:
        self.pidfile = pidfile
        self.tag = uuid.uuid4().hex
        self.seen: list[tuple[int, int | None]] = []

    def read(self) -> tuple[int, int | None]:
        pid = int(self.pidfile.read_text())
        self.seen.append((pid, birth(pid)))
        assert self.seen[-1][1] is not None, "the keeper's child is not there"
        return self.seen[-1]

    def alive(self, child: tuple[int, int | None]) -> bool:
        return still_there(*child)

    def clean(self) -> None:
        """Kill every child of this test's keepers that is left (they carry its tag in their arguments)."""
        for entry in Path("/proc").iterdir():
            with contextlib.suppress(OSError):
                if entry.name.isdigit() and self.tag.encode() in (entry / "cmdline").read_bytes():
                    os.kill(int(entry.name), signal.SIGKILL)


@pytest.fixture
def child(tmp_path: Path) -> Iterator[Child]:
    kept = Child(tmp_path / "child.pid")
    yield kept
    kept.clean()


def keeper_settings(child: Child, scope: str = "run") -> Settings:
    return Settings({"keeper": {"scope": scope, "start": ["python", str(KEEPER), str(child.pidfile), child.tag],
                                "ready": {"log": "session_keeper: child"}, "stop_timeout": 1}})


@pytest.mark.parametrize("verb", ["stop", "kill", "restart"])
def test_stopping_killing_or_restarting_an_app_ends_the_child_it_started_in_a_session_of_its_own(
        tmp_path, child, verb):
    with AppSupervisor(keeper_settings(child), log_dir=tmp_path) as apps:
        apps.ensure_running("keeper")
        first = child.read()
        getattr(apps, verb)("keeper")
        assert not child.alive(first), f"{verb} left the keeper's child {first[0]} running"
        if verb == "restart":
            assert child.alive(child.read()), "the new keeper's child is not running"


def test_the_end_of_the_scenario_ends_the_child_an_app_of_its_own_started(tmp_path, child):
    with AppSupervisor(keeper_settings(child, "scenario"), log_dir=tmp_path) as apps:
        with Prose(apps.settings, apps, timeout=5):
            apps.ensure_running("keeper")
            started = child.read()
        assert not child.alive(started), "the scenario's end left its app's child running"


def test_the_end_of_the_run_ends_the_child_an_app_of_the_run_started(tmp_path, child):
    with AppSupervisor(keeper_settings(child), log_dir=tmp_path) as apps:
        apps.ensure_running("keeper")
        started = child.read()
    assert not child.alive(started), "the run's end left its app's child running"


def test_the_end_of_the_scenario_ends_the_child_a_command_started_in_the_background(tmp_path, child):
    with AppSupervisor(Settings({}), log_dir=tmp_path) as apps:
        with Prose(apps.settings, apps, timeout=5) as prose:
            prose.using_shell().start(f"python {KEEPER} {child.pidfile} {child.tag}", "keeper")
            deadline = time.monotonic() + 10
            while not child.pidfile.exists() or not child.pidfile.read_text():
                assert time.monotonic() < deadline, "the command never started its child"
                time.sleep(0.02)  # another process's file: nothing to wait on but its content
            started = child.read()
        assert not child.alive(started), "the scenario's end left its command's child running"


def test_the_family_of_a_group_is_what_descends_from_it_across_sessions_with_births(tmp_path, child):
    """The snapshot taken before a signal: every live process below the app's, wherever it went, with its birth
    (so that a pid used again by then is never signalled)."""
    with AppSupervisor(keeper_settings(child), log_dir=tmp_path) as apps:
        apps.ensure_running("keeper")
        pid, born = child.read()
        leader = apps.process("keeper").pid
        kin = processes.family(leader, birth(leader))
        assert kin.get(pid) == born
        assert leader not in kin  # its own process is its Popen's to reap
        assert processes.family(leader, (birth(leader) or 0) + 1) == {}  # another process's pid by now: no family


def test_the_watchdog_ends_the_child_a_group_it_watches_started_in_a_session_of_its_own(tmp_path, child):
    """zmqprose died without stopping its app: the watchdog ends the app's group, and what the app started
    outside it."""
    keeper = subprocess.Popen([sys.executable, str(KEEPER), str(child.pidfile), child.tag], start_new_session=True,
                              stdout=subprocess.PIPE)
    try:
        assert keeper.stdout is not None and b"child" in keeper.stdout.readline()  # it started its child
        started = child.read()
        watchdog = subprocess.Popen([sys.executable, "-m", "zmqprose.safety.watchdog"], stdin=subprocess.PIPE,
                                    start_new_session=True)
        assert watchdog.stdin is not None
        watchdog.stdin.write(f"+{keeper.pid} {birth(keeper.pid)}\n".encode())
        watchdog.stdin.close()  # as when zmqprose is killed outright
        watchdog.wait(10)
        keeper.wait(5)
        assert not child.alive(started), "the watchdog left the app's child running"
    finally:
        keeper.kill()
        keeper.wait(5)


def test_the_end_of_the_scenario_ends_what_a_background_command_that_ended_left_in_its_group(tmp_path, child):
    """The command exited by itself, leaving a child (with an empty environment) in its process group: the
    scenario's end stopped only the commands still running, so nothing ended the group."""
    with AppSupervisor(Settings({}), log_dir=tmp_path) as apps:
        with Prose(apps.settings, apps, timeout=5) as prose:
            prose.using_shell().start(f"python {KEEPER} {child.pidfile} {child.tag} in-group-then-exit", "keeper")
            prose.expects_command("keeper").exits_with(0, timeout=10)
            started = child.read()
        assert not child.alive(started), "the scenario's end left what the command left in its group"
