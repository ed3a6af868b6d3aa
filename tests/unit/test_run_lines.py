"""What a live run prints, and what an app's and a command's own output is read through (issue 28, items 2, 7
and 13, and the regression of 44a91e0).

- A live run (``RunOptions(live_log=True)``, ``-D action_log=live``) printed an app's start, its stop and a
  command's run nowhere once 44a91e0 left the ``zmqprose`` logger alone: they went to the logger only.
- A live run printed each send twice, frames and all (the line that says it begins, and the line that says it
  is done): a send of a long message printed about 1,400 characters.
"""

from __future__ import annotations

import io
import logging
import re
import shlex
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from zmqprose import AppError, AppSupervisor, Prose, ProseError, Settings, WaitTimeout
from zmqprose.actionlog import RunOptions

LONG = 10  # seconds a wait may take; none should
SERVER = ["python", "-c", "import time; print('server up', flush=True); time.sleep(60)"]
BIG = "a frame of many words " * 40  # 880 characters: shortened, but still long, in a log line


def live_lines(printed: io.StringIO) -> list[str]:
    return [line.removeprefix("zmqprose: ") for line in printed.getvalue().splitlines()]


def test_a_live_run_prints_an_apps_start_and_stop_and_a_commands_run_as_they_happen_once_each(caplog):
    printed = io.StringIO()
    settings = Settings({"server": {"start": SERVER, "ready": {"log": "server up"}}})
    with caplog.at_level(logging.INFO, logger="zmqprose"), AppSupervisor(settings) as apps, \
            Prose(apps.settings, apps, timeout=LONG, options=RunOptions(live_log=True, live_to=printed)) as prose:
        apps.ensure_running("server")
        assert [line for line in live_lines(printed) if re.search(r"\bstart server\b", line)], printed.getvalue()
        prose.using_shell().run("python -c pass", timeout=LONG)
        apps.stop("server")
        lines = live_lines(printed)
    for wanted in (r"start server  python -c .*  log: ", r"started server  ready after",
                   r"run python -c pass$", r"ran python -c pass  exited with code 0", r"stop server  "):
        found = [line for line in lines if re.search(rf"^\+\d+\.\d+ s  {wanted}", line)]
        assert len(found) == 1, (wanted, lines)
    logged = [record.getMessage() for record in caplog.records]
    assert not [line for line in logged if "server" in line], logged  # once: printed, not logged as well


def test_a_run_that_is_not_live_still_logs_an_apps_start_and_stop_to_the_zmqprose_logger(caplog):
    printed = io.StringIO()
    settings = Settings({"server": {"start": SERVER, "ready": {"log": "server up"}}})
    with caplog.at_level(logging.INFO, logger="zmqprose"), AppSupervisor(settings) as apps, \
            Prose(apps.settings, apps, timeout=LONG, options=RunOptions(live_to=printed)):
        apps.ensure_running("server")
        apps.stop("server")
    logged = [record.getMessage() for record in caplog.records]
    assert [line for line in logged if line.startswith("start server")], logged
    assert [line for line in logged if line.startswith("stop server")], logged
    assert printed.getvalue() == ""


def test_a_live_run_prints_the_frames_of_one_send_once():
    printed = io.StringIO()
    with Prose(Settings({}), timeout=LONG, options=RunOptions(live_log=True, live_to=printed)) as prose:
        server = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="server")
        client = prose.using_zmq().connect('the endpoint of "server"', "PUSH", name="client")
        prose.using_zmq().send_multi(client, ["PING", BIG])
        prose.from_zmq_socket(server).recv_multi()
    sends = [line for line in live_lines(printed) if " send_multi -> " in line]
    assert len(sends) == 2, sends  # it begins, it is done
    begins, done = sends
    assert "PING" not in begins and len(begins) < 120, begins
    assert "PING" in done and "waited" in done, done
    receives = [line for line in live_lines(printed) if " recv_multi <- " in line]
    assert sum("PING" in line for line in receives) == 1, receives


# -- an app's and a command's own output is read as zmqprose wrote it, never through a link ---------------------

SWAP_OWN_LOG = ("import os, sys, time\n"
                "own = os.readlink('/proc/self/fd/1')\n"
                "os.unlink(own)\n"
                "os.symlink(sys.argv[1], own)\n"
                "sys.exit(1) if sys.argv[2] == 'die' else time.sleep(60)\n")
PRECIOUS = "precious line of another file"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    path = tmp_path / "outside.txt"
    path.write_text(f"{PRECIOUS}\n")
    return path


def swapper(outside: Path, then: str) -> Settings:
    """An app that swaps the file its output goes to for a link to ``outside``, then dies or sleeps."""
    return Settings({"app": {"scope": "scenario", "start": ["python", "-c", SWAP_OWN_LOG, str(outside), then],
                             "ready": {"none": True}}})


def test_an_app_that_swapped_its_log_for_a_link_has_no_other_files_lines_shown_when_it_dies(outside: Path):
    with AppSupervisor(swapper(outside, "die")) as apps, Prose(apps.settings, apps, timeout=LONG) as prose:
        inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
        apps.ensure_running("app")
        with pytest.raises(AppError) as failure:
            prose.expects_zmq_socket(inbox).receives_message(timeout=LONG)
        apps.keep_run_folder()
    message = str(failure.value)
    assert "exited with code 1" in message, message
    assert PRECIOUS not in message and "is a link, and zmqprose does not read through one" in message, message


def test_an_apps_output_checks_do_not_read_through_a_link_it_left_for_its_log(outside: Path):
    with AppSupervisor(swapper(outside, "sleep")) as apps, Prose(apps.settings, apps, timeout=LONG) as prose:
        apps.ensure_running("app")
        log = apps.latest("app").log_path
        wait_until(lambda: log.is_symlink())
        for check in (lambda: prose.expects_app("app").output_contains(PRECIOUS, timeout=0.2),
                      lambda: prose.expects_app("app").output_matches(f"{PRECIOUS}\n"),
                      lambda: prose.expects_app("app").value_in_output("#regex (precious).*", timeout=0.2)):
            with pytest.raises(ProseError, match=r"is a link, and zmqprose does not read through one"):
                check()
        apps.keep_run_folder()


def test_a_commands_output_is_not_read_through_a_link_it_left_for_it(outside: Path):
    with Prose(Settings({}), timeout=LONG) as prose:
        inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
        started = prose.using_shell().start(f"python -c {shlex.quote(SWAP_OWN_LOG)} {outside} sleep", "swapper")
        wait_until(lambda: started.out_path.is_symlink())
        with pytest.raises(ProseError, match=r"is a link, and zmqprose does not read through one"):
            prose.expects_command("swapper").output_contains(PRECIOUS, timeout=0.2)
        dying = prose.using_shell().start(f"python -c {shlex.quote(SWAP_ERR)} {outside}", "dying")
        with pytest.raises(ProseError) as failure:
            prose.expects_zmq_socket(inbox).receives_message(timeout=LONG)
        assert '"dying"' in str(failure.value) and PRECIOUS not in str(failure.value), str(failure.value)
        assert dying.process.returncode == 1


SWAP_ERR = ("import os, sys\n"
            "own = os.readlink('/proc/self/fd/2')\n"
            "os.unlink(own)\n"
            "os.symlink(sys.argv[1], own)\n"
            "sys.exit(1)\n")


def wait_until(done: Callable[[], bool]) -> None:
    """Another process makes the link: nothing to wait on but a look (bounded)."""
    deadline = time.monotonic() + LONG
    while not done():
        assert time.monotonic() < deadline, "the process did not make its link"
        time.sleep(0.02)


# -- why an app does not answer: it died, it is of another scenario ------------------------------------------------

SERVER_DIES = ["python", "-c", "import sys; print('server: cannot open its store', flush=True); sys.exit(3)"]


def test_a_wait_on_an_app_whose_death_was_noticed_says_it_died_not_that_it_was_not_started():
    """Once a wait had noticed the death, the next said "(server was not started in this run: add …)"."""
    settings = Settings({"server": {"start": SERVER_DIES, "command_port": 0, "ready": {"none": True}}})
    with AppSupervisor(settings) as apps, Prose(apps.settings, apps, timeout=LONG) as prose:
        apps.ensure_running("server")
        prose.using_zmq().connect("server's command port", "PULL")
        with pytest.raises(AppError, match=r"^server has died"):
            prose.expects_zmq_socket("server's command port").receives_message(timeout=LONG)
        with pytest.raises(WaitTimeout) as failure:
            prose.expects_zmq_socket("server's command port").receives_message(timeout=0.2)
        assert apps.why_not_answering("server") is not None
    message = str(failure.value)
    assert "not started" not in message, message
    assert re.search(r"\(server is not running: server \(pid \d+\) exited with code 3; last lines of \S+:\n"
                     r"    server: cannot open its store", message), message


def test_an_app_of_the_scenario_not_started_in_this_scenario_is_said_to_be_so():
    """An app of the scenario's own started by an earlier scenario was "not started in this run"."""
    settings = Settings({"server": {"scope": "scenario", "start": SERVER, "ready": {"log": "server up"}}})
    with AppSupervisor(settings) as apps:
        with Prose(apps.settings, apps, timeout=LONG):
            apps.ensure_running("server")
        with Prose(apps.settings, apps, timeout=LONG):
            assert apps.why_not_answering("server") == ("server was not started in this scenario (it is an app of "
                                                        "the scenario's own, which ends with it): add 'Given server "
                                                        "is running' before this step")
            with pytest.raises(AppError, match=r"^server has not been started in this scenario"):
                apps.latest("server")
            with pytest.raises(AppError, match=r"^cannot stop server: no step started it in this scenario"):
                apps.stop("server")


# -- a wait that times out names a peer of the scenario that ended with code 0 -----------------------------------

ONE_SHOT = ["python", "-c", "print('client: nothing to send', flush=True)"]
ENDED = r"\(client ended with code 0 (at|between) \+\d+\.\d s( and \+\d+\.\d s)?: it will not send more\)"


def one_shot(*arguments: str) -> Settings:
    return Settings({"client": {"scope": "scenario", "start": [*ONE_SHOT, *arguments], "ready": {"none": True}}})


def test_a_receive_that_times_out_says_that_the_client_handed_its_port_ended_with_code_0():
    with AppSupervisor(one_shot("${socket.inbox.port}")) as apps, \
            Prose(apps.settings, apps, timeout=LONG) as prose:
        inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
        other = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="other")
        apps.ensure_running("client")
        apps.process("client").wait(LONG)
        with pytest.raises(WaitTimeout) as failure:
            prose.expects_zmq_socket(inbox).receives_message(timeout=0.3)
        with pytest.raises(WaitTimeout) as elsewhere:
            prose.expects_zmq_socket(other).receives_message(timeout=0.3)
    assert re.search(ENDED, str(failure.value)), str(failure.value)
    assert "client ended" not in str(elsewhere.value), str(elsewhere.value)  # handed another port: not its cause


def test_a_receive_that_times_out_says_that_a_background_command_handed_its_address_ended_with_code_0():
    with Prose(Settings({}), timeout=LONG) as prose:
        inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
        endpoint = prose.interpolate("${socket.inbox.endpoint}")
        pump = prose.using_shell().start(f'python -c "print(1)" {endpoint}', "pump")
        pump.process.wait(LONG)
        with pytest.raises(WaitTimeout) as failure:
            prose.expects_zmq_socket(inbox).receives_message(timeout=0.3)
    assert re.search(r'\("pump" ended with code 0 (at|between) \+\d+\.\d s( and \+\d+\.\d s)?: it will not send '
                     r'more\)', str(failure.value)), str(failure.value)


def test_a_stubs_wait_fails_at_once_when_an_app_of_the_scenario_dies():
    """A stub's 'received … within' waited its whole time, then said only what it had not received."""
    settings = Settings({"client": {"scope": "scenario", "start": SERVER_DIES, "ready": {"none": True}}})
    with AppSupervisor(settings) as apps, Prose(apps.settings, apps, timeout=LONG) as prose:
        prose.using_zmq().stub("tcp://127.0.0.1:*", "REP", name="worker").answers("OK")
        apps.ensure_running("client")
        for wait in (lambda: prose.expects_stub("worker").received(["PING"], within=LONG),
                     lambda: prose.expects_stub("worker").received_count(1, within=LONG)):
            with pytest.raises(AppError, match=r"^client has died during the scenario: client \(pid \d+\) exited "
                                               r"with code 3"):
                wait()
            apps.ensure_running("client")  # started again, to die again


def test_a_stubs_wait_that_times_out_says_that_the_client_handed_its_port_ended_with_code_0():
    with AppSupervisor(one_shot("${socket.worker.port}")) as apps, \
            Prose(apps.settings, apps, timeout=LONG) as prose:
        prose.using_zmq().stub("tcp://127.0.0.1:*", "REP", name="worker").answers("OK")
        apps.ensure_running("client")
        apps.process("client").wait(LONG)
        with pytest.raises(ProseError) as failure:
            prose.expects_stub("worker").received(["PING"], within=0.3)
    assert re.search(ENDED, str(failure.value)), str(failure.value)


# -- the app's own log file, and zmqprose's log of what it prints --------------------------------------------------

OWN_LOG = ("import sys, time\n"
           "with open(sys.argv[1], 'w') as own:\n"
           "    print('a line of its own log', file=own, flush=True)\n"
           "    print('a line it printed', flush=True)\n"
           "    time.sleep(60)\n")


def test_an_app_that_writes_its_own_log_named_after_it_does_not_clash_with_what_zmqprose_keeps_of_its_output():
    """zmqprose kept the app's output in ${APP.folder}/APP.log: an app told to write its own log there truncated
    it and wrote into it, so its output checks saw lines it never printed (and lost lines it did)."""
    settings = Settings({"app": {"scope": "scenario", "start": ["python", "-c", OWN_LOG, "${app.folder}/app.log"],
                                 "ready": {"log": "a line it printed"}}})
    with AppSupervisor(settings) as apps, Prose(apps.settings, apps, timeout=LONG) as prose:
        apps.ensure_running("app")
        prose.expects_app("app").output_contains("a line it printed")
        prose.expects_app("app").output_does_not_contain("a line of its own log")
        prose.expects_file(prose.interpolate("${app.folder}/app.log")).contains("a line of its own log")
        prose.expects_file(prose.interpolate("${app.folder}/app.log")).does_not_contain("a line it printed")
        assert apps.latest("app").log_path.name == "app.zmqprose.log"


def test_a_files_entry_or_a_start_argument_that_names_zmqproses_log_of_the_app_is_refused(tmp_path: Path):
    (tmp_path / "t.ini").write_text("x\n")
    files = Settings({"app": {"start": SERVER, "files": {"app.zmqprose.log": "t.ini"}, "ready": {"none": True}}},
                     folder=tmp_path)
    with AppSupervisor(files) as apps, pytest.raises(AppError, match=re.escape(
            "cannot start app: app.files names app.zmqprose.log, the file zmqprose keeps app's output in: give the "
            "file another name")):
        apps.ensure_running("app")
    argument = Settings({"app": {"start": [*SERVER, "--log", "${app.folder}/app.zmqprose.log"],
                                 "ready": {"none": True}}})
    with AppSupervisor(argument) as apps, pytest.raises(AppError, match=r"^cannot start app: its start names \S+/app"
                                                                        r"\.zmqprose\.log, the file zmqprose keeps "
                                                                        r"app's output in: let app write its own "
                                                                        r"log under another name, e.g. "):
        apps.ensure_running("app")


def test_an_app_with_a_very_long_name_starts_with_a_log_name_of_bounded_length():
    """A name of 300 characters ended in 'its log … cannot be written: File name too long'."""
    name = "a" * 300
    settings = Settings({name: {"start": SERVER, "ready": {"log": "server up"}}})
    with AppSupervisor(settings) as apps, Prose(apps.settings, apps, timeout=LONG) as prose:
        apps.ensure_running(name)
        prose.expects_app(name).output_contains("server up")
        log = apps.latest(name).log_path
        assert len(log.name) < 100 and log.name.endswith(".zmqprose.log"), log.name


def test_a_file_of_the_app_that_names_zmqproses_log_of_it_is_refused(tmp_path: Path):
    (tmp_path / "app.ini").write_text("[log]\nfile = ${app.folder}/app.zmqprose.log\n")
    settings = Settings({"app": {"start": SERVER, "files": {"app.ini": "app.ini"}, "ready": {"none": True}}},
                        folder=tmp_path)
    with AppSupervisor(settings) as apps, pytest.raises(AppError, match=r"^cannot start app: app\.ini "
                                                                        r"\(app\.files\.app\.ini\), filled in, names "
                                                                        r"\S+/app\.zmqprose\.log, the file zmqprose "
                                                                        r"keeps app's output in: let app write its "
                                                                        r"own log under another name, e\.g\. "
                                                                        r"\$\{app\.folder\}/app\.log$"):
        apps.ensure_running("app")


# -- what the README says of a service that keeps state, and of #regex in a table cell ------------------------------

COUNTER = ("import sys, zmq\n"
           "sock = zmq.Context().socket(zmq.REP)\n"
           "sock.bind(f'tcp://127.0.0.1:{sys.argv[1]}')\n"
           "count = 0\n"
           "while True:\n"
           "    sock.recv()\n"
           "    count += 1\n"
           "    sock.send_string(str(count))\n")
ASKER = ("import sys, zmq\n"
         "sock = zmq.Context().socket(zmq.REQ)\n"
         "sock.connect(f'tcp://127.0.0.1:{sys.argv[1]}')\n"
         "sock.send(b'count')\n"
         "print('asker got', sock.recv().decode(), flush=True)\n")


def test_a_service_that_keeps_state_is_fresh_in_each_scenario_with_scope_scenario_and_another_app_uses_its_port():
    """README, Settings (scope): a stateful service of "scope": "scenario" starts fresh, on ports of its own, in each
    scenario; an app of the scenario started after it is handed its chosen port."""
    settings = Settings({
        "counter": {"scope": "scenario", "start": ["python", "-c", COUNTER, "${counter.request_port}"],
                    "request_port": 0},
        "asker": {"scope": "scenario", "start": ["python", "-c", ASKER, "${counter.request_port}"],
                  "ready": {"none": True}},
    })
    ports = []
    with AppSupervisor(settings) as apps:
        for _ in range(2):
            with Prose(apps.settings, apps, timeout=LONG) as prose:
                apps.ensure_running("counter")
                ports.append(apps.settings.setting("counter", "request_port"))
                apps.ensure_running("asker")
                prose.expects_app("asker").exits_with(0)
                prose.expects_app("asker").output_contains("asker got 1")  # a fresh counter: its first request
    assert ports[0] != ports[1]


def test_a_regex_in_a_table_cell_reads_as_the_readme_says():
    """README, Matching: behave reads '\\|' in a cell as '|' and keeps every other backslash as written (a quoted
    TEXT reads '\\\\' as one backslash): the same pattern is written differently in a cell and in quotes."""
    from behave.parser import parse_feature

    feature = parse_feature("Feature: f\n  Scenario: s\n    Given x\n      | frame |\n"
                            "      | #regex \\d+ |\n      | #regex a\\|b |\n      | #regex a\\\\|b |\n"
                            "      | #regex a\\nb |\n      | #regex a\\\\.b |\n")
    cells = [row["frame"] for row in feature.scenarios[0].steps[0].table.rows]
    assert cells == ["#regex \\d+", "#regex a|b", "#regex a\\|b", "#regex a\\nb", "#regex a\\\\.b"]
