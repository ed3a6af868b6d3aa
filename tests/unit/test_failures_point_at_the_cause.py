"""Failures that point at the cause (issue 28, item 12): an ``eventually`` that finds nothing shows how the closest
skipped message differs; a SUB's receive that times out hints at its subscription only when that can be the cause."""

from __future__ import annotations

import pytest

from zmqprose import ProseError, WaitTimeout
from zmqprose.wire.matching import edit_distance, frames_closeness, json_closeness

FREE = "tcp://127.0.0.1:*"


def test_the_closest_message_has_the_most_frames_alike_then_the_smallest_edit_distance():
    expected = ["CAMERA", "640x480", "#number"]
    assert frames_closeness(expected, [b"CAMERA", b"480x640", b"30"]) > frames_closeness(expected, [b"LIGHT", b"on",
                                                                                                     b"1"])
    assert frames_closeness(expected, [b"CAMERA", b"640x481", b"x"]) > frames_closeness(expected, [b"CAMERA",
                                                                                                    b"1024x768", b"x"])
    assert json_closeness({"size": "640x480", "fps": 30}, {"size": "480x640", "fps": 30}) \
        > json_closeness({"size": "640x480", "fps": 30}, {"size": "640x481", "fps": 25})  # more fields alike
    assert json_closeness({"size": "640x480", "fps": 30}, {"size": "640x481", "fps": 30}) \
        > json_closeness({"size": "640x480", "fps": 30}, {"size": "480x640", "fps": 30})  # then the edit distance
    assert json_closeness({"a": 1, "b": 2}, {"a": 1, "b": 3}) > json_closeness({"a": 1, "b": 2}, {"a": 0, "b": 0})
    assert edit_distance("640x480", "480x640") == 4 and edit_distance("", "abc") == 3
    assert edit_distance("a" * 10_000, "b" * 10_000) == 48  # the starts only: bounded cost


def test_an_eventually_of_frames_that_finds_nothing_shows_how_the_closest_differs(prose):
    pull = prose.using_zmq().bind(FREE, "PULL", name="camera")
    push = prose.using_zmq().connect('the endpoint of "camera"', "PUSH")
    for frames in (["CAMERA", "480x640", "30"], ["LIGHT", "on", "1"], ["LIGHT", "off", "2"]):
        prose.using_zmq().send_multi(push, frames)
    with pytest.raises(WaitTimeout) as failure:
        prose.expects_zmq_socket(pull).receives(["CAMERA", "640x480", "#number"], timeout=0.3, eventually=True)
    said = str(failure.value)
    assert "3 that did not were skipped" in said
    assert ("the closest, ['CAMERA', '480x640', '30']: frame 1 differs: expected '640x480', got '480x640'"
            in said), said


def test_an_eventually_of_a_value_that_finds_nothing_shows_how_the_closest_differs(prose):
    pull = prose.using_zmq().bind(FREE, "PULL", name="camera")
    push = prose.using_zmq().connect('the endpoint of "camera"', "PUSH")
    for value in ({"kind": "camera", "size": "480x640"}, {"kind": "light", "on": True}, "not an object"):
        prose.using_zmq().send_value(push, value, "JSON")
    prose.using_zmq().send(push, "not JSON")
    with pytest.raises(WaitTimeout) as failure:
        prose.expects_zmq_socket(pull).receives_json({"kind": "camera", "size": "640x480"}, timeout=0.3,
                                                     eventually=True)
    said = str(failure.value)
    assert '4 that did not were skipped' in said
    assert ('the closest, [JSON {"kind": "camera", "size": "480x640"}]: at $.size: expected "640x480", '
            'got "480x640"') in said, said


def _sub(prose, *topics: str):
    pub = prose.using_zmq().bind(FREE, "PUB", name="feed")
    sub = prose.using_zmq().connect('the endpoint of "feed"', "SUB", subscribe=topics)
    return pub, sub


def test_a_sub_that_heard_its_topic_before_is_not_told_to_check_its_subscription(prose):
    """The hint "is it subscribed to the topic…?" came although messages on that topic had arrived."""
    pub, sub = _sub(prose, "alerts.")
    prose.expects_zmq_socket(pub).has_subscriber("alerts.", timeout=2)
    prose.using_zmq().send_multi(pub, ["alerts.cpu", "hot"])
    prose.expects_zmq_socket(sub).receives(["alerts.cpu", "hot"], timeout=2)
    with pytest.raises(WaitTimeout) as failure:
        prose.expects_zmq_socket(sub).receives_message(timeout=0.2)
    assert "subscribed" not in str(failure.value)
    assert "last message on this socket: ['alerts.cpu', 'hot']" in str(failure.value)


def test_a_sub_that_never_heard_its_topic_or_has_no_subscription_is_told_so(prose):
    _pub, sub = _sub(prose, "alerts.")
    with pytest.raises(WaitTimeout, match=r"is it subscribed to the topic, and was it connected before"):
        prose.expects_zmq_socket(sub).receives_message(timeout=0.2)
    bare = prose.using_zmq().connect('the endpoint of "feed"', "SUB", name="bare")
    with pytest.raises(WaitTimeout, match=r"it is subscribed to nothing, so it receives nothing: subscribe it"):
        prose.expects_zmq_socket(bare).receives_message(timeout=0.2)
    prose.using_zmq().subscribe(bare, "metrics.")  # a new topic: the hint is back until it is heard
    prose.using_zmq().unsubscribe(sub, "alerts.")
    with pytest.raises(WaitTimeout, match="subscribed to nothing"):
        prose.expects_zmq_socket(sub).receives_message(timeout=0.2)
    with pytest.raises(WaitTimeout, match="is it subscribed to the topic"):
        prose.expects_zmq_socket(bare).receives_message(timeout=0.2)


def test_a_req_or_rep_that_waits_in_vain_is_not_told_of_the_order_of_requests_and_answers(prose):
    """A REQ that had sent its request was told "a REQ socket must send a request before it receives": ZeroMQ
    refuses that at once, so a wait that runs out is for an answer."""
    rep = prose.using_zmq().bind(FREE, "REP", name="service")
    req = prose.using_zmq().connect('the endpoint of "service"', "REQ", name="client")
    with pytest.raises(WaitTimeout) as silent:
        prose.expects_zmq_socket(rep).receives_message(timeout=0.2)
    assert "must answer" not in str(silent.value)
    prose.using_zmq().send(req, "PING")
    with pytest.raises(WaitTimeout) as unanswered:
        prose.expects_zmq_socket(req).receives(["PONG"], timeout=0.2)
    assert "must send a request" not in str(unanswered.value)
    assert "its request has had no answer: is the peer up, and does it answer this request?" in str(unanswered.value)


def test_a_stub_that_received_no_match_shows_how_the_closest_of_what_it_received_differs(prose):
    prose.using_zmq().stub(FREE, "PULL", name="camera")
    push = prose.using_zmq().connect('the endpoint of "camera"', "PUSH")
    for frames in (["CAMERA", "480x640"], ["LIGHT", "on"]):
        prose.using_zmq().send_multi(push, frames)
    prose.using_zmq().send_json(push, {"kind": "camera", "size": "480x640"})
    prose.expects_stub("camera").received_count(3, within=2)
    with pytest.raises(ProseError) as frames_failure:
        prose.expects_stub("camera").received(["CAMERA", "640x480"])
    assert ("the closest, ['CAMERA', '480x640']: frame 1 differs: expected '640x480', got '480x640'"
            in str(frames_failure.value)), str(frames_failure.value)
    with pytest.raises(ProseError) as value_failure:
        prose.expects_stub("camera").received_json({"size": "640x480"})
    assert ('the closest, [JSON {"kind": "camera", "size": "480x640"}]: at $.size: expected "640x480", '
            'got "480x640"') in str(value_failure.value), str(value_failure.value)
