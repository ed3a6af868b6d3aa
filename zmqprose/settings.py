"""Environment settings: which apps a spec talks to, and where they live.

``<folder>/defaults.json`` is merged, key by key and at every depth, under
``<folder>/<env>.json``. Top-level keys are apps (``"ogre": {...}``), plus
``"zmqprose"`` for the framework's own settings (``{"timeout": 5}``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zmqprose.errors import SettingsError

DEFAULTS_FILE = "defaults.json"
SECRET_KEY = re.compile(r"key|secret|password|token", re.IGNORECASE)
MASK = "••••"
SHORTEST_SECRET = 4  # shorter values would mask ordinary text everywhere
FRAMEWORK_KEY = "zmqprose"
DEFAULT_TIMEOUT = 5.0


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
    """A settings file as a dict; bad JSON is reported with file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SettingsError(f"cannot read settings file {path}: {error.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(
            f"{path}:{error.lineno}:{error.colno}: bad JSON in settings file: {error.msg}"
        ) from None
    if not isinstance(data, dict):
        raise SettingsError(
            f"{path}: settings must be a JSON object of apps, not {type(data).__name__}"
        )
    return data


class Settings:
    """The merged settings of one environment, with lookups that fail helpfully."""

    def __init__(self, data: dict[str, Any], env: str = "local", source: str = "(in memory)"):
        self.data = data
        self.env = env
        self.source = source
        self._check_shape()

    def _check_shape(self) -> None:
        for app, app_settings in self.data.items():
            if not isinstance(app_settings, dict):
                raise SettingsError(
                    f"{self.source}: setting '{app}' must be a JSON object of settings, "
                    f"not {json.dumps(app_settings)}"
                )

    @property
    def apps(self) -> list[str]:
        """The names of the apps these settings describe."""
        return sorted(name for name in self.data if name != FRAMEWORK_KEY)

    @property
    def timeout(self) -> float:
        """The default wait of every blocking action, in seconds."""
        value = self.data.get(FRAMEWORK_KEY, {}).get("timeout", DEFAULT_TIMEOUT)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise SettingsError(
                f"{self.source}: zmqprose.timeout must be a positive number of seconds, "
                f"not {json.dumps(value)}"
            )
        return float(value)

    def secrets(self) -> set[str]:
        """Values whose key looks secret (``*key*``, ``*secret*``, ``*password*``, ``*token*``), at any depth."""
        found: set[str] = set()

        def walk(value: Any, key: str = "") -> None:
            if isinstance(value, dict):
                for inner_key, inner in value.items():
                    walk(inner, inner_key)
            elif isinstance(value, list):
                for item in value:
                    walk(item, key)
            elif SECRET_KEY.search(key) and len(str(value)) >= SHORTEST_SECRET and not isinstance(value, bool):
                found.add(str(value))

        walk(self.data)
        return found

    def mask(self, text: str) -> str:
        """``text`` with every secret value of the settings replaced by ``••••``."""
        for secret in self.secrets():
            text = text.replace(secret, MASK)
        return text

    def app(self, name: str) -> dict[str, Any]:
        """The settings of one app; an unknown app lists the apps there are."""
        if name == FRAMEWORK_KEY or name not in self.data:
            known = ", ".join(self.apps) or "(none)"
            raise SettingsError(
                f"no app '{name}' in environment '{self.env}' ({self.source}); "
                f"apps there: {known}"
            )
        return self.data[name]

    def lookup(self, dotted: str) -> Any:
        """A setting by dotted path, ``ogre.command_port`` or ``ogre.limits.max``."""
        app_name, _, path = dotted.partition(".")
        value: Any = self.app(app_name)
        walked = app_name
        for key in path.split(".") if path else []:
            if not isinstance(value, dict) or key not in value:
                keys = ", ".join(sorted(value)) if isinstance(value, dict) else "(not an object)"
                raise SettingsError(
                    f"no setting '{walked}.{key}' in environment '{self.env}'; "
                    f"'{walked}' has: {keys}"
                )
            value = value[key]
            walked = f"{walked}.{key}"
        return value


def load_settings(folder: str | Path = "environments", env: str = "local") -> Settings:
    """Load ``defaults.json`` merged under ``<env>.json`` from ``folder``.

    Every mistake (no folder, unknown env, bad JSON) is a :class:`SettingsError`
    that names the file and lists what there is.
    """
    folder = Path(folder)
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
    merged = deep_merge(merged, read_json_file(env_file))
    return Settings(merged, env=env, source=str(env_file))
