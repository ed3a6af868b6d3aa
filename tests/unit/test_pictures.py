"""Pictures: a scenario's story drawn as an SVG sequence diagram, and where pictures and stories go."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zmqprose import Prose, Settings, WaitTimeout
from zmqprose.__main__ import main
from zmqprose.actionlog import RunOptions
from zmqprose.pictures.diagram import MAX_ROWS, draw
from zmqprose.pictures.reports import Pictures, append_story
from zmqprose.wire.masking import remember_secrets

FREE = "tcp://127.0.0.1:*"


@pytest.fixture
def stories() -> RunOptions:
    """The options of a run whose scenarios keep their events (as with -D diagrams)."""
    return RunOptions(keep_stories=True)


def count(svg: str, css_class: str) -> int:
    return len(re.findall(rf'class="{css_class}[ "]', svg))


def test_a_scenario_is_drawn_with_a_lifeline_per_socket_and_an_arrow_per_message(stories):
    with Prose(Settings({}), timeout=2, options=stories) as prose:
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
    with Prose(Settings({}), timeout=2, options=stories) as prose:
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

    with Prose(Settings({}), timeout=2, options=stories) as prose:
        server = prose.using_zmq().bind(FREE, "PAIR", name="vault", curve=CurveRequest(allowing=("alice",)))
        prose.using_zmq().connect('the endpoint of "vault"', "PAIR", name="mallory", curve=CurveRequest("mallory"))
        prose.expects_zmq_socket(server).refused_a_handshake()
        svg = prose.diagram("a stranger is refused")
    assert "CURVE handshake refused" in svg and 'class="note handshake died"' in svg


def test_a_link_has_a_lifeline_with_its_faults_on_it(stories):
    with Prose(Settings({}), timeout=2, options=stories) as prose:
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


# -- issue 27: pictures are always valid and never lie ------------------------------------------------

FORBIDDEN_IN_XML = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff"]
characters = st.characters(exclude_categories=()) | st.sampled_from([*FORBIDDEN_IN_XML, "&", "<", ">", '"', "\r"])
any_text = st.text(characters, max_size=40) | st.sampled_from(["]]>", "\x1b[31mred\x1b[0m", "<![CDATA[", "&amp;"])
KINDS = ["socket", "send", "receive", "skipped", "nothing", "close", "stub", "stub-in", "stub-out", "push", "pull",
         "app", "command", "handshake", "link", "failure"]


@st.composite
def any_story(draw_from):
    """A story with any text in every field a picture shows: names, details, addresses, apps, links, failures."""
    actors = draw_from(st.lists(any_text, min_size=1, max_size=4))
    events = []
    for kind in draw_from(st.lists(st.sampled_from(KINDS) | any_text, max_size=12)):
        events.append({"at": draw_from(st.floats(0, 1e6)), "kind": kind, "actor": draw_from(st.sampled_from(actors)),
                       "detail": draw_from(st.none() | any_text),
                       "how": draw_from(st.sampled_from(["bind", "connect"])),
                       "type": draw_from(any_text), "address": draw_from(any_text), "app": draw_from(any_text),
                       "endpoint": draw_from(any_text), "target": draw_from(any_text),
                       "waited": draw_from(st.floats(0, 100))})
    return {"events": events, "not_kept": draw_from(st.integers(0, 10))}


@settings(max_examples=300, deadline=None)
@given(story=any_story(), title=any_text, failed=st.booleans())
def test_any_text_in_any_field_makes_a_picture_that_parses_as_xml(story, title, failed):
    svg = draw(story, title, failed)
    ElementTree.fromstring(svg.encode("utf-8"))  # strict UTF-8 (no lone surrogate), well-formed XML 1.0


def test_an_apps_coloured_output_in_a_failure_shows_its_escapes_and_the_picture_parses(tmp_path):
    story = {"events": [{"at": 0.0, "kind": "app", "actor": "sayer\x1b[1m", "detail": "started (pid 1)"},
                        {"at": 0.1, "kind": "failure", "actor": "",
                         "detail": "sayer's output does not contain 'green'; it ends:\n    \x1b[31mred\x1b[0m \x01"}],
             "not_kept": 0}
    svg = draw(story, "colour\x1b[0m", failed=True)
    root = ElementTree.fromstring(svg)
    shown = "".join(root.itertext())
    assert "\\x1b[31mred\\x1b[0m \\x01" in shown and "colour\\x1b[0m" in shown and "sayer\\x1b[1m" in shown
    Pictures(tmp_path).write(tmp_path / "colour.svg", svg)
    ElementTree.parse(tmp_path / "colour.svg")


def test_text_is_masked_before_it_is_shortened():
    secret = "shortened-secret-0815"
    remember_secrets([secret])
    label = "x" * 40 + secret  # a cut at 52 characters would leave a part of the secret that no mask knows
    story = {"events": [{"at": 0.0, "kind": "socket", "actor": "c", "how": "connect", "type": "PUSH", "address": "a"},
                        {"at": 0.1, "kind": "send", "actor": "c", "detail": label}], "not_kept": 0}
    svg = draw(story, "masked")
    assert secret[:10] not in svg


def test_two_features_with_the_same_name_and_line_get_a_picture_each(tmp_path):
    pictures = Pictures(tmp_path)
    api = pictures.path_for("features/api/login.feature", 2)
    ui = pictures.path_for("features/ui/login.feature", 2)
    assert api != ui
    assert (api.name, ui.name) == ("api.login-2.svg", "ui.login-2.svg")
    assert pictures.path_for("features/sending_and_receiving.feature", 10).name == "sending_and_receiving-10.svg"
    assert pictures.path_for("features/api/login.feature", 2) == api  # the same scenario, the same file


@pytest.mark.parametrize("feature", ["features/" + "very-long-folder-name/" * 30 + "x.feature",
                                     "features/" + "ü" * 300 + ".feature", "features/a b/c?d.feature",
                                     "/elsewhere/../../x.feature", "features/.feature", "../../up/there.feature"])
def test_a_pictures_file_name_is_safe_and_bounded_whatever_the_feature_path(tmp_path, feature):
    path = Pictures(tmp_path).path_for(feature, 12345)
    assert path.parent == tmp_path and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.svg", path.name), path.name
    assert len(path.name.encode()) <= 200 and path.name.endswith("-12345.svg")
    Pictures(tmp_path).write(path, "<svg/>")


def test_names_that_making_safe_would_merge_stay_apart(tmp_path):
    pictures = Pictures(tmp_path)
    names = {pictures.path_for(feature, 2).name for feature in
             ["features/a b.feature", "features/a_b.feature", "features/a?b.feature", "features/a.b.feature",
              "features/a/b.feature", "features/" + "y" * 300 + "1.feature", "features/" + "y" * 300 + "2.feature"]}
    assert len(names) == 7


def test_a_story_with_a_lone_surrogate_or_a_control_character_is_written_and_drawn_later(tmp_path):
    path = tmp_path / "story.jsonl"
    story = {"events": [{"at": 0.0, "kind": "app", "actor": "odd\ud800app\x1b", "detail": "started"}], "not_kept": 0}
    append_story(path, {"feature": "x.feature", "scenario": "odd \udfff name", "line": 1, "status": "passed",
                        "story": story})
    out, err, code = run_main(["diagram", str(path)])
    assert code == 0, err
    ElementTree.fromstring(out)


def run_main(argv: list[str]) -> tuple[str, str, int]:
    """``python -m zmqprose ...`` in this process: its standard output (UTF-8 bytes, decoded), its errors, its code."""
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    out.flush()
    return out.buffer.getvalue().decode("utf-8"), err.getvalue(), code


BAD_LINES = {
    "an event without a kind": ({"story": {"events": [{"actor": "c", "at": 0}]}}, "event 1 has no \"kind\""),
    "not_kept as text": ({"story": {"events": [], "not_kept": "many"}}, '"not_kept" is text ("many"), not a count'),
    "events as an object": ({"story": {"events": {}}}, '"events" is an object, not a list'),
    "an event as a number": ({"story": {"events": [3]}}, "event 1 is a number (3), not an object"),
    "a time as text": ({"story": {"events": [{"kind": "send", "actor": "c", "at": "soon"}]}},
                       'event 1\'s "at" is text ("soon"), not a number'),
    "a detail as a list": ({"story": {"events": [{"kind": "send", "actor": "c", "detail": [1]}]}},
                           'event 1\'s "detail" is a list, not text'),
    "an infinite wait": ({"story": {"events": [{"kind": "nothing", "actor": "c", "waited": 1e400}]}},
                         'event 1\'s "waited" is a number (inf), not a number'),
    "a scenario name as a number": ({"scenario": 7, "story": {}}, '"scenario" is a number (7), not text'),
}


@pytest.mark.parametrize("line, said", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_a_story_line_of_the_wrong_shape_is_refused_naming_the_line_and_what_is_wrong(tmp_path, line, said):
    path = tmp_path / "story.jsonl"
    good = {"scenario": "fine", "story": {"events": [], "not_kept": 0}}
    path.write_text(json.dumps(good) + "\n" + json.dumps(line) + "\n")
    out, err, code = run_main(["diagram", str(path)])
    assert code == 2 and out == ""
    assert err.startswith(f"zmqprose diagram: {path}:2 is not a scenario's story: ") and said in err, err
    assert err.count("\n") == 1


def test_a_story_file_that_is_not_utf8_is_refused_naming_the_line(tmp_path):
    path = tmp_path / "story.jsonl"
    path.write_bytes(b'{"story": {}}\n{"scenario": "\xff"}\n')
    _, err, code = run_main(["diagram", str(path)])
    assert code == 2 and f"{path}:2 is not UTF-8 text" in err, err


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4), max_leaves=16)
field_values = st.sampled_from([None, 0, 1.5, -1, True, "", "bind", "x", [], {}, 10 ** 30, float("nan")]) | json_values
event_fields = st.dictionaries(st.sampled_from(["at", "kind", "actor", "detail", "how", "type", "address", "app",
                                                "endpoint", "target", "waited"]),
                               st.sampled_from(KINDS) | field_values, max_size=11)


@st.composite
def nearly_right_lines(draw_from):
    """A story line as behave writes it (any text in it), with at most one value put wrong somewhere."""
    line = {"feature": "features/x.feature", "scenario": draw_from(any_text), "line": 3,
            "status": draw_from(st.sampled_from(["passed", "failed"])), "story": draw_from(any_story())}
    events = line["story"]["events"]
    spot = draw_from(st.sampled_from(["none", "line", "story", "event"] if events else ["none", "line", "story"]))
    wrong = draw_from(field_values)
    if spot == "line":
        line[draw_from(st.sampled_from(["feature", "scenario", "line", "status", "story"]))] = wrong
    elif spot == "story":
        line["story"][draw_from(st.sampled_from(["events", "not_kept"]))] = wrong
    elif spot == "event":
        event = draw_from(st.sampled_from(events))
        key = draw_from(st.sampled_from([*event, "extra"]))
        if draw_from(st.booleans()):
            event.pop(key, None)
        else:
            event[key] = wrong
    return line


story_lines = (json_values
               | nearly_right_lines()
               | st.fixed_dictionaries({"story": json_values})
               | st.fixed_dictionaries({}, optional={
                   "scenario": field_values, "status": field_values, "feature": field_values, "line": field_values,
                   "story": st.fixed_dictionaries({}, optional={"events": st.lists(event_fields, max_size=8)
                                                                          | field_values,
                                                                "not_kept": field_values})}))


@settings(max_examples=400, deadline=None)
@given(line=story_lines)
def test_any_json_line_is_drawn_as_valid_xml_or_refused_in_one_line_never_a_traceback(line):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.jsonl"
        path.write_text(json.dumps(line) + "\n", encoding="utf-8", errors="surrogatepass")
        out, err, code = run_main(["diagram", str(path)])
    if code == 0:
        ElementTree.fromstring(out)
    else:
        assert code == 2 and err.startswith("zmqprose diagram: ") and err.count("\n") == 1, err
