"""A receive that expects the envelope its socket sets aside (a ROUTER's routing id, a REQ peer's delimiter) says so.

On a ROUTER, ``['#ignore', topic, body]`` failed with "expected 3 frame(s), got 2", and nothing said that the
routing id had been set aside before the frames were matched (README: the envelope rule); so did a format's
``with the envelope [...]``, which checks only the frames after the routing id, and a ROUTER stub's check.
"""

from __future__ import annotations

import pytest

from zmqprose import ProseError
from zmqprose.wire.frames import SHORTENED

FREE = "tcp://127.0.0.1:*"
SAYS = "which a ROUTER sets aside (its peer's routing id): leave it out of the expected frames)"


def router_and_dealer(prose, peer: str = "DEALER"):
    router = prose.using_zmq().bind(FREE, "ROUTER", name="server")
    client = prose.using_zmq().connect('the endpoint of "server"', peer, name="client",
                                       options={"ROUTING_ID": "client-1"})
    return router, client


def test_a_router_expecting_the_routing_id_is_told_it_was_set_aside(prose) -> None:
    router, dealer = router_and_dealer(prose)
    prose.using_zmq().send_multi(dealer, ["topic", "body"])
    with pytest.raises(ProseError) as failed:
        prose.expects_zmq_socket(router).receives(["#ignore", "topic", "body"])
    said = str(failed.value)
    assert f"(expected 3 frame(s), got 2 (after the envelope ['client-1'], {SAYS}" in said, said


def test_an_eventually_on_a_router_says_so_of_the_closest_message(prose) -> None:
    router, dealer = router_and_dealer(prose)
    prose.using_zmq().send_multi(dealer, ["topic", "body"])
    with pytest.raises(ProseError) as failed:
        prose.expects_zmq_socket(router).receives(["#ignore", "topic", "body"], timeout=0.3, eventually=True)
    assert f"the closest, ['topic', 'body']: expected 3 frame(s), got 2 (after the envelope ['client-1'], {SAYS}" \
        in str(failed.value), failed.value


def test_a_req_peers_delimiter_is_named_with_the_routing_id(prose) -> None:
    router, req = router_and_dealer(prose, "REQ")
    prose.using_zmq().send(req, "hello")
    with pytest.raises(ProseError) as failed:
        prose.expects_zmq_socket(router).receives(["#ignore", "", "hello"])
    assert ("expected 3 frame(s), got 1 (after the envelope ['client-1', ''], which a ROUTER sets aside (its peer's "
            "routing id, and a REQ peer's empty delimiter): leave it out of the expected frames)") in str(failed.value)


def test_a_count_the_envelope_cannot_explain_is_said_as_before(prose) -> None:
    router, dealer = router_and_dealer(prose)
    prose.using_zmq().send_multi(dealer, ["topic", "body"])
    with pytest.raises(ProseError) as more:
        prose.expects_zmq_socket(router).receives(["a", "b", "c", "d"])
    assert "(expected 4 frame(s), got 2)" in str(more.value)
    prose.using_zmq().send_multi(dealer, ["topic", "body"])
    with pytest.raises(ProseError) as fewer:
        prose.expects_zmq_socket(router).receives(["topic"])
    assert "(expected 1 frame(s), got 2)" in str(fewer.value)
    pull = prose.using_zmq().bind(FREE, "PULL", name="sink")
    push = prose.using_zmq().connect('the endpoint of "sink"', "PUSH")
    prose.using_zmq().send_multi(push, ["topic", "body"])
    with pytest.raises(ProseError) as plain:
        prose.expects_zmq_socket(pull).receives(["#ignore", "topic", "body"])
    assert "(expected 3 frame(s), got 2)" in str(plain.value)


def test_a_formats_envelope_on_a_router_is_told_the_routing_id_was_set_aside(prose) -> None:
    router, dealer = router_and_dealer(prose)
    prose.using_zmq().send_value(dealer, {"status": "ok"}, "JSON")
    with pytest.raises(ProseError) as failed:
        prose.expects_zmq_socket(router).receives_value({"status": "ok"}, "JSON", envelope=["#ignore"])
    assert ("is [], not the one expected ['#ignore'] (expected 1 frame(s), got 0 (after the envelope ['client-1'], "
            "which a ROUTER sets aside (its peer's routing id): leave it out of the envelope expected))") \
        in str(failed.value), failed.value
    prose.using_zmq().send_value(dealer, {"status": "ok"}, "JSON", envelope=["x"])
    prose.expects_zmq_socket(router).receives_value({"status": "ok"}, "JSON", envelope=["x"])  # after the id: checked


def test_a_router_stubs_check_says_what_it_set_aside(prose) -> None:
    prose.using_zmq().stub(FREE, "ROUTER", name="broker")
    dealer = prose.using_zmq().connect('the endpoint of "broker"', "DEALER")
    prose.using_zmq().send_multi(dealer, ["topic", "body"])
    with pytest.raises(ProseError) as failed:
        prose.expects_stub("broker").received(["#ignore", "topic", "body"], within=2)
    assert ("the closest, ['topic', 'body']: expected 3 frame(s), got 2 (after the envelope, which a ROUTER sets aside "
            "(its peer's routing id, and a REQ peer's empty delimiter): leave it out of the expected frames)") \
        in str(failed.value), failed.value


def test_what_is_said_of_an_envelope_set_aside() -> None:
    from zmqprose.wire.envelope import envelope_set_aside  # here: each test fails on its own before it was

    assert envelope_set_aside("ROUTER", [b"\0\x80\0\0\x29"], 1, SHORTENED) == \
        " (after the envelope ['hex:0080000029'], which a ROUTER sets aside (its peer's routing id): " \
        "leave it out of the expected frames)"
    assert envelope_set_aside("ROUTER", [b"id"], 2, SHORTENED) == ""  # one frame set aside cannot explain two
    assert envelope_set_aside("ROUTER", [b"id"], 0, SHORTENED) == ""
    assert envelope_set_aside("PULL", [], 1, SHORTENED) == ""
    assert envelope_set_aside("DEALER", [b""], 1, SHORTENED) == \
        " (after the envelope [''], which a DEALER sets aside (a REP peer's empty delimiter): " \
        "leave it out of the expected frames)"
    assert envelope_set_aside("REP", None, 1, SHORTENED) == \
        " (after the envelope, which a REP stub sets aside (everything up to the first empty frame, as a REP " \
        "socket does): leave it out of the expected frames)"


def test_a_router_stubs_rule_written_with_the_routing_id_says_why_it_does_not_answer(prose) -> None:
    stub = prose.using_zmq().stub(FREE, "ROUTER", name="broker")
    stub.answers(["OK"], to=["#ignore", "PING"])
    stub.answers(["done"], to=["sync"])
    dealer = prose.using_zmq().connect('the endpoint of "broker"', "DEALER", options={"ROUTING_ID": "client-1"})
    prose.using_zmq().send(dealer, "PING")
    prose.using_zmq().send(dealer, "sync")
    prose.expects_zmq_socket(dealer).receives(["done"])  # the stub has handled the PING before it: in order
    said = ("the rule for ['#ignore', 'PING'] did not answer ['PING'] (after the envelope ['client-1'], which a "
            "ROUTER sets aside (its peer's routing id): leave it out of the rule's frames)")
    with pytest.raises(ProseError) as failed:
        prose.expects_stub("broker").received(["never"])
    assert f"the stub's own problems: {said}" in str(failed.value), failed.value
    assert said in prose.action_log()
