"""The parts of other libraries that zmqprose uses beyond their documented API, in one place.

Each is here for speed or for a seam their public API lacks, and each is
pinned by ``tests/unit/test_compat.py``, which fails, naming it, when a new
release of pyzmq or behave moves it. Everything else zmqprose uses of them is
public.

- pyzmq: ``zmq.backend.Socket.send``, the send of pyzmq's Cython socket
  without the Python wrapper of ``zmq.Socket.send`` (about 250 ns of a 390 ns
  send), for the pushers alone (``pipelines/``, and Locust's pushing user),
  whose every message goes through it at full speed. A send step uses
  ``zmq.Socket.send``: there the network costs microseconds, and 250 ns is
  not worth leaning on an internal.
- behave: its matcher classes (``Match``, ``MatchWithError``,
  ``ParseMatcher``, ``TypeRegistry``) and the matcher factory
  (``get_step_matcher_factory``, ``register_step_matcher_class``,
  ``has_registered_step_matcher_class``), so that zmqprose's phrases get a
  matcher of their own (argument types, cached matches, clean argument
  errors) without touching a project's ``use_step_matcher``. They load on
  first use (``from zmqprose.compat import ParseMatcher``), so that the
  prose API never imports behave.
- behave: the hooks of a run (``context._runner.hooks``), to add a hook that
  costs every step something (``after_step``, for pictures) only when a run
  asks for pictures.
- behave: the formatters of a run (``context._runner.formatters``), to hand
  a picture to a formatter with an attachment method of its own (the pretty
  HTML formatter's ``embed``), as behave's ``context.attach`` does for those
  with ``embedding``.
- behave: its registry of formatters by name (``behave.formatter._registry``,
  where a project's ``[behave.formatters]`` settings go too), so that
  ``--steps-catalog`` shows each of zmqprose's phrases once, as the step
  reference writes it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import zmq

send_now = zmq.backend.Socket.send

BEHAVE_MATCHERS = ("Match", "MatchWithError", "ParseMatcher", "TypeRegistry", "get_step_matcher_factory",
                   "has_registered_step_matcher_class", "register_step_matcher_class")
PINNED: dict[str, tuple[str, ...]] = {  # module -> the names zmqprose takes from it (``Class.attribute`` too)
    "zmq.backend": ("Socket.send",),
    "behave.matchers": (*BEHAVE_MATCHERS, "Match.run", "ParseMatcher.check_match", "ParseMatcher.compile",
                        "ParseMatcher.TYPE_REGISTRY"),
    "behave.step_registry": ("StepRegistry.is_good_step_definition", "StepRegistry.add_step_definition"),
    "behave.formatter._registry": ("register_as",),
    "behave.formatter.steps": ("StepsCatalogFormatter.report_step_definition_docs",),
}


def behave_formatters(context: Any) -> list[Any]:
    """The formatters of the behave run a context belongs to (none, if behave keeps them elsewhere)."""
    return list(getattr(getattr(context, "_runner", None), "formatters", None) or [])


def add_behave_hook(context: Any, name: str, hook: Callable[..., None]) -> None:
    """Run ``hook`` as the behave hook ``name`` of the run from now on (after the project's own hook of that
    name, if it has one): a hook that costs every step something is added only when it is needed."""
    hooks: dict[str, Any] = context._runner.hooks
    own = hooks.get(name)
    if own is None:
        hooks[name] = hook
        return

    def both(*arguments: Any) -> None:
        own(*arguments)
        hook(*arguments)

    both.capture = getattr(own, "capture", True)  # type: ignore[attr-defined]
    hooks[name] = both


def use_behave_formatter(name: str, scoped_class: str) -> None:
    """Make behave's formatter ``name`` the class ``"module:Class"`` (imported when a run uses it)."""
    importlib.import_module("behave.formatter._registry").register_as(name, scoped_class)


def __getattr__(name: str) -> Any:
    if name in BEHAVE_MATCHERS:
        return getattr(importlib.import_module("behave.matchers"), name)
    raise AttributeError(f"module 'zmqprose.compat' has no attribute {name!r}")
