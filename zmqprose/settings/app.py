"""One app's settings as zmqprose reads them: a frozen, typed view with every default in one place.

An app's settings hold zmqprose's keys (``start``, ``cwd``, ``host``, …) and
any of the app's own (its ports, its options); :attr:`AppSettings.raw` has
them all, as written (``${…}`` not yet filled in).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from zmqprose.errors import SettingsError
from zmqprose.wire.format import DEFAULT_SIGNATURE_SCHEME

FRAMEWORK_KEY = "zmqprose"  # the top-level key of the framework's own settings, not an app
DEFAULT_TIMEOUT = 5.0  # zmqprose.timeout: the default wait of every blocking action, in seconds
LOOPBACK = "127.0.0.1"  # an app's host and bind_host when the settings name none
DEFAULT_START_TIMEOUT = 10.0  # seconds an app has to become ready
DEFAULT_STOP_TIMEOUT = 3.0  # seconds between SIGTERM and SIGKILL when an app is stopped
SECONDS_KEYS = ("start_timeout", "stop_timeout")
READY_KINDS = ("log", "delay", "none", "probe")
PROBE_KEYS = ("port", "type", "format", "send", "expect")  # what a probe may say; all but format must be there
PROBE_TYPES = ("REQ", "DEALER", "XREQ", "PAIR")  # sockets that send a request and receive its answer
SCOPES = ("run", "scenario")
CHECKPOINT_NAMES, SOCKET_NAMES, LINK_NAMES = "checkpoint.", "socket.", "link."  # ${…} a scenario fills in
SCENARIO_NAMES = (CHECKPOINT_NAMES, SOCKET_NAMES, LINK_NAMES)
SCENARIO_REFERENCES = tuple("${" + names for names in (SOCKET_NAMES, LINK_NAMES))  # only a scenario's app has


@dataclass(frozen=True)
class ProbeSettings:
    """An app's probe: a request that it must answer (``APP still answers``, ``"ready": {"probe": true}``)."""

    port: str  # the setting of the app's port that it is sent to (``ret_port``)
    type: str  # the type of the socket that sends it: REQ, DEALER or PAIR
    send: Any  # frames (a list of texts), or a value written in ``format``
    expect: Any  # the answer, matched as ``matching`` matches (markers work): frames, or a value in ``format``
    format: str | None = None  # a message format (JSON, msgpack, a registered one); None: frames

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> ProbeSettings:
        """The view of a (checked) ``probe`` setting, its values plain lists and dicts again (settings hold
        tuples and read-only dicts, which a format would not take)."""
        return cls(str(raw["port"]), str(raw["type"]), plain(raw["send"]), plain(raw["expect"]), raw.get("format"))


def plain(value: Any) -> Any:
    """A settings value as plain lists and dicts (settings hold tuples and read-only dicts)."""
    if isinstance(value, Mapping):
        return {key: plain(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


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
    probe: ProbeSettings | None = None  # the request it must answer, if its settings name one

    @classmethod
    def of(cls, name: str, raw: Mapping[str, Any]) -> AppSettings:
        """The view of an app's (checked) settings."""
        known = {key: raw[key] for key in ("cwd", "host", "bind_host", "ready", "env", "files", "curve",
                                           "signature_scheme", "scope") if key in raw}
        start = raw.get("start")
        wait_for = raw.get("wait_for")
        key = raw.get("key")
        probe = ProbeSettings.of(raw["probe"]) if "probe" in raw else None
        check_probe_use(name, raw, probe)
        return cls(name, raw, start=tuple(start) if start is not None else None,
                   start_timeout=float(raw.get("start_timeout", DEFAULT_START_TIMEOUT)),
                   stop_timeout=float(raw.get("stop_timeout", DEFAULT_STOP_TIMEOUT)),
                   wait_for=tuple(wait_for) if wait_for is not None else None,
                   key=str(key) if key else None, probe=probe, **known)


def check_probe_use(name: str, raw: Mapping[str, Any], probe: ProbeSettings | None) -> None:
    """What only the merged settings of an app can tell (a file may hold its probe, another its ports): the
    probe's port is a setting of the app, and ``"ready": {"probe": true}`` has a probe to send."""
    if probe is not None and probe.port not in raw:
        ports = ", ".join(key for key in raw if key.lower().endswith(("port", "socket", "endpoint"))) or "(none)"
        raise SettingsError(f"{name}.probe.port names '{probe.port}', which is not a setting of {name}; "
                            f"its port settings: {ports}")
    ready = raw.get("ready")
    if isinstance(ready, Mapping) and ready.get("probe") and probe is None:
        raise SettingsError(f'{name}.ready is {{"probe": true}}, but {name} has no "probe" setting: give it '
                            f'one, e.g. "probe": {{"port": "control_port", "type": "REQ", "send": ["PING"], '
                            f'"expect": ["PONG"]}}')
