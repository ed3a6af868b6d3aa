"""The settings a Locust worker's users read: the scenario's own, handed over in a file, or an environment's.

A load started by a spec runs against the apps of its scenario, on the free
ports chosen for them in the behave process; a worker that loaded the
settings again would choose ports of its own. So the step writes the
scenario's settings, as they are now (free ports chosen, CURVE pairs made),
to a file in the run's folder, and names it in ``ZMQPROSE_SETTINGS``.

A worker started by hand, on this machine or another, reads an
environment as behave does: ``ZMQPROSE_ENV`` (default ``local``) from the
folder ``ZMQPROSE_ENVIRONMENTS`` (default ``environments``), or the same
given as Locust's options ``--zmqprose-env`` and ``--zmqprose-environments``
(which Locust's master hands to its workers). Such settings must give the
addresses the workers reach the system at: a free port (``0``) is chosen by
whoever starts the app, and a worker cannot know it.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from zmqprose.errors import SettingsError
from zmqprose.files import write_inside
from zmqprose.settings import Settings, load_settings

SETTINGS_VARIABLE = "ZMQPROSE_SETTINGS"
ENVIRONMENTS_VARIABLE = "ZMQPROSE_ENVIRONMENTS"
ENV_VARIABLE = "ZMQPROSE_ENV"
SETTINGS_FILE = "settings.json"
SETTINGS_BYTES = 16 << 20  # a handed-over settings file longer than this is refused


@dataclass(frozen=True)
class SettingsSource:
    """Where a Locust user's settings come from: a file a step wrote, else an environment's folder and name."""

    file: str | None = None
    environments: str = "environments"
    env: str = "local"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> SettingsSource:
        """The source the process's environment variables name (``ZMQPROSE_SETTINGS``, ``ZMQPROSE_ENVIRONMENTS``,
        ``ZMQPROSE_ENV``), with the defaults behave has."""
        environ = os.environ if environ is None else environ
        return cls(environ.get(SETTINGS_VARIABLE) or None, environ.get(ENVIRONMENTS_VARIABLE) or "environments",
                   environ.get(ENV_VARIABLE) or "local")

    def load(self) -> Settings:
        """The settings, as a worker uses them: the handed-over file if there is one, else the environment (read as
        behave reads it); either way without the apps' ``start`` (:func:`without_starts`)."""
        return without_starts(read_settings(Path(self.file)) if self.file else
                              load_settings(self.environments, self.env))


def without_starts(settings: Settings) -> Settings:
    """The settings with no app's ``start``: a worker's users talk to the apps, and never start one, so that an
    app which does not answer is one that is not there, never one "not started in this run"."""
    data = copy.deepcopy(settings.data)
    for name in settings.apps:
        data[name].pop("start", None)
    return Settings(data, env=settings.env, source=settings.source, folder=settings.folder)


def write_settings(settings: Settings, folder: Path) -> Path:
    """Write ``settings`` as they are now (free ports chosen) to a file in ``folder``, for the workers; its path.
    The file holds the secrets of the settings as they are: it stays in the run's folder, which only its user reads."""
    handed = {"env": settings.env, "source": settings.source, "folder": str(settings.folder.resolve()),
              "settings": copy.deepcopy(settings.data)}
    write_inside(folder, SETTINGS_FILE, json.dumps(handed))
    return folder / SETTINGS_FILE


def read_settings(path: Path) -> Settings:
    """The settings a step handed over in ``path``; a :class:`SettingsError` that names the file if it cannot be."""
    try:
        with path.open("rb") as handed:
            text = handed.read(SETTINGS_BYTES + 1)
    except OSError as error:
        raise SettingsError(f"cannot read the settings handed to this Locust process in {path} "
                            f"({SETTINGS_VARIABLE}): {error.strerror}") from None
    try:
        if len(text) > SETTINGS_BYTES:
            raise ValueError(f"longer than {SETTINGS_BYTES >> 20} MiB")
        handed = json.loads(text)
        data, env, source, folder = handed["settings"], handed["env"], handed["source"], handed["folder"]
        if not isinstance(data, dict) or not all(isinstance(text, str) for text in (env, source, folder)):
            raise ValueError("not settings as zmqprose writes them")
    except (ValueError, TypeError, KeyError) as error:
        raise SettingsError(f"the settings handed to this Locust process in {path} ({SETTINGS_VARIABLE}) cannot be "
                            f"read ({error}): zmqprose's load step writes them") from None
    return Settings(data, env=env, source=f"{source}, as a scenario handed it over in {path}", folder=folder)
