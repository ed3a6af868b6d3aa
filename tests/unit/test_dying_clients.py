"""A client under test that dies (issue 28, item 2, and its siblings): a wait on any socket of the scenario
fails at once, naming the app or command, how it ended and its last lines; the action log says it exited (not
that zmqprose stopped it); a stopped app's daemons end with it; a death after its log was removed says so;
a long command name makes a folder as any name does.

Each wait below is long (10 s or more): before, it ran its whole time and then said only what did not arrive
(a WaitTimeout); the test checks what is raised, not how long it took.
"""

from __future__ import annotations

import logging
import shutil
import socket
from pathlib import Path

import pytest

from zmqprose import AppError, AppSupervisor, Prose, ProseError, Settings, WaitTimeout
from zmqprose.apps.run_folder import FOLDER_NAME_KEPT, RunFolder

DIES = ["python", "-c", "import sys; print('client: bad argument --soon', flush=True); sys.exit(1)"]
DONE = ["python", "-c", "print('client: done', flush=True)"]
DAEMON_PUSHER = Path(__file__).resolve().parents[1] / "specs" / "faults" / "apps" / "daemon_pusher.py"
LONG = 10  # seconds each wait may take; none should


def client(start: list[str]) -> Settings:
    return Settings({"client": {"scope": "scenario", "start": start, "ready": {"none": True}}})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("wait", ["receive", "subscriber", "connected", "send"])
def test_a_wait_on_the_specs_own_socket_fails_at_once_when_a_client_of_the_scenario_dies(wait):
    with AppSupervisor(client(DIES)) as apps, Prose(apps.settings, apps, timeout=LONG) as prose:
        using = prose.using_zmq()
        sock = {"receive": lambda: using.bind("tcp://127.0.0.1:*", "PULL", name="inbox"),
                "subscriber": lambda: using.bind("tcp://127.0.0.1:*", "PUB", name="events"),
                "connected": lambda: using.connect(f"tcp://127.0.0.1:{free_port()}", "SUB", name="feed"),
                "send": lambda: using.bind("tcp://127.0.0.1:*", "PUSH", name="jobs")}[wait]()
        apps.ensure_running("client")
        expects = prose.expects_zmq_socket(sock)
        act = {"receive": lambda: expects.receives_message(timeout=LONG),
               "subscriber": lambda: expects.has_subscriber(timeout=LONG),
               "connected": lambda: expects.becomes_connected(timeout=LONG),
               "send": lambda: using.send_multi(sock, ["a", "b"], timeout=LONG)}[wait]
        with pytest.raises(AppError, match=r"^client has died during the scenario: client \(pid \d+\) exited with "
                                           r"code 1; last lines of \S+client\.zmqprose\.log:\n"
                                           r"    client: bad argument --soon"):
            act()


def test_a_client_that_ended_with_code_0_fails_no_wait_of_the_specs_own_sockets():
    """A one-shot client that did its work and ended: a wait on another socket goes on (and ends as it would)."""
    with AppSupervisor(client(DONE)) as apps, Prose(apps.settings, apps, timeout=LONG) as prose:
        inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
        apps.ensure_running("client")
        apps.process("client").wait(LONG)
        prose.expects_zmq_socket(inbox).receives_nothing(timeout=0.5)


def test_an_app_of_the_run_that_the_scenario_started_is_watched_too():
    settings = Settings({"server": {"start": DIES, "ready": {"none": True}}})
    with AppSupervisor(settings) as apps, Prose(apps.settings, apps, timeout=LONG) as prose:
        inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
        apps.ensure_running("server")
        with pytest.raises(AppError, match=r"^server has died during the scenario: server \(pid \d+\) exited with "
                                           r"code 1"):
            prose.expects_zmq_socket(inbox).receives_message(timeout=LONG)
        with pytest.raises(WaitTimeout):  # one death fails one wait: the next waits its time
            prose.expects_zmq_socket(inbox).receives_message(timeout=0.3)


def test_a_wait_fails_at_once_when_a_background_command_of_the_scenario_dies():
    with Prose(Settings({}), timeout=LONG) as prose:
        inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
        prose.using_shell().start("python -c \"import sys; sys.exit('client: no such kernel')\"", "client")
        with pytest.raises(ProseError, match=r'^"client" \(python -c .*, pid \d+\), started in the background by '
                                             r"this scenario, exited with code 1; its error output ends:\n"
                                             r"    client: no such kernel"):
            prose.expects_zmq_socket(inbox).receives_message(timeout=LONG)


def test_an_app_that_had_ended_by_itself_is_logged_as_exited_not_as_stopped(caplog):
    """The log said "stop client  exited with code 1 (an app of the scenario, which ends)", which reads as if
    zmqprose had stopped it."""
    with caplog.at_level(logging.INFO, logger="zmqprose"), AppSupervisor(client(DIES)) as apps, \
            Prose(apps.settings, apps, timeout=LONG):
        apps.ensure_running("client")
        apps.process("client").wait(LONG)
    lines = [record.getMessage() for record in caplog.records]
    assert any(line.startswith("client exited with code 1") for line in lines), lines
    assert not any(line.startswith("stop client") for line in lines), lines


def test_a_death_after_the_log_was_removed_says_the_log_is_gone_not_that_there_was_no_output():
    with AppSupervisor(client(DIES)) as apps, Prose(apps.settings, apps, timeout=LONG) as prose:
        inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
        apps.ensure_running("client")
        apps.process("client").wait(LONG)
        shutil.rmtree(apps.folder)
        with pytest.raises(AppError) as failure:
            prose.expects_zmq_socket(inbox).receives_message(timeout=LONG)
        message = str(failure.value)
        assert "(no output)" not in message
        assert "exited with code 1; its last lines cannot be shown: its log: the run's folder" in message
        assert "is gone: something removed it while the run was going" in message
        apps.keep_run_folder()


def test_a_long_command_name_makes_a_folder_cut_to_a_length_with_a_hash_apart_from_a_like_one(tmp_path):
    """A name of 300 characters ended in 'OSError: File name too long'."""
    folders = RunFolder(tmp_path)
    first = folders.new_folder("command-" + "x" * 300)
    second = folders.new_folder("command-" + "x" * 299 + "y")
    assert len(first.name) == len(second.name) == FOLDER_NAME_KEPT
    assert first.name.startswith("command-xxxx") and first != second
    with Prose(Settings({}), timeout=LONG) as prose:
        started = prose.using_shell().start("python -c pass", "p" * 300)
        started.process.wait(LONG)
        assert started.output().text() == "" and len(started.folder.name) == FOLDER_NAME_KEPT


def test_stopping_an_app_ends_the_daemons_it_started(tmp_path):
    """A daemon (double fork, setsid) leaves the app's process group: stopping the app left it pushing into the
    next scenario, until the run ended."""
    port = free_port()
    settings = Settings({"pusher": {"start": ["python", str(DAEMON_PUSHER), f"tcp://127.0.0.1:{port}"],
                                    "ready": {"log": "the daemon is pushing"}, "stop_timeout": 1}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps:
        with Prose(apps.settings, apps, timeout=LONG) as first:
            inbox = first.using_zmq().bind(f"tcp://127.0.0.1:{port}", "PULL")
            apps.ensure_running("pusher")
            first.expects_zmq_socket(inbox).receives(["from the daemon"])
            apps.stop("pusher")
        with Prose(apps.settings, apps, timeout=LONG) as second:
            inbox = second.using_zmq().bind(f"tcp://127.0.0.1:{port}", "PULL")
            second.expects_zmq_socket(inbox).receives_nothing(timeout=0.5)
