"""Dotted paths into values: ``header.msg_id``, ``start.2``, ``watchers.0.name``.

One walker for every place a spec or a setting reaches inside a value: the
settings (``${ogre.limits.max}``), the checkpoint (``${checkpoint.reply.id}``)
and a stub's request (``${request.params.0}``). An object is entered by key,
a list (or a tuple: frozen settings) by index.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence, Sized
from itertools import islice
from typing import Any

from zmqprose.limits import NAME_SHOWN, NAMES_BYTES, NAMES_SHOWN, PARTS_WALKED


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


def paths_in(value: Any, most: int = PARTS_WALKED) -> PathsIn:
    """The dotted paths to the leaves of a value (``header.msg_id``, ``watchers.0``), depth first, as a message
    shows them: see :class:`PathsIn`."""
    return PathsIn(value, most)


class PathsIn(Iterator[str]):
    """The dotted paths to the leaves of a value, read as they are asked for, depth first, each at most
    :data:`~zmqprose.limits.NAME_SHOWN` + 1 characters (:func:`listed` cuts it there): no more than ``most``
    parts of the value are visited, and none twice (a peer's value may have millions of parts, or be nested past
    Python's recursion). ``cut`` says whether the walk stopped at ``most`` with parts left."""

    def __init__(self, value: Any, most: int = PARTS_WALKED) -> None:
        self.cut = False
        self._walk = self._paths(value, most)

    def __next__(self) -> str:
        return next(self._walk)

    def _paths(self, value: Any, most: int) -> Iterator[str]:
        if not has_parts(value):
            return
        visited = 0
        stack: list[tuple[Iterator[tuple[Any, Any]], str]] = [(parts_of(value), "")]
        while stack:
            parts, prefix = stack[-1]
            step = next(parts, None)
            if step is None:
                stack.pop()
                continue
            visited += 1
            if visited > most:
                self.cut = True
                return
            key, inner = step
            path = (prefix + str(key)[:NAME_SHOWN + 1])[:NAME_SHOWN + 1]
            if has_parts(inner):
                stack.append((parts_of(inner), path + "."))
            else:
                yield path


def has_parts(value: Any) -> bool:
    """Whether a value has parts a dotted path reaches: a non-empty object, list or tuple."""
    return isinstance(value, (Mapping, list, tuple)) and len(value) > 0


def parts_of(value: Any) -> Iterator[tuple[Any, Any]]:
    """An object's keys and values, or a list's indexes and items, as they are read."""
    return iter(value.items()) if isinstance(value, Mapping) else enumerate(value)


def listed(names: Iterable[Any], empty: str, ordered: bool = False) -> str:
    """What a value has (an object's keys), as a message lists it: ``a, b, c``, bounded as everything shown is
    (:data:`~zmqprose.limits.NAMES_SHOWN` names in :data:`~zmqprose.limits.NAMES_BYTES`, a long one cut), then
    ``… and N more``; ``empty`` when there are none. A peer's object may have a million keys.

    ``names``: a collection (its size says how many more), or paths a bounded walk finds (:func:`paths_in`:
    counted to its end, which says when there were more still). ``ordered``: the first names in sorted order,
    found without sorting them all.
    """
    total = len(names) if isinstance(names, Sized) else None
    source = iter(heapq.nsmallest(NAMES_SHOWN, names, key=str) if ordered else names)
    shown: list[str] = []
    used = 0
    seen = 0
    for name in islice(source, NAMES_SHOWN):
        seen += 1
        text = str(name)
        text = text if len(text) <= NAME_SHOWN else f"{text[:NAME_SHOWN - 1]}…"
        used += len(text.encode("utf-8")) + 2
        if shown and used > NAMES_BYTES:
            break
        shown.append(text)
    cut = getattr(names, "cut", False)  # a walk that stopped with parts left
    if not shown:
        return "… (more parts than are read)" if cut else empty
    more = (seen + sum(1 for _ in source) if total is None else total) - len(shown)
    tail = f", … and {more:,} more" if more else ""
    if cut:
        tail += ", and more not read" if more else ", … and more not read"
    return ", ".join(shown) + tail
