"""The one envelope rule (README: *Receiving*), the same for sockets, stubs and the prose API."""

import pytest

from zmqprose.wire.envelope import split_envelope

FREE = "tcp://127.0.0.1:*"


@pytest.mark.parametrize(("type_name", "frames", "peer", "envelope", "body"), [
    ("ROUTER", [b"id", b"", b"hello"], "REQ", [b"id", b""], [b"hello"]),
    ("ROUTER", [b"id", b"", b"hello"], "DEALER", [b"id"], [b"", b"hello"]),
    ("ROUTER", [b"id", b""], "DEALER", [b"id"], [b""]),
    ("ROUTER", [b"id", b"", b"hello"], None, [b"id", b""], [b"hello"]),  # inproc: no metadata
    ("ROUTER", [b"id", b"hello"], "DEALER", [b"id"], [b"hello"]),
    ("DEALER", [b"", b"PONG"], "REP", [b""], [b"PONG"]),
    ("DEALER", [b"", b"PONG"], "ROUTER", [], [b"", b"PONG"]),
    ("REP", [b"id", b"\x00\x01", b"", b"PING"], "REQ", [b"id", b"\x00\x01", b""], [b"PING"]),
    ("PULL", [b"", b"PING"], "PUSH", [], [b"", b"PING"]),
])
def test_the_delimiter_is_taken_off_only_when_the_peer_added_it(type_name, frames, peer, envelope, body):
    assert split_envelope(type_name, frames, peer) == (envelope, body)


@pytest.mark.parametrize(("peer_type", "sent", "seen"), [
    ("REQ", ["hello"], [b"hello"]),
    ("DEALER", ["", "hello"], [b"", b"hello"]),
    ("DEALER", [""], [b""]),
    ("DEALER", ["hello"], [b"hello"]),
])
def test_a_router_socket_and_a_router_stub_see_the_same_message(prose, peer_type, sent, seen):
    router = prose.using_zmq().bind(FREE, "ROUTER", name="router")
    stub = prose.using_zmq().stub(FREE, "ROUTER", name="stub")
    for target in ("router", "stub"):
        peer = prose.using_zmq().connect(f'the endpoint of "{target}"', peer_type)
        prose.using_zmq().send_multi(peer, sent)
    assert prose.from_zmq_socket(router).recv_multi() == seen  # recv_multi: the same rule
    prose.expects_stub("stub").received(sent, within=2)
    assert stub.messages() == [seen]


def test_reply_puts_back_exactly_what_was_taken_off(prose):
    router = prose.using_zmq().bind(FREE, "ROUTER", name="router")
    dealer = prose.using_zmq().connect('the endpoint of "router"', "DEALER")
    prose.using_zmq().send_multi(dealer, ["", "hello"])
    prose.expects_zmq_socket(router).receives(["", "hello"])
    prose.using_zmq().reply(router, ["", "back"])
    prose.expects_zmq_socket(dealer).receives(["", "back"])
