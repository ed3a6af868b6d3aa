"""Loading an environment's settings: ``defaults.json`` merged, key by key and at every depth, under
``<env>.json``; every file checked on its own as it is read, so that a mistake names the file that has it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from zmqprose.errors import SettingsError
from zmqprose.settings.environment import Settings
from zmqprose.settings.validation import check_settings
from zmqprose.wire.one_reading import Refused, key_twice, strict_loads
from zmqprose.wire.paths import listed

DEFAULTS_FILE = "defaults.json"
ENV_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


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
        known = [p.stem for p in folder.glob("*.json") if p.name != DEFAULTS_FILE]
        raise SettingsError(
            f"unknown environment '{env}': there is no {env_file}; "
            f"environments there: {listed(known, '(none)', ordered=True)}"
        )
    defaults_file = folder / DEFAULTS_FILE
    merged: dict[str, Any] = {}
    if defaults_file.is_file():
        merged = read_json_file(defaults_file)
        check_settings(merged, str(defaults_file))
    overrides = read_json_file(env_file)
    check_settings(overrides, str(env_file))
    return Settings(deep_merge(merged, overrides), env=env, source=str(env_file), folder=folder)


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base``: nested objects merge, anything else replaces."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def refused_in(path: Path, text: str, refused: Refused) -> str:
    """What to say of a settings file that reads two ways: a key twice (where, which key), or a number JSON
    has not (NaN, Infinity, past a float, past Python's digit limit)."""
    if key_twice(text) is not None:
        return key_twice_in(path, text)
    return f"{path}: {refused}; write a finite number"


def key_twice_in(path: Path, text: str) -> str:
    """What to say of a settings file with a key twice in one object: where, which key, and what to do."""
    found = key_twice(text)
    if found is None:
        return f"{path}: a key appears twice in one object: keep one"
    key, at = found
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at)
    return (f"{path}:{line}:{column}: the key {json.dumps(key, ensure_ascii=False)[:80]} appears twice in one "
            f"object (JSON's readers keep the last, silently): keep one")


def read_json_file(path: Path) -> dict[str, Any]:
    """A settings file as a dict; bad JSON is reported with file, line and column, and so is a key that
    appears twice in one object (which one was meant cannot be known).

    Read as every JSON is (:func:`~zmqprose.wire.one_reading.strict_loads`):
    ``NaN``, ``Infinity``, numbers too large for a float (``1e400``) and whole
    numbers past Python's digit limit are refused, naming the file: Python's
    JSON reader takes the first three, and a wait of NaN seconds never ends.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SettingsError(f"cannot read settings file {path}: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise SettingsError(
            f"{path}: a settings file must be UTF-8 text ({error.reason} at byte {error.start})"
        ) from None
    try:
        data = strict_loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(
            f"{path}:{error.lineno}:{error.colno}: bad JSON in settings file: {error.msg}"
        ) from None
    except Refused as refused:  # a key twice in one object (JSON's readers keep the last, silently), or a number
        raise SettingsError(refused_in(path, text, refused)) from None
    except RecursionError:
        raise SettingsError(f"{path}: the settings are nested too deeply to read") from None
    if not isinstance(data, dict):
        raise SettingsError(
            f"{path}: settings must be a JSON object of apps, not {type(data).__name__}"
        )
    return data
