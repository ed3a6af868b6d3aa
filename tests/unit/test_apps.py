"""Starting, checking and stopping apps under test, with Ogre and with apps that misbehave."""

import re
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from zmqprose import AppError, AppSupervisor, Prose, ProseError, Settings, SettingsError, WaitTimeout
from zmqprose.apps.ports import free_port, free_ports
from zmqprose.checks.app import ExpectsApp

REPO = Path(__file__).resolve().parents[2]

OGRE_PORTS = ("command", "response", "control", "event", "pipeline_input", "pipeline_output")


def ogre_settings(**overrides):
    start = ["python", "-m", "ogre"]
    for port in OGRE_PORTS:
        start += [f"--{port.replace('_', '-')}", f"tcp://127.0.0.1:${{ogre.{port}_port}}"]
    ogre = {"start": start, "cwd": str(REPO), **{f"{port}_port": 0 for port in OGRE_PORTS}, **overrides}
    return Settings({"ogre": ogre, "zmqprose": {"timeout": 2}})


def python_app(code, **settings):
    """Settings for an app that runs a line of Python."""
    return Settings({"app": {"start": ["python", "-c", code], **settings}})


def test_ogre_starts_on_free_ports_answers_and_stops(tmp_path):
    settings = ogre_settings()
    with AppSupervisor(settings, log_dir=tmp_path) as apps:
        apps.ensure_running("ogre")
        port = apps.settings.app("ogre")["command_port"]
        assert isinstance(port, int) and port > 0
        apps.ensure_running("ogre")  # a second ask starts nothing new
        with Prose(settings, apps) as prose:
            prose.using_zmq().connect("ogre's command port", "PUSH")
            prose.using_zmq().connect("ogre's response port", "PULL")
            prose.using_zmq().send_multi("ogre's command port", ["PING", "42"])
            prose.expects_zmq_socket("ogre's response port").receives(["PONG", "42"])
        process = apps.process("ogre")
    assert process.poll() is not None
    assert "ogre listening" in (tmp_path / "ogre" / "ogre.zmqprose.log").read_text()


def test_loaded_settings_never_change_and_two_supervisors_each_choose_their_own_ports(tmp_path):
    settings = ogre_settings()
    with (AppSupervisor(settings, log_dir=tmp_path / "a") as first,
          AppSupervisor(settings, log_dir=tmp_path / "b") as second):
        first.ensure_running("ogre")
        second.ensure_running("ogre")
        ports = {first.settings.app("ogre")["command_port"], second.settings.app("ogre")["command_port"]}
        assert len(ports) == 2 and 0 not in ports
    assert settings.app("ogre")["command_port"] == 0
    with pytest.raises(TypeError, match="read-only"):
        settings.app("ogre")["command_port"] = 5555
    copied = Prose(settings).from_environment().get_app_settings("ogre")
    copied["command_port"] = 5555  # a copy is the user's to change
    assert settings.app("ogre")["command_port"] == 0


def test_an_app_that_exits_at_once_is_reported_without_waiting_for_the_timeout(tmp_path):
    settings = python_app("import sys; print('cannot open config'); sys.exit(3)",
                          command_port=free_port(), start_timeout=30)
    began = time.monotonic()
    with AppSupervisor(settings, log_dir=tmp_path) as apps, pytest.raises(AppError) as failure:
        apps.ensure_running("app")
    assert time.monotonic() - began < 10
    message = str(failure.value)
    assert "app failed to start" in message
    assert "exited with code 3" in message
    assert "cannot open config" in message


def test_an_app_that_never_listens_fails_after_its_start_timeout(tmp_path):
    settings = python_app("import time; time.sleep(60)", command_port=free_port(), start_timeout=0.5)
    with AppSupervisor(settings, log_dir=tmp_path) as apps:
        never = (r"app was not ready within 0.5 s \(start_timeout\): "
                 r"waited for it to listen on tcp://127.0.0.1:\d+ \(command_port\)")
        with pytest.raises(AppError, match=never):
            apps.ensure_running("app")
        ExpectsApp(apps, "app", 5).is_not_running()


def test_an_app_that_dies_during_the_run_is_reported_by_the_next_step(tmp_path):
    port = free_port()
    code = (f"import socket, time; s = socket.socket(); s.bind(('127.0.0.1', {port})); s.listen();"
            "time.sleep(0.3); print('out of memory')")
    settings = python_app(code, command_port=port)
    with AppSupervisor(settings, log_dir=tmp_path) as apps:
        apps.ensure_running("app")
        apps.process("app").wait(10)
        died = r"(?s)app has died during the run.*out of memory"
        with Prose(settings, apps) as prose, pytest.raises(AppError, match=died):
            prose.using_zmq().connect("app's command port", "PUSH")


def test_a_fixed_port_that_is_taken_is_named_before_the_start(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        settings = python_app("import time; time.sleep(60)", command_port=port)
        with AppSupervisor(settings, log_dir=tmp_path) as apps:
            with pytest.raises(AppError, match=f"port {port} \\(app.command_port\\) is already taken"):
                apps.ensure_running("app")
            ExpectsApp(apps, "app", 5).is_not_running()


def test_an_app_without_start_must_already_listen():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        AppSupervisor(Settings({"app": {"command_port": port}})).ensure_running("app")
    with pytest.raises(AppError, match=r"app is not listening on tcp://127.0.0.1:\d+ \(command_port\).*no 'start'"):
        AppSupervisor(Settings({"app": {"command_port": port}})).ensure_running("app")


def test_a_bad_start_setting_is_named():
    with pytest.raises(SettingsError, match="app.start must be a list of arguments"):
        Settings({"app": {"start": "python -m app"}})
    with AppSupervisor(Settings({"app": {"start": ["no-such-program-here"]}})) as apps, \
            pytest.raises(AppError, match="cannot start app: no-such-program-here"):
        apps.ensure_running("app")


def test_python_means_the_interpreter_that_runs_zmqprose(tmp_path):
    settings = python_app("import sys; print(sys.executable); sys.exit(1)")
    with AppSupervisor(settings, log_dir=tmp_path) as apps, pytest.raises(AppError):
        apps.ensure_running("app")
        apps.process("app").wait(10)
        apps.check_alive("app")
    assert sys.executable in (tmp_path / "app" / "app.zmqprose.log").read_text()


def test_an_app_that_cannot_bind_says_so(tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        taken = holder.getsockname()[1]
        code = f"import zmq; zmq.Context().socket(zmq.PULL).bind('tcp://127.0.0.1:{taken}')"
        with AppSupervisor(python_app(code, command_port=0), log_dir=tmp_path) as apps, \
                pytest.raises(AppError, match=r"exited with code 1 \(it could not bind: one of its ports is taken\)"):
            apps.ensure_running("app")


def test_a_prose_object_on_its_own_stops_the_apps_it_started():
    settings = ogre_settings()
    with Prose(settings) as prose:
        prose.apps.ensure_running("ogre")
        process = prose.apps.process("ogre")
    assert process.poll() is not None


@pytest.mark.parametrize(("setting", "value", "words"), [
    ("start_timeout", "ten", 'app.start_timeout must be a positive number of seconds (at most 86400), not "ten"'),
    ("start_timeout", float("nan"), "app.start_timeout is nan"),
    ("stop_timeout", -1, "app.stop_timeout must be a positive number of seconds"),
    ("cwd", 5, "app.cwd must be text, not 5"),
    ("wait_for", "command_port", "app.wait_for must be a list of setting names"),
])
def test_bad_app_settings_are_named_when_they_load(setting, value, words):
    with pytest.raises(SettingsError, match=re.escape(words)):
        Settings({"app": {"start": ["python", "-c", "pass"], "command_port": 0, setting: value}})


def test_a_cwd_that_is_no_folder_is_named_at_the_start():
    settings = Settings({"app": {"start": ["python", "-c", "pass"], "cwd": "no/such/folder"}})
    with AppSupervisor(settings) as apps, \
            pytest.raises(AppError, match=re.escape("its cwd 'no/such/folder' is not a folder")):
        apps.ensure_running("app")


def test_free_ports_chosen_together_are_all_different():
    ports = free_ports(20)
    assert len(set(ports)) == 20


def test_a_free_port_taken_before_the_app_binds_it_is_chosen_again(tmp_path):
    marker = tmp_path / "tried"
    code = (f"import pathlib, sys, time, zmq\n"
            f"marker = pathlib.Path({str(marker)!r})\n"
            f"if not marker.exists():\n"
            f"    marker.write_text(sys.argv[1]); print('Address already in use'); sys.exit(1)\n"
            f"sink = zmq.Context().socket(zmq.PULL)\n"
            f"sink.bind(sys.argv[1]); time.sleep(60)\n")
    settings = Settings({"app": {"start": ["python", "-c", code, "tcp://127.0.0.1:${app.command_port}"],
                                 "command_port": 0}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps:
        apps.ensure_running("app")
        assert apps.process("app").poll() is None
        first_try, second_try = marker.read_text(), f"tcp://127.0.0.1:{apps.settings.app('app')['command_port']}"
        assert first_try != second_try  # the port that was taken is not tried again


def test_stop_kill_and_restart_keep_the_ports_and_the_checks_never_start_anything(tmp_path):
    with AppSupervisor(ogre_settings(), log_dir=tmp_path) as apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("ogre")
        port = apps.settings.app("ogre")["control_port"]
        prose.expects_app("ogre").is_running()
        apps.stop("ogre")
        prose.expects_app("ogre").is_not_running()
        assert "ogre was stopped by an earlier step" in apps.why_not_answering("ogre")
        with pytest.raises(AppError, match="cannot stop ogre: it is not running"):
            apps.stop("ogre")
        apps.restart("ogre")
        assert apps.settings.app("ogre")["control_port"] == port
        apps.kill("ogre")
        assert apps.process("ogre").returncode == -signal.SIGKILL
        with pytest.raises(AppError, match=r"ogre is not running: ogre \(pid \d+\) was killed by SIGKILL"):
            prose.expects_app("ogre").is_running()
        apps.ensure_running("ogre")
        assert apps.settings.app("ogre")["control_port"] == port
        prose.expects_app("ogre").output_contains("ogre listening")


def test_an_app_gets_its_environment_its_files_and_is_ready_when_its_output_says_so(tmp_path):
    (tmp_path / "settings").mkdir()
    (tmp_path / "settings" / "greeting.txt").write_text("hello from ${app.name} on ${app.command_port}")
    code = "import os, sys, time; print(open(sys.argv[1]).read(), os.environ['WHO'], flush=True); time.sleep(60)"
    settings = Settings({"app": {"start": ["python", "-c", code, "${app.folder}/greeting.txt"], "name": "app",
                                 "command_port": 0, "env": {"WHO": "port ${app.command_port}"},
                                 "files": {"greeting.txt": "greeting.txt"}, "ready": {"log": r"^hello from app"}}},
                        folder=tmp_path / "settings")
    with AppSupervisor(settings, log_dir=tmp_path / "run") as apps:
        apps.ensure_running("app")
        port = apps.settings.app("app")["command_port"]
        assert f"hello from app on {port} port {port}" in apps.output("app")
        assert (Path(apps.settings.app("app")["folder"]) / "greeting.txt").is_file()


@pytest.mark.parametrize("ready", [{"delay": 0.2}, {"none": True}])
def test_an_app_that_listens_on_nothing_can_be_ready_after_a_delay_or_at_once(tmp_path, ready):
    with AppSupervisor(python_app("import time; time.sleep(60)", ready=ready), log_dir=tmp_path) as apps:
        apps.ensure_running("app")
        ExpectsApp(apps, "app", 5).is_running()


def test_an_app_that_exits_by_itself_is_checked_for_its_code(tmp_path):
    with AppSupervisor(python_app("import time, sys; time.sleep(0.2); sys.exit(4)", ready={"none": True}),
                       log_dir=tmp_path) as apps:
        apps.ensure_running("app")
        with pytest.raises(AppError, match="app was expected to exit with code 0, but it app .* exited with code 4"):
            ExpectsApp(apps, "app", 5).exits_with(0)
        ExpectsApp(apps, "app", 5).is_not_running()


def test_commands_run_to_their_end_or_are_stopped_group_and_all(prose):
    shell = prose.using_shell()
    shell.run("python -c \"import sys; print('out'); print('err', file=sys.stderr); sys.exit(2)\"", 10)
    prose.expects_command().exits_with(2)
    prose.expects_command().output_contains("out")
    with pytest.raises(ProseError, match="the error output of the command .* is not empty"):
        prose.expects_command().error_output_is_empty()
    began = time.monotonic()
    with pytest.raises(WaitTimeout, match="was still running after 0.3 s, so it was stopped, group and all"):
        shell.run("sh -c 'sleep 30 & sleep 30'", 0.3)
    assert time.monotonic() - began < 5
    with pytest.raises(ProseError, match="cannot run 'no-such-program-here'"):
        shell.run("no-such-program-here --help", 1)
    with pytest.raises(ProseError, match="cannot split the command line"):
        shell.run("echo 'unclosed", 1)


def test_a_background_command_is_stopped_when_the_scenario_ends(tmp_path):
    with AppSupervisor(Settings({}), log_dir=tmp_path) as apps:
        with Prose(apps.settings, apps) as prose:
            command = prose.using_shell().start("python -c \"import time; print('up', flush=True); time.sleep(60)\"",
                                                "sleeper")
            prose.expects_command("sleeper").output_contains("up")
            with pytest.raises(ProseError, match='a command named "sleeper" is still running'):
                prose.using_shell().start("python -c pass", "sleeper")
        assert command.process.poll() is not None


def test_an_interrupt_while_a_process_starts_is_held_until_it_is_noted():
    from zmqprose.safety.processes import interrupts_held

    steps = []
    with pytest.raises(KeyboardInterrupt), interrupts_held():
        signal.raise_signal(signal.SIGINT)  # Ctrl-C, just after the process started
        steps.append("noted")  # still reached: the interrupt waits for the block's end
    assert steps == ["noted"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_command_whose_step_was_interrupted_is_stopped_when_the_scenario_ends(tmp_path):
    """Ctrl-C while a step waits for its command: the command is the scenario's to stop, not left running."""
    def interrupt(number, frame):
        raise KeyboardInterrupt

    with AppSupervisor(Settings({}), log_dir=tmp_path) as apps:
        with Prose(apps.settings, apps) as prose:
            previous = signal.signal(signal.SIGALRM, interrupt)
            signal.setitimer(signal.ITIMER_REAL, 0.5)
            try:
                with pytest.raises(KeyboardInterrupt):
                    prose.using_shell().run("python -c \"import time; time.sleep(60)\"", 30)
            finally:
                signal.signal(signal.SIGALRM, previous)
            command = prose.using_shell().last
            assert command.process.poll() is None  # still running when the scenario ends
        assert command.process.poll() is not None


def test_an_apps_output_can_be_waited_for_refused_and_matched(tmp_path):
    code = ("import time; print('worker 1 ready', flush=True); time.sleep(0.3); print('reloaded', flush=True); "
            "time.sleep(60)")
    apps = AppSupervisor(python_app(code, ready={"log": "^worker"}), log_dir=tmp_path)
    with apps, Prose(apps.settings, apps) as prose:  # the scenario begins, then the app starts
        apps.ensure_running("app")
        expects = prose.expects_app("app")
        expects.output_contains("reloaded", timeout=5)
        expects.output_does_not_contain("Traceback")
        expects.output_matches(r"#regex (?ms).*^worker \d+ ready$.*")
        with pytest.raises(ProseError, match="app's output contains 'reloaded', but should not"):
            expects.output_does_not_contain("reloaded")
        with pytest.raises(ProseError, match="app's output does not match"):
            expects.output_matches("#regex worker")


def test_a_program_of_the_virtual_environment_is_found_without_activating_it(prose, monkeypatch):
    """The folder of the Python that runs zmqprose comes first on PATH: `pytest` (there, and nowhere on
    the system's PATH) runs as `python` does; a program that is nowhere says where it was looked for."""
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    prose.using_shell().run("pytest --version", 30)
    prose.expects_command().exits_with(0)
    with pytest.raises(ProseError, match=r"no program 'no-such-program-here' in any folder of PATH \(.*bin, "
                                         r"/usr/bin, /bin; the first is the folder of the Python"):
        prose.using_shell().run("no-such-program-here --help", 5)


def test_waiting_for_output_ends_once_the_app_or_command_has_ended(tmp_path):
    code = "print('done', flush=True)"
    apps = AppSupervisor(python_app(code, ready={"none": True}), log_dir=tmp_path)
    with apps, Prose(apps.settings, apps) as prose:
        apps.ensure_running("app")
        apps.process("app").wait(5)
        prose.using_shell().start("python -c \"print('sent 3')\"", "pump")
        prose.expects_command("pump").exits_with(0, 5)
        began = time.monotonic()
        with pytest.raises(WaitTimeout, match=r"'never printed' \(it has ended: nothing more will come"):
            prose.expects_app("app").output_contains("never printed", timeout=30)
        with pytest.raises(ProseError, match=r"'never printed' \(it has ended: nothing more will come\)"):
            prose.expects_command("pump").output_contains("never printed", timeout=30)
        assert time.monotonic() - began < 10  # not the 30 s each would have waited


def test_an_app_of_the_scenario_not_started_in_it_is_said_so():
    apps = AppSupervisor(python_app("import time; time.sleep(60)", scope="scenario", ready={"none": True}))
    with apps, Prose(apps.settings, apps) as prose, pytest.raises(AppError, match="in this scenario"):
        prose.expects_app("app").is_running()
