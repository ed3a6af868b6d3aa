"""Apps under test, their lifecycle: started when a spec asks, stopped, killed or restarted on request.

An app whose settings have ``start`` (an argument list) is started by
zmqprose, in a process group of its own (:mod:`zmqprose.safety.processes`),
with its output in a log file in its own folder (``${APP.folder}``), where
its ``files`` are written first. A port of ``0`` (or an address ending in
``:0`` or ``:*``) is a free port, chosen just before the first start and kept
for restarts, held against other zmqprose runs on the machine until the run
ends (:class:`~zmqprose.apps.ports.PortReservations`: no other run chooses it
while the app starts, or while it is stopped for a restart); the supervisor
keeps the settings with the chosen ports (:attr:`AppSupervisor.settings`),
so every later reference resolves to them, while the settings it was given
stay as they were. An app without ``start`` is expected to be running
already.

When a started app counts as ready: :mod:`zmqprose.apps.readiness`. Where
its folder and log live: :mod:`zmqprose.apps.run_folder`. What it printed:
:mod:`zmqprose.apps.output`.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zmqprose import actionlog
from zmqprose.actionlog import ActionLog
from zmqprose.apps.output import Output, file_size
from zmqprose.apps.ports import (
    LOCAL_HOSTS,
    AppPort,
    PortReservations,
    accepts_connections,
    choose_free_ports,
    port_of,
)
from zmqprose.apps.readiness import app_ports, check_listening, wait_until_ready
from zmqprose.apps.run_folder import RunFolder, check_not_the_log, check_there, log_name, open_log, write_files
from zmqprose.apps.running import RunningApp, ended_note, handed
from zmqprose.errors import AppError, ProseError, ResolveError
from zmqprose.safety.processes import (
    APP_MARKER_VARIABLE,
    SCENARIO_MARKER_VARIABLE,
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
from zmqprose.security.curve import GENERATE, RunKeys, new_pair
from zmqprose.settings import ENDPOINT_KEY, FRAMEWORK_KEY, AppSettings, Settings
from zmqprose.sockets.references import (
    AppEndpoint,
    as_port,
    endpoint_for,
    free_port_behind,
    is_free_port,
    setting_key,
    tcp_port_of,
)
from zmqprose.wire.interpolation import interpolate
from zmqprose.wire.masking import mask_text

ALIVE_CHECK_INTERVAL = 0.05
START_ATTEMPTS = 3  # a start whose free port was taken by another process meanwhile is tried again
FOLDER_KEY = "folder"
CURVE_PREFIX = "curve."


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
            if settings.app_settings(name).curve == GENERATE:
                self.settings = self.settings.with_values(name, {"curve": new_pair(owner=self).as_setting()})
        framework = settings.data.get(FRAMEWORK_KEY, {})
        self.keys = RunKeys(framework.get("curve_clients", {}) if isinstance(framework, Mapping) else {})
        self.run_folder = RunFolder(Path(log_dir) if log_dir else None)
        self.ports = PortReservations()  # the free ports the run chose, held against other runs until it ends
        self._apps: dict[str, AppState] = {}
        self._last_failed: RunningApp | None = None  # the app that exited while starting, if one did
        self._scenario_began: dict[str, int] = {}
        self._scenario_lookup: Callable[[str], Any] | None = None  # the scenario's ${…}, for its own apps
        self._scenario_log = ActionLog()  # the scenario's action log, told what happens to the apps
        self.marker = new_marker()  # every process of the run carries it: daemons that leave their group too
        self._marker_watched = False
        self._scenario_marker = ""  # every process of the scenario's own carries it (made when first needed)
        self._in_scenario: set[str] = set()  # the apps the scenario started or found running: watched during waits
        become_subreaper()

    def __enter__(self) -> AppSupervisor:
        return self

    def keep_run_folder(self) -> None:
        """Something failed: the run's folder (apps' and commands' output) is kept, and its path shown."""
        self.run_folder.keep()

    def __exit__(self, error_type: object, error: BaseException | None, *exc_info: object) -> None:
        if error is not None:
            self.keep_run_folder()
        self.stop_all()

    def lookup(self, name: str) -> Any:
        """``${APP.SETTING}`` (with what was chosen for the run), or ``${curve.NAME.public_key}``."""
        if name.startswith(CURVE_PREFIX):
            return self.keys.lookup(name[len(CURVE_PREFIX):])
        value = self.settings.lookup(name)
        if behind := free_port_behind(self.settings, name):  # it, or a setting it refers to: it would be 0
            refers = "" if behind[0] == name else f"it refers to ${{{behind[0]}}}, and "
            raise ResolveError(f"${{{name}}} is not known yet: {refers}{behind[1]}")
        return value

    def server_key(self, name: str) -> str:
        """The CURVE public key of an app's server pair; an app without ``curve`` says so."""
        pair = self.settings.app_settings(name).curve
        if not isinstance(pair, Mapping):
            raise AppError(f"{name} has no 'curve' setting, so no server key for 'with CURVE': give it "
                           f'"curve": "generate" (or its keypair) in environment \'{self.settings.env}\'')
        return str(pair["public_key"])

    # -- the run's folder ---------------------------------------------------------

    @property
    def folder(self) -> Path:
        """The run's folder: every app's and command's folder is in it."""
        return self.run_folder.path

    def new_folder(self, name: str, purpose: str = "") -> Path:
        """A new folder in the run's folder, for an app or a command (see :meth:`RunFolder.new_folder`)."""
        return self.run_folder.new_folder(name, purpose)

    # -- asking for an app ------------------------------------------------------

    def ensure_running(self, name: str) -> None:
        """Make sure ``name`` runs: start it (on its ports of the first start) and wait until it is ready;
        or, for an app without ``start``, check it listens."""
        app = self.settings.app_settings(name)
        self._in_scenario.add(name)
        state = self._apps.get(name)
        if state is not None and state.current is not None:
            self.check_alive(name)
            return
        if app.start is None:
            self.check_ports(name)
            return
        self._start(name)

    def check_ports(self, name: str) -> None:
        """An app without ``start`` listens on its fixed ports (``is running``, under any keyword, checks only
        this for it). Its free ports are the spec's to bind (it plays the app): they are not looked at, and an
        app that has only free ones has nothing to check."""
        free = {key: value for key, value in self.loaded.app(name).items()
                if ENDPOINT_KEY.search(key) and is_free_port(value)}
        view = self.settings.with_values(name, free) if free else self.settings
        app = view.app_settings(name)
        if free and not list(app_ports(app, view)):
            keys = ", ".join(f"{name}.{key}" for key in free)
            raise AppError(f"{name} has no 'start', and its ports ({keys}) are free ports: the spec plays {name}, "
                           f"so nothing of it runs to be checked; bind its sockets instead, e.g. 'I bind a ROUTER "
                           f"socket to {endpoint_for(name, next(iter(free)))}', and start the client under test "
                           f"after them (docs: how-to/play-a-service.md, *Playing a service*)")
        check_listening(app, view)

    # -- an app the spec plays --------------------------------------------------

    def playing(self, ref: AppEndpoint) -> tuple[str, str] | None:
        """Where a bind to ``ref`` goes if it names a free port, not chosen yet, of an app without ``start``
        (the spec plays it): ``(key, address)``, the address ending in ``:*``; None for any other endpoint."""
        app = self.settings.app_settings(ref.app)
        if app.start is not None:
            return None
        key = setting_key(self.settings, ref)
        value = self.settings.setting(ref.app, key)
        if not is_free_port(value):
            return None
        if isinstance(value, str):
            return key, f"{value.rpartition(':')[0]}:*"
        return key, f"tcp://{app.bind_host}:*"

    def play(self, name: str, key: str, bound: str) -> None:
        """The spec's bind chose a port for ``name``'s free port ``key`` (bound at ``bound``): from now on, for the
        rest of the run, the setting holds it (``${APP.KEY}``, the app's reference), as an app's chosen free port
        does, so that a client under test started after the bind finds it, and later binds take it again."""
        port = tcp_port_of(bound)
        value = self.settings.setting(name, key)
        chosen = f"{value.rpartition(':')[0]}:{port}" if isinstance(value, str) else port
        self.settings = self.settings.with_values(name, {key: chosen})
        if port:  # the next scenario's bind takes it again: no other run may choose it meanwhile
            self.ports.keep([port])
        self._tell("play", name, f"{key} = {chosen} (a free port, chosen by the spec's bind; kept for the run)")

    def check_alive(self, name: str) -> None:
        """Fail if an app zmqprose started has died since (looked at no more often than every 50 ms).

        An app a step stopped is not dead; a death fails one step, and the next
        ``is running`` starts the app again.
        """
        state = self._apps.get(name)
        if state is None or (running := state.current) is None or time.monotonic() < running.next_check:
            return
        running.next_check = time.monotonic() + ALIVE_CHECK_INTERVAL
        if running.looks.look(running.process) is not None:
            self._mark_died(state, running)
            self._scenario_log.event("app", name, f"died: {exit_description(running.process.returncode)}")
            raise AppError(f"{name} has died during the run: {running.death_notice()}")

    def check_scenario_apps(self) -> None:
        """Fail if an app the scenario started, or found running, has died since: ended by a signal or with
        an exit code other than 0 (an app that ended with 0 did as it meant to: a one-shot client that is done).
        Called during a wait on any socket of the scenario, so that the wait fails at once, naming the app,
        how it ended and its last lines (looked at no more often than every 50 ms)."""
        now = time.monotonic()
        for name in sorted(self._in_scenario):
            state = self._apps.get(name)
            running = state.current if state is not None else None
            if state is None or running is None or now < running.next_check:
                continue
            running.next_check = now + ALIVE_CHECK_INTERVAL
            if running.looks.look(running.process) in (None, 0):
                continue
            self._mark_died(state, running)
            self._scenario_log.event("app", name, f"died: {exit_description(running.process.returncode)}")
            raise AppError(f"{name} has died during the scenario: {running.death_notice()}")

    def ended_cleanly(self, addresses: list[str], began: float) -> list[str]:
        """What a wait on a socket of the spec's own (at ``addresses``) that timed out says of the apps the scenario
        started that ended with code 0 meanwhile (a one-shot client that is done), where that can be why nothing
        came: the app was handed one of the socket's ports or addresses, or none at all. ``began``: the
        scenario's start, which the times are told from."""
        notes = []
        for name in sorted(self._in_scenario):
            state = self._apps.get(name)
            running = state.last if state is not None and not state.stopped else None
            if running is not None and running.looks.look(running.process) == 0 and handed(running.names, addresses):
                notes.append(ended_note(name, running.looks, began))
        return notes

    def why_not_answering(self, name: str) -> str | None:
        """Why an app may not answer, when that is plain: a step stopped it, it ended (how, with its last lines;
        a death noticed before included), or nobody started it (in this run, or in this scenario for an app of
        the scenario's own)."""
        state = self._apps.get(name)
        if state is not None and state.stopped:
            return f"{name} was stopped by an earlier step: add 'Given {name} is running' to start it again"
        if state is not None and state.last is not None and state.last.process.poll() is not None:
            return f"{name} is not running: {state.last.death_notice()}"
        if (state is None or state.current is None) and self.settings.app_settings(name).start is not None:
            return f"{name} was not started in {self.started_in(name)}: add 'Given {name} is running' before this step"
        return None

    def started_in(self, name: str) -> str:
        """Where an app that was not started should have been: this run, or this scenario (an app of its own)."""
        if self.settings.app_settings(name).scope == "scenario":
            return "this scenario (it is an app of the scenario's own, which ends with it)"
        return "this run"

    # -- steps that control an app ------------------------------------------------

    def stop(self, name: str) -> None:
        """Stop the app now, its whole process group (SIGTERM, then SIGKILL after its ``stop_timeout``), and
        whatever this start of it left running outside the group (a daemon that carries its marker)."""
        running = self._started(name, "stop")
        ended_before = running.process.poll() is not None
        grace = self.settings.app_settings(name).stop_timeout
        self._tell_kin(name, stop_group(running.process, grace))
        self._end_daemons(name, running, grace)
        self._stopped_by_step(name, running, "stop", ended_before)

    def kill(self, name: str) -> None:
        """Kill the app now, its whole process group, with SIGKILL, and the daemons this start of it left."""
        running = self._started(name, "kill")
        ended_before = running.process.poll() is not None
        self._tell_kin(name, kill_group(running.process))
        self._end_daemons(name, running, 0.0)
        self._stopped_by_step(name, running, "kill", ended_before)

    def _tell_kin(self, name: str, pids: list[int]) -> None:
        """The processes below the app's that had left its process group, ended with it (found by parentage:
        a session of their own and an empty environment, as circusd starts its watchers)."""
        for pid in pids:
            self._tell("stop", f"pid {pid}", f"it descended from {name} outside its process group")
            self._scenario_log.event("app", f"pid {pid}", f"stopped with {name}: a process it started")

    def _end_daemons(self, name: str, running: RunningApp, grace: float) -> None:
        """End every live process that carries this start's marker: daemons the app started that left its
        process group (they would otherwise live until the scenario or the run ends)."""
        for pid in end_carriers(running.marker, grace, variable=APP_MARKER_VARIABLE, below=True):
            self._tell("stop", f"pid {pid}", f"it carried {name}'s marker (a daemon {name} started)")
            self._scenario_log.event("app", f"pid {pid}", f"stopped with {name}: a daemon it started")

    def restart(self, name: str) -> None:
        """Stop the app (if it runs) and start it again on the same ports."""
        self._in_scenario.add(name)
        state = self._apps.get(name)
        if state is not None and state.current is not None:
            self.stop(name)
        self._start(name)

    def app_at(self, address: str) -> str:
        """The app one of whose port settings is ``address`` (a tcp address, as the settings now give it:
        free ports chosen), or "" if none is: for pictures, which group an app's ports under it."""
        for name in self.settings.apps:
            app = self.settings.app_settings(name)
            for key, value in app.raw.items():
                if ENDPOINT_KEY.search(key) and address in (value, *self._addresses_of(app, key)):
                    return name
        return ""

    def _addresses_of(self, app: AppSettings, key: str) -> list[str]:
        value = self.settings.setting(app.name, key)
        port = tcp_port_of(value) if isinstance(value, str) and "://" in value else as_port(value)
        return [f"tcp://{host}:{port}" for host in (app.host, app.bind_host)] if port else []

    def has_started(self, name: str) -> bool:
        """Whether a step started the app in this run."""
        state = self._apps.get(name)
        return state is not None and state.last is not None

    def current(self, name: str) -> RunningApp | None:
        """The app's process that runs now, or None; never starts anything (one found dead is noted as ended)."""
        state = self._apps.get(name)
        if state is None or state.current is None:
            return None
        if state.current.looks.look(state.current.process) is not None:
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
        if running.looks.look(running.process) is None:
            running.process.wait(timeout)
            running.looks.ended_now()
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
        """What the app's latest process printed since the later of its start and the scenario's (docs:
        reference/apps.md, *Apps and commands under the spec's control*): never what an earlier process or
        scenario printed."""
        running = self._latest(name)
        check_there(f"{name}'s log {running.log_path} cannot be read", running.log_path)
        return running.output().since(self._scenario_began.get(name, 0))

    def begin_scenario(self, lookup: Callable[[str], Any] | None = None, log: ActionLog | None = None) -> None:
        """A scenario begins: from now on, what the apps print before this moment counts for no check.
        ``lookup`` fills in ``${…}`` for the apps of the scenario's own (``"scope": "scenario"``): its
        sockets (``${socket.NAME.port}``) and its checkpoint, besides the settings; ``log``, the scenario's action
        log, is told what happens to the apps (for its picture)."""
        self._scenario_began = {name: file_size(state.last.log_path)
                                for name, state in self._apps.items() if state.last is not None}
        self._scenario_lookup = lookup
        self._scenario_log = log or ActionLog()
        self._scenario_marker = ""
        self._in_scenario = set()

    def scenario_marker(self) -> str:
        """The scenario's marker, for a process of its own about to start (an app of ``"scope": "scenario"``,
        a command): whatever carries it ends with the scenario, a daemon that left its group too."""
        if not self._scenario_marker:
            self._scenario_marker = new_marker()
        return self._scenario_marker

    def end_scenario(self) -> None:
        """The scenario ends: stop its own apps (``"scope": "scenario"``), whole process groups, and forget
        them, so that the next scenario that needs one starts it afresh, on free ports of its own; then end
        every process that carries the scenario's marker (a daemon one of its apps or commands started)."""
        for name, state in list(self._apps.items()):
            if self.settings.app_settings(name).scope != "scenario":
                continue
            if state.current is not None:
                running = state.current
                ended_before = running.process.poll() is not None
                kin = stop_group(running.process, self.settings.app_settings(name).stop_timeout)
                self._release(running)
                self._tell_kin(name, kin)
                if ended_before:
                    self._log_exited(name, running)
                else:
                    self._tell("stop", name, f"{exit_description(running.process.returncode)} "
                                                    f"(an app of the scenario, which ends)")
                    self._scenario_log.event("app", name, f"stopped with the scenario: "
                                                          f"{exit_description(running.process.returncode)}")
            del self._apps[name]
            self.ports.release(chosen_ports(state))  # gone for good: its next start chooses ports anew
            self.settings = self.settings.with_values(name, {key: self.loaded.app(name)[key] for key in state.chosen})
        self._scenario_lookup = None
        self._end_scenario_carriers()

    def _end_scenario_carriers(self) -> None:
        """End what the scenario's own processes left behind: every live process that carries its marker."""
        marker, self._scenario_marker = self._scenario_marker, ""
        if not marker:
            return  # nothing of the scenario's own was started
        for pid in end_carriers(marker, variable=SCENARIO_MARKER_VARIABLE, below=True):
            self._tell("stop", f"pid {pid}", "it carried the scenario's marker (a daemon that an app or "
                                                    "command of the scenario started, which ends)")
            self._scenario_log.event("app", f"pid {pid}", "stopped with the scenario: a daemon of the scenario's")

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
                ended_before = running.process.poll() is not None
                kin = stop_group(running.process, self.settings.app_settings(name).stop_timeout)
                self._release(running)
                self._tell_kin(name, kin)
                state.current = None
                if ended_before:
                    self._log_exited(name, running)
                else:
                    self._tell("stop", name, exit_description(running.process.returncode))
        if self._marker_watched:
            for pid in end_carriers(self.marker):
                self._tell("stop", f"pid {pid}", "it carried the run's marker (a daemon that left its group)")
            WATCHDOG.forget_marker(self.marker)
            self._marker_watched = False
        self.ports.release_all()
        self.run_folder.remove()

    def _tell(self, action: str, *details: object) -> None:
        """A run-level line (an app started, stopped, exited; a daemon ended): printed as it happens on a live
        run, with the scenario's lines, else logged (:func:`~zmqprose.actionlog.log_now`)."""
        actionlog.log_now(action, *details, live=self._scenario_log)

    def _log_exited(self, name: str, running: RunningApp) -> None:
        """An app whose process had ended by itself, unnoticed until zmqprose came to stop it: the log says
        ``APP exited with code 1``, never ``stop APP …``, which would read as if zmqprose had ended it."""
        ended = exit_description(running.process.returncode)
        self._tell(name, f"{ended} (by itself, before the end that would have stopped it)")
        self._scenario_log.event("app", name, f"{ended} (by itself)")

    def _started(self, name: str, verb: str) -> RunningApp:
        self.settings.app(name)
        state = self._apps.get(name)
        if state is None or state.current is None:
            reason = f"no step started it in {self.started_in(name)}" if state is None else "it is not running"
            raise AppError(f"cannot {verb} {name}: {reason}")
        return state.current

    def _latest(self, name: str) -> RunningApp:
        self.settings.app(name)
        state = self._apps.get(name)
        if state is None or state.last is None:
            raise AppError(f"{name} has not been started in {self.started_in(name)}: add 'Given {name} is running' "
                           f"first")
        return state.last

    def _stopped_by_step(self, name: str, running: RunningApp, verb: str, ended_before: bool) -> None:
        self._release(running)
        state = self._apps[name]
        state.current, state.stopped = None, True
        if ended_before:
            self._log_exited(name, running)
            return
        self._tell(verb, name, exit_description(running.process.returncode))
        self._scenario_log.event("app", name, f"{verb}: {exit_description(running.process.returncode)}")

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
            self.ports.keep(chosen_ports(state))  # held still, unless stop_all let them go
            self._launch(name, state)
            return
        self.ports.release(chosen_ports(state))  # a start that failed before: its ports are not its any more
        tried: set[int] = set()
        for attempt in range(1, START_ATTEMPTS + 1):
            state.chosen = choose_free_ports(self.loaded.app(name), avoid=tried, reservations=self.ports)
            tried.update(chosen_ports(state))
            try:
                self._launch(name, state)
                state.started_once = True
                return
            except AppError:
                failed = self._last_failed
                if not (state.chosen and failed is not None and failed.could_not_bind()) or attempt == START_ATTEMPTS:
                    raise
                self.ports.release(chosen_ports(state))
                self._tell("restart", name, "a free port was taken before the app could bind it")

    def _launch(self, name: str, state: AppState) -> None:
        self._last_failed = None
        if state.last is not None:  # a restart: the folder of the first start
            folder = state.last.folder
            check_there(f"cannot start {name}", folder)
        else:
            folder = self.new_folder(name, f"cannot start {name}")
        self.settings = self.settings.with_values(name, {**state.chosen, FOLDER_KEY: str(folder)})
        app = self.settings.app_settings(name)
        endpoints = list(app_ports(app, self.settings))
        self._check_ports_free(name, endpoints, state.chosen)
        cwd = Path(app.cwd)
        if not cwd.is_dir():
            raise AppError(f"cannot start {name}: its cwd '{cwd}' is not a folder (from {Path.cwd()})")
        given: list[str] = []  # what its ${…} gave, for its picture: the ports and addresses it was handed
        lookup = noting(self._lookup_for(app), given)
        try:
            args = [interpolate(str(argument), lookup) for argument in app.start or ()]
            env = {key: interpolate(str(value), lookup) for key, value in app.env.items()}
        except ProseError as error:
            raise AppError(f"cannot start {name}: {error}") from None
        log_path = folder / log_name(name)
        check_not_the_log(name, log_path, app.files, [*args, *env.values()])  # before a file is written over it
        write_files(name, app.files, self.settings.folder, folder, lookup, log_path)
        log_file = open_log(name, folder, log_path)
        log_start = log_file.seek(0, os.SEEK_END)
        self._tell("start", name, mask_text(" ".join(args)), f"log: {log_path}")
        marker = new_marker()
        with interrupts_held():  # a Ctrl-C now would leave the app running, unknown to stop_all
            try:
                process = spawn(args, cwd, env, stdout=log_file, stderr=log_file, marker=self.run_marker(),
                                scenario_marker=self.scenario_marker() if app.scope == "scenario" else "",
                                app_marker=marker)
            except OSError as error:
                log_file.close()
                raise AppError(f"cannot start {name}: {args[0]}: {error.strerror}") from None
            except ValueError as error:  # a NUL brought in by a ${…}: the settings check sees only what is written
                log_file.close()
                raise AppError(f"cannot start {name}: an argument or variable, filled in, cannot be given to a "
                               f"program ({error})") from None
            names = actionlog.named_endpoints([*given, *args, *env.values()])
            running = RunningApp(name, process, folder, log_path, log_file, log_start, marker=marker,
                                 names=frozenset(names.split()))
            state.current, state.last, state.stopped = running, running, False
        try:
            wait_until_ready(running, app, endpoints, live=self._scenario_log)
        except AppError:
            self._forget_failed(running)
            self._scenario_log.event("app", name, "failed to start")
            check_there(f"cannot start {name}", log_path)  # its log removed meanwhile: no ready line was seen
            raise
        if self._scenario_log.keeps_events:
            self._scenario_log.event("app", name, f"started (pid {process.pid})", names=names)

    def _lookup_for(self, app: AppSettings) -> Callable[[str], Any]:
        """What ``${…}`` means in an app's settings: the settings (and the run's keys); for an app of the
        scenario's own, the scenario's sockets and checkpoint too."""
        if app.scope != "scenario":
            return self.lookup
        if self._scenario_lookup is None:
            raise AppError(f'{app.name} is an app of one scenario ("scope": "scenario"): start it from a '
                           f"scenario's step, not before or after one")
        return self._scenario_lookup

    def _check_ports_free(self, name: str, endpoints: list[AppPort], chosen: Mapping[str, Any]) -> None:
        for endpoint in endpoints:
            fixed = endpoint.key not in chosen
            if fixed and endpoint.host in LOCAL_HOSTS and accepts_connections(endpoint.host, endpoint.port, 0.2):
                raise AppError(
                    f"cannot start {name}: port {endpoint.port} ({name}.{endpoint.key}) is already taken "
                    f"on {endpoint.host} by something else; stop that, or set {name}.{endpoint.key} "
                    f"to 0 for a free port"
                )

    def _forget_failed(self, running: RunningApp) -> None:
        self._release(running)
        self._last_failed = running
        self._apps[running.name].current = None


def chosen_ports(state: AppState) -> list[int]:
    """The free ports chosen for an app, as numbers."""
    return [port_of(value) for value in state.chosen.values()]


def noting(lookup: Callable[[str], Any], given: list[str]) -> Callable[[str], Any]:
    """``lookup``, keeping in ``given`` the text of each value it gives (in the app's start, its env, its files):
    the picture of a scenario finds by them which app talks to a socket of the spec's."""
    def noted(name: str) -> Any:
        value = lookup(name)
        if isinstance(value, str | int) and not isinstance(value, bool):
            given.append(str(value))
        return value

    return noted
