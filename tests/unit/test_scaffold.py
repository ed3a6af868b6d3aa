"""``zmqprose init FOLDER`` as a newcomer types it: a folder that is not there yet is made (as ``git init`` and
``cargo new`` make theirs), and a path that cannot be a project's folder is one line and exit code 2, never
a traceback."""

from __future__ import annotations

import subprocess
import sys


def init(*arguments: str, cwd: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zmqprose", "init", *arguments], cwd=cwd, capture_output=True,
                          text=True, timeout=60)


def test_a_folder_that_is_not_there_yet_is_made_and_written(tmp_path):
    made = init("my-specs/nested", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "my-specs" / "nested" / "features" / "echo.feature").is_file()
    assert "wrote my-specs/nested/environment.py" in made.stdout


def test_a_file_where_the_folder_should_be_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "notes.txt").write_text("not a folder")
    refused = init("notes.txt", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "zmqprose init: notes.txt is not a folder: give the folder of the project (it is made if it is not there)"]
    assert "Traceback" not in refused.stderr and refused.stdout == ""


def test_a_folder_that_cannot_be_made_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "file").write_text("in the way")
    refused = init("file/specs", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.startswith("zmqprose init: file/specs cannot be made: ") and "Traceback" not in refused.stderr
