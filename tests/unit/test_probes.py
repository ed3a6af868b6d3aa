"""Probes: an app that still answers (issue 28, item 5), with real processes and real sockets.

``is still running`` checks the process zmqprose started, no more. The
service here (``examples/front_and_worker.py``) is a ROUTER front end that
hands every request to a worker process: when the worker dies, the front end
lives on, and only the app's probe can tell that it answers no more.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from zmqprose import AppError, AppSupervisor, Prose, ProseError, Settings, SettingsError, WaitTimeout
from zmqprose.apps.ports import free_port
from zmqprose.checks.app import ExpectsApp

REPO = Path(__file__).resolve().parents[2]
SERVICE = str(REPO / "examples" / "front_and_worker.py")
JSON_PROBE = {"port": "front_port", "type": "REQ", "format": "JSON", "send": {"cmd": "ping"},
              "expect": {"ret": "#any", "worker": "#number"}}
FRAMES_PROBE = {"port": "front_port", "type": "REQ", "send": ["PING"], "expect": ["#regex P.NG"]}


def service(probe: Any = None, **settings: Any) -> dict[str, Any]:
    """The settings of the two-process service, with a probe."""
    return {"start": ["python", SERVICE, "tcp://127.0.0.1:${frontman.front_port}"], "front_port": 0,
            "probe": JSON_PROBE if probe is None else probe, **settings}


@pytest.fixture
def scenario(tmp_path: Path) -> Iterator[tuple[AppSupervisor, Prose]]:
    """A run whose only app is the two-process service (ready when its probe is answered), and a scenario."""
    settings = Settings({"frontman": service(ready={"probe": True}), "zmqprose": {"timeout": 2}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("frontman")
        yield apps, prose


def worker_pid(prose: Prose) -> int:
    """The pid of the service's worker process, as it printed it."""
    return int(prose.expects_app("frontman").value_in_output(r"#regex worker (\d+) ready"))


def test_a_service_whose_worker_died_is_still_running_but_no_longer_answers(scenario):
    _, prose = scenario
    expects = prose.expects_app("frontman")
    expects.still_answers()
    os.kill(worker_pid(prose), signal.SIGKILL)  # a process of the app's own group: the test's to end
    expects.is_running()  # the front end lives: all that `is still running` can see
    with pytest.raises(WaitTimeout) as failure:
        expects.still_answers(timeout=0.5)
    message = str(failure.value)
    assert message.startswith("frontman does not answer its probe: nothing arrived within 0.5 s")
    assert "frontman's probe (REQ to tcp://127.0.0.1:" in message
    assert 'frontman.front_port: JSON {"cmd": "ping"}' in message


def test_a_probe_of_frames_matches_with_markers(tmp_path):
    settings = Settings({"frontman": service(FRAMES_PROBE)})
    with AppSupervisor(settings, log_dir=tmp_path) as apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("frontman")
        prose.expects_app("frontman").still_answers(timeout=5)


@pytest.mark.parametrize(("probe", "words"), [
    ({**JSON_PROBE, "expect": {"ret": "pang", "worker": "#number"}},
     'frontman answered its probe wrongly: [JSON {"ret": "pong", "worker": '),
    ({**FRAMES_PROBE, "expect": ["PANG"]}, "frontman answered its probe wrongly: ['PONG'] on frontman's probe"),
])
def test_a_wrong_answer_is_shown_with_what_the_probe_expects(tmp_path, probe, words):
    settings = Settings({"frontman": service(probe)})
    with AppSupervisor(settings, log_dir=tmp_path) as apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("frontman")
        with pytest.raises(ProseError) as failure:
            prose.expects_app("frontman").still_answers(timeout=5)
    assert words in str(failure.value)
    assert "PANG" in str(failure.value) or "pang" in str(failure.value)


def test_an_app_that_died_does_not_answer_and_its_last_lines_are_shown(scenario):
    apps, prose = scenario
    front = apps.process("frontman")
    os.kill(front.pid, signal.SIGKILL)
    front.wait(5)
    with pytest.raises(AppError) as failure:
        prose.expects_app("frontman").still_answers(timeout=1)
    message = str(failure.value)
    assert message.startswith("frontman does not answer its probe: it is not running: frontman (pid ")
    assert "was killed by SIGKILL" in message
    assert "front end listening on tcp://127.0.0.1:" in message  # its last lines


def test_an_app_no_step_started_says_so_and_one_without_a_probe_says_how_to_give_it_one(tmp_path):
    settings = Settings({"frontman": service(), "bare": {"request_port": 1}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps, Prose(apps.settings, apps) as prose:
        with pytest.raises(AppError, match="frontman was not started in this run: add 'Given frontman is running'"):
            prose.expects_app("frontman").still_answers()
        with pytest.raises(ProseError, match='bare has no probe: give it a "probe" setting'):
            prose.expects_app("bare").still_answers()


def test_the_probe_checks_an_app_zmqprose_did_not_start_too(tmp_path):
    with AppSupervisor(Settings({"frontman": service()}), log_dir=tmp_path) as apps:
        apps.ensure_running("frontman")
        port = apps.settings.app("frontman")["front_port"]
        outside = Settings({"outside": {"front_port": port, "probe": JSON_PROBE}})
        with Prose(outside) as prose:
            prose.expects_app("outside").still_answers(timeout=5)
            ExpectsApp(prose.apps, "outside", 1).still_answers()  # a Python user's own: no scenario, no log


SLOW_TO_ANSWER = """
import sys, time, zmq
router = zmq.Context().socket(zmq.ROUTER)
router.bind(sys.argv[1])
router.recv_multipart()  # the first request is never answered
print("first request ignored", flush=True)
while True:
    peer, *rest = router.recv_multipart()
    print("answering", flush=True)
    router.send_multipart([peer, b"", b"PONG"])
"""


def test_ready_probe_waits_until_answered_asking_again_on_a_fresh_socket(tmp_path):
    """A REQ socket whose request got no answer cannot send again: each attempt at the start has its own."""
    app = {"start": ["python", "-c", SLOW_TO_ANSWER, "tcp://127.0.0.1:${slow.request_port}"], "request_port": 0,
           "ready": {"probe": True}, "probe": {**FRAMES_PROBE, "port": "request_port", "expect": ["PONG"]}}
    with AppSupervisor(Settings({"slow": app}), log_dir=tmp_path) as apps:
        apps.ensure_running("slow")
        assert apps.output("slow").contains("answering")  # printed before its first answer, which made it ready


def test_ready_probe_that_is_never_answered_stops_the_app_and_says_what_came(tmp_path):
    app = service({**JSON_PROBE, "expect": {"ret": "never"}}, ready={"probe": True}, start_timeout=1)
    with AppSupervisor(Settings({"frontman": app}), log_dir=tmp_path) as apps:
        with pytest.raises(AppError) as failure:
            apps.ensure_running("frontman")
        assert apps.current("frontman") is None
    message = str(failure.value)
    assert "frontman was not ready within 1 s (start_timeout): waited for frontman's probe (REQ to " in message
    assert 'the last attempt got [JSON {"ret": "pong", "worker": ' in message
    assert "at $.ret" in message


def test_ready_probe_of_an_app_that_dies_at_start_says_so_at_once(tmp_path):
    app = {"start": [sys.executable, "-c", "print('no worker today'); raise SystemExit(4)"], "request_port": 0,
           "ready": {"probe": True}, "probe": {**FRAMES_PROBE, "port": "request_port"}, "start_timeout": 30}
    died = r"quitter failed to start: quitter \(pid \d+\) exited with code 4"
    with AppSupervisor(Settings({"quitter": app}), log_dir=tmp_path) as apps, \
            pytest.raises(AppError, match=died) as failure:
        apps.ensure_running("quitter")
    assert "no worker today" in str(failure.value)


def test_a_probe_is_told_in_the_action_log(tmp_path):
    settings = Settings({"frontman": service()})
    with AppSupervisor(settings, log_dir=tmp_path) as apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("frontman")
        prose.expects_app("frontman").still_answers(timeout=5)
        log = prose.action_log()
    assert "connect REQ  tcp://127.0.0.1:" in log and "(frontman's probe)" in log
    assert 'recv_multi <- tcp://127.0.0.1:' in log and '[JSON {"ret": "pong", "worker": ' in log
    assert "close frontman's probe" in log


BAD_PROBES = [
    ("frontman", "a text", "frontman.probe must be an object"),
    ("frontman", {**JSON_PROBE, "timeout": 2}, "frontman.probe.timeout is not a setting of a probe"),
    ("frontman", {key: JSON_PROBE[key] for key in ("port", "type", "expect")}, 'frontman.probe has no "send"'),
    ("frontman", {**JSON_PROBE, "port": "front"}, "frontman.probe.port must name a port setting of frontman"),
    ("frontman", {**JSON_PROBE, "type": "PUSH"}, "frontman.probe.type must be one of REQ, DEALER, XREQ, PAIR"),
    ("frontman", {**JSON_PROBE, "format": 3}, "frontman.probe.format must be the name of a message format"),
    ("frontman", {**FRAMES_PROBE, "send": {"cmd": "ping"}}, "frontman.probe.send must be frames, a list of texts"),
    ("frontman", {**FRAMES_PROBE, "send": ["hex:zz"]}, "frontman.probe.send.0: "),
    ("frontman", {**FRAMES_PROBE, "expect": ["#regex (unclosed"]}, "frontman.probe.expect.0: bad pattern"),
    ("frontman", {**JSON_PROBE, "send": {"id": "${uuid}"}}, "frontman.probe.send.id holds ${…}"),
]


@pytest.mark.parametrize(("app", "probe", "words"), BAD_PROBES)
def test_a_bad_probe_is_named_when_the_settings_load(write_settings, app, probe, words):
    from zmqprose.settings import load_settings

    folder = write_settings(local={app: service(probe)})
    with pytest.raises(SettingsError) as failure:
        load_settings(folder, "local")
    assert words in str(failure.value)
    assert str(folder / "local.json") in str(failure.value)


def test_what_only_the_merged_settings_tell_is_named_when_they_are_read(write_settings):
    from zmqprose.settings import load_settings

    folder = write_settings(defaults={"frontman": {"probe": {**JSON_PROBE, "port": "ret_port"}}},
                            local={"frontman": {"front_port": 0}})
    with pytest.raises(SettingsError, match="frontman.probe.port names 'ret_port', which is not a setting of "
                                            "frontman; its port settings: front_port"):
        load_settings(folder, "local").app_settings("frontman")
    folder = write_settings(defaults={"frontman": {"probe": JSON_PROBE}}, local={"frontman": {"front_port": 0}})
    assert load_settings(folder, "local").app_settings("frontman").probe is not None  # probe and port in two files
    with pytest.raises(SettingsError, match=r'bare.ready is \{"probe": true\}, but bare has no "probe" setting'):
        Settings({"bare": {"request_port": 1, "ready": {"probe": True}}}).app_settings("bare")
    with pytest.raises(SettingsError, match=r'bare.ready must be one of .*\{"probe": true\}'):
        Settings({"bare": {"request_port": 1, "ready": {"probe": "yes"}}})


def bind_and_close_twice(port: int) -> None:
    """Two scenarios, one after the other, bind the same tcp port: the second can only if the first one's
    socket was closed by ZeroMQ in time."""
    for _ in range(2):
        with Prose(Settings({}), timeout=1) as prose:
            prose.using_zmq().bind(f"tcp://127.0.0.1:{port}", "PULL")


def test_a_probe_that_checks_an_app_leaves_later_sockets_of_the_run_free_to_close():
    """A probe's socket is closed and waited for as a scenario's are. It was closed and thrown away at once, its
    watch with it: ZeroMQ, which closes every socket of the run in one thread, then waited for ever to tell that
    watch the socket was gone, and closed no socket of the run again (a later scenario's port stayed held:
    'Address already in use'; its PULLs, never closed, kept taking their share of a PUSH's messages)."""
    settings = Settings({"outside": {"front_port": free_port(), "probe": FRAMES_PROBE}})  # nobody listens there
    for _ in range(5):
        with Prose(settings, timeout=1) as prose, pytest.raises(WaitTimeout):
            prose.expects_app("outside").still_answers(timeout=0.05)
        with pytest.raises(WaitTimeout):
            ExpectsApp(prose.apps, "outside", 0.05).still_answers()  # no scenario: a Python user's own
        bind_and_close_twice(free_port())


def test_a_probe_at_an_apps_start_leaves_later_sockets_of_the_run_free_to_close(tmp_path):
    app = {"start": [sys.executable, "-c", "import time; time.sleep(0.3); raise SystemExit(4)"], "request_port": 0,
           "ready": {"probe": True}, "probe": {**FRAMES_PROBE, "port": "request_port"}, "start_timeout": 30}
    with AppSupervisor(Settings({"quitter": app}), log_dir=tmp_path) as apps, pytest.raises(AppError):
        apps.ensure_running("quitter")  # probed a few times, unanswered, until it dies
    bind_and_close_twice(free_port())
