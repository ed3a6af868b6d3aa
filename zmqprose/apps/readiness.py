"""When an app counts as started: its tcp ports accept connections (the default), a line of its output
matches a pattern, a delay has passed, or its probe is answered; and whether an app zmqprose does not start
is listening.

Every wait is bounded by the app's ``start_timeout``; an app that dies or is
not ready in time is stopped, and the error shows the end of its output.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from zmqprose import actionlog
from zmqprose.actionlog import ActionLog, RunOptions
from zmqprose.apps.output import REGEX_SECONDS
from zmqprose.apps.ports import AppPort, accepts_connections, app_port
from zmqprose.apps.running import RunningApp
from zmqprose.errors import AppError, ProseError
from zmqprose.safety.processes import stop_group
from zmqprose.settings import ENDPOINT_KEY, AppSettings, Settings

POLL_INTERVAL = 0.05  # seconds between looks at another process (its ports, its output)
FIRST_PROBE_WAIT = 0.25  # seconds the first probe at start waits for its answer (then twice as long, …)
LONGEST_PROBE_WAIT = 2.0  # … up to this


def wait_until_ready(running: RunningApp, app: AppSettings, endpoints: list[AppPort],
                     live: ActionLog | None = None) -> None:
    """Wait until the app's process is ready, as its ``ready`` setting says; AppError (the process stopped)
    if it dies first or is not ready within its ``start_timeout``. ``live``: the scenario's action log, which
    prints that it is ready on a live run."""
    began = time.monotonic()
    ready = app.ready
    if "delay" in ready:
        wait_until(running, app.start_timeout, lambda: time.monotonic() - began >= ready["delay"],
                   f"its ready delay of {ready['delay']:g} s")
    elif "log" in ready:
        wait_until(running, app.start_timeout, log_says(running, ready["log"]),
                   f"a line of its output matching {ready['log']!r}")
    elif ready.get("probe"):
        wait_until_answered(running, app, endpoints, began, live)
    elif not ready.get("none"):
        waiting = list(endpoints)

        def listening() -> bool:
            waiting[:] = [e for e in waiting if not accepts_connections(e.host, e.port, POLL_INTERVAL)]
            return not waiting

        wait_until(running, app.start_timeout, listening, lambda: f"it to listen on {', '.join(map(str, waiting))}")
    actionlog.log_now("started", running.name, f"ready after {time.monotonic() - began:.2f} s", live=live)


def log_says(running: RunningApp, pattern_text: str) -> Callable[[], bool]:
    """A look at the lines this very process printed since the last look, for ``ready: {"log": …}``."""
    import regex  # imported when a setting first needs it

    pattern = regex.compile(pattern_text, regex.MULTILINE)
    output = running.output()

    def says() -> bool:
        try:
            return output.first_line_matching(pattern) is not None
        except TimeoutError:
            stop_group(running.process, 1.0)
            raise AppError(f"{running.name}.ready.log {pattern_text!r} took over {REGEX_SECONDS:g} s on one "
                           f"line of its output: write a pattern that does not backtrack") from None

    return says


def wait_until_answered(running: RunningApp, app: AppSettings, endpoints: list[AppPort], began: float,
                        live: ActionLog | None = None) -> None:
    """``ready: {"probe": true}``: wait until the app answers its probe as it expects; a probe that cannot be
    sent at all (its format unknown, its value not one the format takes) stops the app, saying why. ``live``:
    the scenario's action log, whose run says how frames are shown (shortened, or whole)."""
    from zmqprose.apps.probes import describe, probe_address  # loaded when an app is first probed

    # the run's way of showing frames, and nothing else of its options: a probe's attempts are not told live
    options = RunOptions(frames_in_full=live is not None and live.options.frames_in_full)
    try:
        address = probe_address(app, probe_port_value(app, endpoints))
        answered, last = probe_answers(running, app, address, began + app.start_timeout, options)
        wait_until(running, app.start_timeout, answered,
                   lambda: f"{describe(app, address, options.showing)} to be answered; the last attempt got {last()}")
    except ProseError as error:
        stop_group(running.process, 1.0)
        if isinstance(error, AppError):
            raise
        raise AppError(f"{running.name} cannot be probed at its start: {error}") from None


def probe_port_value(app: AppSettings, endpoints: list[AppPort]) -> Any:
    """The value of the probe's port setting at start: as the app's ports were found (filled in), else as
    its settings write it, if that needs nothing filled in."""
    from zmqprose.apps.probes import the_probe

    key = the_probe(app).port
    for endpoint in endpoints:
        if endpoint.key == key:
            return endpoint.port if endpoint.host == app.host else f"tcp://{endpoint.host}:{endpoint.port}"
    value = app.raw[key]
    if isinstance(value, str) and "${" in value:
        raise AppError(f'{app.name}.ready is {{"probe": true}}, and its probe goes to {app.name}.{key}, which is '
                       f"filled in from elsewhere ({value!r}) and is none of the tcp ports {app.name} waits for: "
                       f'list "{key}" in {app.name}.wait_for, or write it as a port or an address')
    return value


def probe_answers(running: RunningApp, app: AppSettings, address: str, deadline: float,
                  options: RunOptions | None = None) -> tuple[Callable[[], bool], Callable[[], str]]:
    """An attempt of the app's probe, for ``ready: {"probe": true}``, on a fresh socket each time (a REQ that
    got no answer can send no more), each waiting longer than the last, none past ``deadline``; and what the
    last attempt got, shown as ``options`` (the run's) say."""
    from zmqprose.apps.probes import ask, attempts, format_context
    from zmqprose.sockets.context import run_context
    from zmqprose.sockets.socket import ProseSocket

    context = format_context(app, str(uuid.uuid4()))
    next_wait = attempts(FIRST_PROBE_WAIT, LONGEST_PROBE_WAIT)
    last = ["no attempt yet"]

    def make_socket(kind: int, type_name: str, label: str) -> ProseSocket:
        return ProseSocket.make(run_context(), kind, type_name, None, label, ActionLog(options))

    def died() -> None:
        if running.process.poll() is not None:
            raise AppError(f"{running.name} failed to start: {running.death_notice()}")

    def answered() -> bool:
        wait = max(min(next_wait(), deadline - time.monotonic()), POLL_INTERVAL)
        answer = ask(app, address, wait, make_socket, context, died)
        last[0] = answer.shown if answer.frames is None else f"{answer.shown} ({answer.difference})"
        return answer.matches

    return answered, lambda: last[0]


def wait_until(running: RunningApp, timeout: float, ready: Callable[[], bool], what: Any) -> None:
    """Look every :data:`POLL_INTERVAL` until ``ready()``; AppError (the process stopped) if the process ends
    or ``timeout`` passes first. ``what``: what was waited for (text, or a function that says it)."""
    began = time.monotonic()
    while not ready():
        if running.process.poll() is not None:
            raise AppError(f"{running.name} failed to start: {running.death_notice()}")
        if time.monotonic() - began > timeout:
            waited_for = what() if callable(what) else what
            stop_group(running.process, 1.0)
            raise AppError(
                f"{running.name} was not ready within {timeout:g} s (start_timeout): waited for {waited_for}; "
                f"last lines of {running.log_path}:\n{running.tail()}"
            )
        time.sleep(POLL_INTERVAL)  # another process: nothing to wait on but a look every 50 ms


def app_ports(app: AppSettings, settings: Settings) -> Iterator[AppPort]:
    """The tcp ports an app must listen on: those its ``wait_for`` names, else every port setting."""
    keys = app.wait_for if app.wait_for is not None else [key for key in app.raw if ENDPOINT_KEY.search(key)]
    for key in keys:
        if key not in app.raw:
            raise AppError(f"{app.name}.wait_for names '{key}', which is not a setting of {app.name}")
        endpoint = app_port(key, settings.setting(app.name, key), app.host)
        if endpoint is not None:
            yield endpoint


def check_listening(app: AppSettings, settings: Settings) -> None:
    """An app zmqprose does not start listens on its ports now, or an error says to start it."""
    silent = [e for e in app_ports(app, settings) if not accepts_connections(e.host, e.port, 1.0)]
    if silent:
        raise AppError(
            f"{app.name} is not listening on {', '.join(map(str, silent))}, and its settings have no "
            f"'start' command: start {app.name} first, or give it a 'start' in environment '{settings.env}'"
        )
