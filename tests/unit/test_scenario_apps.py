"""Apps of one scenario ("scope": "scenario"): clients under test that connect to the spec's own sockets."""

from __future__ import annotations

import pytest

from zmqprose import AppError, AppSupervisor, Prose, Settings, SettingsError
from zmqprose.checks.app import ExpectsApp

CLIENT = ("import sys, zmq\n"
          "push = zmq.Context().socket(zmq.PUSH)\n"
          "push.connect(sys.argv[1])\n"
          "push.send_string('hello from ' + sys.argv[2])\n"
          "push.close(linger=5000)\n"
          "import time; time.sleep(60)\n")  # it stays until the scenario ends


def client_settings(**more: object) -> Settings:
    return Settings({"client": {"scope": "scenario", "start": ["python", "-c", CLIENT, "${socket.inbox.endpoint}",
                                                               "port ${socket.inbox.port}"],
                                "ready": {"none": True}, **more}})


def test_an_app_of_the_scenario_connects_to_a_socket_the_spec_bound_and_ends_with_the_scenario(tmp_path):
    with AppSupervisor(client_settings(), log_dir=tmp_path) as apps:
        pids = []
        for _ in range(2):
            with Prose(apps.settings, apps, timeout=10) as prose:
                inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
                port = inbox.addresses[0].rpartition(":")[2]
                apps.ensure_running("client")
                prose.expects_zmq_socket(inbox).receives([f"hello from port {port}"])
                pids.append(apps.process("client").pid)
            ExpectsApp(apps, "client", 5).is_not_running()  # stopped with its scenario
        assert pids[0] != pids[1]  # each scenario had a fresh one


def test_a_free_port_of_an_app_of_the_scenario_is_chosen_afresh_for_each_scenario(tmp_path):
    settings = Settings({"server": {"scope": "scenario", "command_port": 0, "ready": {"none": True},
                                    "start": ["python", "-c", "import time; time.sleep(60)",
                                              "${server.command_port}"]}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps:
        ports = []
        for _ in range(2):
            with Prose(apps.settings, apps, timeout=5):
                apps.ensure_running("server")
                ports.append(apps.settings.app("server")["command_port"])
            assert apps.settings.app("server")["command_port"] == 0  # not started: no port until it is
        assert all(ports) and ports[0] != ports[1]


def test_an_app_of_the_run_that_refers_to_a_scenario_socket_is_refused_naming_the_setting():
    with pytest.raises(SettingsError, match=r'client\.start\.3 refers to a scenario.s socket .* give client '
                                            r'"scope": "scenario"'):
        Settings({"client": {"start": ["python", "-c", "pass", "${socket.inbox.endpoint}"]}})
    with pytest.raises(SettingsError, match=r'client\.scope must be "run" .* or "scenario"'):
        Settings({"client": {"scope": "forever", "start": ["true"]}})


def test_an_app_of_the_scenario_whose_socket_does_not_exist_says_so(tmp_path):
    with AppSupervisor(client_settings(), log_dir=tmp_path) as apps, Prose(apps.settings, apps, timeout=5), \
            pytest.raises(AppError, match=r'cannot start client: no socket named "inbox" in this scenario'):
        apps.ensure_running("client")
