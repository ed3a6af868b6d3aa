"""Environment settings: which apps a spec talks to, and where they live.

``<folder>/defaults.json`` is merged, key by key and at every depth, under
``<folder>/<env>.json``. Top-level keys are apps (``"ogre": {...}``), plus
``"zmqprose"`` for the framework's own settings (``{"timeout": 5}``).

Loaded settings never change: every file is checked on its own when it is
read (so a mistake names the file that has it), and the merged result is
frozen. Free ports chosen when an app starts make a new :class:`Settings`
(:meth:`Settings.with_values`); whoever holds the old one still sees the
old values.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

from zmqprose.errors import SettingsError
from zmqprose.limits import MAX_WAIT
from zmqprose.security.curve import check_pair_setting
from zmqprose.wire.masking import remember_secrets
from zmqprose.wire.paths import PathMissing, walk

DEFAULTS_FILE = "defaults.json"
SECRET_KEY = re.compile(r"key|secret|password|token", re.IGNORECASE)
PUBLIC_KEY = re.compile(r"public", re.IGNORECASE)  # a CURVE public key is meant to be seen: no secret
FRAMEWORK_KEY = "zmqprose"
DEFAULT_TIMEOUT = 5.0
ENV_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
ENDPOINT_KEY = re.compile(r"(?:^|_)(?:port|socket|endpoint)$|[a-z0-9](?:Port|Socket|Endpoint)$")
TCP_PORT = re.compile(r"tcp://.*:(?P<port>[^:/\]]*)$")
SECONDS_KEYS = ("start_timeout", "stop_timeout")
READY_KINDS = ("log", "delay", "none")
PLACEHOLDER = re.compile(r"\$\{([^{}]*)\}")
MAX_REFERENCE_DEPTH = 50  # settings that refer to settings, that deep at most
MAX_EXPANDED = 1 << 20  # characters one expanded setting may have


class FrozenDict(dict[str, Any]):
    """A dict that refuses changes: settings are shared by every scenario of a run.

    A deep copy is an ordinary, changeable dict (and lists), for a user who
    wants to edit one.
    """

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("settings are read-only once loaded; copy them (copy.deepcopy) to change a copy")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        thawed: dict[str, Any] = thaw(self)
        return thawed


def freeze(value: Any) -> Any:
    """A settings value that cannot change: objects become FrozenDicts, arrays tuples."""
    if isinstance(value, Mapping):
        return FrozenDict({key: freeze(inner) for key, inner in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """A changeable copy of a frozen settings value: dicts and lists again."""
    if isinstance(value, Mapping):
        return {key: thaw(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(item) for item in value]
    return value


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``: nested objects merge, anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_json_file(path: Path) -> dict[str, Any]:
    """A settings file as a dict; bad JSON is reported with file, line and column.

    ``NaN``, ``Infinity`` and numbers too large for a float (``1e400``) are
    refused: Python's JSON reader takes them, and a wait of NaN seconds
    never ends.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SettingsError(f"cannot read settings file {path}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise SettingsError(
            f"{path}: a settings file must be UTF-8 text ({error.reason} at byte {error.start})"
        ) from None

    def no_constant(name: str) -> NoReturn:
        raise SettingsError(f"{path}: {name} is not a number in JSON; write a finite number")

    def finite(number: str) -> float:
        value = float(number)
        if not math.isfinite(value):
            raise SettingsError(f"{path}: {number} is too large for a number; write a smaller one")
        return value

    try:
        data = json.loads(text, parse_constant=no_constant, parse_float=finite)
    except json.JSONDecodeError as error:
        raise SettingsError(
            f"{path}:{error.lineno}:{error.colno}: bad JSON in settings file: {error.msg}"
        ) from None
    except RecursionError:
        raise SettingsError(f"{path}: the settings are nested too deeply to read") from None
    if not isinstance(data, dict):
        raise SettingsError(
            f"{path}: settings must be a JSON object of apps, not {type(data).__name__}"
        )
    return data


class Settings:
    """The merged settings of one environment, read-only, with lookups that fail helpfully."""

    def __init__(self, data: Mapping[str, Any], env: str = "local", source: str = "(in memory)",
                 folder: str | Path = ".") -> None:
        self.env = env
        self.source = source
        self.folder = Path(folder)  # where the settings files are: an app's ``files`` templates are found there
        check_settings(data, source)
        self.data: FrozenDict = freeze(data)
        self.timeout = framework_timeout(self.data, source)
        self.secrets = frozenset(secret_values(self.data))
        remember_secrets(self.secrets)
        self._remember_referred_secrets()

    def _remember_referred_secrets(self) -> None:
        """A secret setting that is a reference (``"token": "${vault.token}"``): its value, filled in, is
        masked too; one that cannot be filled in yet (a free port) is masked when it is."""
        for path in secret_paths(self.data):
            with contextlib.suppress(SettingsError):
                self.lookup(path)

    def with_values(self, app: str, values: Mapping[str, Any]) -> Settings:
        """New settings in which ``app`` has these values (free ports chosen at its start)."""
        changed = Settings.__new__(Settings)
        changed.env, changed.source, changed.folder = self.env, self.source, self.folder
        changed.timeout, changed.secrets = self.timeout, self.secrets
        changed.data = freeze({**self.data, app: {**self.app(app), **values}})
        return changed

    @property
    def apps(self) -> list[str]:
        """The names of the apps these settings describe."""
        return sorted(name for name in self.data if name != FRAMEWORK_KEY)

    def app(self, name: str) -> FrozenDict:
        """The settings of one app (read-only); an unknown app lists the apps there are."""
        if name == FRAMEWORK_KEY or name not in self.data:
            known = ", ".join(self.apps) or "(none)"
            raise SettingsError(
                f"no app '{name}' in environment '{self.env}' ({self.source}); "
                f"apps there: {known}"
            )
        found: FrozenDict = self.data[name]
        return found

    def lookup(self, dotted: str) -> Any:
        """A setting by dotted path, ``ogre.command_port`` or ``ogre.limits.max``.

        A text value that holds ``${APP.SETTING}`` is returned with those
        filled in; a value that is only a reference takes the referred value
        with its type (a port stays a port). Each setting is expanded once
        (settings that refer to each other cost what they hold, not
        exponentially), at most :data:`MAX_REFERENCE_DEPTH` references deep
        and :data:`MAX_EXPANDED` characters long; a cycle is named. The
        value of a secret-named setting is masked as it is filled in.
        """
        return self._expand(dotted, ())

    def _expand(self, dotted: str, chain: tuple[str, ...]) -> Any:
        cache: dict[str, Any] = self.__dict__.setdefault("_expanded", {})
        if dotted in cache:
            return cache[dotted]
        if dotted in chain:
            cycle = " -> ".join((*chain[chain.index(dotted):], dotted))
            raise SettingsError(f"settings refer to each other in a cycle: {cycle} (environment '{self.env}')")
        if len(chain) >= MAX_REFERENCE_DEPTH:
            raise SettingsError(f"settings refer to each other more than {MAX_REFERENCE_DEPTH} deep, from "
                                f"{chain[0]} through {dotted} (environment '{self.env}'): shorten the chain")
        value = walk_path(self.app(dotted.partition(".")[0]), dotted, f"environment '{self.env}'")
        if isinstance(value, str) and "${" in value:
            value = self._fill_in(value, (*chain, dotted))
        if SECRET_KEY.search(dotted.rpartition(".")[2]) and not PUBLIC_KEY.search(dotted) and isinstance(value, str):
            remember_secrets([value])
        cache[dotted] = value
        return value

    def _fill_in(self, text: str, chain: tuple[str, ...]) -> Any:
        whole = PLACEHOLDER.fullmatch(text)
        if whole is not None:
            return self._expand(whole[1].strip(), chain)
        expanded = PLACEHOLDER.sub(lambda match: str(self._expand(match[1].strip(), chain)), text)
        if len(expanded) > MAX_EXPANDED:
            raise SettingsError(f"the setting {chain[-1]} expands to {len(expanded):,} characters, more than "
                                f"{MAX_EXPANDED:,} (environment '{self.env}'): settings that refer to each "
                                f"other repeat what they hold")
        return expanded


def walk_path(app: Any, dotted: str, where: str) -> Any:
    """The value at a dotted path (``ogre.limits.max``, ``ogre.start.2``) inside an app's settings."""
    app_name, _, path = dotted.partition(".")
    try:
        return walk(app, path.split(".") if path else [])
    except PathMissing as missing:
        walked = ".".join([app_name, *missing.walked])
        value = missing.value
        keys = ", ".join(sorted(value)) if isinstance(value, Mapping) else "(not an object)"
        raise SettingsError(f"no setting '{walked}.{missing.step}' in {where}; '{walked}' has: {keys}") from None


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
    if "curve" in settings:
        check_pair_setting(settings["curve"], f"{app}.curve", source)
    wait_for = settings.get("wait_for")
    if wait_for is not None and not (isinstance(wait_for, (list, tuple)) and all(isinstance(k, str) for k in wait_for)):
        raise SettingsError(
            f'{source}: {app}.wait_for must be a list of setting names, e.g. ["command_port"], '
            f"not {shown(wait_for)}"
        )


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
        or (kinds[0] == "none" and ready["none"] is True))
    if not valid:
        raise SettingsError(f'{source}: {app}.ready must be one of {{"log": "REGEX"}}, {{"delay": SECONDS}}, '
                            f'{{"none": true}} (or left out: its tcp ports accept connections), '
                            f"not {shown(ready)}")
    if kinds == ["log"]:
        import regex  # imported when a setting first needs it

        try:
            regex.compile(ready["log"])
        except regex.error as error:
            raise SettingsError(f"{source}: {app}.ready.log is not a pattern: {error}") from None


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
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
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


def check_endpoint_setting(name: str, value: Any, source: str) -> None:
    """A port (0 to 65535, as a number or digits) or a ZeroMQ address whose tcp port is in range."""
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
            f"not {shown(value)}"
        )
    if not (port_text.isascii() and port_text.isdigit() and int(port_text) <= 65535):
        raise SettingsError(
            f"{source}: {name} = {shown(value)}: a port is a whole number from 1 to 65535 "
            f"(or 0 for a free port chosen when the app starts)"
        )


def secret_values(data: Any) -> set[str]:
    """Values whose key looks secret (``*key*``, ``*secret*``, ``*password*``, ``*token*``, but not
    ``*public*``), at any depth."""
    found: set[str] = set()

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, Mapping):
            for inner_key, inner in value.items():
                walk(inner, str(inner_key))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item, key)
        elif SECRET_KEY.search(key) and not PUBLIC_KEY.search(key) and not isinstance(value, bool) \
                and value is not None:
            found.add(str(value))

    walk(data)
    return found


def secret_paths(data: Mapping[str, Any]) -> list[str]:
    """The dotted paths of the secret-named settings whose value refers to other settings."""
    found: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}" if path else str(key))
        elif isinstance(value, str) and "${" in value:
            key = path.rpartition(".")[2]
            if SECRET_KEY.search(key) and not PUBLIC_KEY.search(key) and "." in path:
                found.append(path)

    walk({name: app for name, app in data.items() if name != FRAMEWORK_KEY}, "")
    return found


def load_settings(folder: str | Path = "environments", env: str = "local") -> Settings:
    """Load ``defaults.json`` merged under ``<env>.json`` from ``folder``.

    Every mistake (no folder, unknown env, bad JSON, a bad value) is a
    :class:`SettingsError` that names the file and lists what there is.
    """
    folder = Path(folder)
    if not ENV_NAME.fullmatch(env):
        raise SettingsError(
            f"'{env}' is not an environment name: use letters, digits, '_', '-' and '.', "
            f"naming a file <env>.json in the settings folder {folder}"
        )
    if not folder.is_dir():
        raise SettingsError(
            f"no settings folder '{folder}' (from {Path.cwd()}): make it, with a "
            f"<env>.json per environment, or point to it with -D environments=DIR"
        )
    env_file = folder / f"{env}.json"
    if not env_file.is_file():
        known = sorted(p.stem for p in folder.glob("*.json") if p.name != DEFAULTS_FILE)
        raise SettingsError(
            f"unknown environment '{env}': there is no {env_file}; "
            f"environments there: {', '.join(known) or '(none)'}"
        )
    defaults_file = folder / DEFAULTS_FILE
    merged: dict[str, Any] = {}
    if defaults_file.is_file():
        merged = read_json_file(defaults_file)
        check_settings(merged, str(defaults_file))
    overrides = read_json_file(env_file)
    check_settings(overrides, str(env_file))
    return Settings(deep_merge(merged, overrides), env=env, source=str(env_file), folder=folder)
