"""``--again FILE.feature``: a second recording of the same conversation turns what differs into markers.

The feature the recorder wrote the first time is read back
(:func:`~zmqprose.recording.feature.parse`) and laid beside the one the
second recording makes, scenario by scenario and message by message. They
must have the same shape (as many scenarios, each with the same sends and
receives in the same order, in the same formats): else the error says where
they part, and the file is left as it was.

- A send stays as the first recording wrote it (the spec sends that). Where
  the client sent something else the second time (an id it makes anew), the
  service's echo of it in the second recording is read as the first value,
  so an echo never becomes a marker.
- A receive keeps every marker of the first file, and every value the two
  recordings agree on; a value that differs becomes a marker of its kind
  (``#string``, ``#number``, …), with a note: ``# marker at $.id: #string,
  differed in the second recording (--again)``.
- ``eventually`` and ``within`` are kept from either recording, whichever
  waits longer; notes are kept, new ones added.
"""

from __future__ import annotations

import json
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.limits import counted
from zmqprose.recording.feature import MARKER_NOTE, Feature, Scenario
from zmqprose.recording.values import is_word
from zmqprose.wire.literals import literal_text
from zmqprose.wire.matching import is_marker

AGAIN = "differed in the second recording (--again)"


def merge(first: Feature, second: Feature, path: str) -> Feature:
    """The first feature with what the second recording showed to vary turned into markers (see the module)."""
    if len(first.scenarios) != len(second.scenarios):
        raise ProseError(f"--again: {path} has {counted(len(first.scenarios), 'scenario')}, this recording "
                         f"{len(second.scenarios)}: record the same conversation again (the same clients, the "
                         f"same calls), or record it anew without --again")
    scenarios = [merge_scenario(old, new, f"{path}, scenario {number} ({old.name})")
                 for number, (old, new) in enumerate(zip(first.scenarios, second.scenarios, strict=True), start=1)]
    header = [line for line in first.header if not line.startswith("# Recorded twice")]
    header.append("# Recorded twice: what differed between the two recordings became markers (--again).")
    return Feature(header, first.title, first.description, scenarios)


def merge_scenario(old: Scenario, new: Scenario, where: str) -> Scenario:
    old_messages = [step for step in old.steps if step.is_message]
    new_messages = [step for step in new.steps if step.is_message]
    shape_old = [(step.kind, (step.format or "frames").lower()) for step in old_messages]
    shape_new = [(step.kind, (step.format or "frames").lower()) for step in new_messages]
    if shape_old != shape_new:
        at = next((index for index, pair in enumerate(zip(shape_old, shape_new, strict=False)) if pair[0] != pair[1]),
                  min(len(shape_old), len(shape_new)))
        raise ProseError(f"--again: {where}: message {at + 1} differs in shape: "
                         f"{describe(shape_old, at)} there, {describe(shape_new, at)} in this recording; "
                         f"record the same conversation again, or anew without --again")
    echoes: dict[Any, Any] = {}
    for old_step, new_step in zip(old_messages, new_messages, strict=True):
        if old_step.kind == "send":
            pair_up(new_step.envelope, old_step.envelope, echoes)
            pair_up(new_step.value, old_step.value, echoes)
            continue
        notes: list[str] = []
        old_step.envelope = merged(old_step.envelope, echoed(new_step.envelope, echoes), "envelope", notes)
        root = "$" if old_step.format is not None else "frames"
        old_step.value = merged(old_step.value, echoed(new_step.value, echoes), root, notes,
                                frames=old_step.format is None)
        old_step.notes += [f"{MARKER_NOTE}{note}" for note in notes]
        old_step.eventually = old_step.eventually or new_step.eventually
        if new_step.within is not None:
            old_step.within = max(old_step.within or 0.0, new_step.within)
    return old


def describe(shape: list[tuple[str, str]], at: int) -> str:
    if at >= len(shape):
        return "nothing"
    kind, fmt = shape[at]
    return f"a {kind} of {'frames' if fmt == 'frames' else 'a ' + fmt + ' message'}"


def pair_up(new: Any, old: Any, echoes: dict[Any, Any]) -> None:
    """What the client sent the second time, leaf by leaf beside the first time: each that differs maps to
    the first one."""
    if isinstance(new, dict) and isinstance(old, dict):
        for key in new.keys() & old.keys():
            pair_up(new[key], old[key], echoes)
    elif isinstance(new, list) and isinstance(old, list):
        for new_item, old_item in zip(new, old, strict=False):
            pair_up(new_item, old_item, echoes)
    elif new != old and not isinstance(new, (dict, list, bool)) and new is not None:
        echoes[new] = old


def echoed(value: Any, echoes: dict[Any, Any]) -> Any:
    """The second recording's value, with what echoes the second client's values read as the first's
    (whole values, and inside text)."""
    if isinstance(value, dict):
        return {key: echoed(item, echoes) for key, item in value.items()}
    if isinstance(value, list):
        return [echoed(item, echoes) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if value in echoes:
        return echoes[value]
    if isinstance(value, str):
        for new, old in echoes.items():
            if isinstance(new, str) and isinstance(old, str) and len(new) >= 4 and new in value:
                value = value.replace(new, old)
    return value


def merged(old: Any, new: Any, path: str, notes: list[str], frames: bool = False) -> Any:
    """``old`` with a marker wherever ``new`` differs (``old``'s markers stay); a note for each new marker."""
    if is_marker(old):
        return old
    if is_marker(new):
        notes.append(f"{path}: {new}: as the second recording marked it")
        return new
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        return {key: merged(item, new[key], f"{path}.{key}" if is_word(key) else
                            f"{path}[{json.dumps(key, ensure_ascii=False)}]", notes)
                for key, item in old.items()}
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [merged(item, new[index], f"{path}[{index}]" if not frames else f"frame {index}", notes)
                for index, item in enumerate(old)]
    if same(old, new):
        return old
    marker = kind_marker(new, frames)
    notes.append(f"{path}: {marker}: {AGAIN}")
    return marker


def same(old: Any, new: Any) -> bool:
    """Whether two recorded values are the same value (a ``#literal`` text is its text)."""
    if isinstance(old, str) and literal_text(old) is not None:
        old = literal_text(old)
    if isinstance(new, str) and literal_text(new) is not None:
        new = literal_text(new)
    return bool(type(old) is type(new) and old == new)


def kind_marker(value: Any, frame: bool) -> str:
    """The marker of a value's kind: what a value that differs each time still has to be."""
    if frame:
        return "#ignore" if isinstance(value, str) and value.startswith("hex:") else "#string"
    if isinstance(value, bool):
        return "#boolean"
    if isinstance(value, (int, float)):
        return "#number"
    if isinstance(value, str):
        return "#string"
    if isinstance(value, list):
        return "#array"
    if isinstance(value, dict):
        return "#object"
    return "#null" if value is None else "#ignore"
