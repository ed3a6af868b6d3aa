"""The tutorial (docs/tutorial/index.md) as a reader follows it: ``zmqprose init`` in an empty folder, the
job queue of docs/tutorial/project/ and its settings in place of the example, the first scenario alone (it
passes), the second added (it fails, as the page shows, with the picture the page shows), the service that
knows STATUS (both pass). The page includes those very files (pymdownx.snippets); this test holds the output
the page quotes to the output behave gives, ports and times aside.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

REPO = Path(__file__).resolve().parents[2]
TUTORIAL = REPO / "docs" / "tutorial"
PROJECT = TUTORIAL / "project"
PICTURE = TUTORIAL / "a-job-just-submitted-is-waiting.svg"
SECTION = re.compile(r"^\s*# --8<-- \[(start|end):(\w+)\]\n", re.M)


def section(text: str, name: str) -> str:
    """A section of a file as pymdownx.snippets includes it (``--8<-- "file:name"``)."""
    return text.split(f"# --8<-- [start:{name}]\n", 1)[1].split(f"# --8<-- [end:{name}]", 1)[0].rsplit("\n", 1)[0] \
        + "\n"


def normal(text: str) -> str:
    """Text with what changes from run to run (ports, times) made the same, and without the place of a step's
    definition that behave writes after it (``# zmqprose/steps/receiving.py:22``)."""
    text = re.sub(r"\s+# \S+:\d+$", "", text, flags=re.M)
    text = re.sub(r"tcp://127\.0\.0\.1:\d+", "tcp://127.0.0.1:PORT", text)
    text = re.sub(r"request \d+", "request PORT", text)
    return re.sub(r"\d+\.\d{3} s", "T s", text)


def quoted_blocks(page: str) -> list[str]:
    """The ```text blocks of the page: what it says a terminal shows."""
    return re.findall(r"```text\n(.*?)```", page, flags=re.S)


def behave(project: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "behave", "--no-color", *options], cwd=project,
                          capture_output=True, text=True, timeout=180,
                          env={**os.environ, "TMPDIR": str(project.parent)})  # a failed run keeps its folder


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reader's project after steps 1 and 2: init, the job queue, its settings, the example gone."""
    folder = tmp_path_factory.mktemp("tutorial") / "jobs-specs"
    folder.mkdir()
    made = subprocess.run([sys.executable, "-m", "zmqprose", "init"], cwd=folder, capture_output=True, text=True,
                          timeout=60)
    assert made.returncode == 0, made.stderr
    assert made.stdout == quoted_blocks((TUTORIAL / "index.md").read_text())[0], made.stdout
    (folder / "features" / "echo.feature").unlink()
    shutil.copy(PROJECT / "environments" / "local.json", folder / "environments" / "local.json")
    shutil.copy(PROJECT / "jobqueue.py", folder / "jobqueue.py")
    return folder


def test_the_tutorial_from_a_passing_scenario_to_a_failing_one_to_both_passing(project):
    page = (TUTORIAL / "index.md").read_text()
    feature = (PROJECT / "features" / "jobs.feature").read_text()
    blocks = quoted_blocks(page)
    first = project / "features" / "jobs.feature"

    first.write_text(section(feature, "head") + "\n" + section(feature, "accepted"))  # step 3
    passed = behave(project)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert blocks[1] in passed.stdout, passed.stdout

    first.write_text(feature)  # step 4: the second scenario added
    failed = behave(project, "-D", "diagrams=pictures")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    shown = [normal(line.strip()) for line in failed.stdout.splitlines()]
    for line in blocks[2].splitlines():  # every line the page quotes, in the order behave printed them
        assert normal(line.strip()) in shown, f"the page quotes {line!r}; behave printed:\n{failed.stdout}"

    drawn = project / "pictures" / "jobs-15.svg"
    assert texts_of(drawn) == texts_of(PICTURE), "the tutorial's picture is not what behave draws now: " \
        f"copy {drawn} to {PICTURE.relative_to(REPO)}"

    shutil.copy(PROJECT / "jobqueue_with_status.py", project / "jobqueue.py")  # step 5
    both = behave(project)
    assert both.returncode == 0, both.stdout + both.stderr
    assert blocks[3] in both.stdout, both.stdout


def texts_of(svg: Path) -> list[str]:
    """Every text of a picture, ports and times made the same."""
    return [normal("".join(text.itertext())) for text in ElementTree.parse(svg).getroot().iter()
            if text.tag.endswith("}text")]
