"""The recorder's acid test: a recorded conversation is a spec that passes, unedited, and fails against a
service changed to answer wrongly, at the step of the first wrong answer.

For each of three real systems nobody here wrote, a client talks to its
service through ``zmqprose record`` (a process of its own); the feature it
writes is then run with behave, unedited, against a fresh start of the same
service (``-D env=local``: green), and against the same service changed to
answer wrongly (``-D env=wrong``, the same settings but a ``--wrong`` flag or
a kernel whose execution count starts at 41: red, at that answer's step,
with the usual message):

- a tinyrpc client calling a tinyrpc server (JSON-RPC over REQ and ROUTER),
  recorded until ``--for`` ends it;
- a zerorpc client calling a zerorpc server (msgpack over DEALER and
  ROUTER), heartbeats every second both ways during a call of 1.5 s,
  stopped with SIGTERM;
- jupyter_client's BlockingKernelClient asking an IPython kernel for its
  info and to run ``6 * 7`` on its shell port, recorded twice (the second
  time ``--again``, against another start of the kernel, so that what the
  kernel and the client make anew is told from what they repeat), stopped
  with Ctrl-C (SIGINT). IPython's banner ends with a tip drawn at random from
  twenty: two recordings agree on it one time in twenty, and a value that
  two recordings agree on stays a literal, so the kernel is started without
  it (``InteractiveShell.enable_tip=False``), in the recordings and in the
  replays alike.

The service of the recording is started from the same settings as the
replays (an ``AppSupervisor`` over the project's ``environments``), so "the
same server" is the same command line; the recorder is told the app reference
with ``--app`` and the settings with ``--settings``, so the feature says
``Given tinyrpc is running`` and connects to ``tinyrpc's rpc port``.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import zmq

from zmqprose import AppSupervisor, load_settings

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "recording"
KERNEL_KEY = "acid-test-kernel-key-2f9c"
NO_TIP = "--InteractiveShell.enable_tip=False"


def settings() -> tuple[dict, dict]:
    """The project's settings: every app on free ports (defaults.json), and the same apps answering wrongly
    (wrong.json)."""
    python = "python"

    def server(name: str, *extra: str) -> list[str]:
        return [python, str(EXAMPLES / f"{name}_server.py"), f"tcp://127.0.0.1:${{{name}.rpc_port}}", *extra]

    kernel = [python, "-m", "ipykernel_launcher", "-f", "${kernel.folder}/connection.json", NO_TIP]
    defaults = {
        "tinyrpc": {"start": server("tinyrpc"), "rpc_port": 0},
        "zerorpc": {"start": server("zerorpc"), "rpc_port": 0},
        "kernel": {"start": kernel, "files": {"connection.json": "templates/kernel.json"}, "start_timeout": 30,
                   "key": KERNEL_KEY, "signature_scheme": "hmac-sha256", "shell_port": 0, "iopub_port": 0,
                   "stdin_port": 0, "control_port": 0, "hb_port": 0},
    }
    wrong = {
        "tinyrpc": {"start": server("tinyrpc", "--wrong")},
        "zerorpc": {"start": server("zerorpc", "--wrong")},
        "kernel": {"start": [*kernel, "--IPKernelApp.exec_lines=get_ipython().execution_count = 41"]},
    }
    return defaults, wrong


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project that uses zmqprose as any other does: its two one-line files and its settings."""
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "zmqprose_steps.py").write_text("from zmqprose.steps import *  # noqa: F403\n")
    (tmp_path / "environment.py").write_text("from zmqprose.hooks import *  # noqa: F403\n")
    environments = tmp_path / "environments"
    (environments / "templates").mkdir(parents=True)
    defaults, wrong = settings()
    (environments / "defaults.json").write_text(json.dumps(defaults, indent=1))
    (environments / "local.json").write_text("{}")
    (environments / "wrong.json").write_text(json.dumps(wrong, indent=1))
    (environments / "templates" / "kernel.json").write_text((REPO / "environments/templates/kernel.json").read_text())
    (tmp_path / "features").mkdir()
    return tmp_path


@contextmanager
def service(project: Path, app: str, port_key: str) -> Iterator[tuple[AppSupervisor, int]]:
    """The app started as the settings say (free ports), and its port; stopped after."""
    with AppSupervisor(load_settings(project / "environments", "local")) as apps:
        apps.ensure_running(app)
        yield apps, int(apps.settings.app(app)[port_key])


@contextmanager
def recorder(project: Path, target: int, out: str, *options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``zmqprose record`` in a process of its own, in front of ``target``; and where it listens. After the
    block it must have ended by itself (``--for``) or been told to (a signal the block sent)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "zmqprose", "record", "--listen", "tcp://127.0.0.1:*", "--to",
         f"tcp://127.0.0.1:{target}", "--out", out, "--settings", "environments", *options],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 20)  # bounded: a recorder that never says fails
        line = process.stdout.readline() if ready else ""
        found = re.search(r"listening on (tcp://\S+),", line)
        assert found, f"the recorder did not say where it listens: {line!r} {process.stderr and process.stderr.read()}"
        yield process, found[1]
        stdout, stderr = process.communicate(timeout=20)
        assert process.returncode == 0, stdout + stderr
        assert f"wrote {out}" in stderr, stderr
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def client(*arguments: str) -> str:
    """Run a client under test to its end; its output."""
    done = subprocess.run([sys.executable, *arguments], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def behave(project: Path, feature: str, env: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "behave", "--no-color", "-f", "plain", "-D", f"env={env}",
                           f"features/{feature}"], cwd=project, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout + done.stderr


def passes(project: Path, feature: str) -> str:
    code, output = behave(project, feature, "local")
    assert code == 0, output
    assert re.search(r"1 scenario passed, 0 failed", output), output
    return output


def fails_at(project: Path, feature: str, step: str, passed_before: int, message: str) -> str:
    """The feature fails against the wrong service: at ``step`` (its first line as behave prints it), after
    ``passed_before`` steps that passed, with ``message``."""
    code, output = behave(project, feature, "wrong")
    assert code != 0, output
    failed = re.findall(r"^ +(\S.*) \.\.\. failed in", output, re.MULTILINE)
    assert failed == [step], output
    assert f"{passed_before} steps passed, 1 failed" in output, output
    assert message in output, output
    assert "Traceback" not in output, output
    return output


def test_a_tinyrpc_conversation_recorded_passes_unedited_and_fails_at_a_wrong_answer(project: Path) -> None:
    with service(project, "tinyrpc", "rpc_port") as (_, port), \
            recorder(project, port, "features/tinyrpc.feature", "--app", "tinyrpc's rpc port", "--for", "4") \
            as (_, endpoint):
        said = client(str(EXAMPLES / "tinyrpc_client.py"), endpoint)
    assert said.split("\n")[:2] == ["add 3", "multiply 12"]
    feature = (project / "features" / "tinyrpc.feature").read_text()
    assert "Given tinyrpc is running" in feature
    assert "I connect a REQ socket to tinyrpc's rpc port" in feature
    assert (project / "features" / "tinyrpc.svg").read_text().startswith("<svg")
    passes(project, "tinyrpc.feature")
    fails_at(project, "tinyrpc.feature", "Then I receive a JSON message from tinyrpc's rpc port matching:", 3,
             "first difference at $.result: expected 3, got 4")


def test_a_zerorpc_conversation_with_heartbeats_recorded_passes_unedited_and_fails_at_a_wrong_answer(
        project: Path) -> None:
    with service(project, "zerorpc", "rpc_port") as (_, port), \
            recorder(project, port, "features/zerorpc.feature", "--app", "zerorpc") as (process, endpoint):
        said = client(str(EXAMPLES / "zerorpc_client.py"), endpoint)
        process.send_signal(signal.SIGTERM)
    assert said.split("\n")[:2] == ["Hello, Storyplayer", "3"]
    feature = (project / "features" / "zerorpc.feature").read_text()
    found = re.search(r"# note: (\d+) heartbeats left out \((\d+) from the client, (\d+) from the service\)", feature)
    assert found and int(found[2]) >= 1 and int(found[3]) >= 1, feature  # heartbeats both ways, left out
    assert "_zpc_hb" not in feature
    assert "Then I eventually receive a msgpack message from zerorpc's rpc port" in feature
    passes(project, "zerorpc.feature")
    fails_at(project, "zerorpc.feature", "Then I eventually receive a msgpack message from zerorpc's rpc port "
             "within 5 seconds with the envelope [\"\"] matching:", 5, "at $[2][0]: expected 3, got 4")


def test_a_jupyter_conversation_recorded_twice_passes_unedited_and_fails_at_a_wrong_answer(project: Path) -> None:
    for again in ((), ("--again", "features/kernel.feature")):
        with service(project, "kernel", "shell_port") as (apps, port), \
                recorder(project, port, "features/kernel.feature", "--app", "kernel's shell port", *again) \
                as (process, endpoint):
            kernel = apps.settings.app("kernel")
            connection = {key: kernel[key] for key in ("shell_port", "iopub_port", "stdin_port", "control_port",
                                                       "hb_port", "key", "signature_scheme")}
            connection.update(transport="tcp", ip="127.0.0.1", shell_port=int(endpoint.rpartition(":")[2]))
            (project / "client.json").write_text(json.dumps(connection))
            said = client(str(EXAMPLES / "jupyter_front_end.py"), str(project / "client.json"))
            process.send_signal(signal.SIGINT)
        assert said.split("\n")[:2] == ["kernel_info ok ipython", "execute ok count 1"]
    feature = (project / "features" / "kernel.feature").read_text()
    assert "# Recorded twice" in feature
    assert KERNEL_KEY not in feature
    assert '"engine": "#uuid"' in feature  # a UUID the kernel made, known by its shape
    passes(project, "kernel.feature")
    fails_at(project, "kernel.feature", "Then I receive a Jupyter message from kernel's shell port matching:", 5,
             "first difference at $.content.execution_count: expected 1, got 41")


ODD_MESSAGES = [
    [b"PING"],
    [b"", b"after an empty frame"],
    [b"#ignore", b"#regex .*", b"hex:00", b"struct:>I [1]"],  # text that a step would read as notation
    [b"${checkpoint.nothing}", b"say \"hi\" \\ there", b"two\nlines | and a bar"],
    [b"\x00\xff\x10binary"],
    [json.dumps({"marker": "#string", "placeholder": "${nothing}", "text": "hex:41", "nested": [1, None]}).encode()],
    [b"", b"an envelope", json.dumps(["#literal words", "\u00e9t\u00e9"]).encode()],
]


def echo_server(context: zmq.Context, stop: threading.Event) -> tuple[int, threading.Thread]:
    """A REP socket in a thread of this process that answers every message with itself: its port, its
    thread (it closes its socket once ``stop`` is set)."""
    server = context.socket(zmq.REP)
    server.linger, server.rcvtimeo = 0, 100
    port = server.bind_to_random_port("tcp://127.0.0.1")

    def serve() -> None:
        while not stop.is_set():
            try:
                server.send_multipart(server.recv_multipart())
            except zmq.Again:
                continue
        server.close(0)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return port, thread


def test_frames_a_step_would_misread_are_written_so_that_they_replay_exactly(project: Path) -> None:
    """Text that reads as a marker, as notation or as ${…}, quotes, new lines, binary, an empty frame: a
    recorded echo of each replays green against the same echo, and its feature says each as it was."""
    context, stop = zmq.Context(), threading.Event()
    port, server = echo_server(context, stop)
    try:
        with recorder(project, port, "features/odd.feature") as (process, endpoint):
            client = context.socket(zmq.REQ)
            client.linger, client.rcvtimeo = 0, 5000
            client.connect(endpoint)
            for message in ODD_MESSAGES:
                client.send_multipart(message)
                assert client.recv_multipart() == message
            client.close(0)
            process.send_signal(signal.SIGTERM)
        feature = (project / "features" / "odd.feature").read_text()
        assert "${" not in feature  # nothing the service said is filled in (and no secret was there to refer to)
        (project / "environments" / "local.json").write_text("{}")
        output = passes(project, "odd.feature")
        assert f"{2 * len(ODD_MESSAGES) + 1} steps passed" in output
    finally:
        stop.set()
        server.join(5)
        context.destroy(0)
