"""A load run for a scenario: Locust's master (headless) and N workers, on free ports of 127.0.0.1, waited for.

The master and the workers are processes of the scenario, as its apps and
commands are: each in a process group of its own, carrying the run's and the
scenario's markers (so that nothing of theirs outlives the scenario, a
daemon included), with its output in a folder of the run's folder. The run
waits, bounded, until the master has ended the load (``--run-time``) and
written Locust's statistics (:mod:`zmqprose.load.master`); a worker that
dies first, an app of the scenario that dies meanwhile, or a master that
does not end in time fails it at once, with what they printed. Whatever
happens, every process it started is stopped before it returns.
"""

from __future__ import annotations

import importlib.util
import shlex
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from zmqprose.actionlog import ActionLog
from zmqprose.apps.output import Output
from zmqprose.apps.ports import free_ports
from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.errors import ProseError, WaitTimeout
from zmqprose.files import open_inside
from zmqprose.limits import check_count, counted
from zmqprose.load.handoff import SETTINGS_VARIABLE, write_settings
from zmqprose.load.statistics import LoadStatistics, read_report
from zmqprose.safety.processes import exit_description, interrupts_held, spawn, stop_group
from zmqprose.settings import LOOPBACK
from zmqprose.wire.masking import mask_text

MASTER_CODE = "import locust; from zmqprose.load.master import main; main()"  # Locust first: it patches for gevent
REPORT_VARIABLE = "ZMQPROSE_LOAD_REPORT"  # the same name as zmqprose.load.master's (which imports Locust)
REPORT_FILE = "statistics.json"
WORKERS_WAIT = 20.0  # seconds the master waits for its workers to connect (Locust's --expect-workers-max-wait)
START_ALLOWANCE = WORKERS_WAIT + 5.0  # seconds, besides the load's own, for the processes to start and connect
END_ALLOWANCE = 10.0  # seconds, after the load's time, for the master to stop its users and write the statistics
WORKER_END = 5.0  # seconds a worker has to end by itself once the master has told it to quit
STOP_GRACE = 2.0  # seconds a process still running at the end has after SIGTERM, before SIGKILL
LOOK_EVERY = 0.05  # seconds between looks at the workers and the scenario's apps while the master runs
START_ATTEMPTS = 3  # a master whose free port was taken by another process meanwhile is started again
MAX_WORKERS = 64
MAX_USERS = 1_000_000


@dataclass(frozen=True)
class LoadPlan:
    """What a spec asked for: U users, spread by Locust over N workers, running a locustfile for a time."""

    locustfile: str  # as the spec wrote it, ${…} filled in: relative to the folder behave runs in
    users: int
    workers: int
    seconds: float

    def checked(self) -> LoadPlan:
        """The plan, if Locust can run it; else a clear error saying what to write."""
        check_count(self.users, "the number of users of a load", MAX_USERS)
        check_count(self.workers, "the number of Locust workers of a load", MAX_WORKERS)
        if self.seconds < 1 or self.seconds != int(self.seconds):
            raise ProseError(f"a load lasts whole seconds (Locust's --run-time), not {self.seconds:g} s: "
                             f"write e.g. 3 seconds")
        if not Path(self.locustfile).is_file():
            raise ProseError(f'there is no locustfile "{self.locustfile}" (from {Path.cwd()}): its path is relative '
                             f"to the folder behave runs in")
        return self


@dataclass
class LocustProcess:
    """The master or a worker: its process and where its output goes."""

    role: str  # "Locust's master", "Locust worker 2"
    args: list[str]
    process: subprocess.Popen[bytes]
    log_path: Path

    def output(self, lines: int = 15) -> str:
        """The last lines it printed, for a failure (secrets masked)."""
        return Output(self.log_path).tail(lines)

    def describe(self) -> str:
        """How failures name it: ``Locust worker 2 (pid 123)``."""
        return f"{self.role} (pid {self.process.pid})"


def check_locust_installed() -> None:
    """Fail, saying what to install, if Locust is not there to run a load."""
    if importlib.util.find_spec("locust") is None:
        raise ProseError("a load runs on Locust, which is not installed: pip install \"zmqprose[locust]\"")


class LoadRun:
    """One load of a scenario: start the master and the workers, wait for the end, read the statistics."""

    def __init__(self, plan: LoadPlan, apps: AppSupervisor, log: ActionLog) -> None:
        self.plan = plan.checked()
        self._apps = apps
        self._log = log
        self._processes: list[LocustProcess] = []

    def run(self) -> LoadStatistics:
        """Run the load to its end (bounded) and return Locust's statistics of it; every process is stopped."""
        check_locust_installed()
        folder = self._apps.new_folder("load", "cannot run a load")
        settings = write_settings(self._apps.settings, folder)
        ports: list[int] = []  # the master's, held against other zmqprose runs until the load ends
        try:
            for attempt in range(1, START_ATTEMPTS + 1):
                ports += free_ports(1, reservations=self._apps.ports)
                master = self._start_all(folder, settings, ports[-1], attempt)
                ended = self._wait_for(master)
                if ended == 0:
                    break
                if attempt == START_ATTEMPTS or "address already in use" not in master.output().lower():
                    raise ProseError(f"{master.describe()} {exit_description(ended)} before the load's statistics "
                                     f"were written; its output ends:\n{master.output()}{self._workers_output()}")
                self._log.note("load  Locust's master could not bind its free port (taken meanwhile): once more")
                self._stop_all()
            self._let_workers_end()
        finally:
            self._stop_all()
            self._apps.ports.release(ports)
        statistics = read_report(folder / REPORT_FILE)
        self._log.note("load done  {}", statistics.summary())
        self._log.event("command", "Locust's master", f"the load ended: {statistics.summary()}")
        return statistics

    def _start_all(self, folder: Path, settings: Path, port: int, attempt: int) -> LocustProcess:
        """Start the master on ``port`` and the workers that connect to it; the master."""
        plan = self.plan
        suffix = "" if attempt == 1 else f"-{attempt}"
        master = self._start("Locust's master", [
            "python", "-c", MASTER_CODE, "-f", plan.locustfile, "--master", "--headless",
            "--master-bind-host", LOOPBACK, "--master-bind-port", str(port),
            "--expect-workers", str(plan.workers), "--expect-workers-max-wait", f"{WORKERS_WAIT:g}",
            "--users", str(plan.users), "--spawn-rate", str(plan.users), "--run-time", f"{int(plan.seconds)}s",
            "--only-summary", "--exit-code-on-error", "0",
        ], {SETTINGS_VARIABLE: str(settings), REPORT_VARIABLE: str(folder / REPORT_FILE)}, folder,
            f"master{suffix}.log")
        self._log.note("load {} from {} with {} for {} s  (master on tcp://{}:{}, output in {})",
                       counted(plan.users, "user"), counted(plan.workers, "Locust worker"), plan.locustfile,
                       f"{plan.seconds:g}", LOOPBACK, port, folder)
        for number in range(1, plan.workers + 1):
            self._start(f"Locust worker {number}", [
                "python", "-m", "locust", "-f", plan.locustfile, "--worker",
                "--master-host", LOOPBACK, "--master-port", str(port),
            ], {SETTINGS_VARIABLE: str(settings)}, folder, f"worker-{number}{suffix}.log")
        return master

    def _start(self, role: str, args: list[str], env: dict[str, str], folder: Path, log_name: str) -> LocustProcess:
        """Start one of Locust's processes of the scenario, its output to a file of its own."""
        with open_inside(folder, log_name, "new") as log_file, interrupts_held():
            try:
                process = spawn(args, Path.cwd(), env, stdout=log_file, stderr=log_file,
                                marker=self._apps.run_marker(), scenario_marker=self._apps.scenario_marker())
            except OSError as error:
                raise ProseError(f"cannot start {role} ({shown(args)}): {error.strerror}") from None
            started = LocustProcess(role, args, process, folder / log_name)
            self._processes.append(started)
        self._log.event("command", role, f"started: {shown(args)}")
        return started

    def _wait_for(self, master: LocustProcess) -> int:
        """Wait (bounded) until the master ends; its exit code. A worker that ends first, an app of the scenario
        that dies, or a master still running past the bound fails the run at once."""
        bound = START_ALLOWANCE + self.plan.seconds + END_ALLOWANCE
        deadline = time.monotonic() + bound
        workers = [locust for locust in self._processes if locust is not master]
        while True:
            try:
                return master.process.wait(LOOK_EVERY)
            except subprocess.TimeoutExpired:
                pass
            for worker in workers:  # one that ends well was told to quit by the master, which ends next
                if (code := worker.process.poll()) not in (None, 0):
                    raise ProseError(f"{worker.describe()} {exit_description(code)} before the load ended; "
                                     f"its output ends:\n{worker.output()}")
            self._apps.check_scenario_apps()
            if time.monotonic() > deadline:
                raise WaitTimeout(f"the load did not end within {bound:g} s ({START_ALLOWANCE:g} s to start, "
                                  f"{self.plan.seconds:g} s of load, {END_ALLOWANCE:g} s to end): {master.describe()} "
                                  f"is still running; its output ends:\n{master.output()}{self._workers_output()}")

    def _workers_output(self) -> str:
        """What the workers printed last, for a failure of the master's."""
        return "".join(f"\n{locust.describe()}'s output ends:\n{locust.output(8)}" for locust in self._processes
                       if locust.role != "Locust's master")

    def _let_workers_end(self) -> None:
        """The master has told the workers to quit: give them a moment to end by themselves. One that ends with
        an error fails the load, though its statistics came in: a crash at a worker's end (a library's
        assertion, a hang cut short) is a fault a green load would hide. One still running is stopped."""
        deadline = time.monotonic() + WORKER_END
        for locust in self._processes:
            try:
                code = locust.process.wait(max(deadline - time.monotonic(), 0.0))
            except subprocess.TimeoutExpired:
                return
            if code != 0:
                raise ProseError(f"{locust.describe()} {exit_description(code)} after the load (its statistics came "
                                 f"in, but a worker that ends badly fails the load); its output ends:\n"
                                 f"{locust.output()}")

    def _stop_all(self) -> None:
        """Stop every process of the load still running, group and all, and note how each ended."""
        for locust in self._processes:
            still_running = locust.process.poll() is None
            stop_group(locust.process, STOP_GRACE)
            if still_running:
                self._log.note("stop {}  {}", locust.describe(), exit_description(locust.process.returncode))
        self._processes.clear()


def shown(args: list[str]) -> str:
    """A command line as the action log shows it (secrets masked): ``locust …``, as a person would type it."""
    words = ["locust", *args[3:]] if args[1:3] in (["-c", MASTER_CODE], ["-m", "locust"]) else args
    return mask_text(shlex.join(words))
