"""Locust's own master and workers quit while every user waits in an exchange: each process ends with code 0.

A ZeroMQ socket belongs to the thread that made it: a Locust user's sockets are made in a thread of its own
(zmqprose.locust), and only that thread may close them. When the run time ends, the users are stopped in the middle
of a request nobody answers; each user's thread must cut its wait short, close its own sockets and end before the
worker process goes on to exit (a socket closed by another thread at exit made workers abort in libzmq, and a
context ended with a socket still open made them hang). Repeated, since such faults come and go with timing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import zmq

from zmqprose import Settings
from zmqprose.load.handoff import SETTINGS_VARIABLE, write_settings

LOCUSTFILE = Path(__file__).resolve().parent / "faults" / "locustfiles" / "stuck_requests.py"
RUNS = 4
WORKERS = 2
ENDED_WITHIN = 60  # seconds for a whole run (Locust starts in seconds; the users' wait is a minute)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_locust(tmp_path: Path, address: str) -> list[tuple[str, int | None, str]]:
    """One headless run of a master and its workers; each process's role, exit code and output."""
    port = free_port()
    handed = write_settings(Settings({"zmqprose": {"timeout": 60}}), tmp_path)  # as the load step hands them over
    env = {**os.environ, "STUCK_ADDRESS": address, SETTINGS_VARIABLE: str(handed)}
    master = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--master", "--headless",
              "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port), "--expect-workers", str(WORKERS),
              "--users", "6", "--spawn-rate", "100", "--run-time", "2s", "--only-summary", "--exit-code-on-error", "0"]
    worker = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--worker", "--master-host", "127.0.0.1",
              "--master-port", str(port)]
    commands = {"master": master, **{f"worker {number}": worker for number in range(1, WORKERS + 1)}}
    processes = {role: subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True) for role, command in commands.items()}
    deadline = time.monotonic() + ENDED_WITHIN
    ended = []
    for role, process in processes.items():
        try:
            output, _ = process.communicate(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            ended.append((role, None, output))
            continue
        ended.append((role, process.returncode, output))
    return ended


@pytest.mark.parametrize("run", range(1, RUNS + 1))
def test_a_worker_whose_users_wait_in_an_exchange_when_locust_quits_ends_with_code_0(tmp_path, run):
    with zmq.Context() as context, context.socket(zmq.ROUTER) as silent:  # takes requests, answers none
        port = silent.bind_to_random_port("tcp://127.0.0.1")
        ended = run_locust(tmp_path, f"tcp://127.0.0.1:{port}")
        assert silent.poll(0), f"no user sent a request: nothing waited when Locust quit: {ended}"
    for role, code, output in ended:
        assert code == 0, f"{role} ended with {code} (None: still running after {ENDED_WITHIN} s):\n{output}"
        assert "Assertion failed" not in output and "Traceback" not in output, f"{role}:\n{output}"
        assert "still waited" not in output, f"{role}:\n{output}"
