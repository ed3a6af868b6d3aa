"""The run's one ZeroMQ context: scenarios share it and still stay apart."""

from __future__ import annotations

import socket

import zmq

from zmqprose import Prose, Settings
from zmqprose.security.curve import CurveRequest
from zmqprose.sockets.context import run_context


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_next_scenario_binds_the_addresses_the_last_one_held():
    """Each scenario waits until ZeroMQ is done with its sockets: the next one can bind the same tcp port
    and inproc name at once (without the wait, most such binds fail with "Address in use")."""
    addresses = [f"tcp://127.0.0.1:{free_port()}", "inproc://zmqprose-test-rebind"]
    for round_number in range(50):
        with Prose(Settings({}), timeout=2) as prose:
            for address in addresses:
                server = prose.using_zmq().bind(address, "PAIR")
                client = prose.using_zmq().connect(address, "PAIR")
                prose.using_zmq().send(client, f"round {round_number}")
                prose.expects_zmq_socket(server).receives([f"round {round_number}"])


def test_a_curve_server_without_a_domain_lets_clients_in_after_a_scenario_used_with_curve():
    """The run's authenticator outlives the scenario that started it; a CURVE server of the spec's own (no
    ZAP domain) is not refused by it, as it would not be in a context without one."""
    with Prose(Settings({}), timeout=2) as prose:
        prose.using_zmq().bind("tcp://127.0.0.1:*", "PAIR", name="server", curve=CurveRequest(allowing=("alice",)))
    server_public, server_secret = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    server, client = run_context().socket(zmq.PAIR), run_context().socket(zmq.PAIR)
    try:
        server.curve_server, server.curve_secretkey, server.curve_publickey = True, server_secret, server_public
        port = server.bind_to_random_port("tcp://127.0.0.1")
        client.curve_serverkey, client.curve_publickey, client.curve_secretkey = server_public, client_public, \
            client_secret
        client.connect(f"tcp://127.0.0.1:{port}")
        client.sndtimeo = server.rcvtimeo = 5000
        client.send(b"let in")
        assert server.recv() == b"let in"
    finally:
        server.close(linger=0)
        client.close(linger=0)


def test_an_inproc_name_is_free_again_as_soon_as_its_socket_is_closed():
    """A close step, then a bind of the same inproc name in the same scenario: libzmq frees the name of a closed
    socket in a thread of its own, a moment later (most such binds failed with "Address in use"); an unbind is
    done with at once, and a socket unbinds its inproc names before it closes."""
    with Prose(Settings({}), timeout=2) as prose:
        for round_number in range(300):
            server = prose.using_zmq().bind("inproc://zmqprose-test-closed", "PAIR", name=f"server {round_number}")
            prose.using_zmq().close(server)


def test_a_socket_of_inproc_only_is_not_watched_and_a_tcp_socket_is_from_its_first_attach():
    """inproc has no handshake: its sockets carry no socket monitor (two sockets more each, and a wait at the
    end of every scenario). A socket that connects over tcp after inproc is watched from then on, and sees the
    handshake."""
    with Prose(Settings({}), timeout=2) as prose:
        inproc = prose.using_zmq().bind("inproc://zmqprose-test-unwatched", "ROUTER", name="inproc")
        assert not inproc.watch.watching
        server = prose.using_zmq().bind("tcp://127.0.0.1:*", "ROUTER", name="server")
        assert server.watch.watching
        client = prose.using_zmq().connect("inproc://zmqprose-test-unwatched", "DEALER", name="client")
        assert not client.watch.watching
        prose.expects_zmq_socket(client).becomes_connected()  # inproc: made at once
        client.attach("connect", server.addresses[0])
        assert client.watch.watching
        prose.expects_zmq_socket(client).becomes_connected()
        assert client.watch.handshakes == 1
