"""``from_environment()``: the settings of the apps under test (Storyplayer's fromEnvironment)."""

from __future__ import annotations

import copy
from typing import Any

from zmqprose.errors import checked
from zmqprose.settings import Settings


@checked
class FromEnvironment:
    """Reads the environment's app settings; what comes back is a copy, safe to change."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    def get_app_settings(self, app: str) -> dict[str, Any]:
        """All settings of one app (an unknown app lists the apps there are).

        Example: ``ogre = prose.from_environment().get_app_settings("ogre")``
        """
        return copy.deepcopy(self._settings.app(app))

    def get_app_setting(self, app: str, key: str) -> Any:
        """One setting of an app, by key or dotted path (``limits.max``).

        Example: ``port = prose.from_environment().get_app_setting("ogre", "command_port")``
        """
        return copy.deepcopy(self._settings.lookup(f"{app}.{key}"))
