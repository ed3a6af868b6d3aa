"""Pictures: a scenario's story drawn as an SVG sequence diagram, and where pictures and stories go."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from zmqprose import Prose, Settings, WaitTimeout, actionlog
from zmqprose.pictures.diagram import MAX_ROWS, draw
from zmqprose.pictures.reports import append_story
from zmqprose.wire.masking import remember_secrets

FREE = "tcp://127.0.0.1:*"


@pytest.fixture
def stories():
    """Scenarios keep their events while the test runs (as with -D diagrams), and not after it."""
    actionlog.keep_stories()
    yield
    actionlog.keep_stories(False)


def count(svg: str, css_class: str) -> int:
    return len(re.findall(rf'class="{css_class}[ "]', svg))


def test_a_scenario_is_drawn_with_a_lifeline_per_socket_and_an_arrow_per_message(stories):
    with Prose(Settings({}), timeout=2) as prose:
        server = prose.using_zmq().bind(FREE, "PAIR", name="server")
        client = prose.using_zmq().connect('the endpoint of "server"', "PAIR", name="client")
        for _ in range(3):
            prose.using_zmq().send(client, "PING")
            prose.expects_zmq_socket(server).receives(["PING"])
        prose.using_zmq().send(server, "<PONG & co>")
        prose.expects_zmq_socket(client).receives(["<PONG & co>"])
        with pytest.raises(WaitTimeout):
            prose.from_zmq_socket(client).recv(0.1)
        svg = prose.diagram("a pair talks")
    assert count(svg, "lifeline") == 2
    assert count(svg, "arrow") == 2  # three equal sends folded into one, and the answer; receives are not drawn again
    assert "× 3" in svg and "3 repeated events folded" not in svg and "2 repeated events folded" in svg
    assert count(svg, "gap") == 1 and "nothing" in svg  # the receive that timed out
    assert "&lt;PONG &amp; co&gt;" in svg and "<PONG" not in svg  # escaped for XML
    assert "<script" not in svg


def test_nothing_is_kept_when_no_picture_was_asked_for():
    with Prose(Settings({}), timeout=2) as prose:
        prose.using_zmq().bind(FREE, "PAIR")
        assert prose.story() == {"events": [], "not_kept": 0}
        assert count(prose.diagram(), "lifeline") == 0


def test_a_secret_never_shows_in_a_picture_and_a_failure_is_drawn_in_red(stories):
    secret = "picture-secret-4711"
    remember_secrets([secret])
    story = {"events": [
        {"at": 0.0, "kind": "socket", "actor": "client", "how": "connect", "type": "REQ", "address": "tcp://x:1",
         "app": "vault"},
        {"at": 0.1, "kind": "send", "actor": "client", "detail": f"['{secret}']"},
        {"at": 0.2, "kind": "failure", "actor": "", "detail": f"expected {secret}, got nothing"},
    ], "not_kept": 0}
    svg = draw(story, "secrets", failed=True)
    assert secret not in svg and secret.encode().hex() not in svg
    assert count(svg, "failure") == 1 and "— failed" in svg
    assert count(svg, "lifeline") == 2  # the client, and vault (its app)


def test_a_long_scenario_stays_bounded_and_says_what_it_left_out():
    events = [{"at": 0.0, "kind": "socket", "actor": "c", "how": "connect", "type": "PUSH", "address": "a",
               "app": ""}]
    events += [{"at": i / 1000, "kind": "send", "actor": "c", "detail": f"['{i}']"} for i in range(MAX_ROWS + 50)]
    svg = draw({"events": events, "not_kept": 7}, "long")
    assert count(svg, "arrow") == MAX_ROWS
    assert "57 later events not drawn" in svg


def test_a_story_file_is_drawn_later_from_the_command_line(tmp_path):
    story = {"events": [{"at": 0.0, "kind": "socket", "actor": "c", "how": "connect", "type": "REQ",
                         "address": "tcp://127.0.0.1:9", "app": ""},
                        {"at": 0.1, "kind": "send", "actor": "c", "detail": "['PING']"}], "not_kept": 0}
    path = tmp_path / "story.jsonl"
    append_story(path, {"feature": "x.feature", "scenario": "first", "line": 3, "status": "passed", "story": story})
    append_story(path, {"feature": "x.feature", "scenario": "second", "line": 9, "status": "failed", "story": story})
    drawn = subprocess.run([sys.executable, "-m", "zmqprose", "diagram", str(path), "--scenario", "first"],
                           capture_output=True, text=True, timeout=60)
    assert drawn.returncode == 0 and drawn.stdout.startswith("<svg") and ">first<" in drawn.stdout
    last = subprocess.run([sys.executable, "-m", "zmqprose", "diagram", str(path)], capture_output=True, text=True,
                          timeout=60)
    assert ">second — failed<" in last.stdout
    (tmp_path / "bad.jsonl").write_text(json.dumps({"no": "story"}) + "\n")
    refused = subprocess.run([sys.executable, "-m", "zmqprose", "diagram", str(tmp_path / "bad.jsonl")],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "bad.jsonl:1 is not a scenario's story" in refused.stderr


def test_the_messages_an_eventually_skipped_fold_into_a_count(stories):
    with Prose(Settings({}), timeout=2) as prose:
        inbox = prose.using_zmq().bind(FREE, "PULL", name="inbox")
        outbox = prose.using_zmq().connect('the endpoint of "inbox"', "PUSH", name="outbox")
        for number in range(5):
            prose.using_zmq().send(outbox, f"noise {number}")
        prose.using_zmq().send(outbox, "wanted")
        prose.expects_zmq_socket(inbox).receives(["wanted"], eventually=True)
        svg = prose.diagram("eventually")
    assert "5 skipped by eventually, the first: ['noise 0']" in svg
    assert len(re.findall(r'class="arrow[^"]*skipped"', svg)) == 1


def test_a_curve_handshake_refused_is_on_the_servers_lifeline(stories):
    from zmqprose.security.curve import CurveRequest

    with Prose(Settings({}), timeout=2) as prose:
        server = prose.using_zmq().bind(FREE, "PAIR", name="vault", curve=CurveRequest(allowing=("alice",)))
        prose.using_zmq().connect('the endpoint of "vault"', "PAIR", name="mallory", curve=CurveRequest("mallory"))
        prose.expects_zmq_socket(server).refused_a_handshake()
        svg = prose.diagram("a stranger is refused")
    assert "CURVE handshake refused" in svg and 'class="note handshake died"' in svg


def test_a_link_has_a_lifeline_with_its_faults_on_it(stories):
    with Prose(Settings({}), timeout=2) as prose:
        server = prose.using_zmq().bind(FREE, "PULL", name="server")
        prose.link('the endpoint of "server"', "cable")
        pusher = prose.using_zmq().connect('the endpoint of "cable"', "PUSH", name="pusher")
        prose.the_link("cable").cut_off()
        prose.the_link("cable").restore()
        prose.using_zmq().send(pusher, "through")
        prose.expects_zmq_socket(server).receives(["through"])
        svg = prose.diagram("a link")
    assert "link → tcp://127.0.0.1:" in svg
    assert ">cut<" in svg and ">restored<" in svg
    assert count(svg, "lifeline") == 3  # pusher, cable, server
