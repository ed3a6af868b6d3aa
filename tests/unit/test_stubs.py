"""Stubs: rule matching, ${request…} answers, the record, and background work done right."""

import threading
import time

import pytest

from zmqprose import ProseError
from zmqprose.stubs.rules import Rule, request_lookup
from zmqprose.wire.format_registry import FormatContext

FREE = "tcp://127.0.0.1:*"


@pytest.mark.parametrize(("rule", "message", "matches"), [
    (Rule(answer=("PONG",), frames=("PING",)), [b"PING"], True),
    (Rule(answer=("PONG",), frames=("PING",)), [b"PING", b"1"], False),
    (Rule(answer=("OK",), frames=("GET", "#string")), [b"GET", b"42"], True),
    (Rule(answer=("OK",), frames=("#regex GET|PUT",)), [b"PUT"], True),
    (Rule(answer=("OK",), value_subset={"command": "status"}), [b'{"command": "status", "id": 1}'], True),
    (Rule(answer=("OK",), value_subset={"command": "status"}), [b'{"command": "stop"}'], False),
    (Rule(answer=("OK",), value_subset={"command": "status"}), [b"not json"], False),
    (Rule(answer=("OK",)), [b"anything", b"at all"], True),
])
def test_rules_match_requests(rule, message, matches):
    assert rule.matches(message, FormatContext()) is matches


def test_request_values_fill_in_answers():
    lookup = request_lookup([b"GET", b'{"id": "r-1", "items": [{"name": "a"}]}'])
    assert lookup("request.frame.0") == b"GET"  # a frame as it came: filled into an answer, it is sent as it came
    assert lookup("request.id") == "r-1"
    assert lookup("request.items.0.name") == "a"
    with pytest.raises(ProseError, match="the request has only 2 frame"):
        lookup("request.frame.5")
    with pytest.raises(ProseError, match="the request has no 'missing'"):
        lookup("request.missing")


def test_a_stub_answers_by_rules_in_order_and_records(prose):
    stub = prose.using_zmq().stub(FREE, "REP", name="worker")
    stub.answers("PONG", to="PING")
    stub.answers(["OK", "${request.frame.1}"], to=["GET", "#string"])
    stub.answers("first wins", to="#ignore")
    stub.answers("never", to="#ignore")
    client = prose.using_zmq().connect('the endpoint of "worker"', "REQ")
    for request, answer in ((["PING"], ["PONG"]), (["GET", "7"], ["OK", "7"]), (["X"], ["first wins"])):
        prose.using_zmq().send_multi(client, request)
        prose.expects_zmq_socket(client).receives(answer)
    assert stub.messages() == [[b"PING"], [b"GET", b"7"], [b"X"]]
    prose.expects_stub("worker").received_count(3)
    prose.expects_stub("worker").received(["GET", "#number"])


def test_a_bad_request_reference_answers_with_the_problem_and_reports_it(prose):
    stub = prose.using_zmq().stub(FREE, "REP", name="worker")
    stub.answers("${request.id}", to="#ignore")
    client = prose.using_zmq().connect('the endpoint of "worker"', "REQ")
    prose.using_zmq().send(client, "not json")
    prose.expects_zmq_socket(client).receives(["#regex zmqprose stub: .*the request is not JSON.*"])
    with pytest.raises(ProseError, match=r"(?s)received no message matching \['other'\].*the stub's own problems"):
        prose.expects_stub(stub.sock).received(["other"])


def test_received_within_waits_and_fails_with_what_came(prose):
    prose.using_zmq().stub(FREE, "PULL", name="sink")
    feeder = prose.using_zmq().connect('the endpoint of "sink"', "PUSH")
    prose.using_zmq().send(feeder, "late")
    prose.expects_stub("sink").received(["late"], within=2)
    began = time.monotonic()
    missing = r"received no message matching \['never'\] within 0.2 s; it received: \['late'\]"
    with pytest.raises(ProseError, match=missing):
        prose.expects_stub("sink").received(["never"], within=0.2)
    assert time.monotonic() - began < 5  # it gave up after its wait, not later


def test_a_stub_socket_is_not_for_other_steps_and_not_every_type_can_be_one(prose):
    prose.using_zmq().stub(FREE, "PULL", name="sink")
    with pytest.raises(ProseError, match='"sink" .* is a stub, receiving in its own thread'):
        prose.using_zmq().send("sink", "x")
    with pytest.raises(ProseError, match="a PUSH socket cannot be a stub, for it does not receive"):
        prose.using_zmq().stub(FREE, "PUSH")
    with pytest.raises(ProseError, match="cannot answer: a PULL socket only receives"):
        prose.the_stub("sink").answers("x")
    plain = prose.using_zmq().bind(FREE, "PULL", name="plain")
    with pytest.raises(ProseError, match="is not a stub"):
        prose.the_stub(plain)


def test_no_stub_thread_or_socket_outlives_its_scenario(prose):
    stub = prose.using_zmq().stub(FREE, "REP", name="worker")
    stub.answers("slow", to="#ignore", after=30)
    client = prose.using_zmq().connect('the endpoint of "worker"', "REQ")
    prose.using_zmq().send(client, "PING")
    prose.expects_stub("worker").received(["PING"], within=2)  # the stub is now waiting 30 s to answer
    began = time.monotonic()
    prose.close()
    assert time.monotonic() - began < 5  # not the 30 s the stub was waiting
    assert not any(thread.name.startswith("zmqprose stub") for thread in threading.enumerate())
    assert stub.sock.zmq.closed


def test_a_request_that_breaks_a_rule_is_recorded_reported_and_the_stub_keeps_serving(prose):
    stub = prose.using_zmq().stub(FREE, "ROUTER", name="worker")
    stub.answers("slow", to="#regex (a|aa)+$")  # a rule that runs out of time on some requests
    stub.answers("ok", to="#ignore")
    client = prose.using_zmq().connect('the endpoint of "worker"', "DEALER")
    prose.using_zmq().send(client, "a" * 45 + "!")
    prose.using_zmq().send(client, "next")
    prose.expects_zmq_socket(client).receives(["ok"], timeout=5)
    prose.expects_stub("worker").received_count(2)
    with pytest.raises(ProseError, match=r"the stub's own problems: could not answer \['a+!'\]: the pattern"):
        prose.expects_stub("worker").received(["never"])


def test_a_json_rule_answers_a_deeply_nested_request_with_nothing_and_keeps_serving(prose):
    stub = prose.using_zmq().stub(FREE, "REP", name="worker")
    stub.answers('{"ok": true}', to_value={"command": "status"}, format="JSON")
    client = prose.using_zmq().connect('the endpoint of "worker"', "REQ")
    prose.using_zmq().send(client, "[" * 5000 + "]" * 5000)
    prose.expects_zmq_socket(client).receives(["#regex zmqprose stub: no rule for .*"])
    prose.using_zmq().send(client, '{"command": "status", "quote": "\\""}')
    prose.expects_zmq_socket(client).receives(['{"ok": true}'])


def test_a_rule_is_checked_when_it_is_given(prose):
    stub = prose.using_zmq().stub(FREE, "REP", name="worker")
    with pytest.raises(ProseError, match="bad pattern"):
        stub.answers("x", to="#regex ([a")
    with pytest.raises(ProseError, match="bad pattern"):
        stub.answers("x", to_value={"name": "#regex ([a"})
    with pytest.raises(ProseError, match="the stub's JSON answer, written as JSON, is not valid JSON"):
        stub.answers("{not json", to="PING", format="JSON")


def test_a_stub_stopped_just_as_its_thread_ends_is_done_and_its_socket_closed_once(prose):
    """The thread reads who closes the socket as it ends, and stop() decides it: a stop() that saw the thread
    still alive after it had read "not me" left the socket to nobody, and the stub was never done."""
    stub = prose.using_zmq().stub("tcp://127.0.0.1:*", "REP", name="worker")
    stub._stop.set()
    stub._thread.join(5)
    assert not stub._thread.is_alive()
    stub._thread.is_alive = lambda: True  # the moment between the thread's last read and its end, held open
    stub.stop()
    assert stub.is_done(), "nobody closes the stub's socket: neither its thread (ended) nor its scenario"
