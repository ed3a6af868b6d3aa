"""Where pictures go: a folder of SVG files (``-D diagrams=DIR``), and a story file of JSON lines
(``-D action_log=FILE``) that ``python -m zmqprose diagram FILE`` draws later (a CI log turned into a picture).

Files are written only inside the folder asked for, never through a link, and
a scenario's file name is made of its feature file's stem and its line:
``DIR/ogre-12.svg``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.files import open_inside, write_inside

UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
MAX_STORY_LINE = 64 << 20  # characters of one scenario's line in a story file that are read


class Pictures:
    """The pictures a run asked for: of every scenario, or only of the failed ones."""

    def __init__(self, folder: str | Path, only_failed: bool = False) -> None:
        self.folder = Path(folder)
        self.only_failed = only_failed

    def path_for(self, feature_file: str, line: int) -> Path:
        """Where a scenario's picture goes: ``DIR/<feature file stem>-<scenario line>.svg``."""
        stem = UNSAFE.sub("_", Path(feature_file).stem) or "scenario"
        return self.folder / f"{stem}-{line}.svg"

    def write(self, path: Path, svg: str) -> None:
        """Write a picture (inside the folder, never through a link)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        write_inside(self.folder, path.name, svg, mode="replace")


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
    """Add one scenario's story (its name, where it is, how it ended, its events) to a story file."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    with open_inside(folder, target.name, "append") as out:
        out.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))


def stories(path: str | Path) -> Iterator[dict[str, Any]]:
    """The scenarios of a story file, in order; a line that is not one is a clear error naming it."""
    try:
        with Path(path).open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if len(line) > MAX_STORY_LINE:
                    raise ProseError(f"{path}:{number}: a line of more than {MAX_STORY_LINE:,} characters")
                try:
                    record = json.loads(line)
                except ValueError:
                    record = None
                if not isinstance(record, dict) or not isinstance(record.get("story"), dict):
                    raise ProseError(f"{path}:{number} is not a scenario's story (write one with "
                                     f"behave -D action_log=FILE)")
                yield record
    except OSError as error:
        raise ProseError(f"cannot read the story file {path}: {error.strerror}") from None
