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
