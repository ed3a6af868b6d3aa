"""Scenarios are apart (issue 27): nothing of one scenario reaches the next, whatever the transport.

The scenarios of a run share one ZeroMQ context. libzmq keeps a connection
made to an ``inproc://`` address that nobody has bound (its pipe, with what
was sent into it, and a SUB's subscriptions) in the context, even after the
socket is closed or disconnected, and hands it to whoever binds that address
next: in one run, the next scenario. Most tests here play two scenarios, or
two Python tests, in one process. Below: what a scenario's own processes
started ends with it, and a run folder something removed under the run.
"""

from __future__ import annotations

import shutil
import socket
import time
from pathlib import Path

import pytest
import zmq

from zmqprose import AppError, AppSupervisor, Prose, ProseError, Settings
from zmqprose.security.curve import CurveRequest


def scenario() -> Prose:
    return Prose(Settings({}), timeout=2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_message_sent_to_an_inproc_address_nobody_bound_never_reaches_the_next_scenario():
    with scenario() as first:
        push = first.using_zmq().connect("inproc://apart-jobs", "PUSH")
        first.using_zmq().send(push, "from the first scenario")
    with scenario() as second:
        pull = second.using_zmq().bind("inproc://apart-jobs", "PULL")
        second.expects_zmq_socket(pull).receives_nothing(timeout=0.3)


def test_a_scenario_that_connected_to_an_inproc_address_nobody_bound_ends_at_once():
    """Its socket was never done with (libzmq waits for the bind): the scenario's end waited a second for it."""
    with scenario() as first:
        push = first.using_zmq().connect("inproc://apart-unbound", "PUSH")
        first.using_zmq().send(push, "nobody takes this")
        first.close()
        assert "took more than" not in first.action_log()


def test_a_disconnect_or_a_close_step_does_not_let_a_message_through_to_the_next_scenario():
    """libzmq keeps the pending connection through a disconnect and a close too."""
    with scenario() as first:
        push = first.using_zmq().connect("inproc://apart-disconnected", "PUSH", name="disconnected")
        first.using_zmq().send(push, "sent, then disconnected")
        first.using_zmq().disconnect("inproc://apart-disconnected")
        closed = first.using_zmq().connect("inproc://apart-closed", "PUSH", name="closed")
        first.using_zmq().send(closed, "sent, then closed")
        first.using_zmq().close("closed")
    with scenario() as second:
        for address in ("inproc://apart-disconnected", "inproc://apart-closed"):
            pull = second.using_zmq().bind(address, "PULL")
            second.expects_zmq_socket(pull).receives_nothing(timeout=0.2)


def test_a_subscription_to_an_inproc_address_nobody_bound_never_reaches_the_next_scenarios_publisher():
    """An XPUB socket receives its subscribers' subscriptions: the first scenario's reached the second's."""
    with scenario() as first:
        first.using_zmq().connect("inproc://apart-news", "SUB", subscribe=["weather"])
    with scenario() as second:
        publisher = second.using_zmq().bind("inproc://apart-news", "XPUB")
        second.expects_zmq_socket(publisher).receives_nothing(timeout=0.3)
    with scenario() as third:  # a PUB (an XPUB underneath) sees no subscriber either
        publisher = third.using_zmq().bind("inproc://apart-news", "PUB")
        with pytest.raises(ProseError, match="had no subscriber"):
            third.expects_zmq_socket(publisher).has_subscriber(timeout=0.3)


@pytest.mark.parametrize("kind", ["PUSH", "PAIR", "DEALER", "ROUTER", "REQ", "SUB", "XSUB", "PUB", "XPUB"])
def test_every_kind_of_socket_connected_to_an_inproc_address_nobody_bound_leaves_nothing(kind):
    """The pending connection is taken and dropped for every socket type (a ROUTER's or a REQ's routing id
    included), and the address is free for the next scenario to bind."""
    with scenario() as first:
        first.using_zmq().connect(f"inproc://apart-{kind}", kind)
        first.close()
        assert "took more than" not in first.action_log()
    with scenario() as second:
        second.using_zmq().bind(f"inproc://apart-{kind}", "PAIR")


def test_within_a_scenario_a_connection_before_the_bind_still_delivers():
    """Only the scenario's end drops what nobody bound: inside the scenario, ZeroMQ's connect-before-bind holds."""
    with scenario() as prose:
        push = prose.using_zmq().connect("inproc://apart-inside", "PUSH")
        prose.using_zmq().send(push, "early")
        pull = prose.using_zmq().bind("inproc://apart-inside", "PULL")
        prose.expects_zmq_socket(pull).receives(["early"])


def test_a_pipelines_own_pushers_connected_to_an_inproc_address_nobody_bound_leave_nothing():
    with scenario() as first:
        push = first.using_zmq().connect("inproc://apart-pipeline", "PUSH")
        first.using_zmq().push(push, 10, 16, pushers=2)
    with scenario() as second:
        pull = second.using_zmq().bind("inproc://apart-pipeline", "PULL")
        second.expects_zmq_socket(pull).receives_nothing(timeout=0.3)


def test_a_message_sent_over_tcp_to_a_port_nobody_listened_on_never_reaches_the_next_scenario():
    """The closed socket stops reconnecting before the scenario ends (a sibling over tcp)."""
    address = f"tcp://127.0.0.1:{free_port()}"
    with scenario() as first:
        push = first.using_zmq().connect(address, "PUSH")
        first.using_zmq().send(push, "from the first scenario")
    with scenario() as second:
        pull = second.using_zmq().bind(address, "PULL")
        second.expects_zmq_socket(pull).receives_nothing(timeout=0.5)


def test_a_curve_allowance_of_one_scenario_lets_nobody_into_the_next():
    """A client that a scenario's server allowed is refused by the next scenario's server that allows another."""
    for allowed, refused in ((("alice",), False), (("bob",), True)):
        with scenario() as prose:
            prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="server", curve=CurveRequest(allowing=allowed))
            client = prose.using_zmq().connect('the endpoint of "server"', "PUSH",
                                               curve=CurveRequest(client="alice"))
            if refused:
                prose.expects_zmq_socket(client).refuses_handshake()
            else:
                prose.expects_zmq_socket(client).becomes_connected()


def test_an_inproc_address_bound_by_another_socket_of_the_context_is_left_alone():
    """A scenario that connected to an address some other code of the process holds bound takes nothing
    from it (no throwaway bind is made there)."""
    from zmqprose.sockets.context import run_context

    holder = run_context().socket(zmq.PULL)
    holder.linger, holder.rcvtimeo = 0, 2000
    holder.bind("inproc://apart-held")
    try:
        with scenario() as first:
            push = first.using_zmq().connect("inproc://apart-held", "PUSH")
            first.using_zmq().send(push, "to the holder")
        assert holder.recv() == b"to the holder"
    finally:
        holder.close(linger=0)


def test_a_socket_not_gone_in_time_does_not_stop_zmq_from_closing_the_sockets_of_later_scenarios():
    """A closed socket's monitor sends its last event with a blocking send, in libzmq's one thread that closes
    sockets: once the scenario's end had given up waiting and closed the receiving end, that thread waited for
    ever, and no socket of the run was done with again (a later scenario's tcp socket kept reconnecting and
    delivered its message to the next scenario)."""
    from zmqprose.sockets.context import run_context

    first = scenario()
    push = first.using_zmq().connect("inproc://apart-late", "PUSH")
    push.attach("connect", f"tcp://127.0.0.1:{free_port()}")  # watched (a socket of inproc only is not)
    push.close()
    assert not push.watch.wait_until_gone(time.monotonic())  # given up on: it waits for a bind of its address
    late = run_context().socket(zmq.PULL)
    late.bind("inproc://apart-late")  # now it is done with, and its monitor says so
    late.close(linger=0)
    first.close()
    test_a_message_sent_over_tcp_to_a_port_nobody_listened_on_never_reaches_the_next_scenario()


# -- what a scenario started ends with it (daemons included) -------------------------------------------------

DAEMON_PUSHER = Path(__file__).resolve().parents[1] / "specs" / "faults" / "apps" / "daemon_pusher.py"


def pusher_settings(scope: str, port: int) -> Settings:
    return Settings({"pusher": {"scope": scope, "start": ["python", str(DAEMON_PUSHER), f"tcp://127.0.0.1:{port}"],
                                "ready": {"log": "the daemon is pushing"}, "stop_timeout": 1}})


@pytest.mark.parametrize("started_by", ["app", "command"])
def test_a_daemon_that_an_app_or_a_command_of_the_scenario_started_ends_with_the_scenario(tmp_path, started_by):
    """The daemon (double fork, setsid) left the app's or command's process group; it pushed on into the next
    scenario's socket until the run ended."""
    port = free_port()
    with AppSupervisor(pusher_settings("scenario", port), log_dir=tmp_path) as apps:
        with Prose(apps.settings, apps, timeout=10) as first:
            inbox = first.using_zmq().bind(f"tcp://127.0.0.1:{port}", "PULL")
            if started_by == "app":
                apps.ensure_running("pusher")
            else:
                first.using_shell().start(f"python {DAEMON_PUSHER} tcp://127.0.0.1:{port}", "pusher")
            first.expects_zmq_socket(inbox).receives(["from the daemon"])
        with Prose(apps.settings, apps, timeout=10) as second:
            inbox = second.using_zmq().bind(f"tcp://127.0.0.1:{port}", "PULL")
            second.expects_zmq_socket(inbox).receives_nothing(timeout=0.5)


def test_a_daemon_of_an_app_of_the_run_lives_on_into_the_next_scenario(tmp_path):
    """Only what a scenario's own processes started ends with it: an app of the run, and its daemon, serve
    every scenario until the run ends."""
    port = free_port()
    with AppSupervisor(pusher_settings("run", port), log_dir=tmp_path) as apps:
        for _ in range(2):
            with Prose(apps.settings, apps, timeout=10) as prose:
                inbox = prose.using_zmq().bind(f"tcp://127.0.0.1:{port}", "PULL")
                apps.ensure_running("pusher")
                prose.expects_zmq_socket(inbox).receives(["from the daemon"])


# -- the run's folder removed under a running suite (issue 27, item 18) -----------------------------------------

SLEEPER = ["python", "-c", "print('sleeper ready', flush=True); import time; time.sleep(60)"]
GONE = r"the run's folder \S+/zmqprose-run-\w+ is gone: something removed it while the run was going"


def test_a_run_folder_something_removed_is_named_for_commands_apps_and_logs_in_one_line(capsys):
    """It was a FileNotFoundError traceback from the folder a command or an app is given, and a check of an
    app's output waited its whole time and said the text was not there."""
    settings = Settings({name: {"start": SLEEPER, "ready": {"log": "sleeper ready"}, "stop_timeout": 1}
                         for name in ("first", "second")})
    with AppSupervisor(settings) as apps, Prose(apps.settings, apps, timeout=10) as prose:
        apps.ensure_running("first")
        before = prose.using_shell().run("echo before", 10)
        shutil.rmtree(apps.folder)
        with pytest.raises(AppError, match=rf"^cannot run 'echo hello': {GONE} \(a cleaner of the temporary "
                                           rf"folder\?\); keep such tools away from zmqprose-run-\* folders"):
            prose.using_shell().run("echo hello", 10)
        with pytest.raises(AppError, match=rf"^cannot start second: {GONE}"):
            apps.ensure_running("second")
        with pytest.raises(AppError, match=rf"^first's log \S+/first\.zmqprose\.log cannot be read: {GONE}"):
            prose.expects_app("first").output_contains("sleeper ready", timeout=5)
        with pytest.raises(AppError, match=rf"^the output of the command cannot be read: {GONE}"):
            before.output()
        with pytest.raises(AppError, match=rf"^cannot start first: {GONE}"):
            apps.restart("first")
        apps.keep_run_folder()
    assert "was removed by something else while the run was going" in capsys.readouterr().err
