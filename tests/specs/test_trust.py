"""A green run is true, and a run harms nothing outside itself (issue: trust).

Each test here failed before its fix: a check satisfied by stale output, a
signature left unchecked, a group signalled after it was gone, a file
written through a link, a secret shown, an expansion without end.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from test_faults import FAULTS, behave, step_seconds
from test_processes import Run, nothing_left

from zmqprose import AppError, AppSupervisor, Prose, ProseError, Settings, SettingsError, WaitTimeout
from zmqprose.apps.ports import free_port
from zmqprose.checks.matchers import fail_with, matches_json
from zmqprose.stubs import stub as stub_module
from zmqprose.wire.format_registry import FormatContext, decode_value
from zmqprose.wire.format_registry import get as get_format
from zmqprose.wire.frames import show_frame
from zmqprose.wire.masking import MASK, mask_text, remember_secrets
from zmqprose.wire.matching import frame_matches, json_difference, shorten_json


def test_output_of_an_earlier_process_or_scenario_never_satisfies_a_check():
    code, output, _ = behave("stale_output")
    assert code != 0 and "Traceback" not in output, output
    assert "1 scenario passed, 2 failed" in output, output
    assert output.count("sayer's output does not contain 'first start'") == 2, output
    assert step_seconds(output, "When I restart sayer") >= 1.0  # ready when the new process says so, not before


def test_a_daemon_that_left_its_group_is_gone_after_a_passing_run(tmp_path):
    run = Run(tmp_path, "passes", feature="daemonizing", app="daemonizing")
    daemon = run.app_group()
    assert run.ends() == 0, run.text()
    assert nothing_left(run.marker) == [], f"the daemon {daemon} outlived the run:\n{run.text()}"


@pytest.mark.parametrize("ending", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_daemon_that_left_its_group_is_gone_after_an_interrupted_or_killed_run(tmp_path, ending):
    run = Run(tmp_path, "waits", feature="daemonizing", app="daemonizing")
    run.app_group()
    run.process.send_signal(ending)
    run.ends()
    assert nothing_left(run.marker) == [], run.text()


@pytest.mark.skipif(shutil.which("unshare") is None, reason="no unshare(1) to make a pid namespace")
def test_no_unrelated_process_is_signalled_when_an_id_is_used_again(tmp_path):
    probe = subprocess.run(["unshare", "-pf", "--mount-proc", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no pid namespace here: {probe.stderr.decode().strip()}")
    result = subprocess.run(["unshare", "-pf", "--mount-proc", sys.executable, str(FAULTS / "apps" / "pid_reuse.py"),
                             str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "untouched", result.stdout + result.stderr


# -- false passes: signatures and JSON -------------------------------------------

def signed(key: bytes, msg_type: str = "status") -> list[bytes]:
    from jupyter_client.session import Session

    session = Session(key=key, session="trust-test", username="test")
    return [bytes(frame) for frame in session.serialize(session.msg(msg_type, content={"state": "idle"}))]


def test_a_signed_jupyter_message_where_no_key_is_known_fails_saying_so(prose):
    listener = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="listener")
    sender = prose.using_zmq().connect(prose.socket(listener).bound["tcp://127.0.0.1:*"], "PUSH")
    prose.using_zmq().send_multi(sender, signed(b"a key the spec does not know"))
    with pytest.raises(ProseError, match="signed, but no key is known for this socket"):
        prose.expects_zmq_socket(listener).receives_value({"header": {"msg_type": "status"}}, "Jupyter",
                                                          subset=True)


def test_a_replayed_signature_is_refused_and_a_wrong_key_fails():
    port = free_port()
    settings = Settings({"kernel": {"key": "the-kernel-key", "iopub_port": port}, "zmqprose": {"timeout": 2}})
    with Prose(settings) as prose:
        iopub = prose.using_zmq().bind("kernel's iopub port", "PULL")
        sender = prose.using_zmq().connect(f"tcp://127.0.0.1:{port}", "PUSH")
        message = signed(b"the-kernel-key")
        expected = {"header": {"msg_type": "status"}}
        for frames in (message, message, signed(b"another key")):
            prose.using_zmq().send_multi(sender, frames)
        prose.expects_zmq_socket(iopub).receives_value(expected, "Jupyter", subset=True)
        with pytest.raises(ProseError, match="is a replay"):
            prose.expects_zmq_socket(iopub).receives_value(expected, "Jupyter", subset=True)
        with pytest.raises(ProseError, match="signature does not check out"):
            prose.expects_zmq_socket(iopub).receives_value(expected, "Jupyter", subset=True)


@pytest.mark.parametrize(("frame", "words"), [
    (b'{"status": "error", "status": "ok"}', 'the key "status" appears twice in one object'),
    (b'{"load": NaN}', "NaN is not a number in JSON"),
    (b'[Infinity]', "Infinity is not a number in JSON"),
    (b"1" * 5000, "it holds a whole number over Python's limit of 4300 digits"),
])
def test_json_that_python_would_take_but_is_not_json_is_refused_naming_the_frame(frame, words):
    with pytest.raises(ProseError, match="the message from x is refused as JSON: " + re.escape(words)):
        decode_value(get_format("JSON"), [frame], FormatContext(), "the message from x")


def test_a_frame_nested_past_reading_is_simply_not_a_number():
    assert not frame_matches("#number", b"[" * 100_000)
    assert frame_matches("#string", b"[" * 100_000)


def test_msgpack_extension_types_show_as_json():
    msgpack = pytest.importorskip("msgpack")
    frame = msgpack.packb([msgpack.Timestamp(1_700_000_000), msgpack.ExtType(5, b"ab")])
    value = decode_value(get_format("msgpack"), [frame], FormatContext(), "x")
    assert value == ["2023-11-14T22:13:20Z", {"ext": 5, "data": "hex:6162"}]
    assert json_difference(["#string", {"ext": 5}], value, subset=True) is None
    with pytest.raises(ProseError, match="not the one expected"):  # a report of it is a report, not a TypeError
        fail_with(value, matches_json([1]), "the msgpack from x is not the one expected")


# -- secrets -----------------------------------------------------------------------

SECRET = 'pa"ss\\word-é-42'


def test_a_secret_is_masked_in_every_encoding_zmqprose_writes():
    remember_secrets([SECRET])
    raw = SECRET.encode()
    for shown in (json.dumps(SECRET), json.dumps(SECRET, ensure_ascii=False), repr(SECRET), raw.hex(),
                  base64.b64encode(raw).decode(), base64.b64encode(b"x" + raw + b"y").decode(),
                  base64.b64encode(b"xy" + raw).decode()):
        masked = mask_text(f"before {shown} after")
        assert MASK in masked and shown not in masked, shown
    assert raw.hex() not in show_frame(b"id:" + raw, 400)


def test_a_json_report_masks_before_it_shortens():
    remember_secrets(["tok-abcdefghijklmnop"])
    shown = shorten_json({"pad": "x" * 40, "token": "tok-abcdefghijklmnop"}, 60)
    assert "tok-abc" not in shown


def test_a_secret_setting_that_refers_to_another_is_masked_as_filled_in():
    settings = Settings({"vault": {"root": "the-real-root-secret", "api_token": "${vault.root}"}})
    assert mask_text("token the-real-root-secret") == f"token {MASK}"  # masked while its run's settings live
    assert settings.lookup("vault.api_token") == "the-real-root-secret"


@pytest.mark.parametrize(("app", "words"), [
    ({"start": ["app"], "env": {"A=B": "s3cr3t-in-env"}}, "app.env has a variable named 'A=B'"),
    ({"start": ["app", {"token": "s3cr3t-in-start"}]}, "app.start.1 is an object (keys: token)"),
    ({"start": "s3cr3t-in-a-string-start --token s3cr3t-in-a-string-start"}, "app.start must be a list"),
    ({"env": ["TOKEN=s3cr3t-in-a-list"]}, "app.env must be an object of environment variables"),
])
def test_settings_errors_name_key_and_kind_never_values(app, words):
    with pytest.raises(SettingsError) as failure:
        Settings({"app": app})
    assert words in str(failure.value) and "s3cr3t" not in str(failure.value)


def test_a_pytest_failure_masks_secrets_in_its_message(tmp_path):
    subprocess.run([sys.executable, "-m", "zmqprose", "init"], cwd=tmp_path, capture_output=True, check=True)
    settings = json.loads((tmp_path / "environments" / "local.json").read_text())
    settings["echo"]["api_token"] = "tok-visible-only-as-dots"
    (tmp_path / "environments" / "local.json").write_text(json.dumps(settings))
    (tmp_path / "test_secret.py").write_text(
        "def test_the_token(prose):\n"
        "    token = prose.settings.app('echo')['api_token']\n"
        "    assert token == 'something else', f'the token was {token}'\n")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert "1 failed" in output and "the token was" in output, output
    assert "tok-visible" not in output, output


# -- bounds ----------------------------------------------------------------------

def test_settings_that_refer_to_each_other_expand_once_and_within_bounds():
    doubling = {f"s{n}": f"${{app.s{n - 1}}}${{app.s{n - 1}}}" for n in range(1, 41)}
    settings = Settings({"app": {"s0": "x", **doubling}})
    with pytest.raises(SettingsError, match="the setting app.s.* expands to .* characters, more than"):
        settings.lookup("app.s40")
    assert settings.lookup("app.s10") == "x" * 1024
    chain = {f"c{n}": f"${{app.c{n - 1}}}" for n in range(1, 600)}
    with pytest.raises(SettingsError, match="more than 50 deep"):
        Settings({"app": {"c0": 7, **chain}}).lookup("app.c599")
    assert Settings({"app": {"c0": 7, **chain}}).lookup("app.c40") == 7  # a lone reference keeps its type


def test_a_backtracking_ready_pattern_is_stopped_by_its_time_bound(tmp_path):
    code = "import time; print('a' * 60 + 'b', flush=True); time.sleep(60)"
    settings = Settings({"app": {"start": ["python", "-c", code], "ready": {"log": "(a|aa)+$"},
                                 "start_timeout": 120}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps, pytest.raises(AppError, match="took over 1 s on one line"):
        apps.ensure_running("app")


def test_command_folders_are_counted_not_probed_and_stay_in_the_run(tmp_path):
    apps = AppSupervisor(Settings({}), log_dir=tmp_path)
    made = [apps.new_folder("command-x") for _ in range(10_001)]
    assert made[-1].name == "command-x-10001"
    assert apps.new_folder("command-../../escape").parent == tmp_path


# -- files -----------------------------------------------------------------------

def test_a_template_is_never_written_through_a_link_the_app_left(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("precious")
    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "app.ini").write_text("port ${app.port} home $${HOME}")
    script = ("import os, sys, time\n"
              "if not os.path.exists(sys.argv[2] + '.once'):  # the first process leaves a link where its file was\n"
              "    open(sys.argv[2] + '.once', 'w').close()\n"
              "    os.remove(sys.argv[2])\n"
              "    os.symlink(sys.argv[1], sys.argv[2])\n"
              "time.sleep(60)\n")
    settings = Settings({"app": {"start": ["python", "-c", script, str(outside), "${app.folder}/app.ini"],
                                 "port": 7, "files": {"app.ini": "app.ini"}, "ready": {"none": True}}},
                        folder=tmp_path / "settings")
    with AppSupervisor(settings, log_dir=tmp_path / "run") as apps:
        apps.ensure_running("app")
        link = tmp_path / "run" / "app" / "app.ini"
        deadline = time.monotonic() + 10
        while not link.is_symlink() and time.monotonic() < deadline:
            time.sleep(0.05)  # the app makes the link: nothing to wait on but a look
        (tmp_path / "run" / "app" / "app.zmqprose.log").unlink()
        (tmp_path / "run" / "app" / "app.zmqprose.log").symlink_to(outside)
        with pytest.raises(AppError, match="its log .* cannot be written"):
            apps.restart("app")
        (tmp_path / "run" / "app" / "app.zmqprose.log").unlink()
        apps.ensure_running("app")
        assert outside.read_text() == "precious"
        assert not link.is_symlink() and link.read_text() == "port 7 home ${HOME}"


def test_zmqprose_init_writes_through_no_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / "features").symlink_to(outside)
    (project / "environment.py").symlink_to(tmp_path / "nowhere.py")  # dangling
    made = subprocess.run([sys.executable, "-m", "zmqprose", "init"], cwd=project, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert "left  environment.py (it exists)" in made.stdout
    assert "left  features/echo.feature (features is a link" in made.stdout
    assert list(outside.iterdir()) == [] and not (tmp_path / "nowhere.py").exists()


# -- stubs -----------------------------------------------------------------------

def test_a_stub_counts_everything_but_keeps_only_the_last_messages(prose, monkeypatch):
    monkeypatch.setattr(stub_module, "KEPT_MESSAGES", 100)
    monkeypatch.setattr(stub_module.Received.__init__, "__defaults__", (100, stub_module.KEPT_BYTES))
    stub = prose.using_zmq().stub("tcp://127.0.0.1:*", "PULL", name="sink")
    pusher = prose.using_zmq().connect(stub.sock.bound["tcp://127.0.0.1:*"], "PUSH")
    for number in range(150):
        prose.using_zmq().send(pusher, f"m{number}")
    prose.expects_stub("sink").received_count(150, within=5)
    prose.expects_stub("sink").received(["m149"])
    with pytest.raises(ProseError, match="150 in all, of which the first 50 are no longer kept"):
        prose.expects_stub("sink").received(["m0"])
    assert len(stub.messages()) == 100


def test_a_stub_thread_busy_past_the_scenarios_end_closes_its_own_socket(monkeypatch):
    monkeypatch.setattr(stub_module, "STOP_WAIT", 0.1)
    release = threading.Event()
    prose = Prose(Settings({"zmqprose": {"timeout": 2}}))
    stub = prose.using_zmq().stub("tcp://127.0.0.1:*", "REP", name="busy")
    monkeypatch.setattr(stub, "_answer", lambda *args: release.wait(10))
    client = prose.using_zmq().connect(stub.sock.bound["tcp://127.0.0.1:*"], "REQ")
    prose.using_zmq().send(client, "hold on")
    assert stub.wait_for_count(1, 5)
    prose.close()  # the stub's thread is still in its answer: its socket must not be closed under it
    assert not stub.sock.zmq.closed
    release.set()
    stub._thread.join(5)
    assert stub.sock.zmq.closed


# -- messages --------------------------------------------------------------------

def test_a_z85_key_that_does_not_decode_is_refused_when_the_settings_load():
    with pytest.raises(SettingsError, match=r"vault\.curve\.public_key is not a CURVE key: .* but does not decode"):
        Settings({"vault": {"curve": {"public_key": "#" * 40, "secret_key": "#" * 40}}})


def test_a_command_is_named_once_and_shown_as_it_ran(prose):
    prose.checkpoint.set("word", "filled-in")
    with pytest.raises(WaitTimeout) as failure:
        prose.using_shell().run(["python", "-c", "import time; time.sleep(30)",
                                 prose.interpolate_text("${checkpoint.word}")], 0.3)  # the API fills in nothing itself
    message = str(failure.value)
    assert message.startswith("the command (") and "the command the command" not in message
    assert "filled-in" in message and "${" not in message
