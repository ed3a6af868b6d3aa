"""Not one process left behind: an app started through a wrapper script that forks a helper which
ignores SIGTERM, after a run that passes, fails, is interrupted, or is killed outright (behave, or a
behavex parent); and the orderly stop proven on its own, with the watchdog switched off.

Each run carries a marker in its environment, which every process it starts inherits: afterwards,
no live process may carry it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

FAULTS = Path(__file__).resolve().parent / "faults"
BEHAVEX = Path(sys.executable).parent / "behavex"
MARKER = "ZMQPROSE_TEST_RUN"


def carrying(marker: str) -> list[int]:
    """The live processes whose environment holds ``MARKER=marker``."""
    found = []
    needle = f"{MARKER}={marker}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            environment = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environment.split(b"\0") and stat[stat.rindex(")") + 2] not in "ZX":
            found.append(int(entry.name))
    return found


def nothing_left(marker: str, within: float = 10, but: str | None = None) -> list[str]:
    """Wait up to ``within`` seconds for every process of the run to be gone; those still there.

    Processes whose command line holds ``but`` are not counted (they are ended all the same).
    """
    deadline = time.monotonic() + within
    while (left := carrying(marker)) and time.monotonic() < deadline:
        if but and all(but in describe(pid) for pid in left):
            break
        time.sleep(0.1)  # other processes ending: nothing to wait on but their absence
    described = [describe(pid) for pid in left]
    for pid in left:  # do not leave them to the next test
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return [text for text in described if not (but and but in text)]


def describe(pid: int) -> str:
    """A process in words: its pid, its parent and its command line."""
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        parent = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
    except OSError:
        return f"{pid} (gone)"
    return f"{pid} (parent {parent}): {arguments.strip()[:200]}"


class Run:
    """A run of the fault suite's wrapped app, in its own temporary folder, with its own marker."""

    def __init__(self, tmp_path: Path, tag: str, watchdog: bool = True, behavex: bool = False,
                 feature: str = "wrapped", app: str = "wrapped") -> None:
        self.marker = uuid.uuid4().hex
        self.pidfile = tmp_path / f"{app}.pid"
        self.output = tmp_path / "run.out"
        environments = tmp_path / "environments"
        environments.mkdir()
        settings = json.loads((FAULTS / "environments" / "local.json").read_text())
        settings[app]["pidfile"] = str(self.pidfile)
        (environments / "local.json").write_text(json.dumps(settings))
        env = {**os.environ, MARKER: self.marker, "TMPDIR": str(tmp_path)}
        if not watchdog:
            env["ZMQPROSE_WATCHDOG"] = "off"
        if behavex:
            command = [str(BEHAVEX), "-ip", f"features/{feature}.feature", "-t", f"@{tag}", "--parallel-processes", "2",
                       "--parallel-scheme", "scenario", "-o", str(tmp_path / "report"),
                       "-D", f"environments={environments}"]
        else:
            command = [sys.executable, "-X", "faulthandler", "-m", "behave", "--no-color", "--tags", f"@{tag}",
                       f"features/{feature}.feature", "-D", f"environments={environments}"]
        with self.output.open("w") as sink:
            self.process = subprocess.Popen(command, cwd=FAULTS, env=env, stdout=sink, stderr=subprocess.STDOUT)

    def app_group(self) -> int:
        """The app's process group (the daemon's pid, for the daemonizing app), once it has written it."""
        deadline = time.monotonic() + 30
        while not self.pidfile.exists():
            assert self.process.poll() is None or self.pidfile.exists(), \
                f"the run ended before the app started:\n{self.text()}"
            assert time.monotonic() < deadline, f"the app never started:\n{self.text()}"
            time.sleep(0.05)  # another process's file: nothing to wait on
        return int(self.pidfile.read_text().split()[-1])

    def ends(self, within: float = 30) -> int:
        """The run's exit code, once it has ended (killed, with its output shown, if it does not)."""
        try:
            return self.process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)  # with -X faulthandler, behave shows where it is stuck
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
            raise AssertionError(f"the run did not end within {within} s:\n{self.text()}") from None

    def text(self) -> str:
        return self.output.read_text()[-8000:]


@pytest.mark.parametrize("watchdog", [True, False], ids=["watchdog", "orderly stop alone"])
@pytest.mark.parametrize(("tag", "passes"), [("passes", True), ("fails", False)])
def test_a_run_that_ends_leaves_no_process_of_the_app_behind(tmp_path, tag, passes, watchdog):
    run = Run(tmp_path, tag, watchdog)
    group = run.app_group()
    assert (run.ends() == 0) is passes, run.text()
    assert nothing_left(run.marker) == [], f"left behind of group {group}:\n{run.text()}"


@pytest.mark.parametrize("watchdog", [True, False], ids=["watchdog", "orderly stop alone"])
@pytest.mark.parametrize("interrupt", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_run_leaves_no_process_behind(tmp_path, interrupt, watchdog):
    run = Run(tmp_path, "waits", watchdog)
    run.app_group()
    run.process.send_signal(interrupt)
    run.ends()
    assert nothing_left(run.marker) == [], run.text()


def test_a_run_killed_outright_leaves_no_process_behind(tmp_path):
    run = Run(tmp_path, "waits")
    run.app_group()
    run.process.kill()
    run.ends()
    assert nothing_left(run.marker, within=10) == [], run.text()


def test_a_behavex_parent_killed_outright_leaves_no_process_of_zmqprose_behind(tmp_path):
    """behavex's own helpers (its manager, an idle worker) outlive their killed parent: that is behavex's
    doing; they are ended here but not counted. The app, its group, the watchdog and the busy worker go."""
    run = Run(tmp_path, "waits", behavex=True)
    run.app_group()
    run.process.kill()
    run.ends()
    assert nothing_left(run.marker, within=10, but="bin/behavex -ip") == [], run.text()


def test_a_passing_run_removes_its_folder_and_a_failing_one_keeps_it_and_says_where(tmp_path):
    (tmp_path / "pass").mkdir()
    (tmp_path / "fail").mkdir()
    passing = Run(tmp_path / "pass", "passes")
    assert passing.ends() == 0, passing.text()
    assert list((tmp_path / "pass").glob("zmqprose-*")) == []
    failing = Run(tmp_path / "fail", "fails")
    assert failing.ends() != 0
    kept = list((tmp_path / "fail").glob("zmqprose-run-*"))
    assert len(kept) == 1 and (kept[0] / "wrapped" / "wrapped.zmqprose.log").is_file()
    assert str(kept[0]) in failing.text()
