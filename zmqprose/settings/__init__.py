"""Environment settings: which apps a spec talks to, and where they live.

``<folder>/defaults.json`` is merged, key by key and at every depth, under
``<folder>/<env>.json`` (:mod:`~zmqprose.settings.loading`). Top-level keys
are apps (``"ogre": {...}``), plus ``"zmqprose"`` for the framework's own
settings (``{"timeout": 5}``). Each file is checked as it is read
(:mod:`~zmqprose.settings.validation`); the merged result never changes
(:mod:`~zmqprose.settings.environment`), and each app's settings that
zmqprose reads have one typed view with their defaults
(:mod:`~zmqprose.settings.app`).
"""

from zmqprose.settings.app import FRAMEWORK_KEY, LOOPBACK, AppSettings
from zmqprose.settings.environment import FrozenDict, Settings
from zmqprose.settings.loading import deep_merge, load_settings
from zmqprose.settings.validation import ENDPOINT_KEY

__all__ = ["ENDPOINT_KEY", "FRAMEWORK_KEY", "LOOPBACK", "AppSettings", "FrozenDict", "Settings", "deep_merge",
           "load_settings"]
