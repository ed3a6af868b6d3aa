"""Checking settings as they are loaded: the settings zmqprose itself reads, for type and range.

Settings that could only fail later, deep inside a run, are refused at once,
with the file (or ``source``) and the key. An error never shows a compound
value, which may hold a secret (:func:`shown`, :func:`kind_of`).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zmqprose.errors import ProseError, SettingsError
from zmqprose.limits import MAX_WAIT, counted
from zmqprose.security.curve import check_pair_setting
from zmqprose.settings.app import (
    DEFAULT_TIMEOUT,
    FRAMEWORK_KEY,
    PROBE_KEYS,
    PROBE_TYPES,
    READY_KINDS,
    SCENARIO_REFERENCES,
    SCOPES,
    SECONDS_KEYS,
)
from zmqprose.settings.secrets import is_secret_path
from zmqprose.wire.frames import encode_frame
from zmqprose.wire.matching import check_pattern

ENDPOINT_KEY = re.compile(r"(?:^|_)(?:port|socket|endpoint)$|[a-z0-9](?:Port|Socket|Endpoint)$")
TCP_PORT = re.compile(r"tcp://.*:(?P<port>[^:/\]]*)$")


def framework_timeout(data: Mapping[str, Any], source: str) -> float:
    """``zmqprose.timeout``: the default wait of every blocking action, in seconds."""
    framework = data.get(FRAMEWORK_KEY, {})
    value = framework.get("timeout", DEFAULT_TIMEOUT) if isinstance(framework, Mapping) else DEFAULT_TIMEOUT
    if not is_seconds(value):
        raise SettingsError(
            f"{source}: zmqprose.timeout must be a positive number of seconds (at most {MAX_WAIT:g}), "
            f"not {shown(value)}"
        )
    return float(value)


def is_seconds(value: Any) -> bool:
    """True for a wait in seconds: a finite number above 0, at most a day."""
    return (not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)
            and 0 < value <= MAX_WAIT)


def check_settings(data: Mapping[str, Any], source: str) -> None:
    """Refuse settings that could only fail later, deep inside a run; every message names ``source``."""
    framework = data.get(FRAMEWORK_KEY, {})
    if not isinstance(framework, Mapping):
        raise SettingsError(
            f"{source}: '{FRAMEWORK_KEY}' must be a JSON object of settings, not {kind_of(framework)}"
        )
    if "timeout" in framework:
        framework_timeout(data, source)
    clients = framework.get("curve_clients", {})
    if not isinstance(clients, Mapping):
        raise SettingsError(f'{source}: zmqprose.curve_clients must be an object of named keypairs, '
                            f'e.g. {{"alice": {{"public_key": "…", "secret_key": "…"}}}}')
    for name, pair in clients.items():
        check_pair_setting(pair, f"zmqprose.curve_clients.{name}", source, generate=False)
    check_finite(data, source, "")
    for app, app_settings in data.items():
        if not isinstance(app_settings, Mapping):
            raise SettingsError(
                f"{source}: setting '{app}' must be a JSON object of settings, not {kind_of(app_settings)}"
            )
        if app != FRAMEWORK_KEY:
            check_app(app, app_settings, source)


def check_finite(value: Any, source: str, where: str) -> None:
    """Every number is finite (settings made in Python skip the file reader's check)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise SettingsError(f"{source}: {where.lstrip('.')} is {value}, which is not a number a setting can have")
    if isinstance(value, Mapping):
        for key, inner in value.items():
            check_finite(inner, source, f"{where}.{key}")
    elif isinstance(value, (list, tuple)):
        for index, inner in enumerate(value):
            check_finite(inner, source, f"{where}.{index}")


def check_app(app: str, settings: Mapping[str, Any], source: str) -> None:
    """The settings zmqprose itself reads, checked for type and range."""
    for key, value in settings.items():
        if ENDPOINT_KEY.search(key):
            check_endpoint_setting(f"{app}.{key}", value, source)
    for key in SECONDS_KEYS:
        if key in settings and not is_seconds(settings[key]):
            raise SettingsError(
                f"{source}: {app}.{key} must be a positive number of seconds (at most {MAX_WAIT:g}), "
                f"not {shown(settings[key])}"
            )
    for key in ("host", "bind_host", "cwd"):
        if key in settings and not isinstance(settings[key], str):
            raise SettingsError(f"{source}: {app}.{key} must be text, not {shown(settings[key])}")
    start = settings.get("start")
    if start is not None:
        if not (isinstance(start, (list, tuple)) and start):
            raise SettingsError(f'{source}: {app}.start must be a list of arguments, e.g. ["python", "-m", "{app}"], '
                                f"not {kind_of(start)}")
        for index, argument in enumerate(start):
            if not isinstance(argument, (str, int)) or isinstance(argument, bool):
                raise SettingsError(f"{source}: {app}.start.{index} is {kind_of(argument)}: each argument of "
                                    f"start is text or a whole number")
            if "\0" in str(argument):
                raise SettingsError(f"{source}: {app}.start.{index} holds a NUL character, which no program "
                                    f"argument can hold")
    check_start_settings(app, settings, source)
    check_scope(app, settings, source)
    if "probe" in settings:
        check_probe(app, settings["probe"], source)
    if "curve" in settings:
        check_pair_setting(settings["curve"], f"{app}.curve", source, public_alone="start" not in settings)
    wait_for = settings.get("wait_for")
    if wait_for is not None and not (isinstance(wait_for, (list, tuple)) and all(isinstance(k, str) for k in wait_for)):
        raise SettingsError(
            f'{source}: {app}.wait_for must be a list of setting names, e.g. ["command_port"], '
            f"not {shown(wait_for)}"
        )


def check_scope(app: str, settings: Mapping[str, Any], source: str) -> None:
    """``scope``: "run" (the default) or "scenario"; only an app of one scenario refers to a scenario's
    sockets and links (they do not exist before it, nor after)."""
    scope = settings.get("scope", "run")
    if scope not in SCOPES:
        raise SettingsError(f'{source}: {app}.scope must be "run" (started once for the run, the default) or '
                            f'"scenario" (started fresh by each scenario that needs it), not {shown(scope)}')
    if scope == "run":
        for where, text in strings_in(settings, app):
            if any(reference in text for reference in SCENARIO_REFERENCES):
                raise SettingsError(f"{source}: {where} refers to a scenario's socket or link, which only an app "
                                    f'of one scenario can: give {app} "scope": "scenario"')


def strings_in(value: Any, where: str) -> list[tuple[str, str]]:
    """Every text inside a setting, with its dotted path."""
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, Mapping):
        return [found for key, inner in value.items() for found in strings_in(inner, f"{where}.{key}")]
    if isinstance(value, (list, tuple)):
        return [found for index, inner in enumerate(value) for found in strings_in(inner, f"{where}.{index}")]
    return []


def check_start_settings(app: str, settings: Mapping[str, Any], source: str) -> None:
    """``env``, ``files`` and ``ready``: what an app gets when it starts, and when it counts as started."""
    check_env_setting(app, settings.get("env", {}), source)
    files = settings.get("files", {})
    if not isinstance(files, Mapping):
        raise SettingsError(f'{source}: {app}.files must be an object of file names and templates, '
                            f'e.g. {{"circus.ini": "templates/circus.ini"}}, not {kind_of(files)}')
    for target, template in files.items():
        if not isinstance(template, str):
            raise SettingsError(f"{source}: {app}.files.{target} is {kind_of(template)}: write the path of its "
                                f"template, relative to the settings folder")
        if not is_file_name_inside(target):
            raise SettingsError(f"{source}: {app}.files names {target!r}: a file is written into the app's own "
                                f"folder, so its name must be a relative path to a file, without '..'")
    ready = settings.get("ready", {})
    kinds = [kind for kind in READY_KINDS if isinstance(ready, Mapping) and kind in ready]
    valid = isinstance(ready, Mapping) and len(ready) == len(kinds) <= 1 and (
        not kinds
        or (kinds[0] == "log" and isinstance(ready["log"], str))
        or (kinds[0] == "delay" and is_seconds(ready["delay"]))
        or (kinds[0] in ("none", "probe") and ready[kinds[0]] is True))
    if not valid:
        raise SettingsError(f'{source}: {app}.ready must be one of {{"log": "REGEX"}}, {{"delay": SECONDS}}, '
                            f'{{"none": true}}, {{"probe": true}} (or left out: its tcp ports accept connections), '
                            f"not {shown(ready)}")
    if kinds == ["log"]:
        import regex  # imported when a setting first needs it

        try:
            regex.compile(ready["log"])
        except regex.error as error:
            raise SettingsError(f"{source}: {app}.ready.log is not a pattern: {error}") from None


PROBE_EXAMPLE = '{"port": "control_port", "type": "REQ", "send": ["PING"], "expect": ["PONG"]}'


def check_probe(app: str, probe: Any, source: str) -> None:
    """``probe``: a request the app must answer, checked whole: where it goes (a port setting of the app), on
    which socket, what is sent and what must come back (frames, or values in ``format``). Whether its port
    is a setting of the app is known only once every file is merged (:func:`~zmqprose.settings.app.check_probe_use`)."""
    where = f"{source}: {app}.probe"
    if not isinstance(probe, Mapping):
        raise SettingsError(f"{where} must be an object, e.g. {PROBE_EXAMPLE} (with \"format\" to send a "
                            f"value, not frames), not {kind_of(probe)}")
    for key in probe:
        if key not in PROBE_KEYS:
            raise SettingsError(f"{where}.{key} is not a setting of a probe: a probe has "
                                f"{', '.join(PROBE_KEYS)}")
    for key in ("port", "type", "send", "expect"):
        if key not in probe:
            raise SettingsError(f"{where} has no \"{key}\": a probe names its port, its socket type, what it "
                                f"sends and what it expects, e.g. {PROBE_EXAMPLE}")
    port = probe["port"]
    if not (isinstance(port, str) and ENDPOINT_KEY.search(port)):
        raise SettingsError(f"{where}.port must name a port setting of {app} (a key ending in _port, _socket or "
                            f"_endpoint, e.g. \"control_port\"), not {shown(port)}")
    if probe["type"] not in PROBE_TYPES:
        raise SettingsError(f"{where}.type must be one of {', '.join(PROBE_TYPES)} (a socket that sends a request "
                            f"and receives its answer), not {shown(probe['type'])}")
    fmt = probe.get("format")
    if fmt is not None and not (isinstance(fmt, str) and fmt):
        raise SettingsError(f"{where}.format must be the name of a message format (JSON, msgpack, a registered "
                            f"one), not {shown(fmt)}; leave it out to send frames")
    for key in ("send", "expect"):
        check_probe_message(f"{where}.{key}", probe[key], framed=fmt is None, expected=key == "expect")


def check_probe_message(where: str, value: Any, framed: bool, expected: bool) -> None:
    """What a probe sends or expects: frames (a non-empty list of texts) without a format; ``#regex``
    patterns that compile; no ``${…}``, which a probe does not fill in (it is sent and compared as written)."""
    if framed and not (isinstance(value, (list, tuple)) and value and all(isinstance(f, str) for f in value)):
        raise SettingsError(f'{where} must be frames, a list of texts such as ["PING"] (or give the probe a '
                            f'"format" to {"expect" if expected else "send"} a value), not {kind_of(value)}')
    for at, text in strings_in(value, where):
        if "${" in text:
            raise SettingsError(f"{at} holds ${{…}}: a probe is sent and compared as written, nothing in it is "
                                f"filled in")
        try:
            if expected:
                check_pattern(text)
            elif framed:
                encode_frame(text)
        except ProseError as error:
            raise SettingsError(f"{at}: {error}") from None


def check_env_setting(app: str, env: Any, source: str) -> None:
    """``env``: names a process environment can hold, values that are text or numbers, no NUL anywhere."""
    if not isinstance(env, Mapping):
        raise SettingsError(f'{source}: {app}.env must be an object of environment variables, '
                            f'e.g. {{"LOG_LEVEL": "debug"}}, not {kind_of(env)}')
    for name, value in env.items():
        if not name or "=" in name or "\0" in name:
            raise SettingsError(f"{source}: {app}.env has a variable named {name!r}: a name is not empty and "
                                f"holds no '=' and no NUL character")
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise SettingsError(f"{source}: {app}.env.{name} is {kind_of(value)}: a variable's value is text "
                                f"or a number")
        if "\0" in str(value):
            raise SettingsError(f"{source}: {app}.env.{name} holds a NUL character, which no environment "
                                f"variable can hold")


def is_file_name_inside(target: str) -> bool:
    """A name that stays inside the folder it is written in and names a file there: relative, no ``..``,
    not the folder itself."""
    path = Path(target)
    return bool(target) and "\0" not in target and not path.is_absolute() and ".." not in path.parts \
        and path.parts != () and path.name not in ("", ".")


def kind_of(value: Any) -> str:
    """What a value is, in words, without showing it (it may hold a secret)."""
    if isinstance(value, Mapping):
        keys = ", ".join(map(str, list(value)[:8])) + (", …" if len(value) > 8 else "")
        return f"an object (keys: {keys})" if value else "an empty object"
    if isinstance(value, (list, tuple)):
        return f"a list of {counted(len(value), 'item')}"
    if isinstance(value, bool):
        return "true or false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


def shown(value: Any) -> str:
    """A value for a settings error: a number or a short text as it is, anything larger by its kind."""
    if isinstance(value, (int, float)) or value is None or (isinstance(value, str) and len(value) <= 60):
        return json.dumps(value)
    return kind_of(value)


def hidden(value: Any) -> str:
    """A secret's value for a settings error: its kind, never its content."""
    return f"{kind_of(value)} (a secret: not shown)"


def check_endpoint_setting(name: str, value: Any, source: str) -> None:
    """A port (0 to 65535, as a number or digits) or a ZeroMQ address whose tcp port is in range; the value
    of a secret-named one (``token_endpoint``) is named by its kind only: it is checked before it is masked."""
    show = hidden if is_secret_path(name) else shown
    if isinstance(value, str) and "${" in value:
        return  # filled in from another setting when it is used
    if isinstance(value, int) and not isinstance(value, bool):
        port_text = str(value)
    elif isinstance(value, str) and "://" in value:
        match = TCP_PORT.match(value)
        if match is None:
            return  # ipc://, inproc://: no port
        port_text = match["port"]
        if port_text == "*":
            return
    elif isinstance(value, str):
        port_text = value
    else:
        raise SettingsError(
            f"{source}: {name} must be a port number or a ZeroMQ address such as \"tcp://127.0.0.1:5555\", "
            f"not {show(value)}"
        )
    if not (port_text.isascii() and port_text.isdigit() and int(port_text) <= 65535):
        raise SettingsError(
            f"{source}: {name} = {show(value)}: a port is a whole number from 1 to 65535 "
            f"(or 0 for a free port chosen when the app starts)"
        )
