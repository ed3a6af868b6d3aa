"""The house rules, read off the source: no import cycle between modules or rooms, and each room
imports only the rooms below it (docs/contributing.md, *The rooms*).

Every import counts: at the top of a module, inside a function (imported when first used), and
under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "zmqprose"

# room -> the rooms it may import (besides itself). A room is a folder of zmqprose/ or a module at its top.
MAY_IMPORT: dict[str, set[str]] = {
    "errors": set(),
    "compat": set(),
    "limits": {"errors"},
    "files": {"errors"},
    "wire": {"errors", "limits"},
    "actionlog": {"wire"},
    "checkpoint": {"errors", "wire"},
    "security": {"errors", "wire"},
    "pictures": {"errors", "files", "wire"},
    "links": {"errors", "limits", "actionlog"},
    "settings": {"errors", "limits", "security", "wire"},
    "sockets": {"errors", "limits", "wire", "actionlog", "settings"},
    "pipelines": {"errors", "limits", "compat", "wire", "sockets"},
    "stubs": {"errors", "limits", "wire", "actionlog", "sockets"},
    "safety": {"settings"},
    "apps": {"errors", "limits", "files", "wire", "actionlog", "security", "settings", "sockets", "safety"},
    "commands": {"errors", "limits", "files", "wire", "actionlog", "apps", "safety"},
    "load": {"errors", "limits", "files", "wire", "actionlog", "settings", "apps", "safety"},
    "scenario": {"errors", "limits", "wire", "actionlog", "checkpoint", "security", "settings", "sockets",
                 "pipelines", "stubs", "apps", "commands", "links"},
    "actions": {"errors", "limits", "wire", "actionlog", "security", "settings", "sockets", "pipelines", "stubs",
                "apps", "links"},
    "checks": {"errors", "limits", "wire", "checkpoint", "settings", "sockets", "pipelines", "stubs", "apps",
               "commands", "safety", "links", "load"},
    "prose": {"errors", "limits", "wire", "actionlog", "checkpoint", "settings", "sockets", "stubs", "apps", "commands",
              "scenario", "actions", "checks", "pictures", "links", "load"},
    "formats": {"wire"},
    "steps": {"errors", "limits", "compat", "wire", "security", "sockets", "stubs", "links", "prose"},
    "hooks": {"wire", "actionlog", "settings", "apps", "prose", "steps", "pictures", "compat"},
    "pytest_plugin": {"wire", "actionlog", "settings", "apps", "prose", "pictures"},
    "scaffold": {"files", "steps"},
    "example": set(),
    "locust": {"errors", "limits", "compat", "wire", "security", "settings", "sockets", "pipelines", "load", "prose"},
    "recording": {"errors", "limits", "wire", "settings", "sockets", "pictures"},
    "__main__": {"scaffold", "pictures", "errors", "steps", "recording"},
    "__init__": {"errors", "settings", "checkpoint", "sockets", "apps", "checks", "prose"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def imports_of(path: Path) -> set[str]:
    """Every zmqprose module ``path`` imports, wherever the import is written."""
    tree = ast.parse(path.read_text(), str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("zmqprose"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            if not base.startswith("zmqprose"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if MODULES.get(candidate) else base)
    return {name for name in found if name in MODULES}


MODULES: dict[str, Path] = {module_name(path): path for path in PACKAGE.rglob("*.py")}
GRAPH: dict[str, set[str]] = {name: imports_of(path) - {name} for name, path in MODULES.items()}


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (its nodes in order), or None."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for other in sorted(graph.get(node, ())):
            if state.get(other) == 1:
                return [*path[path.index(other):], other]
            if other not in state and (found := visit(other)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_itself_round_a_cycle() -> None:
    assert cycle_in(GRAPH) is None, " -> ".join(cycle_in(GRAPH) or [])


def test_no_room_imports_itself_round_a_cycle() -> None:
    rooms: dict[str, set[str]] = {}
    for name, imports in GRAPH.items():
        rooms.setdefault(room_of(name), set()).update(room_of(other) for other in imports)
    for room, imports in rooms.items():
        imports.discard(room)
        imports.discard("__init__")
    assert cycle_in(rooms) is None, " -> ".join(cycle_in(rooms) or [])


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_a_module_imports_only_the_rooms_below_its_own(module: str) -> None:
    room = room_of(module)
    allowed = MAY_IMPORT[room] | {room}
    strays = sorted(other for other in GRAPH[module] if room_of(other) not in allowed and other != "zmqprose")
    assert not strays, f"{module} (room {room}) imports {', '.join(strays)}; {room} may import {sorted(allowed)}"


def test_every_room_has_its_rules() -> None:
    assert {room_of(name) for name in MODULES} <= set(MAY_IMPORT)


ROOMS_PAGE = PACKAGE.parent / "docs" / "contributing.md"  # the contributors' page of the documentation site
ROOMS_TABLE_HEADER = "| floor | room | its one job | may import (besides itself) |"


def rooms_table() -> list[tuple[int, list[str], set[str]]]:
    """The rows of the table of rooms (docs/contributing.md, *The rooms*): floor, rooms, what they may import.

    A room is written as its file or folder (`wire/`, `prose.py`); what it may import as room names in
    backticks, separated by commas, or ``nothing``.
    """
    text = ROOMS_PAGE.read_text()
    section = text[text.index("\n## The rooms\n"):]
    lines = section[section.index(ROOMS_TABLE_HEADER):].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        floor, rooms, _, may_import = (cell.strip() for cell in line.strip("|").split(" | "))
        names = re.findall(r"`([^`]+)`", may_import)
        rest = re.sub(r"`[^`]+`", "", may_import).replace(",", "").strip()
        assert rest in ("", "nothing") and (rest == "nothing") != bool(names), (
            f"docs/contributing.md, rooms table, row of {rooms}: 'may import' should be room names in backticks "
            f"or 'nothing', not {may_import!r}")
        rows.append((int(floor), [room.removesuffix(".py").removesuffix("/") for room in
                                  re.findall(r"`([^`]+)`", rooms)], set(names)))
    return rows


def rooms_on_disk() -> set[str]:
    """Every room of the package: its folders that are packages, its modules at the top (``__init__`` too)."""
    return ({path.stem for path in PACKAGE.glob("*.py")}
            | {path.parent.name for path in PACKAGE.glob("*/__init__.py")})


def test_the_rooms_table_names_every_room_once_and_no_other() -> None:
    listed = Counter(room for _, rooms, _ in rooms_table() for room in rooms)
    twice = sorted(room for room, count in listed.items() if count > 1)
    missing = sorted(rooms_on_disk() - set(listed))
    stale = sorted(set(listed) - rooms_on_disk())
    assert not (twice or missing or stale), (
        f"docs/contributing.md, rooms table (The rooms): listed twice {twice}, missing {missing}, no such room {stale}")


def test_the_rooms_table_and_the_rules_agree_on_what_each_room_may_import() -> None:
    differences = []
    for _, rooms, may_import in rooms_table():
        for room in rooms:
            rule = MAY_IMPORT.get(room)
            if rule != may_import:
                only_table = sorted(may_import - (rule or set()))
                only_rules = sorted((rule or set()) - may_import)
                differences.append(f"{room}: the table only {only_table}, MAY_IMPORT only {only_rules}"
                                   + ("" if rule is not None else " (MAY_IMPORT has no such room)"))
    listed = {room for _, rooms, _ in rooms_table() for room in rooms}
    differences += [f"{room}: in MAY_IMPORT, not in the rooms table" for room in sorted(set(MAY_IMPORT) - listed)]
    assert not differences, "docs/contributing.md's rooms table and MAY_IMPORT differ:\n" + "\n".join(differences)


def test_a_room_of_the_table_may_import_only_rooms_on_lower_floors() -> None:
    floor_of = {room: floor for floor, rooms, _ in rooms_table() for room in rooms}
    upwards = [f"{room} (floor {floor}) may import {other} (floor {floor_of.get(other)})"
               for floor, rooms, may_import in rooms_table() for room in rooms for other in sorted(may_import)
               if floor_of.get(other, floor) >= floor]
    assert not upwards, "docs/contributing.md's rooms table: " + "; ".join(upwards)


# The scenario is private to Prose (issue 32, item 1): each action or check is handed the few things it uses
# (its socket, its listening, its addresses, its apps, its timeout), never the whole scenario.
SCENARIO_KEEPERS = {"zmqprose.prose"}


def reaches_the_scenario(path: Path) -> list[int]:
    """The lines of ``path`` that name ``_scenario`` (``self._scenario.…``, ``x._scenario``, a name)."""
    tree = ast.parse(path.read_text(), str(path))
    return sorted({node.lineno for node in ast.walk(tree)
                   if (isinstance(node, ast.Attribute) and node.attr == "_scenario")
                   or (isinstance(node, ast.Name) and node.id == "_scenario")})


def test_no_module_but_prose_reaches_the_scenario() -> None:
    strays = {name: lines for name, path in MODULES.items()
              if name not in SCENARIO_KEEPERS and (lines := reaches_the_scenario(path))}
    assert not strays, ("only prose.py hands the scenario's parts out; these reach _scenario themselves: "
                        + "; ".join(f"{name} (lines {', '.join(map(str, lines))})" for name, lines in strays.items()))

