"""An address a step let go of is free again for the next step of the same scenario.

ZeroMQ closes a socket, and a listener it unbinds, in a thread of its own, after ``close`` or ``unbind``
has returned: a bind of the same port at once failed ("Address already in use") about once in three
tries after a close, once in fifty after an unbind. The end of a scenario waited for its sockets
(``close_all``); a step that closed one did not.

Each test does the step many times in a row on one port, so that it fails almost surely (well over
99.9 %) before the fix, and never after it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from types import SimpleNamespace

import pytest
import zmq

from zmqprose import Prose, Settings
from zmqprose.actions import using as using_module
from zmqprose.apps.ports import free_port
from zmqprose.sockets import freed
from zmqprose.sockets.freed import FREED
from zmqprose.sockets.socket import ProseSocket

CLOSES = 200  # each failed about one time in fifteen (in one scenario; one in three in a fresh one)
UNBINDS = 400  # each failed about one time in fifty


@pytest.fixture
def prose():
    with Prose(Settings({}), timeout=1) as prose:
        yield prose


def test_a_port_a_step_closed_is_bound_again_at_once(prose: Prose) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    using = prose.using_zmq()
    for _ in range(CLOSES):
        using.close(using.bind(address, "PULL"))


def test_a_port_a_step_closed_with_a_peer_connected_is_bound_again_at_once(prose: Prose) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    using = prose.using_zmq()
    for _ in range(CLOSES):
        server = using.bind(address, "PULL")
        client = using.connect(address, "PUSH")
        using.send(client, "hello")
        prose.from_zmq_socket(server).recv()
        using.close(server)
        using.close(client)


def test_a_port_a_step_unbound_is_bound_again_at_once(prose: Prose) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    using = prose.using_zmq()
    sock = using.bind(address, "PULL")
    for _ in range(UNBINDS):
        using.unbind(address)
        sock.attach("bind", address)
    using.close(sock)


def test_a_close_that_zeromq_does_not_finish_in_time_says_so(prose: Prose, monkeypatch: pytest.MonkeyPatch) -> None:
    """ZeroMQ finishes a close within microseconds here: only its verdict is forced (the socket is real)."""
    def not_in_time(socks: Iterable[ProseSocket], within: float = using_module.GONE_WITHIN) -> bool:
        real_close_all(socks, within)
        return False

    real_close_all = using_module.close_all
    monkeypatch.setattr(using_module, "close_all", not_in_time)
    using = prose.using_zmq()
    using.close(using.bind("tcp://127.0.0.1:*", "PULL", name="inbox"))
    last = prose.action_log().splitlines()[-1]
    assert f'ZeroMQ took more than {using_module.GONE_WITHIN} s to be done with "inbox"' in last, last


def test_a_close_waits_for_zeromq(prose: Prose) -> None:
    """The close has waited: ZeroMQ has told the socket's watch that it is gone."""
    using = prose.using_zmq()
    sock = using.bind("tcp://127.0.0.1:*", "PULL")
    using.close(sock)
    assert sock.watch.stopped


def test_a_port_another_socket_of_ours_holds_is_refused_at_once_even_if_it_was_let_go_of_lately(
        prose: Prose, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bind is tried again only while the port is in use because of a socket of ours that let it go: one of
    ours bound to it now is a spec's mistake, refused at the first try (it took the whole second before)."""
    address = f"tcp://127.0.0.1:{free_port()}"
    using = prose.using_zmq()
    first = using.bind(address, "PULL")
    using.unbind(address)
    using.bind(address, "PULL", name="holder")

    def tried_again(seconds: float) -> None:
        raise AssertionError("the bind was tried again")

    monkeypatch.setattr(freed, "time", SimpleNamespace(monotonic=time.monotonic, sleep=tried_again))
    with pytest.raises(zmq.ZMQError, match="Address already in use"):
        first.attach("bind", address)


def test_a_port_let_go_of_lately_that_something_else_took_is_given_up_on(prose: Prose) -> None:
    """When the port stays in use because something that is not one of our sockets took it meanwhile, the bind
    gives up with ZeroMQ's error once the time it was let go of for has passed, not never."""
    address = f"tcp://127.0.0.1:{free_port()}"
    using = prose.using_zmq()
    sock = using.bind(address, "PULL")
    using.unbind(address)
    taker = zmq.Context.instance().socket(zmq.PULL)  # not a socket of zmqprose's: it is not counted as ours
    try:
        taker.linger = 0
        FREED.bind(taker, address)  # as soon as libzmq has freed it
        with pytest.raises(zmq.ZMQError, match="Address already in use"):
            sock.attach("bind", address)
    finally:
        taker.close(0)
