"""The spec plays an app (issue 28, item 1): an app without ``start`` whose ports are free is one whose sockets
the spec binds. Its bind takes a free port, and the app's setting holds it from then on, for the rest of the
run (``${APP.SETTING}``, the app's reference, a client under test started later); its ``key`` signs and checks
the Jupyter messages of those sockets. Before, such a bind said "add 'Given kernel is running'", which an app
without ``start`` cannot do."""

from __future__ import annotations

import pytest
from jupyter_client.session import Session

from zmqprose import AppError, AppSupervisor, Prose, ProseError, ResolveError, Settings

KERNEL = {"key": "played-key", "signature_scheme": "hmac-sha256", "shell_port": 0,
          "iopub_endpoint": "tcp://127.0.0.1:*"}
CLIENT = ("import json, sys, zmq\n"
          "info = json.load(open(sys.argv[1]))\n"
          "push = zmq.Context().socket(zmq.DEALER)\n"
          "push.connect(f\"tcp://127.0.0.1:{info['shell_port']}\")\n"
          "push.send_string('hello from the client')\n"
          "import time; time.sleep(60)\n")


def played(**more: object) -> Settings:
    return Settings({"kernel": KERNEL, **more})


def test_a_bind_to_a_free_port_of_an_app_without_start_takes_one_and_the_setting_holds_it_for_the_run():
    with AppSupervisor(played()) as apps:
        with Prose(apps.settings, apps, timeout=2) as first:
            shell = first.using_zmq().bind("kernel's shell port", "ROUTER")
            iopub = first.using_zmq().bind("kernel's iopub endpoint", "PUB")
            port = int(shell.addresses[0].rpartition(":")[2])
            assert apps.settings.app("kernel")["shell_port"] == port
            assert apps.settings.app("kernel")["iopub_endpoint"] == iopub.addresses[0]
            assert first.interpolate("${kernel.shell_port}") == str(port)
            dealer = first.using_zmq().connect("kernel's shell port", "DEALER")  # the app's reference finds it
            first.using_zmq().send(dealer, "hello")
            first.expects_zmq_socket(shell).receives(["hello"], timeout=2)
        with Prose(apps.settings, apps, timeout=2) as second:  # the next scenario binds the same port again
            shell = second.using_zmq().bind("kernel's shell port", "ROUTER")
            assert shell.addresses[0] == f"tcp://127.0.0.1:{port}"
    assert played().app("kernel")["shell_port"] == 0  # the loaded settings never change


def test_the_played_apps_key_signs_and_checks_the_jupyter_messages_of_its_sockets():
    with AppSupervisor(played()) as apps, Prose(apps.settings, apps, timeout=2) as prose:
        shell = prose.using_zmq().bind("kernel's shell port", "ROUTER")
        client = prose.using_zmq().connect("kernel's shell port", "DEALER", name="client")
        prose.using_zmq().send_value(client, {"header": {"msg_type": "kernel_info_request"}}, "Jupyter")
        prose.expects_zmq_socket(shell).receives_value({"header": {"msg_type": "kernel_info_request"}}, "Jupyter",
                                                       subset=True, timeout=2)
        forged = Session(key=b"another key", signature_scheme="hmac-sha256")
        prose.using_zmq().send_multi(client, forged.serialize(forged.msg("kernel_info_request")))
        with pytest.raises(ProseError, match=r"signature does not check out"):
            prose.expects_zmq_socket(shell).receives_value({}, "Jupyter", subset=True, timeout=2)


def test_a_signed_message_on_a_socket_without_a_key_says_to_bind_or_connect_through_the_app():
    with AppSupervisor(played()) as apps, Prose(apps.settings, apps, timeout=2) as prose:
        plain = prose.using_zmq().bind("tcp://127.0.0.1:*", "ROUTER", name="plain")
        sender = prose.using_zmq().connect('the endpoint of "plain"', "DEALER")
        signed = Session(key=b"played-key", signature_scheme="hmac-sha256")
        prose.using_zmq().send_multi(sender, signed.serialize(signed.msg("kernel_info_request")))
        with pytest.raises(ProseError, match=r"no key is known for this socket.*: connect to it, or, where the spec "
                                             r"plays the kernel, bind to it .*Playing a service"):
            prose.expects_zmq_socket(plain).receives_value({}, "Jupyter", subset=True, timeout=2)


def test_a_connect_before_the_bind_says_the_spec_plays_the_app_and_to_bind_first():
    with AppSupervisor(played()) as apps, Prose(apps.settings, apps, timeout=2) as prose:
        with pytest.raises(ResolveError, match=r"kernel\.shell_port = 0\) is a free port that the spec chooses when "
                                               r"it binds it: kernel has no 'start', so the spec plays kernel .*"
                                               r"'I bind a ROUTER socket to kernel's shell port'"):
            prose.using_zmq().connect("kernel's shell port", "DEALER")
        with pytest.raises(ResolveError, match=r"kernel\.iopub_endpoint = 'tcp://127\.0\.0\.1:\*'\) is a free port "
                                               r"that the spec chooses"):
            prose.using_zmq().connect("kernel's iopub endpoint", "SUB")


def test_a_played_free_port_filled_in_before_the_bind_is_an_error_never_0():
    with AppSupervisor(played()) as apps, Prose(apps.settings, apps, timeout=2) as prose, \
            pytest.raises(ResolveError, match=r"\$\{kernel\.shell_port\} is not known yet: .* bind a socket to "
                                              r"kernel's shell port before this step"):
        prose.interpolate("${kernel.shell_port}")


def test_a_free_port_of_an_app_that_starts_filled_in_before_its_start_says_to_start_it():
    settings = Settings({"ogre": {"start": ["python", "-c", "pass"], "command_port": 0}})
    with AppSupervisor(settings) as apps, Prose(apps.settings, apps, timeout=2) as prose, \
            pytest.raises(ResolveError, match=r"free port chosen when ogre starts: add 'Given ogre is running'"):
        prose.interpolate("port ${ogre.command_port}")


@pytest.mark.parametrize("value", ["tcp://127.0.0.1:*", "tcp://127.0.0.1:0"])
def test_a_free_address_of_an_app_that_starts_is_refused_before_its_start_as_a_0_is(value):
    """It was handed out as it was written, and ZeroMQ refused to connect to a port '*'."""
    settings = Settings({"ogre": {"start": ["python", "-c", "pass"], "command_endpoint": value}})
    with AppSupervisor(settings) as apps, Prose(apps.settings, apps, timeout=2) as prose, \
            pytest.raises(ResolveError, match=r"free port chosen when ogre starts: add 'Given ogre is running'"):
        prose.using_zmq().connect("ogre's command endpoint", "PUSH")


def test_is_running_for_an_app_the_spec_plays_says_so_instead_of_passing_on_nothing():
    """Its ports were 0 and were skipped: the check passed, having checked nothing."""
    with AppSupervisor(played()) as apps, pytest.raises(
            AppError, match=r"kernel has no 'start', and its ports \(kernel\.shell_port, kernel\.iopub_endpoint\) "
                            r"are free ports: the spec plays kernel.*'I bind a ROUTER socket to kernel's shell port'"):
        apps.ensure_running("kernel")


def test_is_running_for_an_app_with_fixed_and_free_ports_checks_the_fixed_ones():
    settings = Settings({"half": {"reply_port": 0, "request_port": 1}})
    with AppSupervisor(settings) as apps, pytest.raises(AppError, match=r"half is not listening on "
                                                                        r"tcp://127\.0\.0\.1:1 \(request_port\)"):
        apps.ensure_running("half")


def test_a_client_under_test_started_after_the_bind_gets_the_chosen_port_through_its_files(tmp_path):
    template = tmp_path / "connection.json"
    template.write_text('{"shell_port": ${kernel.shell_port}, "key": "${kernel.key}"}')
    settings = Settings({"kernel": KERNEL, "client": {
        "scope": "scenario", "files": {"connection.json": str(template)}, "ready": {"none": True},
        "start": ["python", "-c", CLIENT, "${client.folder}/connection.json"]}})
    with AppSupervisor(settings, log_dir=tmp_path / "run") as apps, Prose(apps.settings, apps, timeout=10) as prose:
        shell = prose.using_zmq().bind("kernel's shell port", "ROUTER")
        apps.ensure_running("client")
        prose.expects_zmq_socket(shell).receives(["hello from the client"])
