"""A socket's watch (zmqprose.sockets.monitor) costs a scenario as little as pyzmq allows, and still sees it all.

Every tcp or ipc socket of a scenario is watched, so what a watch does
with pyzmq is paid by every such socket: its Python was most of the 0.2 ms a
two-socket tcp scenario paid for its watches (bench/per_scenario_counts.py).
pyzmq's ``Socket.poll`` makes a ``zmq.Poller`` for every look; a watch looks
at its events several times a socket (twice per event, and once more).
"""

from __future__ import annotations

import time

import pytest
import zmq

from zmqprose.sockets.context import run_context
from zmqprose.sockets.monitor import PeerWatch


@pytest.fixture
def pollers_made(monkeypatch: pytest.MonkeyPatch) -> list[zmq.Poller]:
    """Every zmq.Poller made while the test runs."""
    made: list[zmq.Poller] = []
    original = zmq.Poller.__init__

    def counted(self: zmq.Poller) -> None:
        made.append(self)
        original(self)

    monkeypatch.setattr(zmq.Poller, "__init__", counted)
    return made


def watched_pair() -> tuple[zmq.Socket[bytes], zmq.Socket[bytes], PeerWatch, PeerWatch]:
    """A PAIR server and client over tcp, each watched from before its bind or connect, connected."""
    server, client = run_context().socket(zmq.PAIR), run_context().socket(zmq.PAIR)
    server_watch, client_watch = PeerWatch(server), PeerWatch(client)
    server_watch.start()
    server.bind("tcp://127.0.0.1:*")
    client_watch.start()
    client.connect(server.get_string(zmq.LAST_ENDPOINT))
    return server, client, server_watch, client_watch


def test_a_scenario_of_watched_sockets_makes_no_poller(pollers_made):
    server, client, server_watch, client_watch = watched_pair()
    assert server_watch.wait_for_peer(5) and client_watch.wait_for_peer(5)
    assert client_watch.ever_connected()
    server.close(linger=0)
    client.close(linger=0)
    deadline = time.monotonic() + 5
    assert server_watch.wait_until_gone(deadline) and client_watch.wait_until_gone(deadline)
    assert server_watch.handshakes == client_watch.handshakes == 1
    assert pollers_made == []

