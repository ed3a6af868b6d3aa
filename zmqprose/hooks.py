"""behave hooks: load the settings once per run, give every scenario a fresh prose object.

A project's ``environment.py`` is one line::

    from zmqprose.hooks import *

To add hooks of its own, a project decorates them with :func:`with_zmqprose`,
which runs zmqprose's hook of the same name with each. Settings come from ``-D environments=DIR`` (default
``environments``) and ``-D env=NAME`` (default ``local``); apps started
during the run are stopped when it ends.
"""

from __future__ import annotations

import atexit
import functools
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from behave.model import Scenario, Step
from behave.runner import Context

from zmqprose.actionlog import RunOptions
from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.compat import add_behave_hook, behave_formatters
from zmqprose.pictures.reports import Pictures, append_story, attach
from zmqprose.prose import Prose
from zmqprose.settings import load_settings
from zmqprose.steps import near_miss

__all__ = ["before_all", "before_scenario", "after_scenario", "after_all"]

Hook = Callable[..., None]


def before_all(context: Context) -> None:
    """Load the environment's settings; prepare to start its apps.

    A failed step's message carries the scenario's action log (so behave's
    console, JUnit and JSON reports show it); ``-D action_log=live`` prints
    every line as it happens, whatever behave captures; ``-D show_frames=full``
    shows whole frames instead of shortened ones; pictures and story files: :func:`ask_for_pictures`.
    """
    userdata = context.config.userdata
    settings = load_settings(userdata.get("environments", "environments"), userdata.get("env", "local"))
    ask_for_pictures(context, userdata)
    context.zmqprose_options = RunOptions(  # the run's own: handed to each scenario, never set on a module
        live_log=userdata.get("action_log") == "live", frames_in_full=userdata.get("show_frames") == "full",
        keep_stories=bool(context.zmqprose_pictures or context.zmqprose_story_file))
    context.zmqprose_settings = settings
    context.zmqprose_apps = AppSupervisor(settings)
    atexit.register(context.zmqprose_apps.stop_all)
    context.zmqprose_sigterm = stop_apps_when_terminated()


def ask_for_pictures(context: Context, userdata: Any) -> None:
    """``-D diagrams=DIR`` (``-D diagrams_for=failed``): a picture of each scenario; ``-D action_log=FILE``:
    each scenario's story, to draw later. Nothing is kept, or drawn, unless one of them is asked for."""
    story_file = userdata.get("action_log")
    context.zmqprose_story_file = story_file if story_file not in (None, "", "live") else None
    folder = userdata.get("diagrams")
    context.zmqprose_pictures = Pictures(folder, userdata.get("diagrams_for") == "failed") if folder else None
    if context.zmqprose_pictures:
        add_behave_hook(context, "after_step", after_step)  # a hook on every step: only when pictures are asked


def stop_apps_when_terminated() -> bool:
    """Turn SIGTERM into an orderly exit, so that the apps started are stopped (Ctrl-C already is one); True
    if it did. Only when nobody else handles SIGTERM, and only from the main thread; until the run ends.
    """
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, exit_on_signal)
        return True
    return False


def exit_on_signal(number: int, frame: object) -> None:
    raise SystemExit(128 + number)


def before_scenario(context: Context, scenario: Scenario) -> None:
    """A fresh prose object and checkpoint: nothing is shared between scenarios but the settings."""
    prose = Prose(context.zmqprose_settings, context.zmqprose_apps, options=context.zmqprose_options)
    context.prose = prose
    set_beside(context, "checkpoint", prose.checkpoint, beside="prose")
    pictures = getattr(context, "zmqprose_pictures", None)
    if pictures is not None:
        context.prose.diagram_file = pictures.path_for(scenario.filename, scenario.line)


def set_beside(context: Context, name: str, value: object, beside: str) -> None:
    """``context.NAME = value``, right after ``context.BESIDE`` was set in the same place: as behave sets an
    attribute (a warning if it masks one of an outer layer; where and in which mode it was set, kept for that
    warning), but with the place behave found for ``beside``, which it finds by reading the call stack (about
    14 µs: 60,000 instructions of a scenario's 4.6 million)."""
    try:
        stack, records, origins = context._stack, context._record, context._origin
        place, mode = records[beside], context._mode
    except (AttributeError, KeyError):  # a behave that keeps them otherwise: its own way
        setattr(context, name, value)
        return
    if any(name in layer for layer in stack[1:]):  # it masks one: behave's own way, and its warning
        setattr(context, name, value)
        return
    records[name] = place
    stack[0][name] = value
    origins.setdefault(name, mode)


def after_step(context: Context, step: Step) -> None:
    """With ``-D diagrams=DIR``: the picture of the scenario, attached to its last step (the failed one, or
    its last) for behave's formatters that take attachments (its JSON report, HTML formatters); with
    ``-D diagrams_for=failed``, only to a failed step: a passing scenario is neither drawn nor attached."""
    prose = getattr(context, "prose", None)
    pictures = getattr(context, "zmqprose_pictures", None)
    if pictures is None or prose is None:
        return
    failed = status_name(step.status) == "failed"
    if failed or (step is context.scenario.steps[-1] and not pictures.only_failed):
        context.zmqprose_picture = prose.diagram(context.scenario.name, failed)
        attach(context, context.zmqprose_picture, behave_formatters(context))


def after_scenario(context: Context, scenario: Scenario) -> None:
    """Close the scenario's sockets without lingering and stop its commands, whether it passed or failed.

    A failed scenario keeps the run's folder (apps' logs, commands' output) for a person to read; a step
    that no phrase matched is shown the closest phrases of zmqprose's vocabulary.
    """
    for step in scenario.all_steps:
        if status_name(step.status) == "undefined" and (advice := near_miss.advice(step.name)):
            print(advice, file=sys.__stderr__, flush=True)
    prose = getattr(context, "prose", None)
    if prose is not None:
        try:
            keep_story(context, scenario, prose)
        finally:  # whatever became of its picture, a scenario's sockets and commands end with it
            prose.close()
            if status_name(scenario.status) == "failed":
                prose.failed()


def keep_story(context: Context, scenario: Scenario, prose: Prose) -> None:
    """Write the scenario's picture (``-D diagrams=DIR``) and its story (``-D action_log=FILE``), if asked; one
    that cannot be written is a warning on stderr, never an error of the scenario or the end of the run."""
    failed = status_name(scenario.status) == "failed"
    pictures = getattr(context, "zmqprose_pictures", None)
    if pictures is not None and prose.diagram_file is not None and (failed or not pictures.only_failed):
        picture = getattr(context, "zmqprose_picture", None) or prose.diagram(scenario.name, failed)
        if warning := pictures.write_or_say_why_not(prose.diagram_file, picture):
            print(warning, file=sys.__stderr__, flush=True)
    if "zmqprose_picture" in context and context.zmqprose_picture is not None:  # behave's setattr: ~14 µs
        context.zmqprose_picture = None
    story_file = getattr(context, "zmqprose_story_file", None)
    if story_file:
        try:
            append_story(story_file, {"feature": scenario.filename, "scenario": scenario.name,
                                      "line": scenario.line, "status": status_name(scenario.status),
                                      "story": prose.story()})
        except OSError as error:
            print(f"zmqprose: the story of a scenario was not written to {story_file}: {error.strerror or error}",
                  file=sys.__stderr__, flush=True)


def status_name(status: object) -> str:
    """A behave status as its name ("passed", "failed", …), as behave 1.3 spells it."""
    name = getattr(status, "_name_", None)  # an enum member's own (its ``name`` is a property: two calls more)
    return name if type(name) is str else str(getattr(status, "name", status))


def after_all(context: Context) -> None:
    """Stop the apps this run started, and leave the process as the run found it (its SIGTERM handler, its
    exit handlers): what a run sets lasts as long as the run."""
    apps = getattr(context, "zmqprose_apps", None)
    if apps is not None:
        apps.stop_all()
        atexit.unregister(apps.stop_all)
    if getattr(context, "zmqprose_sigterm", False) and signal.getsignal(signal.SIGTERM) is exit_on_signal \
            and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


BEHAVE_HOOKS = tuple(f"{when}_{what}" for what in ("all", "feature", "rule", "scenario", "step", "tag")
                     for when in ("before", "after"))


def with_zmqprose(own: Hook) -> Hook:
    """A project's own hook, named as behave names it, run with zmqprose's hook of that name::

        # environment.py
        from zmqprose.hooks import *
        from zmqprose.hooks import with_zmqprose

        @with_zmqprose
        def before_scenario(context, scenario):
            ...  # after zmqprose's: context.prose is the scenario's

    A ``before_`` hook runs after zmqprose's (what zmqprose sets up is there),
    an ``after_`` hook before it (the scenario's sockets are still open), and
    zmqprose's ``after_`` hook runs even when the project's fails. Like
    zmqprose's own, the hook is not captured: behave 1.3 drops its log capture
    after a captured hook, and the action log of every scenario would be lost.
    """
    name = getattr(own, "__name__", "")
    if name not in BEHAVE_HOOKS:
        raise ValueError(f"with_zmqprose: {name!r} is not the name of a behave hook ({', '.join(BEHAVE_HOOKS)})")
    ours: Hook | None = globals().get(name) if name in __all__ else None
    hook = own if ours is None else composed(ours, own, first=name.startswith("before_"))
    hook.capture = False  # type: ignore[attr-defined]
    return hook


def composed(ours: Hook, own: Hook, first: bool) -> Hook:
    """zmqprose's hook and a project's, ours ``first`` (a before_ hook) or last, and then whatever happened."""

    @functools.wraps(own)
    def both(*arguments: Any) -> None:
        if first:
            ours(*arguments)
            own(*arguments)
            return
        try:
            own(*arguments)
        finally:
            ours(*arguments)

    return both


# behave (1.3) removes its log capture after a captured hook and does not put
# it back for the steps, which would hide the action log of every scenario.
# These hooks print nothing, so they need no capture.
for _hook in (before_all, before_scenario, after_step, after_scenario, after_all):
    _hook.capture = False  # type: ignore[union-attr]
