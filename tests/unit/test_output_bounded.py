"""What is read of an app's or a command's output stays bounded, however much it prints (issue 27, item 14).

An app that printed 120 MB before its ready line made behave's memory grow
by 175 MB: ``Output.first_line_matching`` made a list of every new line.
Each test here lets a real process print tens of megabytes and measures the
peak of what Python allocated while zmqprose read it (``tracemalloc``).
"""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import regex

from zmqprose import AppSupervisor, ProseError, Settings
from zmqprose.apps.output import LONGEST_LINE, Output
from zmqprose.checks.app import require_match

PRINTED = 50 << 20  # what each process prints before the line that matters
BOUND = 4 << 20  # what reading it may hold at its peak: a few pieces of 64 KiB, and Python's own overhead
LINES = ("import sys\nline = 'x' * 1023 + '\\n'\nfor _ in range({count}): sys.stdout.write(line)\n"
         "sys.stdout.write({last!r}); sys.stdout.flush()\n")


def printed_by_a_process(path: Path, last: str, line_length: int = 1024) -> None:
    """A real process prints :data:`PRINTED` bytes of lines of ``line_length`` into ``path``, then ``last``."""
    code = LINES.format(count=PRINTED // line_length, last=last).replace("1023", str(line_length - 1))
    with path.open("wb") as log:
        subprocess.run([sys.executable, "-c", code], stdout=log, check=True, timeout=60)
    assert path.stat().st_size > PRINTED


def peak_of(read: Callable[[], Any]) -> tuple[Any, int]:
    """What ``read()`` returns, and the most memory Python held for it at once, in bytes."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = read()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def chatty_log(tmp_path: Path) -> Iterator[Path]:
    """A log of 50 MB of lines that ends with the line an app says when it is ready."""
    path = tmp_path / "app.log"
    printed_by_a_process(path, "the app is ready\n")
    yield path


def test_a_ready_pattern_reads_50_mb_before_its_line_without_keeping_them(chatty_log):
    line, peak = peak_of(lambda: Output(chatty_log).first_line_matching(regex.compile(r"is ready$")))
    assert line == "the app is ready"
    assert peak < BOUND, f"reading {PRINTED >> 20} MB of output held {peak >> 20} MB at once"


def test_an_app_that_prints_50_mb_before_its_ready_line_starts_in_bounded_memory(tmp_path):
    code = LINES.format(count=PRINTED // 1024, last="worker ready\n") + "import time; time.sleep(60)\n"
    settings = Settings({"chatty": {"start": ["python", "-c", code], "ready": {"log": "^worker ready"},
                                    "start_timeout": 60}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps:
        _, peak = peak_of(lambda: apps.ensure_running("chatty"))
        assert apps.output("chatty").size() > PRINTED
    assert peak < BOUND, f"starting an app that printed {PRINTED >> 20} MB held {peak >> 20} MB at once"


def test_a_line_longer_than_the_bound_is_looked_at_in_pieces_in_bounded_memory(tmp_path):
    path = tmp_path / "long.log"
    printed_by_a_process(path, "ready at last\n", line_length=PRINTED)  # a line of 50 MB, then the ready line
    output = Output(path)
    line, peak = peak_of(lambda: output.first_line_matching(regex.compile("ready")))
    assert line == "ready at last"
    assert peak < BOUND, f"a line of {PRINTED >> 20} MB held {peak >> 20} MB at once"
    *pieces, last = Output(path).new_lines()
    assert last == "ready at last"
    assert max(map(len, pieces)) == LONGEST_LINE and sum(map(len, pieces)) == PRINTED - 1  # all of it, in pieces


def test_the_lines_after_the_first_match_are_still_new(tmp_path):
    path = tmp_path / "few.log"
    path.write_bytes(b"starting\nready\nserving\nstill serving")
    output = Output(path)
    assert output.first_line_matching(regex.compile("^ready$")) == "ready"
    assert list(output.new_lines()) == ["serving"]
    assert output.first_line_matching(regex.compile("still")) == "still serving"  # a line still being written


@pytest.mark.parametrize("check", ["contains", "tail", "new_lines"])
def test_contains_tail_and_new_lines_read_50_mb_in_bounded_memory(chatty_log, check):
    output = Output(chatty_log)
    reads: dict[str, Callable[[], Any]] = {
        "contains": lambda: output.contains("the app is ready"),
        "tail": lambda: output.tail(),
        "new_lines": lambda: sum(1 for _ in output.new_lines()),
    }
    result, peak = peak_of(reads[check])
    assert result, check
    assert peak < BOUND, f"{check} over {PRINTED >> 20} MB held {peak >> 20} MB at once"


def test_a_match_over_the_whole_output_refuses_more_than_its_bound(chatty_log):
    with pytest.raises(ValueError, match="more than the 8 MiB a check over the whole output reads"):
        Output(chatty_log).text()


@pytest.mark.parametrize("expected", [r"#regex (?s).*\nthe app is ready\n", "#string", "not the output"])
def test_a_match_over_the_whole_output_holds_it_once_as_bytes_and_once_as_text(tmp_path, expected):
    path = tmp_path / "app.log"
    size = 7 << 20  # under the 8 MiB that a check over the whole output reads
    path.write_bytes(b"x" * (size - len(b"\nthe app is ready\n")) + b"\nthe app is ready\n")

    def match() -> bool:
        try:
            require_match(Output(path), expected, "app's output", 5)
        except ProseError:
            return False
        return True

    matched, peak = peak_of(match)
    assert matched is (expected != "not the output")
    assert peak < 2.5 * size, f"matching {size >> 20} MiB held {peak >> 20} MiB at once"


def test_a_match_over_the_whole_output_reads_what_is_not_utf8_as_it_is_shown(tmp_path):
    path = tmp_path / "app.log"
    path.write_bytes(b"caf\xe9 is ready\n")
    require_match(Output(path), r"#regex caf\ufffd is ready\n", "app's output", 5)
    require_match(Output(path), "caf\ufffd is ready\n", "app's output", 5)
