"""A run that shows frames in full (``-D show_frames=full``, ``RunOptions(frames_in_full=True)``) shows them in full
everywhere: a message read in a format, the one-line difference under a failure's "but:", a stub's errors.

Each of these read a fixed shortening before: a message in a format (``wire/format.py``'s module constant), the
difference of frames or values (``wire/matching.py``), and what a stub's rule says of a request
(``stubs/rules.py``, where the run's options did not reach).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from zmqprose import AppError, AppSupervisor, Prose, ProseError, Settings
from zmqprose.actionlog import RunOptions
from zmqprose.apps.ports import free_port
from zmqprose.stubs.rules import Rule, request_lookup
from zmqprose.wire.format import FormatContext, InFormat
from zmqprose.wire.format_registry import get as get_format
from zmqprose.wire.frames import IN_FULL, SHORTENED
from zmqprose.wire.matching import frames_difference, json_difference

FREE = "tcp://127.0.0.1:*"
WORDS = "word " * 120  # 600 characters: longer than any shortening (a frame's 80, a value's 400)
JSON_TEXT = json.dumps({"text": WORDS})


@pytest.fixture
def whole() -> Iterator[Prose]:
    with Prose(Settings({}), timeout=2, options=RunOptions(frames_in_full=True)) as prose:
        yield prose


@pytest.fixture
def shortened() -> Iterator[Prose]:
    with Prose(Settings({}), timeout=2) as prose:
        yield prose


def pair(prose: Prose, bind: str = "PAIR", connect: str = "PAIR") -> None:
    prose.using_zmq().bind(FREE, bind, name="server")
    prose.using_zmq().connect('the endpoint of "server"', connect, name="client")


# -- 1: a message read in a format -------------------------------------------------------------------------------

def test_a_message_in_a_format_is_shown_whole_in_the_log_of_a_run_that_shows_frames_in_full(whole, shortened):
    for prose in (whole, shortened):
        pair(prose)
        prose.using_zmq().send_value("client", {"text": WORDS}, "JSON")
        prose.expects_zmq_socket("server").receives_value({"text": "#string"}, "JSON")
        prose.using_zmq().send_multi("client", ["not JSON", WORDS])  # a socket that spoke JSON: shown as frames
        prose.from_zmq_socket("server").recv_multi()
    log = whole.action_log()
    assert f'JSON {JSON_TEXT}' in log and "chars)" not in log, log
    assert f"['not JSON', '{WORDS}']" in log, log
    cut = shortened.action_log()
    assert WORDS not in cut and f"…({len(JSON_TEXT)} chars)" in cut and f"…({len(WORDS)} bytes)" in cut, cut


def test_a_message_in_a_format_has_a_show_that_follows_the_showing_and_its_text_is_shortened() -> None:
    shown = InFormat(get_format("JSON"), [b"id", JSON_TEXT.encode()], FormatContext(), envelope=1)
    assert shown.show(IN_FULL) == f"['id', JSON {JSON_TEXT}]"
    assert str(shown) == shown.show(SHORTENED) and WORDS not in str(shown)
    not_json = InFormat(get_format("JSON"), [WORDS.encode(), b"{"], FormatContext())
    assert not_json.show(IN_FULL) == f"['{WORDS}', '{{']"


def test_failures_show_a_sockets_messages_in_its_format_whole(whole) -> None:
    pair(whole)
    whole.using_zmq().send_value("client", {"text": "first"}, "JSON")
    whole.expects_zmq_socket("server").receives_value({"text": "first"}, "JSON")  # it reads JSON from now on
    whole.using_zmq().send_value("client", {"text": WORDS}, "JSON")
    with pytest.raises(ProseError) as nothing:
        whole.expects_zmq_socket("server").receives_nothing(timeout=2)
    assert f"but [JSON {JSON_TEXT}] arrived" in str(nothing.value)
    whole.using_zmq().send_value("client", {"text": WORDS}, "JSON")
    with pytest.raises(ProseError) as skipped:
        whole.expects_zmq_socket("server").receives_value({"text": "other"}, "JSON", timeout=0.3, eventually=True)
    assert f"\n  [JSON {JSON_TEXT}]\n" in str(skipped.value), skipped.value
    assert f'got "{WORDS}"' in str(skipped.value), skipped.value  # the closest's difference, whole too


def test_a_frame_that_is_not_the_format_is_shown_whole_in_the_failure(whole, shortened) -> None:
    for prose in (whole, shortened):
        pair(prose)
        prose.using_zmq().send("client", WORDS)
    with pytest.raises(ProseError) as in_full:
        whole.expects_zmq_socket("server").receives_value({}, "JSON")
    with pytest.raises(ProseError) as cut:
        shortened.expects_zmq_socket("server").receives_value({}, "JSON")
    assert "is not a JSON message (" in str(in_full.value) and f"'{WORDS}'" in str(in_full.value)
    assert WORDS not in str(cut.value) and f"…({len(WORDS)} bytes)'" in str(cut.value)


# -- 2: the one-line difference under "but:" ---------------------------------------------------------------------

def test_the_one_line_difference_of_frames_shows_the_frame_whole_when_the_run_does(whole, shortened) -> None:
    for prose in (whole, shortened):
        pair(prose)
        prose.using_zmq().send_multi("client", ["topic", WORDS])
    with pytest.raises(AssertionError) as in_full:
        whole.expects_zmq_socket("server").receives(["topic", "something else"])
    with pytest.raises(AssertionError) as cut:
        shortened.expects_zmq_socket("server").receives(["topic", "something else"])
    assert f"(frame 1 differs: expected 'something else', got '{WORDS}')" in str(in_full.value), in_full.value
    assert f"(frame 1 differs: expected 'something else', got '{WORDS}')" not in str(cut.value)
    assert f"…({len(WORDS)} bytes)')" in str(cut.value)


def test_the_difference_of_a_value_and_the_value_under_but_are_whole_when_the_run_shows_frames_so(whole) -> None:
    pair(whole)
    whole.using_zmq().send_value("client", {"text": WORDS}, "JSON")
    with pytest.raises(AssertionError) as failed:
        whole.expects_zmq_socket("server").receives_value({"text": "x"}, "JSON")
    assert f"but: {JSON_TEXT}\n" in str(failed.value), failed.value
    assert f'(first difference at $.text: expected "x", got "{WORDS}")' in str(failed.value), failed.value


def test_an_eventually_says_how_the_closest_differs_whole_when_the_run_does(whole) -> None:
    pair(whole)
    whole.using_zmq().send_multi("client", ["topic", WORDS])
    with pytest.raises(ProseError) as failed:
        whole.expects_zmq_socket("server").receives(["topic", "x"], timeout=0.3, eventually=True)
    assert f"the closest, ['topic', '{WORDS}']: frame 1 differs: expected 'x', got '{WORDS}'" in str(failed.value)


def test_a_stubs_closest_message_differs_whole_when_the_run_shows_frames_so(whole) -> None:
    whole.using_zmq().stub(FREE, "PULL", name="sink")
    feeder = whole.using_zmq().connect('the endpoint of "sink"', "PUSH")
    whole.using_zmq().send_multi(feeder, ["topic", WORDS])
    whole.using_zmq().send_value(feeder, {"text": WORDS}, "JSON")
    whole.expects_stub("sink").received_count(2, within=2)
    with pytest.raises(ProseError) as frames:
        whole.expects_stub("sink").received(["topic", "x"])
    assert f": frame 1 differs: expected 'x', got '{WORDS}'" in str(frames.value), frames.value
    with pytest.raises(ProseError) as value:
        whole.expects_stub("sink").received_value({"text": "x"}, "JSON")
    assert f"; it received: ['topic', '{WORDS}']; [JSON {JSON_TEXT}]" in str(value.value), value.value
    assert f'at $.text: expected "x", got "{WORDS}"' in str(value.value), value.value


def test_the_wire_functions_take_the_showing_and_shorten_by_default() -> None:
    got = [b"topic", WORDS.encode()]
    assert frames_difference(["topic", "x"], got, showing=IN_FULL) == \
        f"frame 1 differs: expected 'x', got '{WORDS}'"
    assert WORDS not in str(frames_difference(["topic", "x"], got))
    assert str(json_difference({"text": "x"}, {"text": WORDS}, showing=IN_FULL)) == \
        f'at $.text: expected "x", got "{WORDS}"'
    assert WORDS not in str(json_difference({"text": "x"}, {"text": WORDS}))


# -- 3: a stub's rules -------------------------------------------------------------------------------------------

def test_a_stubs_rule_says_what_it_cannot_fill_in_with_the_request_whole_when_the_run_shows_frames_so() -> None:
    request = [b"GET", WORDS.encode()]
    with pytest.raises(ProseError) as in_full:
        request_lookup(request, showing=IN_FULL)("request.frame.5")
    assert f"['GET', '{WORDS}']" in str(in_full.value)
    with pytest.raises(ProseError) as cut:
        request_lookup(request)("request.frame.5")
    assert WORDS not in str(cut.value)
    nested = [json.dumps({"items": WORDS.split()}).encode()]
    with pytest.raises(ProseError) as missing:
        request_lookup(nested, showing=IN_FULL)("request.items.nothing")
    assert json.dumps(WORDS.split()) in str(missing.value), missing.value
    with pytest.raises(ProseError) as as_json:
        Rule(answer=("${request.id}",)).render(request, FormatContext(), IN_FULL)
    assert f"the request is not JSON: ['GET', '{WORDS}']" in str(as_json.value)


def test_a_stubs_own_problems_show_the_request_whole_when_the_run_shows_frames_so(whole) -> None:
    stub = whole.using_zmq().stub(FREE, "REP", name="worker")
    stub.answers("${request.frame.5}", to=["GET", "#ignore"])
    client = whole.using_zmq().connect('the endpoint of "worker"', "REQ")
    whole.using_zmq().send_multi(client, ["GET", WORDS])
    whole.expects_zmq_socket(client).receives(["#regex zmqprose stub: .*only 2 frame.*"])
    with pytest.raises(ProseError) as failed:
        whole.expects_stub("worker").received(["other"])
    assert f"the stub's own problems: ${{request.frame.5}}: the request has only 2 frame(s): ['GET', '{WORDS}']" \
        in str(failed.value), failed.value


def test_a_timed_out_receive_shows_the_sockets_last_message_in_its_format_whole(whole) -> None:
    pair(whole)
    whole.using_zmq().send_value("client", {"text": WORDS}, "JSON")
    whole.expects_zmq_socket("server").receives_value({"text": "#string"}, "JSON")
    with pytest.raises(ProseError) as nothing:
        whole.expects_zmq_socket("server").receives_value({"text": "#string"}, "JSON", timeout=0.1)
    assert f"last message on this socket: [JSON {JSON_TEXT}]" in str(nothing.value), nothing.value


# -- 3: reading the last message, and an app's probe -------------------------------------------------------------

def test_the_last_message_refused_as_a_format_is_shown_whole_when_the_run_shows_frames_so(whole, shortened) -> None:
    for prose in (whole, shortened):
        pair(prose)
        prose.using_zmq().send("client", WORDS)
        prose.from_zmq_socket("server").recv()
    with pytest.raises(ProseError) as in_full:
        whole.from_zmq_socket("server").get_last_value("JSON")
    with pytest.raises(ProseError) as cut:
        shortened.from_zmq_socket("server").get_last_value("JSON")
    assert "is not a JSON message (" in str(in_full.value) and f"'{WORDS}'" in str(in_full.value), in_full.value
    assert WORDS not in str(cut.value) and f"…({len(WORDS)} bytes)'" in str(cut.value), cut.value


def probed(options: RunOptions, probe: dict[str, object], answer: list[str]) -> str:
    """The failure of ``still answers`` for an app (not started by zmqprose) whose port a stub answers."""
    port = free_port()
    settings = Settings({"svc": {"port": port, "probe": {"port": "port", "type": "REQ", **probe}}})
    with Prose(settings, timeout=2, options=options) as prose:
        prose.using_zmq().stub(f"tcp://127.0.0.1:{port}", "REP", name="svc").answers(answer)
        with pytest.raises(ProseError) as failed:
            prose.expects_app("svc").still_answers()
    return str(failed.value)


def test_a_wrong_answer_to_a_probe_of_frames_is_shown_whole_when_the_run_shows_frames_so() -> None:
    probe = {"send": ["PING", WORDS], "expect": ["PONG", f"x{WORDS}"]}
    in_full = probed(RunOptions(frames_in_full=True), probe, ["PONG", WORDS])
    assert in_full.startswith(f"svc answered its probe wrongly: ['PONG', '{WORDS}'] on svc's probe"), in_full
    assert f'svc.port: ["PING", "{WORDS}"]), expected ["PONG", "x{WORDS}"]' in in_full, in_full
    assert f"(frame 1 differs: expected 'x{WORDS}', got '{WORDS}')" in in_full, in_full
    assert "…" not in in_full, in_full
    cut = probed(RunOptions(), probe, ["PONG", WORDS])
    assert f"'{WORDS}'" not in cut and f"…({len(WORDS)} bytes)'" in cut, cut


def test_a_wrong_answer_to_a_probe_in_a_format_is_shown_whole_when_the_run_shows_frames_so() -> None:
    probe = {"format": "JSON", "send": {"text": WORDS}, "expect": {"text": f"x{WORDS}"}}
    in_full = probed(RunOptions(frames_in_full=True), probe, [JSON_TEXT])
    assert in_full.startswith(f"svc answered its probe wrongly: [JSON {JSON_TEXT}] on svc's probe"), in_full
    assert f'svc.port: JSON {JSON_TEXT}), expected JSON {json.dumps({"text": f"x{WORDS}"})}' in in_full, in_full
    assert f'expected "x{WORDS}", got "{WORDS}"' in in_full, in_full
    assert "…" not in in_full, in_full
    cut = probed(RunOptions(), probe, [JSON_TEXT])
    assert WORDS not in cut and "…" in cut, cut


ANSWERS_WRONGLY = """
import sys, zmq
rep = zmq.Context().socket(zmq.REP)
rep.bind(sys.argv[1])
while True:
    rep.recv_multipart()
    rep.send_multipart([b"PONG", sys.argv[2].encode()])
"""


def test_a_probe_at_an_apps_start_says_what_came_whole_when_the_run_shows_frames_so(tmp_path) -> None:
    app = {"start": ["python", "-c", ANSWERS_WRONGLY, "tcp://127.0.0.1:${svc.port}", WORDS], "port": 0,
           "start_timeout": 1, "ready": {"probe": True},
           "probe": {"port": "port", "type": "REQ", "send": ["PING", WORDS], "expect": ["PONG", "other"]}}
    with AppSupervisor(Settings({"svc": app}), log_dir=tmp_path) as apps, \
            Prose(apps.settings, apps, options=RunOptions(frames_in_full=True)), pytest.raises(AppError) as failed:
        apps.ensure_running("svc")
    message = str(failed.value)
    assert f'svc.port: ["PING", "{WORDS}"]) to be answered' in message, message
    assert f"the last attempt got ['PONG', '{WORDS}'] (frame 1 differs: expected 'other', got '{WORDS}')" \
        in message, message


def test_a_struct_frames_value_that_differs_is_shown_whole_when_the_run_shows_frames_so() -> None:
    expected = ['struct:<600s ["#regex ^x"]']
    in_full = frames_difference(expected, [WORDS.encode()], showing=IN_FULL) or ""
    assert f'(value 0: expected #regex ^x, got "{WORDS}")' in in_full, in_full
    cut = frames_difference(expected, [WORDS.encode()]) or ""
    assert f'got "{WORDS}")' not in cut and f"…({len(WORDS) + 2} chars))" in cut, cut
