"""Stopping a group that is gone touches nothing else, and stopping groups leaves no zombie behind.

A group's id is its leader's pid, which is given again once the leader is reaped: the end of a scenario stops
every command, one that ended long ago too, so the stop of an ended command must not reach the process (of
the same run) that has its pid now. And this process is a child subreaper: what the stopped group and its
descendants leave becomes its child as its parent exits, and must be reaped, or a long run piles up zombies.
Each case runs in a process of its own (a pid namespace for the first), so that nothing here is left in
pytest's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import NoReturn

import pytest

from zmqprose.safety import processes

PID_REUSE = """
import contextlib, os, signal, subprocess, sys
from pathlib import Path
from zmqprose.safety.processes import WATCHDOG, kill_group, spawn, stop_group

def ended_command():
    command = spawn(["true"], "/", {}, subprocess.DEVNULL, subprocess.DEVNULL)  # quick: the app is often born
    command.wait()  # in the same clock tick; it ended by itself and was reaped: its pid is free again
    return command

def app_on(pid):
    Path("/proc/sys/kernel/ns_last_pid").write_text(str(pid - 1))
    app = spawn(["sleep", "30"], "/", {}, subprocess.DEVNULL, subprocess.DEVNULL)
    assert app.pid == pid, f"the namespace gave pid {app.pid}, not {pid}"
    return app

for stop in (stop_group, kill_group):
    command = ended_command()
    app = app_on(command.pid)
    stop(command)
    os.kill(app.pid, signal.SIGUSR1)  # ends it by this signal unless the stop's own came first
    print(stop.__name__, "left the app running:", app.wait(10) == -signal.SIGUSR1)
    command = ended_command()
    app = app_on(command.pid)
    stop(command)
    WATCHDOG.close()  # as if this process died now: the watchdog must still end the app's group
    with contextlib.suppress(subprocess.TimeoutExpired):
        app.wait(10)
    print(stop.__name__, "left the app watched:", app.returncode is not None)
"""

ZOMBIES = """
import os, signal, subprocess, sys
from zmqprose.safety.processes import become_subreaper, spawn, stop_group
os.environ["ZMQPROSE_WATCHDOG"] = "off"
assert become_subreaper()
codes = []
for _ in range(3):  # one child outside the group (a session of its own), one in it, orphaned as sh ends
    app = spawn(["sh", "-c", "setsid sh -c 'echo outside; exec sleep 100' & sleep 100 & wait"], "/", {},
                subprocess.PIPE, subprocess.DEVNULL)
    app.stdout.readline()  # the child outside is in its own session now
    stop_group(app, 2.0)
    codes.append(app.returncode)
children = []
for entry in os.listdir("/proc"):
    try:
        stat = open(f"/proc/{entry}/stat").read() if entry.isdigit() else ""
    except OSError:
        continue
    if stat and int(stat[stat.rindex(")") + 2:].split()[1]) == os.getpid():
        children.append(stat[:stat.rindex(")") + 4])
print("exit codes:", codes)
print("children left:", children)
"""


def run(script: str, *prefix: str) -> str:
    result = subprocess.run([*prefix, sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.skipif(shutil.which("unshare") is None, reason="no unshare(1) to make a pid namespace")
def test_stopping_an_ended_command_leaves_the_app_that_took_its_pid_running_and_watched():
    """The command's Popen resolved to the app's birth (the groups were known by pid alone), so the stop
    signalled the app and told the watchdog to forget it."""
    probe = subprocess.run(["unshare", "-pf", "--mount-proc", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no pid namespace here: {probe.stderr.decode().strip()}")
    out = run(PID_REUSE, "unshare", "-pf", "--mount-proc")
    assert out.splitlines() == [f"{verb} left the app {what}: True" for verb in ("stop_group", "kill_group")
                                for what in ("running", "watched")], out


def test_stopping_groups_again_and_again_leaves_no_zombie_and_each_leader_its_exit_status():
    """What died of the SIGTERM outside the group dropped out of the snapshot and was never reaped, and the
    group's members orphaned to this subreaper neither; the leader's exit status stays its Popen's."""
    out = run(ZOMBIES)
    assert out.splitlines() == [f"exit codes: {[-15] * 3}", "children left: []"], out


def test_stopping_a_group_that_is_gone_and_forgotten_reads_no_process_table(monkeypatch):
    """The end of a scenario stops every command it ran, and each stop read the whole process table twice
    (~18 µs a process), also for a command whose group was stopped and forgotten already."""
    monkeypatch.setenv("ZMQPROSE_WATCHDOG", "off")
    command = processes.spawn([sys.executable, "-c", "pass"], "/", {}, subprocess.DEVNULL, subprocess.DEVNULL)
    command.wait()
    processes.stop_group(command, 1.0)  # the step's own stop: the group is seen empty, and forgotten

    def read(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("the process table was read")

    monkeypatch.setattr(processes, "process_table", read)
    monkeypatch.setattr(processes, "live_members", read)
    assert processes.stop_group(command, 1.0) == []
    assert processes.kill_group(command) == []
