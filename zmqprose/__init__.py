"""zmqprose: readable acceptance tests for ZeroMQ systems, Storyplayer-style.

The prose API (:class:`Prose`) works from any Python test; the behave glue
lives in :mod:`zmqprose.hooks` and :mod:`zmqprose.steps`.
"""

from typing import TYPE_CHECKING, Any

from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.checkpoint import Checkpoint
from zmqprose.errors import AppError, ArgumentError, ProseError, ResolveError, SettingsError, WaitTimeout
from zmqprose.prose import Prose
from zmqprose.settings import Settings, load_settings
from zmqprose.sockets.socket import ProseSocket

if TYPE_CHECKING:  # loaded on first use, by __getattr__ below
    from zmqprose.checks.matchers import contains_json, matches_frames, matches_json

__all__ = [
    "AppError", "AppSupervisor", "ArgumentError", "Checkpoint", "Prose", "ProseError", "ProseSocket",
    "ResolveError", "Settings", "SettingsError", "WaitTimeout",
    "contains_json", "load_settings", "matches_frames", "matches_json",
]
__version__ = "0.1.0"

LAZY = {"contains_json", "matches_frames", "matches_json"}  # PyHamcrest is slow to import: only on use


def __getattr__(name: str) -> Any:
    if name in LAZY:
        from zmqprose.checks import matchers

        return getattr(matchers, name)
    raise AttributeError(f"module 'zmqprose' has no attribute {name!r}")
