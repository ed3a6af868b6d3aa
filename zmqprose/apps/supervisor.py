"""Apps under test: start them once per run, wait until they listen, stop them at the end.

An app whose settings have ``start`` (an argument list) is started by
zmqprose, with its output in a log file; ``python`` as the first argument
means the interpreter that runs zmqprose. A port of ``0`` (or an address
ending in ``:0`` or ``:*``) is a free port, chosen just before the start;
the supervisor keeps the settings with the chosen ports
(:attr:`AppSupervisor.settings`), so every later reference resolves to
them, while the settings it was given stay as they were.
An app without ``start`` is expected to be running already."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from zmqprose import actionlog
from zmqprose.apps.ports import LOCAL_HOSTS, TcpEndpoint, accepts_connections, choose_free_ports, port_of, tcp_endpoint
from zmqprose.apps.processes import STOP_WITH_PARENT, stop_process
from zmqprose.errors import AppError
from zmqprose.settings import ENDPOINT_KEY, Settings
from zmqprose.sockets.references import LOOPBACK
from zmqprose.wire.interpolation import interpolate
from zmqprose.wire.masking import mask_text

DEFAULT_START_TIMEOUT = 10.0


POLL_INTERVAL = 0.05


ALIVE_CHECK_INTERVAL = 0.05


START_ATTEMPTS = 3  # a start whose free port was taken by another process meanwhile is tried again


@dataclass
class RunningApp:
    """An app zmqprose started: its process and its log."""

    name: str
    process: subprocess.Popen
    log_path: Path
    log_file: IO[bytes]
    checked_at: float = 0.0

    def tail(self, lines: int = 15) -> str:
        """The last lines of the app's output, indented for a failure message."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "    (no output)"
        last = text.splitlines()[-lines:]
        return "\n".join(f"    {line}" for line in last) or "    (no output)"

    def could_not_bind(self) -> bool:
        """True if the app's output says an address was in use."""
        return "in use" in self.tail().lower()

    def death_notice(self) -> str:
        """Why the app is gone: exit code and the last lines of its output."""
        return (
            f"{self.name} (pid {self.process.pid}) exited with code {self.process.returncode}"
            f"{' (it could not bind: one of its ports is taken)' if self.could_not_bind() else ''}; "
            f"last lines of {self.log_path}:\n{self.tail()}"
        )


class AppSupervisor:
    """Starts and stops the apps of one run; an app is started at most once."""

    def __init__(self, settings: Settings, log_dir: str | Path | None = None) -> None:
        self.loaded = settings
        self.settings = settings  # the loaded settings, with the free ports chosen so far
        self.log_dir = Path(log_dir) if log_dir else None
        self._running: dict[str, RunningApp] = {}
        self._last_failed: RunningApp | None = None  # the app that exited while starting, if one did

    def __enter__(self) -> AppSupervisor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop_all()

    def ensure_running(self, name: str) -> None:
        """Start ``name`` (once per run) and wait until it listens; or check it listens already."""
        app = self.settings.app(name)
        if name in self._running:
            self.check_alive(name)
            return
        if "start" not in app:
            self._check_listening(name, app)
            return
        self._start(name, app)

    def check_alive(self, name: str) -> None:
        """Fail if an app zmqprose started has died since (looked at no more often than every 50 ms)."""
        running = self._running.get(name)
        if running is None:
            return
        now = time.monotonic()
        if now - running.checked_at < ALIVE_CHECK_INTERVAL and running.process.returncode is None:
            return
        running.checked_at = now
        if running.process.poll() is not None:
            raise AppError(f"{name} has died during the run: {running.death_notice()}")

    def why_not_answering(self, name: str) -> str | None:
        """Why an app may not answer, if it is plain: zmqprose would start it, but no step asked."""
        if name not in self._running and "start" in self.settings.app(name):
            return f"{name} was not started in this run: add 'Given {name} is running' before this step"
        return None

    def stop_all(self) -> None:
        """Stop every app this supervisor started: terminate, then kill after a grace period."""
        for running in list(self._running.values()):
            self._forget(running)
            actionlog.log_now("stop", running.name, f"exit code {running.process.returncode}")

    def _forget(self, running: RunningApp) -> None:
        stop_process(running.process)
        running.log_file.close()
        self._running.pop(running.name, None)

    # -- starting ------------------------------------------------------------

    def _start(self, name: str, app: Mapping[str, Any]) -> None:
        start_timeout = app.get("start_timeout", DEFAULT_START_TIMEOUT)
        tried: set[int] = set()
        for attempt in range(1, START_ATTEMPTS + 1):
            chosen = choose_free_ports(self.loaded.app(name), avoid=tried)
            tried.update(port_of(value) for value in chosen.values())
            self.settings = self.settings.with_values(name, chosen)
            try:
                self._launch(name, self.settings.app(name), start_timeout, chosen)
                return
            except AppError:
                failed = self._last_failed
                if not (chosen and failed is not None and failed.could_not_bind()) or attempt == START_ATTEMPTS:
                    raise
                actionlog.log_now("restart", name, "a free port was taken before the app could bind it")

    def _launch(self, name: str, app: Mapping[str, Any], start_timeout: float, chosen: Mapping[str, Any]) -> None:
        self._last_failed = None
        endpoints = list(self._endpoints(name, app))
        for endpoint in endpoints:
            fixed = endpoint.key not in chosen
            if fixed and endpoint.host in LOCAL_HOSTS and accepts_connections(endpoint.host, endpoint.port, 0.2):
                raise AppError(
                    f"cannot start {name}: port {endpoint.port} ({name}.{endpoint.key}) is already taken "
                    f"on {endpoint.host} by something else; stop that, or set {name}.{endpoint.key} "
                    f"to 0 for a free port"
                )
        args = self._start_arguments(app)
        cwd = Path(app.get("cwd", "."))
        if not cwd.is_dir():
            raise AppError(f"cannot start {name}: its cwd '{cwd}' is not a folder (from {Path.cwd()})")
        log_dir = self.log_dir or Path(tempfile.mkdtemp(prefix="zmqprose-apps-"))
        log_dir.mkdir(parents=True, exist_ok=True)
        log_path = log_dir / f"{name}.log"
        log_file = log_path.open("wb")
        actionlog.log_now("start", name, mask_text(" ".join(args)), f"log: {log_path}")
        try:
            process = subprocess.Popen(
                args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True,
                preexec_fn=STOP_WITH_PARENT,
            )
        except OSError as error:
            log_file.close()
            raise AppError(f"cannot start {name}: {args[0]}: {error.strerror}") from None
        running = RunningApp(name, process, log_path, log_file)
        self._running[name] = running
        self._wait_until_listening(running, endpoints, start_timeout)

    def _start_arguments(self, app: Mapping[str, Any]) -> list[str]:
        args = [interpolate(str(argument), self.settings.lookup) for argument in app["start"]]
        if args[0] in ("python", "python3"):
            args[0] = sys.executable
        return args

    def _wait_until_listening(self, running: RunningApp, endpoints: list[TcpEndpoint], timeout: float) -> None:
        began = time.monotonic()
        waiting = list(endpoints)
        while waiting:
            if running.process.poll() is not None:
                self._forget(running)
                self._last_failed = running
                raise AppError(f"{running.name} failed to start: {running.death_notice()}")
            waiting = [e for e in waiting if not accepts_connections(e.host, e.port, POLL_INTERVAL)]
            if waiting and time.monotonic() - began > timeout:
                failure = AppError(
                    f"{running.name} did not listen on {', '.join(map(str, waiting))} within {timeout:g} s "
                    f"(start_timeout); last lines of {running.log_path}:\n{running.tail()}"
                )
                self._forget(running)
                raise failure
            if waiting:
                time.sleep(POLL_INTERVAL)
        actionlog.log_now("started", running.name, f"listening after {time.monotonic() - began:.2f} s")

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
