"""Dotted paths into values: ``header.msg_id``, ``start.2``, ``watchers.0.name``.

One walker for every place a spec or a setting reaches inside a value: the
settings (``${ogre.limits.max}``), the checkpoint (``${checkpoint.reply.id}``)
and a stub's request (``${request.params.0}``). An object is entered by key,
a list (or a tuple: frozen settings) by index.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from itertools import islice
from typing import Any

from zmqprose.limits import NAME_SHOWN, NAMES_BYTES, NAMES_SHOWN


class PathMissing(LookupError):
    """A step of a path that is not there: ``walked`` the steps before it, ``value`` where it was looked for."""

    def __init__(self, walked: list[str], step: str, value: Any) -> None:
        super().__init__(".".join([*walked, step]))
        self.walked, self.step, self.value = walked, step, value


def walk(value: Any, steps: Sequence[str]) -> Any:
    """The value at ``steps`` inside ``value``; :class:`PathMissing` names the first step that is not there."""
    walked: list[str] = []
    for step in steps:
        if isinstance(value, Mapping) and step in value:
            value = value[step]
        elif isinstance(value, (list, tuple)) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            raise PathMissing(walked, step, value)
        walked.append(step)
    return value


def paths_in(value: Any, prefix: str = "") -> list[str]:
    """Every dotted path to a leaf of a value: ``header.msg_id``, ``watchers.0``."""
    if isinstance(value, Mapping) and value:
        return [path for key, inner in value.items() for path in paths_in(inner, f"{prefix}{key}.")]
    if isinstance(value, (list, tuple)) and value:
        return [path for index, inner in enumerate(value) for path in paths_in(inner, f"{prefix}{index}.")]
    return [prefix.rstrip(".")] if prefix else []


def listed(names: Collection[Any], empty: str) -> str:
    """What a value has (an object's keys), as a message lists it: ``a, b, c``, bounded as everything shown is
    (:data:`~zmqprose.limits.NAMES_SHOWN` names in :data:`~zmqprose.limits.NAMES_BYTES`, a long one cut), then
    ``… and N more``; ``empty`` when there are none. A peer's object may have a million keys."""
    shown: list[str] = []
    used = 0
    for name in islice(names, NAMES_SHOWN):
        text = str(name)
        text = text if len(text) <= NAME_SHOWN else f"{text[:NAME_SHOWN - 1]}…"
        used += len(text.encode("utf-8")) + 2
        if shown and used > NAMES_BYTES:
            break
        shown.append(text)
    if not shown:
        return empty
    more = len(names) - len(shown)
    return ", ".join(shown) + (f", … and {more:,} more" if more else "")
