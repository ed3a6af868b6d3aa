"""Apps under test: started when a spec asks, ready when they say so, stopped, killed or restarted on request.

An app whose settings have ``start`` (an argument list) is started by
zmqprose, in a process group of its own (:mod:`zmqprose.apps.processes`),
with its output in a log file in its own folder (``${APP.folder}``), where
its ``files`` are written first. A port of ``0`` (or an address ending in
``:0`` or ``:*``) is a free port, chosen just before the first start and kept
for restarts; the supervisor keeps the settings with the chosen ports
(:attr:`AppSupervisor.settings`), so every later reference resolves to
them, while the settings it was given stay as they were. An app without
``start`` is expected to be running already.

The run's folder (``zmqprose-run-…`` in the temporary folder) holds every
app's and command's folder; it is removed when the run ends, unless the run
failed (then its path is logged, and shown with the failure).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from zmqprose import actionlog
from zmqprose.apps.output import REGEX_SECONDS, Output, file_size
from zmqprose.apps.ports import (
    LOCAL_HOSTS,
    TcpEndpoint,
    accepts_connections,
    choose_free_ports,
    port_of,
    tcp_endpoint,
)
from zmqprose.apps.processes import (
    DEFAULT_STOP_TIMEOUT,
    WATCHDOG,
    become_subreaper,
    end_carriers,
    exit_description,
    interrupts_held,
    kill_group,
    new_marker,
    spawn,
    stop_group,
)
from zmqprose.errors import AppError, ProseError
from zmqprose.files import open_inside, write_inside
from zmqprose.security.curve import GENERATE, RunKeys, new_pair
from zmqprose.settings import ENDPOINT_KEY, FRAMEWORK_KEY, Settings
from zmqprose.sockets.references import LOOPBACK
from zmqprose.wire.interpolation import fill_template, interpolate
from zmqprose.wire.masking import mask_text

DEFAULT_START_TIMEOUT = 10.0
POLL_INTERVAL = 0.05
ALIVE_CHECK_INTERVAL = 0.05
START_ATTEMPTS = 3  # a start whose free port was taken by another process meanwhile is tried again
FOLDER_KEY = "folder"
CURVE_PREFIX = "curve."
FOLDER_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass
class RunningApp:
    """An app zmqprose started: its process, its folder and its log (from where this process began in it)."""

    name: str
    process: Any  # subprocess.Popen[bytes]
    folder: Path
    log_path: Path
    log_file: IO[bytes]
    log_start: int = 0  # the size of the log when this process started: what it printed comes after
    next_check: float = 0.0  # when check_alive looks at the process again (monotonic)

    def output(self) -> Output:
        """What this process has printed (stdout and stderr), read in pieces as it is needed."""
        return Output(self.log_path, self.log_start)

    def tail(self, lines: int = 15) -> str:
        """The last lines of this process's output, indented for a failure message, secrets masked."""
        return self.output().tail(lines)

    def could_not_bind(self) -> bool:
        """True if the app's output says an address was in use."""
        return "in use" in self.tail().lower()

    def death_notice(self) -> str:
        """Why the app is gone: how it ended and the last lines of its output."""
        return (
            f"{self.name} (pid {self.process.pid}) {exit_description(self.process.returncode)}"
            f"{' (it could not bind: one of its ports is taken)' if self.could_not_bind() else ''}; "
            f"last lines of {self.log_path}:\n{self.tail()}"
        )


@dataclass
class AppState:
    """What the supervisor knows of one app it started: the process now, and the last one."""

    current: RunningApp | None = None  # running, or exited without anybody noticing yet
    last: RunningApp | None = None  # the latest process, running or not (for output and exit codes)
    stopped: bool = False  # a step stopped or killed it: it stays stopped until a step starts it
    chosen: dict[str, Any] = field(default_factory=dict)  # its free ports, chosen at the first start
    started_once: bool = False  # it has been ready once: a restart keeps its ports and its folder


class AppSupervisor:
    """Starts, watches and stops the apps of one run."""

    def __init__(self, settings: Settings, log_dir: str | Path | None = None) -> None:
        self.loaded = settings
        self.settings = settings  # the loaded settings, with the free ports and folders chosen so far
        for name in settings.apps:  # CURVE pairs made for this run: ${APP.curve.public_key} reaches them
            if settings.app(name).get("curve") == GENERATE:
                self.settings = self.settings.with_values(name, {"curve": new_pair().as_setting()})
        framework = settings.data.get(FRAMEWORK_KEY, {})
        self.keys = RunKeys(framework.get("curve_clients", {}) if isinstance(framework, Mapping) else {})
        self._given_folder = Path(log_dir) if log_dir else None
        self._folder: Path | None = None
        self._keep_folder = False  # set when the run failed: its folder is kept and its path shown
        self._apps: dict[str, AppState] = {}
        self._last_failed: RunningApp | None = None  # the app that exited while starting, if one did
        self._scenario_began: dict[str, int] = {}
        self._folders_made: dict[str, int] = {}  # how many folders of each name the run made
        self.marker = new_marker()  # every process of the run carries it: daemons that leave their group too
        self._marker_watched = False
        become_subreaper()  # the size of each app's log when the scenario began

    def __enter__(self) -> AppSupervisor:
        return self

    def keep_run_folder(self) -> None:
        """Something failed: the run's folder (apps' and commands' output) is kept, and its path shown."""
        self._keep_folder = True

    def __exit__(self, error_type: object, error: BaseException | None, *exc_info: object) -> None:
        if error is not None:
            self.keep_run_folder()
        self.stop_all()

    def lookup(self, name: str) -> Any:
        """``${APP.SETTING}`` (with what was chosen for the run), or ``${curve.NAME.public_key}``."""
        if name.startswith(CURVE_PREFIX):
            return self.keys.lookup(name[len(CURVE_PREFIX):])
        return self.settings.lookup(name)

    def server_key(self, name: str) -> str:
        """The CURVE public key of an app's server pair; an app without ``curve`` says so."""
        pair = self.settings.app(name).get("curve")
        if not isinstance(pair, Mapping):
            raise AppError(f"{name} has no 'curve' setting, so no server key for 'with CURVE': give it "
                           f'"curve": "generate" (or its keypair) in environment \'{self.settings.env}\'')
        return str(pair["public_key"])

    # -- the run's folder ---------------------------------------------------------

    @property
    def folder(self) -> Path:
        """The run's folder: every app's and command's folder is in it."""
        if self._folder is None:
            self._folder = self._given_folder or Path(tempfile.mkdtemp(prefix="zmqprose-run-"))
            self._folder.mkdir(parents=True, exist_ok=True)
        return self._folder

    def new_folder(self, name: str) -> Path:
        """A new folder in the run's folder, for an app or a command: ``NAME``, then ``NAME-2``, ``NAME-3``, …
        (a count per name, so that the ten-thousandth costs what the first did). A name is made safe
        for a folder first: ``as "../x"`` or ``as "a/b"`` stays inside the run's folder."""
        name = FOLDER_UNSAFE.sub("_", name).lstrip(".") or "_"
        number = self._folders_made[name] = self._folders_made.get(name, 0) + 1
        while True:
            path = self.folder / (name if number == 1 else f"{name}-{number}")
            try:
                path.mkdir()
            except FileExistsError:  # made by somebody else in a folder given to the run: the next number
                number = self._folders_made[name] = number + 1
                continue
            return path

    # -- asking for an app ------------------------------------------------------

    def ensure_running(self, name: str) -> None:
        """Make sure ``name`` runs: start it (on its ports of the first start) and wait until it is ready;
        or, for an app without ``start``, check it listens."""
        app = self.settings.app(name)
        state = self._apps.get(name)
        if state is not None and state.current is not None:
            self.check_alive(name)
            return
        if "start" not in app:
            self._check_listening(name, app)
            return
        self._start(name)

    def check_alive(self, name: str) -> None:
        """Fail if an app zmqprose started has died since (looked at no more often than every 50 ms).

        An app a step stopped is not dead; a death fails one step, and the next
        ``is running`` starts the app again.
        """
        state = self._apps.get(name)
        if state is None or (running := state.current) is None or time.monotonic() < running.next_check:
            return
        running.next_check = time.monotonic() + ALIVE_CHECK_INTERVAL
        if running.process.poll() is not None:
            self._mark_died(state, running)
            raise AppError(f"{name} has died during the run: {running.death_notice()}")

    def why_not_answering(self, name: str) -> str | None:
        """Why an app may not answer, when that is plain: nobody started it, or a step stopped it."""
        state = self._apps.get(name)
        if state is not None and state.stopped:
            return f"{name} was stopped by an earlier step: add 'Given {name} is running' to start it again"
        if (state is None or state.current is None) and "start" in self.settings.app(name):
            return f"{name} was not started in this run: add 'Given {name} is running' before this step"
        return None

    # -- steps that control an app ------------------------------------------------

    def stop(self, name: str) -> None:
        """Stop the app now, its whole process group: SIGTERM, then SIGKILL after its ``stop_timeout``."""
        running = self._started(name, "stop")
        grace = self.settings.app(name).get("stop_timeout", DEFAULT_STOP_TIMEOUT)
        stop_group(running.process, grace)
        self._stopped_by_step(name, running, "stop")

    def kill(self, name: str) -> None:
        """Kill the app now, its whole process group, with SIGKILL."""
        running = self._started(name, "kill")
        kill_group(running.process)
        self._stopped_by_step(name, running, "kill")

    def restart(self, name: str) -> None:
        """Stop the app (if it runs) and start it again on the same ports."""
        state = self._apps.get(name)
        if state is not None and state.current is not None:
            self.stop(name)
        self._start(name)

    def has_started(self, name: str) -> bool:
        """Whether a step started the app in this run."""
        state = self._apps.get(name)
        return state is not None and state.last is not None

    def current(self, name: str) -> RunningApp | None:
        """The app's process that runs now, or None; never starts anything (one found dead is noted as ended)."""
        state = self._apps.get(name)
        if state is None or state.current is None:
            return None
        if state.current.process.poll() is not None:
            self._mark_died(state, state.current)
            return None
        return state.current

    def latest(self, name: str) -> RunningApp:
        """The app's latest process, running or not; an app no step started is an error saying so."""
        return self._latest(name)

    def wait_for_end(self, name: str, timeout: float) -> RunningApp:
        """Wait up to ``timeout`` for the app's latest process to end by itself (subprocess.TimeoutExpired if
        it does not); it is then no longer the app's current process."""
        running = self._latest(name)
        running.process.wait(timeout)
        state = self._apps[name]
        if state.current is running:
            self._release(running)
            state.current = None
        return running

    def process(self, name: str) -> subprocess.Popen[bytes]:
        """The app's latest process (running or not): its ``pid``, its ``returncode``."""
        process: subprocess.Popen[bytes] = self._latest(name).process
        return process

    def output(self, name: str) -> Output:
        """What the app's latest process printed since the later of its start and the scenario's
        (STEPS.md, *An app's output*): never what an earlier process or scenario printed."""
        running = self._latest(name)
        return running.output().since(self._scenario_began.get(name, 0))

    def begin_scenario(self) -> None:
        """A scenario begins: from now on, what the apps print before this moment counts for no check."""
        self._scenario_began = {name: file_size(state.last.log_path)
                                for name, state in self._apps.items() if state.last is not None}

    def run_marker(self) -> str:
        """The run's marker, for a process about to start: the watchdog learns of it first."""
        if not self._marker_watched:
            WATCHDOG.watch_marker(self.marker)
            self._marker_watched = True
        return self.marker

    def stop_all(self) -> None:
        """Stop every app this supervisor started, then every process that carries the run's marker
        (a daemon that left its group), and remove the run's folder unless the run failed."""
        for name, state in self._apps.items():
            if state.current is not None:
                running = state.current
                stop_group(running.process, self.settings.app(name).get("stop_timeout", DEFAULT_STOP_TIMEOUT))
                self._release(running)
                state.current = None
                actionlog.log_now("stop", name, exit_description(running.process.returncode))
        if self._marker_watched:
            for pid in end_carriers(self.marker):
                actionlog.log_now("stop", f"pid {pid}", "it carried the run's marker (a daemon that left its group)")
            WATCHDOG.forget_marker(self.marker)
            self._marker_watched = False
        self._remove_folder()

    def _remove_folder(self) -> None:
        if self._folder is None or self._given_folder is not None:
            return
        if self._keep_folder:
            print(f"zmqprose: the run failed; its apps' and commands' output is kept in {self._folder}",
                  file=sys.stderr, flush=True)
            self._folder = None  # said once
            return
        shutil.rmtree(self._folder, ignore_errors=True)
        self._folder = None

    def _started(self, name: str, verb: str) -> RunningApp:
        self.settings.app(name)
        state = self._apps.get(name)
        if state is None or state.current is None:
            reason = "no step started it in this run" if state is None else "it is not running"
            raise AppError(f"cannot {verb} {name}: {reason}")
        return state.current

    def _latest(self, name: str) -> RunningApp:
        self.settings.app(name)
        state = self._apps.get(name)
        if state is None or state.last is None:
            raise AppError(f"{name} has not been started in this run: add 'Given {name} is running' first")
        return state.last

    def _stopped_by_step(self, name: str, running: RunningApp, verb: str) -> None:
        self._release(running)
        state = self._apps[name]
        state.current, state.stopped = None, True
        actionlog.log_now(verb, name, exit_description(running.process.returncode))

    def _mark_died(self, state: AppState, running: RunningApp) -> None:
        """An app found dead: its log closed, and the next ``is running`` may start it again."""
        self._release(running)
        state.current = None

    def _release(self, running: RunningApp) -> None:
        with contextlib.suppress(OSError):
            running.log_file.close()

    # -- starting ------------------------------------------------------------

    def _start(self, name: str) -> None:
        state = self._apps.setdefault(name, AppState())
        if state.started_once:  # a restart: the same ports and folder as before
            self._launch(name, state)
            return
        tried: set[int] = set()
        for attempt in range(1, START_ATTEMPTS + 1):
            state.chosen = choose_free_ports(self.loaded.app(name), avoid=tried)
            tried.update(port_of(value) for value in state.chosen.values())
            try:
                self._launch(name, state)
                state.started_once = True
                return
            except AppError:
                failed = self._last_failed
                if not (state.chosen and failed is not None and failed.could_not_bind()) or attempt == START_ATTEMPTS:
                    raise
                actionlog.log_now("restart", name, "a free port was taken before the app could bind it")

    def _launch(self, name: str, state: AppState) -> None:
        self._last_failed = None
        folder = state.last.folder if state.last is not None else self.new_folder(name)
        self.settings = self.settings.with_values(name, {**state.chosen, FOLDER_KEY: str(folder)})
        app = self.settings.app(name)
        endpoints = list(self._endpoints(name, app))
        self._check_ports_free(name, endpoints, state.chosen)
        cwd = Path(app.get("cwd", "."))
        if not cwd.is_dir():
            raise AppError(f"cannot start {name}: its cwd '{cwd}' is not a folder (from {Path.cwd()})")
        self._write_files(name, app, folder)
        args = [interpolate(str(argument), self.lookup) for argument in app["start"]]
        env = {key: interpolate(str(value), self.lookup) for key, value in app.get("env", {}).items()}
        log_path = folder / f"{name}.log"
        log_file = self._open_log(name, folder, log_path)
        log_start = log_file.seek(0, os.SEEK_END)
        actionlog.log_now("start", name, mask_text(" ".join(args)), f"log: {log_path}")
        with interrupts_held():  # a Ctrl-C now would leave the app running, unknown to stop_all
            try:
                process = spawn(args, cwd, env, stdout=log_file, stderr=log_file, marker=self.run_marker())
            except OSError as error:
                log_file.close()
                raise AppError(f"cannot start {name}: {args[0]}: {error.strerror}") from None
            except ValueError as error:  # a NUL brought in by a ${…}: the settings check sees only what is written
                log_file.close()
                raise AppError(f"cannot start {name}: an argument or variable, filled in, cannot be given to a "
                               f"program ({error})") from None
            running = RunningApp(name, process, folder, log_path, log_file, log_start)
            state.current, state.last, state.stopped = running, running, False
        self._wait_until_ready(running, app, endpoints)

    @staticmethod
    def _open_log(name: str, folder: Path, log_path: Path) -> IO[bytes]:
        """The app's log, opened to append (never through a link the app left in its folder)."""
        try:
            return open_inside(folder, log_path.name, "append")
        except OSError as error:
            raise AppError(f"cannot start {name}: its log {log_path} cannot be written: {error.strerror}") from None

    def _check_ports_free(self, name: str, endpoints: list[TcpEndpoint], chosen: Mapping[str, Any]) -> None:
        for endpoint in endpoints:
            fixed = endpoint.key not in chosen
            if fixed and endpoint.host in LOCAL_HOSTS and accepts_connections(endpoint.host, endpoint.port, 0.2):
                raise AppError(
                    f"cannot start {name}: port {endpoint.port} ({name}.{endpoint.key}) is already taken "
                    f"on {endpoint.host} by something else; stop that, or set {name}.{endpoint.key} "
                    f"to 0 for a free port"
                )

    def _write_files(self, name: str, app: Mapping[str, Any], folder: Path) -> None:
        """Write each of the app's ``files`` from its template, ``${…}`` filled in (``$${`` is a literal
        ``${``), into its folder; never through a link the app may have left there."""
        for target, template in app.get("files", {}).items():
            source = self.settings.folder / template
            where = f"its template {source} ({name}.files.{target})"
            try:
                text = source.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise AppError(f"cannot start {name}: {where} cannot be read: "
                               f"{getattr(error, 'strerror', None) or error}") from None
            try:
                filled = fill_template(text, self.lookup)
            except ProseError as error:
                raise AppError(f"cannot start {name}: in {where}: {error}") from None
            try:
                write_inside(folder, target, filled, mode="replace")
            except OSError as error:
                raise AppError(f"cannot start {name}: {folder / target} ({name}.files.{target}) cannot be "
                               f"written: {error.strerror}") from None

    # -- readiness -----------------------------------------------------------

    def _wait_until_ready(self, running: RunningApp, app: Mapping[str, Any], endpoints: list[TcpEndpoint]) -> None:
        began = time.monotonic()
        timeout = float(app.get("start_timeout", DEFAULT_START_TIMEOUT))
        ready = app.get("ready", {})
        if "delay" in ready:
            self._wait_until(running, timeout, lambda: time.monotonic() - began >= ready["delay"],
                             f"its ready delay of {ready['delay']:g} s")
        elif "log" in ready:
            self._wait_until(running, timeout, self._log_says(running, ready["log"]),
                             f"a line of its output matching {ready['log']!r}")
        elif not ready.get("none"):
            waiting = list(endpoints)

            def listening() -> bool:
                waiting[:] = [e for e in waiting if not accepts_connections(e.host, e.port, POLL_INTERVAL)]
                return not waiting

            self._wait_until(running, timeout, listening, lambda: f"it to listen on {', '.join(map(str, waiting))}")
        actionlog.log_now("started", running.name, f"ready after {time.monotonic() - began:.2f} s")

    def _log_says(self, running: RunningApp, pattern_text: str) -> Any:
        """A look at the lines this very process printed since the last look, for ``ready: {"log": …}``."""
        import regex  # imported when a setting first needs it

        pattern = regex.compile(pattern_text, regex.MULTILINE)
        output = running.output()

        def says() -> bool:
            try:
                return output.first_line_matching(pattern) is not None
            except TimeoutError:
                stop_group(running.process, 1.0)
                self._forget_failed(running)
                raise AppError(f"{running.name}.ready.log {pattern_text!r} took over {REGEX_SECONDS:g} s on one "
                               f"line of its output: write a pattern that does not backtrack") from None

        return says

    def _wait_until(self, running: RunningApp, timeout: float, ready: Any, what: Any) -> None:
        began = time.monotonic()
        while not ready():
            if running.process.poll() is not None:
                self._forget_failed(running)
                raise AppError(f"{running.name} failed to start: {running.death_notice()}")
            if time.monotonic() - began > timeout:
                waited_for = what() if callable(what) else what
                stop_group(running.process, 1.0)
                self._forget_failed(running)
                raise AppError(
                    f"{running.name} was not ready within {timeout:g} s (start_timeout): waited for {waited_for}; "
                    f"last lines of {running.log_path}:\n{running.tail()}"
                )
            time.sleep(POLL_INTERVAL)  # another process: nothing to wait on but a look every 50 ms

    def _forget_failed(self, running: RunningApp) -> None:
        self._release(running)
        self._last_failed = running
        self._apps[running.name].current = None

    # -- listening -----------------------------------------------------------

    def _endpoints(self, name: str, app: Mapping[str, Any]) -> Iterator[TcpEndpoint]:
        keys = app.get("wait_for")
        if keys is None:
            keys = [key for key in app if ENDPOINT_KEY.search(key)]
        for key in keys:
            if key not in app:
                raise AppError(f"{name}.wait_for names '{key}', which is not a setting of {name}")
            endpoint = tcp_endpoint(key, app[key], app.get("host", LOOPBACK))
            if endpoint is not None:
                yield endpoint

    def _check_listening(self, name: str, app: Mapping[str, Any]) -> None:
        endpoints = list(self._endpoints(name, app))
        silent = [e for e in endpoints if not accepts_connections(e.host, e.port, 1.0)]
        if silent:
            raise AppError(
                f"{name} is not listening on {', '.join(map(str, silent))}, and its settings have no "
                f"'start' command: start {name} first, or give it a 'start' in environment '{self.settings.env}'"
            )
