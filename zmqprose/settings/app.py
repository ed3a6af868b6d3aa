"""One app's settings as zmqprose reads them: a frozen, typed view with every default in one place.

An app's settings hold zmqprose's keys (``start``, ``cwd``, ``host``, …) and
any of the app's own (its ports, its options); :attr:`AppSettings.raw` has
them all, as written (``${…}`` not yet filled in).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from zmqprose.wire.format import DEFAULT_SIGNATURE_SCHEME

FRAMEWORK_KEY = "zmqprose"  # the top-level key of the framework's own settings, not an app
DEFAULT_TIMEOUT = 5.0  # zmqprose.timeout: the default wait of every blocking action, in seconds
LOOPBACK = "127.0.0.1"  # an app's host and bind_host when the settings name none
DEFAULT_START_TIMEOUT = 10.0  # seconds an app has to become ready
DEFAULT_STOP_TIMEOUT = 3.0  # seconds between SIGTERM and SIGKILL when an app is stopped
SECONDS_KEYS = ("start_timeout", "stop_timeout")
READY_KINDS = ("log", "delay", "none")
SCOPES = ("run", "scenario")
CHECKPOINT_NAMES, SOCKET_NAMES, LINK_NAMES = "checkpoint.", "socket.", "link."  # ${…} a scenario fills in
SCENARIO_NAMES = (CHECKPOINT_NAMES, SOCKET_NAMES, LINK_NAMES)
SCENARIO_REFERENCES = tuple("${" + names for names in (SOCKET_NAMES, LINK_NAMES))  # only a scenario's app has


@dataclass(frozen=True)
class AppSettings:
    """The settings of one app that zmqprose reads, defaults filled in."""

    name: str
    raw: Mapping[str, Any] = field(repr=False)  # every setting of the app, as written
    start: tuple[str | int, ...] | None = None  # the argument list that starts it; None: it runs already
    cwd: str = "."  # the folder it starts in, relative to the one behave runs in
    host: str = LOOPBACK  # where a port of it is connected to
    bind_host: str = LOOPBACK  # where a port of it is bound, when a spec binds one
    start_timeout: float = DEFAULT_START_TIMEOUT
    stop_timeout: float = DEFAULT_STOP_TIMEOUT
    ready: Mapping[str, Any] = field(default_factory=dict)  # {"log": REGEX}, {"delay": S}, {"none": true}; or ports
    env: Mapping[str, Any] = field(default_factory=dict)  # environment variables it gets besides the run's
    files: Mapping[str, str] = field(default_factory=dict)  # name in its folder -> template (in the settings folder)
    wait_for: tuple[str, ...] | None = None  # the settings of the ports it must listen on; None: every port
    curve: Any = None  # its CURVE server pair, or "generate"
    key: str | None = None  # the key a Jupyter app signs its messages with
    signature_scheme: str = DEFAULT_SIGNATURE_SCHEME
    scope: str = "run"  # "run": started once, stopped when the run ends; "scenario": fresh for each scenario

    @classmethod
    def of(cls, name: str, raw: Mapping[str, Any]) -> AppSettings:
        """The view of an app's (checked) settings."""
        known = {key: raw[key] for key in ("cwd", "host", "bind_host", "ready", "env", "files", "curve",
                                           "signature_scheme", "scope") if key in raw}
        start = raw.get("start")
        wait_for = raw.get("wait_for")
        key = raw.get("key")
        return cls(name, raw, start=tuple(start) if start is not None else None,
                   start_timeout=float(raw.get("start_timeout", DEFAULT_START_TIMEOUT)),
                   stop_timeout=float(raw.get("stop_timeout", DEFAULT_STOP_TIMEOUT)),
                   wait_for=tuple(wait_for) if wait_for is not None else None,
                   key=str(key) if key else None, **known)
