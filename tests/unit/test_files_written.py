"""Files an app writes (issue 28, item 4): ``the file "PATH" contains TEXT [within DURATION]`` and ``does not contain``.

A real app writes into its own folder (``${APP.folder}``); the path must lie
inside the run's folder, no link on the way is followed, and a file is read
in pieces, however large it is.
"""

from __future__ import annotations

import contextlib
import os
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from zmqprose import AppSupervisor, Prose, ProseError, Settings, WaitTimeout
from zmqprose.apps.output import CHUNK

WRITER = ("import sys, time; from pathlib import Path; folder = Path(sys.argv[1]); print('writing', flush=True); "
          "time.sleep(0.3); (folder / 'shot-46.log').write_text('frame 11\\nframe 12\\n'); time.sleep(60)")


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[Prose]:
    """A scenario whose app writes shot-46.log into its folder a moment after it starts."""
    settings = Settings({"zlog": {"start": ["python", "-c", WRITER, "${zlog.folder}"], "ready": {"log": "writing"}},
                         "zmqprose": {"timeout": 2}})
    with AppSupervisor(settings, log_dir=tmp_path / "run") as apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("zlog")
        yield prose


def test_a_file_an_app_writes_is_waited_for_and_checked(writer):
    shot = writer.interpolate("${zlog.folder}/shot-46.log")
    writer.expects_file(shot).contains("frame 12", timeout=5)  # not there at first: waited for
    writer.expects_file(shot).does_not_contain("ERROR")
    with pytest.raises(ProseError) as failure:
        writer.expects_file(shot).does_not_contain("frame 11")
    assert f"the file {shot!r} contains 'frame 11', but should not; it ends:\n    frame 11\n    frame 12" \
        in str(failure.value)
    with pytest.raises(WaitTimeout, match=r"does not contain 'frame 13' \(waited 0.2 s\); it ends:\n    frame 11"):
        writer.expects_file(shot).contains("frame 13", timeout=0.2)


def test_a_file_that_is_not_there_is_named_as_such(writer):
    missing = writer.interpolate("${zlog.folder}/no-such.log")
    with pytest.raises(WaitTimeout, match=r"does not contain 'x' \(waited 0.1 s\); it does not exist"):
        writer.expects_file(missing).contains("x", timeout=0.1)
    with pytest.raises(ProseError, match="does not exist, so it cannot be checked for what it does not contain"):
        writer.expects_file(missing).does_not_contain("x")  # a wrong path never passes
    in_no_folder = writer.interpolate("${zlog.folder}/no/such/folder.log")
    with pytest.raises(WaitTimeout, match="it does not exist"):
        writer.expects_file(in_no_folder).contains("x", timeout=0.1)


@pytest.mark.parametrize(("path", "words"), [
    ("/etc/passwd", "is not a file inside the run's folder"),
    ("shot-46.log", "is not a whole path"),
    ("${zlog.folder}/../../etc/passwd", "goes up with '..'"),
    ("${zlog.folder}/..", "goes up with '..'"),
])
def test_a_path_outside_the_run_s_folder_is_refused(writer, path, words):
    filled = writer.interpolate(path)
    with pytest.raises(ProseError) as failure:
        writer.expects_file(filled).contains("root", timeout=0.1)
    assert f"the file {filled!r} {words}: zmqprose reads only files inside the run's folder" in str(failure.value)
    assert '"${APP.folder}/' in str(failure.value)


def test_no_link_on_the_way_is_followed(writer, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("the secret\n")
    folder = Path(writer.interpolate("${zlog.folder}"))
    (folder / "out").symlink_to(outside)  # a folder that is a link out of the run's folder
    (folder / "secret.txt").symlink_to(outside / "secret.txt")  # a file that is one
    (folder / "inner").mkdir()
    (folder / "inner" / "deeper").symlink_to(outside)
    for relative, link in [("out/secret.txt", "out"), ("secret.txt", "secret.txt"),
                           ("inner/deeper/secret.txt", "deeper")]:
        path = str(folder / relative)
        with pytest.raises(ProseError) as failure:
            writer.expects_file(path).contains("the secret", timeout=1)
        message = str(failure.value)
        assert f"the file {path!r} is not read: {link} is a link, and zmqprose does not read through one" in message
        with pytest.raises(ProseError, match="is a link, and zmqprose does not read through one"):
            writer.expects_file(path).does_not_contain("the secret")


def test_a_pipe_or_a_folder_is_not_read_and_holds_nothing_up(writer):
    folder = Path(writer.interpolate("${zlog.folder}"))
    os.mkfifo(folder / "pipe")
    began = time.monotonic()
    with pytest.raises(ProseError, match="is not read: .*pipe is not a file"):
        writer.expects_file(str(folder / "pipe")).contains("x", timeout=5)
    assert time.monotonic() - began < 4  # refused, not waited on (nobody writes to the pipe)
    with pytest.raises(ProseError, match="is not a file"):
        writer.expects_file(str(folder)).does_not_contain("x")


def test_a_large_file_is_read_in_pieces_and_a_text_across_two_pieces_is_found(writer):
    folder = Path(writer.interpolate("${zlog.folder}"))
    big = folder / "big.log"
    with big.open("wb") as out:
        for _ in range(40 * 1024):
            out.write(b"x" * 1023 + b"\n")
        out.write(b"needle at the end\n")
    across = folder / "across.log"
    across.write_bytes(b"y" * (CHUNK - 3) + b"needle" + b"y" * 10)  # the text straddles the first two pieces
    tracemalloc.start()
    try:
        writer.expects_file(str(big)).contains("needle at the end", timeout=30)
        writer.expects_file(str(big)).does_not_contain("haystack")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, f"reading a 40 MB file held {peak >> 20} MB at once"
    writer.expects_file(str(across)).contains("needle", timeout=1)


def test_the_phrases_fill_in_the_path(writer):
    from behave.parser import parse_feature
    from behave.step_registry import registry

    import zmqprose.steps  # noqa: F401

    feature = parse_feature('Feature: f\n  Scenario: s\n'
                            '    Then the file "${zlog.folder}/shot-46.log" contains "frame 12" within 5 seconds\n'
                            '    Then the file "${zlog.folder}/shot-46.log" contains "frame 11"\n'
                            '    Then the file "${zlog.folder}/shot-46.log" does not contain "ERROR"\n')
    context = type("Context", (), {"prose": writer, "checkpoint": writer.checkpoint,
                                 "use_with_user_mode": contextlib.nullcontext})()  # behave runs a step so
    for step in feature.scenarios[0].steps:
        registry.find_match(step).run(context)
