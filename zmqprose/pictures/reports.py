"""Where pictures go: a folder of SVG files (``-D diagrams=DIR``), and a story file of JSON lines
(``-D action_log=FILE``) that ``python -m zmqprose diagram FILE`` draws later (a CI log turned into a picture).

Files are written only inside the folder asked for, never through a link. A
scenario's file is named after its feature file's path (below ``features/``,
folders joined by dots) and its line: ``DIR/ogre-12.svg``,
``DIR/api.login-2.svg``; a test's after its node id. Names are safe (letters,
digits, ``_ . -``) and bounded; one that making safe or cutting changed gets
a short hash of what it stands for, so that two scenarios never share a file.
A picture that cannot be written is a warning, never the end of a run.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.files import open_inside, write_inside
from zmqprose.wire.masking import mask_text

UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*")  # a part of a name shown as it is (no dot: dots join the parts)
MAX_NAME = 120  # characters of a file's name made from a path or a node id (before its hash, line and suffix)
MAX_STORY_LINE = 64 << 20  # bytes of one scenario's line in a story file that are read


class Pictures:
    """The pictures a run asked for: of every scenario, or only of the failed ones; each in a file of its own."""

    def __init__(self, folder: str | Path, only_failed: bool = False) -> None:
        self.folder = Path(folder)
        self.only_failed = only_failed
        self._named: dict[str, str] = {}  # file name -> what it is the picture of (one file each, in this run)

    def path_for(self, feature_file: str, line: int) -> Path:
        """Where a scenario's picture goes: ``DIR/<feature file's path below features/>-<scenario line>.svg``."""
        return self._claim(f"{safe_name(feature_parts(feature_file))}-{line}", f"{feature_file}:{line}")

    def path_for_test(self, node_id: str) -> Path:
        """Where a pytest test's picture goes: ``DIR/<its node id, its parts joined by dots>.svg``."""
        return self._claim(safe_name(node_parts(node_id)), node_id)

    def _claim(self, stem: str, of: str) -> Path:
        """The file for ``of``: ``stem.svg``, or, if another picture of this run has that name, ``stem_2.svg``…"""
        name, count = f"{stem}.svg", 1
        while self._named.setdefault(name, of) != of:
            count += 1
            name = f"{stem}_{count}.svg"
        return self.folder / name

    def write(self, path: Path, svg: str) -> None:
        """Write a picture (inside the folder, never through a link)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        write_inside(self.folder, path.name, svg, mode="replace")

    def write_or_say_why_not(self, path: Path, svg: str) -> str | None:
        """Write a picture; if it cannot be written (a full disk, a file where the folder should be), the
        warning to show instead: a picture never ends a run."""
        try:
            self.write(path, svg)
        except OSError as error:
            return f"zmqprose: a picture was not written to {path}: {error.strerror or error}"
        return None


def feature_parts(feature_file: str) -> list[str]:
    """A feature file's path as the parts of its picture's name: relative to the working directory, below
    ``features/`` (behave's folder, the same in every project), without ``.feature``."""
    path = PurePath(feature_file)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        path = path.relative_to(Path.cwd())
    parts = [part for part in path.parts if part not in (path.anchor, ".")]
    if len(parts) > 1 and parts[0] == "features":
        parts = parts[1:]
    if parts and parts[-1].endswith(".feature"):
        parts[-1] = parts[-1].removesuffix(".feature")
    return parts


def node_parts(node_id: str) -> list[str]:
    """A pytest node id (``tests/test_x.py::TestY::test_z[1]``) as the parts of its picture's name."""
    return [part.removesuffix(".py") for part in re.split(r"/|::", node_id)]


def safe_name(parts: Sequence[str]) -> str:
    """A readable, safe, bounded file name for a path-like name: its parts made safe and joined by dots; and,
    when that lost something (a character replaced, a dot in a part, an empty part) or it had to be cut, a
    short hash of the parts, so that two names never become one (``..`` is shown as ``up``, a secret masked)."""
    shown = ".".join(UNSAFE.sub("_", mask_text({"..": "up"}.get(part, part))) for part in parts)
    if shown and len(shown) <= MAX_NAME and all(PLAIN.fullmatch(part) for part in parts):
        return shown
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{shown[:MAX_NAME].lstrip('.-') or 'picture'}-{digest}"


def attach(context: Any, svg: str, formatters: list[Any]) -> None:
    """Hand a picture to the reports people read: behave's own attachments (its JSON report carries them as
    embeddings), a formatter's own ``embed`` (behave-html-pretty-formatter, as inline HTML), and Allure (an
    attachment of the current step), when allure-behave is installed; each is optional."""
    context.attach("image/svg+xml", svg.encode("utf-8"))
    for formatter in formatters:
        if hasattr(formatter, "embed") and not hasattr(formatter, "embedding"):
            formatter.embed("text/html", svg, caption="zmqprose: the scenario as a message sequence diagram")
    try:
        import allure
    except ImportError:
        return
    allure.attach(svg, name="zmqprose picture", attachment_type=allure.attachment_type.SVG)


def append_story(path: str | Path, record: Mapping[str, Any]) -> None:
    """Add one scenario's story (its name, where it is, how it ended, its events) to a story file: one line of
    UTF-8 JSON, whatever the text (a lone surrogate is written as its JSON escape)."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    line = json.dumps(record, ensure_ascii=False) + "\n"
    with open_inside(folder, target.name, "append") as out:
        out.write(line.encode("utf-8", "backslashreplace"))  # only a lone surrogate needs it: inside a JSON string


def stories(path: str | Path) -> Iterator[dict[str, Any]]:
    """The scenarios of a story file, in order; a line that is not one is a clear error naming it and what is
    wrong with it. Each line is read to at most :data:`MAX_STORY_LINE` bytes."""
    try:
        with Path(path).open("rb") as lines:
            for number, read in enumerate(iter(lambda: lines.readline(MAX_STORY_LINE + 1), b""), 1):
                yield story_of(read, f"{path}:{number}")
    except OSError as error:
        raise ProseError(f"cannot read the story file {path}: {error.strerror}") from None


def story_of(read: bytes, where: str) -> dict[str, Any]:
    """One line of a story file as a scenario's story, checked to have the shape a picture is drawn from."""
    if len(read) > MAX_STORY_LINE:
        raise ProseError(f"{where}: a line of more than {MAX_STORY_LINE:,} bytes")
    try:
        line = read.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProseError(f"{where} is not UTF-8 text (byte {error.start + 1}); a story file is written by "
                         f"behave -D action_log=FILE") from None
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        record = None
        problem: str | None = "not JSON"
    else:
        problem = story_problem(record)
    if problem is not None:
        raise ProseError(f"{where} is not a scenario's story: {problem} (write one with behave -D action_log=FILE)")
    return record  # type: ignore[no-any-return]


TEXTS = ("feature", "scenario", "status")  # a record's texts
EVENT_TEXTS = ("detail", "how", "type", "address", "app", "endpoint", "target", "port", "lead",
               "names")  # an event's texts (or null)
EVENT_NUMBERS = ("at", "waited")  # an event's numbers: seconds
LARGEST = 10**15  # a number of seconds, or of events, that a story may say


def story_problem(record: object) -> str | None:
    """What keeps ``record`` (a line of a story file, read as JSON) from being a scenario's story, in words
    (``event 3 has no "kind"``); None when it is one."""
    if not isinstance(record, dict):
        return f"it is {kind_of(record)}, not an object"
    for key in TEXTS:
        if key in record and not isinstance(record[key], str):
            return f'"{key}" is {kind_of(record[key])}, not text'
    if "line" in record and not is_number(record["line"], whole=True):
        return f'"line" is {kind_of(record["line"])}, not a line number'
    story = record.get("story")
    if not isinstance(story, dict):
        return 'it has no "story"' if story is None else f'"story" is {kind_of(story)}, not an object'
    if "not_kept" in story and not is_number(story["not_kept"], whole=True):
        return f'"not_kept" is {kind_of(story["not_kept"])}, not a count'
    events = story.get("events", [])
    if not isinstance(events, list):
        return f'"events" is {kind_of(events)}, not a list'
    for index, event in enumerate(events, 1):
        if (problem := event_problem(event)) is not None:
            return f"event {index}{problem}"
    return None


def event_problem(event: object) -> str | None:
    """What is wrong with an event of a story, said after its number (`` has no "kind"``); None if nothing."""
    if not isinstance(event, dict):
        return f" is {kind_of(event)}, not an object"
    for key in ("kind", "actor"):
        if key not in event:
            return f' has no "{key}"'
        if not isinstance(event[key], str):
            return f'\'s "{key}" is {kind_of(event[key])}, not text'
    for key in EVENT_TEXTS:
        if event.get(key) is not None and not isinstance(event[key], str):
            return f'\'s "{key}" is {kind_of(event[key])}, not text'
    for key in EVENT_NUMBERS:
        if key in event and not is_number(event[key]):
            return f'\'s "{key}" is {kind_of(event[key])}, not a number'
    return None


def is_number(value: object, whole: bool = False) -> bool:
    """Whether a JSON value is a finite number a story may hold (not true or false; at most :data:`LARGEST`;
    not below zero when ``whole``, then an integer)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if whole:
        return isinstance(value, int) and 0 <= value <= LARGEST
    return math.isfinite(value) and abs(value) <= LARGEST if isinstance(value, float) else abs(value) <= LARGEST


def kind_of(value: object) -> str:
    """A JSON value's kind in words, with a short scalar's value (``text ("many")``, ``a number (inf)``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a truth value)"
    if isinstance(value, int | float):
        shown = repr(value) if isinstance(value, float) or abs(value) < 10**20 else "a very large one"
        return f"a number ({shown})"
    if isinstance(value, str):
        masked = mask_text(value)
        return f"text ({json.dumps(masked[:30])}{'…' if len(masked) > 30 else ''})"
    return "a list" if isinstance(value, list) else "an object"
