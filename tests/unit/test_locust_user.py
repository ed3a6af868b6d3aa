"""zmqprose's Locust users (zmqprose/locust.py), the load's statistics and checks, and the settings a worker reads.

Locust patches the standard library for gevent when it is imported, so every
Locust user here runs in a Python process of its own (:func:`run_users`): a
driver that runs Locust's local runner on a locustfile's users and prints, as
JSON, each request Locust was told of. The services they talk to are real:
the example dropper in a process of its own, sockets bound by the test.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import zmq
from zmq.utils.monitor import recv_monitor_message

from zmqprose import AppSupervisor, Prose, ProseError, Settings, SettingsError
from zmqprose.checks.load import ExpectsLoad
from zmqprose.load.handoff import SETTINGS_VARIABLE, SettingsSource, read_settings, write_settings
from zmqprose.load.run import LoadPlan, check_locust_installed
from zmqprose.load.statistics import LoadStatistics, statistics_from

REPO = Path(__file__).resolve().parents[2]
DRIVER = """
import json, sys, time
import gevent
from locust import events
from locust.env import Environment

{locustfile}

records = []

def record(request_type, name, response_time, response_length, exception=None, **_):
    records.append({{"type": request_type, "name": name, "ms": response_time, "length": response_length,
                    "error": None if exception is None else repr(exception)}})

events.request.add_listener(record)
environment = Environment(user_classes=[{users}], events=events)
runner = environment.create_local_runner()
runner.start({count}, spawn_rate=100)
deadline = time.monotonic() + 20
while len(records) < {wanted} and time.monotonic() < deadline:
    gevent.sleep(0.01)
runner.stop()
print(json.dumps(records), flush=True)
sys.stdin.readline()  # the test looks at what it wants while this process lives, then writes a line or closes stdin
runner.quit()
environment.events.quitting.fire(environment=environment, reverse=True)  # as Locust's own main does as it ends
print("quit", flush=True)
sys.stdin.read()  # the test looks again, then closes stdin
"""


def driver(tmp_path: Path, locustfile: str, users: str, wanted: int, settings: Settings,
           count: int = 1) -> subprocess.Popen[str]:
    """Start a process that runs ``users`` (class names of ``locustfile``) until Locust was told of ``wanted``
    requests (or 20 s went by), with ``settings`` handed over as the load step hands them."""
    script = tmp_path / "driver.py"
    script.write_text(DRIVER.format(locustfile=textwrap.dedent(locustfile), users=users, count=count, wanted=wanted))
    handed = write_settings(settings, tmp_path)
    return subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, SETTINGS_VARIABLE: str(handed)})


def records_of(process: subprocess.Popen[str]) -> list[dict[str, object]]:
    """The requests Locust was told of, once the driver has stopped its users (waiting 40 s at most)."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], 40)
    assert ready, "the driver printed nothing within 40 s"
    line = process.stdout.readline()
    assert line, process.stderr.read() if process.stderr else ""
    return list(json.loads(line))


def run_users(tmp_path: Path, locustfile: str, users: str, wanted: int, settings: Settings,
              count: int = 1) -> tuple[list[dict[str, object]], str]:
    """Run users to their end: the requests Locust was told of, and what the process printed on stderr."""
    process = driver(tmp_path, locustfile, users, wanted, settings, count)
    try:
        records = records_of(process)
        _, errors = process.communicate("", timeout=30)
    finally:
        process.kill()
        process.wait()
    return records, errors


@pytest.fixture
def dropper(tmp_path):
    """The example dropper, dropping every third request; the run's supervisor (its settings hold its port)."""
    settings = Settings({"zmqprose": {"timeout": 2}, "dropper": {
        "start": ["python", "examples/dropper.py", "tcp://127.0.0.1:${dropper.request_port}", "3"],
        "cwd": str(REPO), "ready": {"log": "^dropper listening"}, "request_port": 0, "host": "127.0.0.1"}})
    with AppSupervisor(settings, tmp_path / "run") as apps:
        apps.ensure_running("dropper")
        yield apps


PINGS = """
    import uuid
    from locust import constant, task
    from locust.exception import StopUser
    from zmqprose.locust import ZmqUser

    class Pings(ZmqUser):
        wait_time = constant(0)
        timeout = 0.3
        asked = 0

        def on_start(self):
            self.client.connect("dropper's request port", "REQ")

        @task
        def ping(self):
            if self.asked == 6:
                raise StopUser()
            self.asked += 1
            ping_id = uuid.uuid4().hex
            self.client.request("dropper's request port", ["PING", ping_id], expect=["PONG", ping_id], name="PING")
"""


def test_each_exchange_is_a_locust_request_and_a_failure_carries_zmqproses_message(tmp_path, dropper):
    records, errors = run_users(tmp_path, PINGS, "Pings", 6, dropper.settings)
    assert [record["type"] for record in records] == ["request"] * 6, errors
    assert {record["name"] for record in records} == {"PING"}
    failed = [index for index, record in enumerate(records) if record["error"]]
    assert failed == [2, 5], records  # the dropper's third and sixth; a REQ asks again after no answer
    address = f"tcp://127.0.0.1:{dropper.settings.setting('dropper', 'request_port')}"
    for index in failed:
        assert records[index]["error"] == f"nothing arrived on dropper's request port (REQ, {address}) within 0.3 s"
        assert records[index]["ms"] >= 300  # it waited its time
        assert records[index]["length"] == 0
    assert all(record["length"] == len(b"PONG") + 32 for record in records if not record["error"])
    assert "a request failed: nothing arrived on dropper's request port" in errors  # the whole message, logged
    assert "Traceback" not in errors


SLOW_AND_QUICK = """
    import gevent
    from locust import constant, task
    from locust.exception import StopUser
    from zmqprose.locust import ZmqUser

    class Slow(ZmqUser):
        wait_time = constant(0)
        fixed_count = 1

        def on_start(self):
            self.client.connect("tcp://127.0.0.1:{silent}", "REQ", name="silent")

        @task
        def wait_long(self):
            self.client.request("silent", ["PING"], name="slow", timeout=2)
            raise StopUser()

    class Quick(ZmqUser):
        wait_time = constant(0)
        fixed_count = 1

        def on_start(self):
            gevent.sleep(0.2)  # the slow user is waiting by now
            self.client.connect("dropper's request port", "REQ")

        @task
        def ping(self):
            self.client.request("dropper's request port", ["PING", "1"], name="quick", timeout=2)
"""


def test_a_users_wait_holds_up_neither_the_other_users_of_its_worker_nor_locust(tmp_path, dropper):
    with zmq.Context() as context, context.socket(zmq.ROUTER) as silent:  # takes requests, answers none
        port = silent.bind_to_random_port("tcp://127.0.0.1")
        records, errors = run_users(tmp_path, SLOW_AND_QUICK.replace("{silent}", str(port)), "Slow, Quick", 3,
                                    dropper.settings, count=2)
    names = [record["name"] for record in records]
    assert "slow" in names and "quick" in names, (records, errors)
    assert names.index("quick") < names.index("slow"), records  # the quick one went on while the slow one waited


CLOSER = """
    import gevent
    from locust import constant, task
    from zmqprose.locust import ZmqUser

    class Sender(ZmqUser):
        wait_time = constant(0)

        def on_start(self):
            self.client.connect("tcp://127.0.0.1:{port}", "DEALER", name="out")

        @task
        def hello(self):
            self.client.send("out", ["hello"])
            gevent.sleep(30)
"""


def test_a_users_sockets_are_closed_when_it_stops(tmp_path):
    with zmq.Context() as context, context.socket(zmq.ROUTER) as inbox:
        port = inbox.bind_to_random_port("tcp://127.0.0.1")
        monitor = inbox.get_monitor_socket(zmq.EVENT_DISCONNECTED)
        process = driver(tmp_path, CLOSER.replace("{port}", str(port)), "Sender", 1,
                         Settings({"zmqprose": {"timeout": 2}}))
        try:
            assert inbox.poll(20_000), "the user sent nothing"
            assert inbox.recv_multipart()[1:] == [b"hello"]
            records = records_of(process)  # the driver has stopped its user; the process lives on
            assert [record["name"] for record in records] == ["out"]
            assert monitor.poll(5_000), "the user's socket was still connected after the user stopped"
            assert recv_monitor_message(monitor)["event"] == zmq.EVENT_DISCONNECTED
            assert process.poll() is None  # closed by the user's stop, not by the end of the process
        finally:
            process.kill()
            process.wait()
            inbox.disable_monitor()
            monitor.close()


STUCK = """
    import gevent
    from locust import constant, task
    from zmqprose.locust import ZmqUser

    class Stuck(ZmqUser):
        wait_time = constant(0)

        def on_start(self):
            self.client.connect("tcp://127.0.0.1:{port}", "DEALER", name="out")

        @task
        def ask(self):
            self.client.send("out", ["hello"])
            self.client.receive("out", name="answer", timeout=600)  # nobody answers: it waits when the user stops

    class StuckOwnStop(Stuck):
        def on_stop(self):  # an on_stop of its own, without super().on_stop(): Locust's quit closes its client
            pass
"""


def stuck_user(tmp_path: Path, users: str) -> tuple[subprocess.Popen[str], zmq.Socket[bytes], zmq.Socket[bytes]]:
    """A process whose user waits in an exchange nobody answers (a DEALER connected to the ROUTER ``inbox`` the
    test binds) when the driver stops it; the process, the inbox, and a monitor of the inbox's disconnections."""
    context = zmq.Context.instance()
    inbox = context.socket(zmq.ROUTER)
    port = inbox.bind_to_random_port("tcp://127.0.0.1")
    monitor = inbox.get_monitor_socket(zmq.EVENT_DISCONNECTED)
    process = driver(tmp_path, STUCK.replace("{port}", str(port)), users, 1, Settings({"zmqprose": {"timeout": 2}}))
    assert inbox.poll(20_000), "the user sent nothing"
    return process, inbox, monitor


def test_a_user_stopped_mid_exchange_is_stopped_at_once_its_own_thread_closing_its_sockets(tmp_path):
    """Stopping a user waits neither for its exchange's whole wait nor for ever: the wait ends at its next look at
    its peer, and the user's thread closes the socket (the only thread that uses it) before the stop returns."""
    process, inbox, monitor = stuck_user(tmp_path, "Stuck")
    try:
        records = records_of(process)  # printed once the driver's stop of its user has returned
        assert [record["name"] for record in records] == ["out"]
        assert monitor.poll(0), "the user's socket was still connected when its stop returned"
        assert recv_monitor_message(monitor)["event"] == zmq.EVENT_DISCONNECTED
        assert process.poll() is None  # closed by the user's stop, not by the end of the process
        _, errors = process.communicate("", timeout=30)
    finally:
        process.kill()
        process.wait()
        inbox.disable_monitor()
        monitor.close()
        inbox.close()
    assert process.returncode == 0, errors
    assert "still waits" not in errors and "Traceback" not in errors, errors


def test_locusts_quit_has_the_thread_of_a_user_that_did_not_close_its_client_close_it_before_the_process_ends(
        tmp_path):
    process, inbox, monitor = stuck_user(tmp_path, "StuckOwnStop")
    try:
        records_of(process)
        assert not monitor.poll(500), "the user's socket was closed though nothing closed its client"
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("quit\n")  # the driver quits Locust, which fires its quitting event
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], 40)
        assert ready and process.stdout.readline() == "quit\n", "Locust's quit did not return within 40 s"
        assert monitor.poll(0), "Locust's quit returned with the user's socket still connected"
        assert recv_monitor_message(monitor)["event"] == zmq.EVENT_DISCONNECTED
        _, errors = process.communicate("", timeout=30)
        assert process.returncode == 0, errors
    finally:
        process.kill()
        process.wait()
        inbox.disable_monitor()
        monitor.close()
        inbox.close()
    assert "still waited" not in errors and "Traceback" not in errors, errors


PUMP = """
    from zmqprose.locust import PushingUser

    class Pump(PushingUser):
        endpoint = "{address}"
        rate = 20000
        count = 3000
        size = 100
"""


def test_a_pushing_user_pushes_its_count_numbered_so_that_a_pull_counts_every_one(tmp_path, prose):
    sink = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="sink")
    process = driver(tmp_path, PUMP.replace("{address}", sink.addresses[-1]), "Pump", 2,
                     Settings({"zmqprose": {"timeout": 2}}))
    try:
        tally = prose.from_zmq_socket(sink).pull(3000, 20)
        records = records_of(process)
    finally:
        process.kill()
        process.wait()
    assert (tally.unique, tally.duplicates, tally.out_of_order, len(tally.pushes)) == (3000, 0, 0, 1)
    assert [(record["type"], record["length"], record["error"]) for record in records] == [
        ("push", 2000 * 100, None), ("push", 1000 * 100, None)]  # a tenth of a second's messages a request


SECURE = """
    from locust import constant, task
    from locust.exception import StopUser
    from zmqprose.locust import CurveRequest, ZmqUser

    class Secure(ZmqUser):
        wait_time = constant(0)

        def on_start(self):
            self.client.connect("vault's control port", "REQ", curve=CurveRequest())

        @task
        def ping(self):
            self.client.request("vault's control port", ["PING", "7"], expect=["PONG", "7"], name="PING")
            raise StopUser()
"""


def test_a_user_talks_curve_to_an_app_whose_public_key_alone_the_settings_give(tmp_path):
    public, secret = zmq.curve_keypair()  # the secret key stays with the service, never in a worker's settings
    with zmq.Context() as context, context.socket(zmq.REP) as vault:
        vault.curve_server, vault.curve_publickey, vault.curve_secretkey = True, public, secret
        port = vault.bind_to_random_port("tcp://127.0.0.1")
        settings = Settings({"vault": {"host": "127.0.0.1", "control_port": port,
                                       "curve": {"public_key": public.decode()}}})
        process = driver(tmp_path, SECURE, "Secure", 1, settings)
        try:
            assert vault.poll(20_000), "no request came through CURVE"
            assert vault.recv_multipart() == [b"PING", b"7"]
            vault.send_multipart([b"PONG", b"7"])
            records = records_of(process)
        finally:
            process.kill()
            process.wait()
    assert [(record["name"], record["error"]) for record in records] == [("PING", None)]


def test_an_app_zmqprose_starts_still_needs_its_whole_curve_pair_and_the_settings_say_so():
    public, _ = zmq.curve_keypair()
    with pytest.raises(SettingsError, match=r'vault\.curve must be "generate" or \{"public_key": "…", "secret_key": '
                                            r'"…"\} \(40 characters'):
        Settings({"vault": {"start": ["python", "-m", "ogre"], "curve": {"public_key": public.decode()}}})
    with pytest.raises(SettingsError, match=r'or \{"public_key": "…"\} alone \(a server zmqprose does not start\)'):
        Settings({"vault": {"curve": {"public_key": public.decode(), "token": "x"}}})


UNKNOWN = """
    from locust import constant, task
    from zmqprose.locust import ZmqUser

    class Lost(ZmqUser):
        wait_time = constant(0)

        def on_start(self):
            self.client.connect("ogre's comand port", "PUSH")

        @task
        def nothing(self):
            pass
"""


def test_a_user_whose_endpoint_is_not_in_the_settings_counts_a_failure_naming_the_settings_it_read(tmp_path):
    settings = Settings({"ogre": {"host": "127.0.0.1", "command_port": 5555}}, env="lab", source="lab.json")
    records, errors = run_users(tmp_path, UNKNOWN, "Lost", 1, settings)
    assert [(record["type"], record["name"]) for record in records] == [("connect", "ogre's comand port")]
    assert str(records[0]["error"]).startswith("no setting for \"ogre's comand port\" in environment 'lab'")
    assert "a Locust worker reads the settings of environment 'lab'" in errors


# -- the settings a worker reads -----------------------------------------------------------


def test_a_worker_reads_the_scenarios_settings_as_they_are_without_starting_anything(tmp_path, dropper):
    handed = write_settings(dropper.settings, tmp_path)
    read = SettingsSource(str(handed)).load()
    port = dropper.settings.setting("dropper", "request_port")
    assert port != 0 and read.setting("dropper", "request_port") == port  # the free port chosen for the scenario
    assert read.app_settings("dropper").start is None  # the worker's users never start an app
    assert read.env == "local" and str(handed) in read.source


def test_handed_over_settings_keep_their_secrets_masked_in_the_worker(tmp_path):
    handed = write_settings(Settings({"vault": {"api_token": "s3cr3t-t0ken-for-locust", "port": 1}}), tmp_path)
    from zmqprose.wire.masking import mask_text

    read = read_settings(handed)
    assert read.setting("vault", "api_token") == "s3cr3t-t0ken-for-locust"
    assert "s3cr3t-t0ken-for-locust" not in mask_text("the token is s3cr3t-t0ken-for-locust")


def test_settings_that_cannot_be_read_name_the_file_and_who_writes_them(tmp_path):
    broken = tmp_path / "settings.json"
    broken.write_text('{"settings": [1]}')
    with pytest.raises(SettingsError, match=r"the settings handed to this Locust process in .*settings\.json "
                                            r"\(ZMQPROSE_SETTINGS\) cannot be read .*zmqprose's load step writes them"):
        read_settings(broken)
    with pytest.raises(SettingsError, match=r"cannot read the settings handed .* No such file"):
        read_settings(tmp_path / "missing.json")


def test_a_worker_started_by_hand_reads_the_environment_its_variables_name(tmp_path, write_settings):
    folder = write_settings(lab={"ogre": {"host": "10.0.0.7", "command_port": 5555, "start": ["python", "-m", "ogre"]}})
    source = SettingsSource.from_environ({"ZMQPROSE_ENVIRONMENTS": str(folder), "ZMQPROSE_ENV": "lab"})
    read = source.load()
    assert read.env == "lab" and read.setting("ogre", "command_port") == 5555
    assert read.app_settings("ogre").start is None
    assert SettingsSource.from_environ({}) == SettingsSource(None, "environments", "local")


# -- Locust's statistics, and the checks that read them ------------------------------------------------


def entry(name: str, requests: int, failures: int, p95: float = 12) -> dict[str, object]:
    percentiles = {"50%": 2, "66%": 3, "75%": 4, "80%": 5, "90%": 8, "95%": p95, "98%": 20, "99%": 30,
                   "99.9%": 40, "99.99%": 50, "100%": 60} if requests else {}
    return {"type": "request" if name != "Aggregated" else "", "name": name, "requests": requests,
            "failures": failures, "median": 2, "average": 3.5, "min": 0.2, "max": 60, "average_size": 36,
            "requests_per_second": 180.5, "failures_per_second": 1.5, "percentiles": percentiles}


def statistics(requests: int = 545, failures: int = 50, p95: float = 12) -> LoadStatistics:
    return statistics_from({
        "total": entry("Aggregated", requests, failures, p95), "entries": [entry("PING", requests, failures, p95)],
        "failures": [{"type": "request", "name": "PING", "occurrences": failures,
                      "error": "nothing arrived on dropper's request port (REQ, tcp://127.0.0.1:5555) within 0.25 s"}],
    })


def test_a_failure_ratio_above_the_limit_fails_showing_locusts_statistics_table():
    with pytest.raises(ProseError) as failed:
        ExpectsLoad(statistics()).failure_ratio_at_most(1)
    message = str(failed.value)
    assert message.startswith("50 of the load's 545 requests failed (9.17%), more than 1%\n")
    assert "Locust's statistics of the load:" in message
    assert "Aggregated" in message and "50(9.17%)" in message
    assert "Response time percentiles (approximated, ms):" in message
    assert "50  request PING: nothing arrived on dropper's request port" in message
    ExpectsLoad(statistics()).failure_ratio_at_most(10)


def test_the_checks_read_the_requests_and_the_percentiles_locust_reported():
    ExpectsLoad(statistics()).made_at_least(545)
    with pytest.raises(ProseError, match=r"^the load made 545 requests, fewer than 1,000\n"):
        ExpectsLoad(statistics()).made_at_least(1000)
    assert ExpectsLoad(statistics(p95=12)).percentile_at_most(95, 12) == 12
    with pytest.raises(ProseError, match=r"^the load's 95th percentile response time was 250 ms, more than 20 ms\n"):
        ExpectsLoad(statistics(p95=250)).percentile_at_most(95, 20)
    with pytest.raises(ProseError, match=r"Locust reports the percentiles 50, 66, 75, 80, 90, 95, 98, 99, 99\.9, "
                                         r"99\.99, 100 of a load's response times; 97 is not one of them"):
        ExpectsLoad(statistics()).percentile_at_most(97, 20)


def test_a_load_that_made_no_request_has_no_ratio_and_no_percentile_and_says_so():
    empty = statistics(requests=0, failures=0)
    with pytest.raises(ProseError, match="^the load made no request, so it has no failure ratio"):
        ExpectsLoad(empty).failure_ratio_at_most(1)
    with pytest.raises(ProseError, match="^the load made no request, so it has no 95th percentile"):
        ExpectsLoad(empty).percentile_at_most(95, 20)
    with pytest.raises(ProseError, match="^no load was run in this scenario: write 'When I run a load of"):
        ExpectsLoad(None).made_at_least(1)


def test_a_report_that_is_not_one_is_refused_by_name(tmp_path):
    from zmqprose.load.statistics import read_report

    (tmp_path / "statistics.json").write_text('{"total": {"requests": -1}}')
    with pytest.raises(ProseError, match=r"the load's statistics in .*statistics\.json cannot be read"):
        read_report(tmp_path / "statistics.json")
    with pytest.raises(ProseError, match="Locust's master ended without writing the load's statistics"):
        read_report(tmp_path / "none.json")


# -- the load run -------------------------------------------------------------------------------


def test_a_load_is_planned_in_whole_seconds_from_a_locustfile_that_is_there(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ping.py").write_text("")
    with pytest.raises(ProseError, match='there is no locustfile "pong.py" .*relative to the folder behave runs in'):
        LoadPlan("pong.py", 5, 2, 3).checked()
    with pytest.raises(ProseError, match=r"a load lasts whole seconds \(Locust's --run-time\), not 2\.5 s"):
        LoadPlan("ping.py", 5, 2, 2.5).checked()
    with pytest.raises(ProseError, match="the number of Locust workers of a load must be a whole number from 1"):
        LoadPlan("ping.py", 5, 0, 3).checked()
    assert LoadPlan("ping.py", 5, 2, 3).checked().workers == 2


def test_without_locust_a_load_names_the_extra_to_install(monkeypatch):
    import importlib.util

    found = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *more: None if name == "locust" else
                        found(name, *more))
    with pytest.raises(ProseError, match=r'Locust, which is not installed: pip install "zmqprose\[locust\]"'):
        check_locust_installed()


def test_a_locustfile_that_breaks_fails_the_load_at_once_with_what_locust_printed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "broken.py").write_text("raise RuntimeError('broken on purpose')\n")
    with AppSupervisor(Settings({}), tmp_path / "run") as apps, Prose(apps=apps) as prose, \
            pytest.raises(ProseError) as failed:
        prose.run_load("broken.py", 2, 1, 3)
    assert "exited with code 1 before" in str(failed.value)
    assert "broken on purpose" in str(failed.value)


def test_importing_the_steps_or_the_prose_api_imports_neither_locust_nor_gevent():
    code = ("import sys, zmqprose, zmqprose.steps; "
            "print(sorted(name for name in ('locust', 'gevent', 'zmqprose.locust') if name in sys.modules))")
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert ran.stdout.strip() == "[]", ran.stderr
