"""The prose API against real ZeroMQ sockets on loopback."""

import re
import time

import pytest
import zmq

from zmqprose import ProseError, WaitTimeout

FREE = "tcp://127.0.0.1:*"


def pair(prose, bind_type="PULL", connect_type="PUSH"):
    """A bound socket and a socket connected to it."""
    server = prose.using_zmq().bind(FREE, bind_type, name="server")
    client = prose.using_zmq().connect('the endpoint of "server"', connect_type, name="client")
    return server, client


def test_send_and_receive_a_multipart_message(prose):
    server, client = pair(prose)
    prose.using_zmq().send_multi(client, ["PING", "hex:00ff", ""])
    assert prose.from_zmq_socket(server).recv_multi() == [b"PING", b"\x00\xff", b""]
    assert prose.from_zmq_socket("server").get_last_message() == [b"PING", b"\x00\xff", b""]


def test_a_wildcard_bind_reports_its_real_port(prose):
    server = prose.using_zmq().bind(FREE, "PULL")
    (endpoint,) = prose.from_zmq_socket(server).get_endpoints()
    assert endpoint.startswith("tcp://127.0.0.1:") and not endpoint.endswith("*")


def test_a_receive_that_times_out_names_socket_endpoint_and_wait(prose):
    server, _ = pair(prose)
    began = time.monotonic()
    with pytest.raises(WaitTimeout) as failure:
        prose.from_zmq_socket(server).recv_multi(timeout=0.2)
    assert time.monotonic() - began < 5  # bounded: the limit is generous, the point is that it returns
    message = str(failure.value)
    assert message.startswith('nothing arrived on "server" (PULL, tcp://127.0.0.1:')
    assert "within 0.2 s" in message


def test_a_timeout_shows_the_last_message_that_did_arrive(prose):
    server, client = pair(prose)
    prose.using_zmq().send_multi(client, ["PONG", "41"])
    prose.expects_zmq_socket(server).receives(["PONG", "41"])
    with pytest.raises(WaitTimeout, match=r"last message on this socket: \['PONG', '41'\]"):
        prose.expects_zmq_socket(server).receives(["PONG", "42"], timeout=0.1)


def test_a_different_message_is_shown_beside_the_expected_one(prose):
    server, client = pair(prose)
    prose.using_zmq().send_multi(client, ["PONG", "41"])
    with pytest.raises(AssertionError, match=r"(?s)Expected: \['PONG', '42'\].*but: \['PONG', '41'\]"):
        prose.expects_zmq_socket(server).receives(["PONG", "42"])


def test_sending_without_blocking_fails_at_once_when_no_peer_can_take_it(prose):
    lonely = prose.using_zmq().bind(FREE, "PUSH", name="lonely")
    with pytest.raises(ProseError, match=r'"lonely" \(PUSH, .*\) would block sending \[\'now\'\]'):
        prose.using_zmq().send_non_blocking(lonely, "now")
    with pytest.raises(ProseError, match="would block"):
        prose.expects_zmq_socket(lonely).can_send_multi_non_blocking(["a", "b"])


def test_a_blocking_send_fails_after_its_timeout_with_a_hint(prose):
    lonely = prose.using_zmq().bind(FREE, "PUSH", name="lonely")
    with pytest.raises(WaitTimeout, match="could not send on .* within 0.1 s.*no peer is connected"):
        prose.using_zmq().send(lonely, "now", timeout=0.1)


def test_req_rep_and_reply(prose):
    server, client = pair(prose, "REP", "REQ")
    prose.using_zmq().send(client, "PING")
    prose.expects_zmq_socket(server).receives(["PING"])
    prose.using_zmq().reply(server, ["PONG"])
    prose.expects_zmq_socket(client).receives(["PONG"])


def test_a_req_socket_that_sends_twice_is_told_why_it_cannot(prose):
    _, client = pair(prose, "REP", "REQ")
    prose.using_zmq().send(client, "one")
    with pytest.raises(ProseError, match="a REQ socket must receive its reply before it sends again"):
        prose.using_zmq().send(client, "two", timeout=0.1)


def test_a_router_hides_the_routing_id_and_replies_to_the_sender(prose):
    router, dealer = pair(prose, "ROUTER", "DEALER")
    prose.using_zmq().send_multi(dealer, ["GET", "42"])
    prose.expects_zmq_socket(router).receives(["GET", "42"])
    prose.using_zmq().reply(router, ["OK"])
    prose.expects_zmq_socket(dealer).receives(["OK"])


def test_reply_needs_a_request_first(prose):
    server, _ = pair(prose, "REP", "REQ")
    with pytest.raises(ProseError, match="has received nothing to reply to"):
        prose.using_zmq().reply(server, ["PONG"])


def test_count_nothing_and_waiting(prose):
    server, client = pair(prose)
    prose.expects_zmq_socket(server).receives_nothing(timeout=0.05)
    for text in ("one", "two"):
        prose.using_zmq().send(client, text)
    with pytest.raises(WaitTimeout, match=r"only 2 of 3 messages arrived .* the last: \['two'\]"):
        prose.expects_zmq_socket(server).receives_count(3, timeout=0.3)
    prose.using_zmq().send(client, "late")
    with pytest.raises(ProseError, match=r"expected nothing .* but \['late'\] arrived"):
        prose.expects_zmq_socket(server).receives_nothing(timeout=2)


def test_waiting_checks_never_take_the_message(prose):
    server = prose.using_zmq().bind("inproc://waiting", "PULL", name="server")
    client = prose.using_zmq().connect("inproc://waiting", "PUSH")
    prose.expects_zmq_socket(server).has_nothing_waiting()
    prose.using_zmq().send(client, "queued")
    prose.expects_zmq_socket(server).has_message_waiting()
    prose.expects_zmq_socket(server).has_message_waiting()
    assert prose.from_zmq_socket(server).recv_non_blocking() == b"queued"
    assert prose.from_zmq_socket(server).recv_non_blocking() is None


def test_is_connected_to_uses_the_sockets_own_endpoints(prose):
    server, client = pair(prose)
    (endpoint,) = prose.from_zmq_socket(server).get_endpoints()
    prose.expects_zmq_socket(client).is_connected_to(endpoint)
    with pytest.raises(ProseError, match=r'"client" is not connected to "tcp://127.0.0.1:1"'):
        prose.expects_zmq_socket(client).is_connected_to("tcp://127.0.0.1:1")
    prose.using_zmq().disconnect(endpoint)
    prose.expects_zmq_socket(client).is_not_connected_to(endpoint)


def test_finding_sockets(prose):
    pair(prose)
    with pytest.raises(ProseError, match='no socket named "nobody" in this scenario'):
        prose.socket("nobody")
    with pytest.raises(ProseError, match=r"no socket for \"tcp://127.0.0.1:1\" in this scenario: make one first"):
        prose.socket("tcp://127.0.0.1:1")
    with pytest.raises(ProseError, match='a socket named "server" exists already'):
        prose.using_zmq().bind(FREE, "PULL", name="server")


def test_an_endpoint_shared_by_two_sockets_asks_for_names(prose):
    server = prose.using_zmq().bind("inproc://shared", "PULL")
    prose.using_zmq().connect("inproc://shared", "PUSH")
    with pytest.raises(ProseError, match=r'2 sockets use "inproc://shared" .* make them with as "NAME"'):
        prose.socket("inproc://shared")
    assert prose.socket(server) is server


def test_options_are_set_before_connecting_and_checked(prose):
    router = prose.using_zmq().bind(FREE, "ROUTER", name="router")
    dealer = prose.using_zmq().connect('the endpoint of "router"', "DEALER",
                                       options={"ROUTING_ID": "dealer-1", "SNDHWM": "10"})
    assert dealer.zmq.getsockopt(zmq.SNDHWM) == 10
    prose.using_zmq().send(dealer, "hi")
    prose.from_zmq_socket(router).recv_multi()
    assert router.last_envelope == [b"dealer-1"]
    with pytest.raises(ProseError, match="unknown socket option 'SNDHWMM'"):
        prose.using_zmq().connect(FREE.replace("*", "1"), "PUSH", options={"SNDHWMM": 1})
    with pytest.raises(ProseError, match="SNDHWM takes a whole number, not 'lots'"):
        prose.using_zmq().connect("tcp://127.0.0.1:1", "PUSH", options={"SNDHWM": "lots"})


def test_subscriptions(prose):
    pub = prose.using_zmq().bind("inproc://events", "PUB", name="pub")
    sub = prose.using_zmq().connect("inproc://events", "SUB", name="sub", subscribe=["alerts."])
    prose.using_zmq().send_multi(pub, ["metrics.cpu", "1"])
    prose.using_zmq().send_multi(pub, ["alerts.disk", "full"])
    prose.expects_zmq_socket(sub).receives(["alerts.disk", "full"])
    prose.using_zmq().unsubscribe(sub, "alerts.")
    prose.using_zmq().subscribe(sub, "metrics.")
    prose.using_zmq().send_multi(pub, ["alerts.disk", "full"])
    prose.using_zmq().send_multi(pub, ["metrics.cpu", "2"])
    prose.expects_zmq_socket(sub).receives(["metrics.cpu", "2"])
    with pytest.raises(ProseError, match="only a SUB socket can subscribe"):
        prose.using_zmq().subscribe(pub, "x")


def test_binding_an_address_in_use_says_something_else_holds_it(prose):
    server = prose.using_zmq().bind(FREE, "PULL")
    (endpoint,) = prose.from_zmq_socket(server).get_endpoints()
    with pytest.raises(ProseError, match=f"cannot bind a PULL socket to {endpoint}: .*something else holds"):
        prose.using_zmq().bind(endpoint, "PULL")


def test_a_bad_address_says_how_to_write_one(prose):
    with pytest.raises(ProseError, match="cannot connect a PUSH socket to tcp://nowhere: .* such as"):
        prose.using_zmq().connect("tcp://nowhere", "PUSH")


def test_closing_with_messages_queued_for_a_dead_peer_does_not_wait(prose):
    stuck = prose.using_zmq().connect("tcp://127.0.0.1:1", "PUSH", name="stuck")
    for number in range(100):
        prose.using_zmq().send(stuck, f"lost {number}")
    began = time.monotonic()
    prose.close()
    assert time.monotonic() - began < 5  # no LINGER wait (how fast a run ends: bench/timeouts.py)


def test_close_forgets_the_socket(prose):
    server, _ = pair(prose)
    prose.using_zmq().close("server")
    assert server.closed
    with pytest.raises(ProseError, match=r"\"server\" was closed by an earlier step"):
        prose.socket("server")
    with pytest.raises(ProseError, match="is closed"):
        prose.socket(server)


def test_json_is_checked_before_it_is_sent_and_after_it_arrives(prose):
    server, client = pair(prose)
    with pytest.raises(ProseError, match="the JSON message to send is not valid JSON"):
        prose.using_zmq().send_json(client, '{"id": 1,}')
    prose.using_zmq().send_json(client, '{"id": 1, "tags": ["a"]}')
    assert prose.expects_zmq_socket(server).receives_json({"id": "#number"}, subset=True) == {"id": 1, "tags": ["a"]}
    prose.using_zmq().send(client, "not json")
    with pytest.raises(ProseError, match="is not a JSON message .* 'not json'"):
        prose.expects_zmq_socket(server).receives_json({})


def test_the_checkpoint_holds_texts_and_messages(prose):
    prose.checkpoint.response = [b"PONG", b"42"]
    prose.checkpoint.set("request_id", "abc")
    prose.expects_checkpoint().holds("response", ["PONG", "#regex \\d+"])
    prose.expects_checkpoint().holds("request_id", "abc")
    prose.expects_checkpoint().lacks("other")
    with pytest.raises(AssertionError, match="the checkpoint 'request_id' is not what was expected"):
        prose.expects_checkpoint().holds("request_id", "abd")


def test_a_handshake_is_awaited_and_one_that_already_happened_counts(prose):
    server, client = pair(prose)
    prose.expects_zmq_socket(client).becomes_connected(timeout=2)
    prose.expects_zmq_socket(server).becomes_connected(timeout=2)
    prose.expects_zmq_socket(client).becomes_connected(timeout=0)


def test_no_handshake_without_a_peer_fails_naming_the_endpoint(prose):
    lonely = prose.using_zmq().connect("tcp://127.0.0.1:1", "SUB", name="lonely")
    with pytest.raises(WaitTimeout, match=r'"lonely" \(SUB, tcp://127.0.0.1:1\) made no connection .* 0.2 s'):
        prose.expects_zmq_socket(lonely).becomes_connected(timeout=0.2)


def test_a_socket_nobody_can_close_holds_neither_the_scenario_nor_the_end_of_the_run(capfd):
    """An interrupt inside pyzmq's Context.socket leaves a socket that the context does not know of: the
    scenario ends at once all the same, and the run's context, which would wait for it for ever, is waited
    for a while and left to end in the background, saying so."""
    from zmqprose import Prose, Settings
    from zmqprose.sockets.context import end_run_context, run_context

    prose = Prose(Settings({}))
    stray = zmq.Socket(run_context(), zmq.PULL)  # made as Context.socket makes one, never noted
    began = time.monotonic()
    prose.close()
    assert time.monotonic() - began < 1
    assert not end_run_context(within=0.2)
    assert time.monotonic() - began < 5
    assert "did not end within 0.2 s" in capfd.readouterr().err
    stray.close()  # then the context ends in the background
    assert run_context() is not None  # and the next scenario has a context of its own


def test_each_send_and_receive_is_one_line_of_the_action_log_with_what_it_waited_and_got(prose):
    server, client = pair(prose)
    prose.using_zmq().send_multi(client, ["PING", "42"])
    prose.from_zmq_socket(server).recv_multi()
    with pytest.raises(WaitTimeout):
        prose.from_zmq_socket(server).recv_multi(timeout=0.1)
    lines = prose.action_log().splitlines()[-3:]
    address = server.addresses[0]
    assert re.fullmatch(rf"\+\d+\.\d{{3}} s  send_multi -> {address}  \['PING', '42'\]  waited \d\.\d{{3}} s", lines[0])
    assert re.fullmatch(rf"\+\d+\.\d{{3}} s  recv_multi <- {address}  waited \d\.\d{{3}} s  \['PING', '42'\]", lines[1])
    assert re.fullmatch(rf"\+\d+\.\d{{3}} s  recv_multi <- {address}  waited 0\.\d{{3}} s  nothing arrived", lines[2])
