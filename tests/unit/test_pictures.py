"""Pictures: a scenario's story drawn as an SVG sequence diagram, and where pictures and stories go."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zmqprose import AppSupervisor, Prose, Settings, WaitTimeout
from zmqprose.__main__ import main
from zmqprose.actionlog import RunOptions
from zmqprose.pictures.diagram import MAX_ROWS, draw
from zmqprose.pictures.reports import Pictures, append_story
from zmqprose.wire.format import Format, FormatContext, InFormat, summary_of
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
    assert "× 3" in svg and said(svg) == "3 × send ['PING'] on \"client\" folded"  # what was folded (issue 28)
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


# -- issue 28: pictures that show who spoke ---------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
KEY = "b7f1c2d4-picture-kernel-key"
IDENTITY = "df68a9b1c2d3e4f5a6b7c8d9e0f1a2b3"
JUPYTER_CLIENT = ("import sys, time, zmq\n"  # jupyter_client's Session, as a notebook front end sends
                  "from jupyter_client.session import Session\n"
                  "dealer = zmq.Context().socket(zmq.DEALER)\n"
                  f"dealer.setsockopt(zmq.IDENTITY, bytes.fromhex('{IDENTITY}'))\n"
                  "dealer.connect(sys.argv[1])\n"
                  f"Session(key=b'{KEY}').send(dealer, 'kernel_info_request', {{}})\n"
                  "time.sleep(60)\n")
LOCUST_WORKER = ("import sys, time, zmq, msgpack\n"  # a Locust worker says it is ready to its master
                 "dealer = zmq.Context().socket(zmq.DEALER)\n"
                 "dealer.setsockopt(zmq.IDENTITY, b'worker-7f3a9c1e2b4d5f60718293a4b5c6d7e8')\n"
                 "dealer.connect('tcp://127.0.0.1:' + sys.argv[1])\n"
                 "dealer.send(msgpack.packb(['client_ready', {'version': '2.32'}, 'worker-7f3a9c1e']))\n"
                 "time.sleep(60)\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Arrow:
    start: int
    end: int
    label: str  # as drawn on the arrow
    lead: str  # its first, bold part (what tells the message apart), if any
    time: str
    whole: str  # its tooltip


def lifelines(svg: str) -> dict[str, int]:
    """The picture's lifelines, left to right: each one's whole name (its head's tooltip) and where it is."""
    heads = [g for g in ElementTree.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "head"]
    return {head.findtext(f"{SVG}title", "").split("\n")[0]: int(head.find(f"{SVG}text").get("x")) for head in heads}


def head_kinds(svg: str) -> dict[str, str]:
    """What each lifeline's head says under its name (its type; an app's ports)."""
    heads = [g for g in ElementTree.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "head"]
    return {head.findtext(f"{SVG}title", "").split("\n")[0]:
            "".join(head.find(f"{SVG}text[@class='kind']").itertext()) for head in heads}


def arrows_of(svg: str) -> list[Arrow]:
    drawn = []
    for g in ElementTree.fromstring(svg).iter(f"{SVG}g"):
        if not (g.get("class") or "").startswith("arrow"):
            continue
        line, (label, time) = g.find(f"{SVG}line"), g.findall(f"{SVG}text")
        drawn.append(Arrow(int(line.get("x1")), int(line.get("x2")), "".join(label.itertext()),
                           "".join(label.find(f"{SVG}tspan").itertext()) if label.find(f"{SVG}tspan") is not None
                           else "", "".join(time.itertext()), g.findtext(f"{SVG}title", "")))
    return drawn


def said(svg: str) -> str:
    """What the picture says under its title (what it folded, what it left out)."""
    return "".join(ElementTree.fromstring(svg).find(f"{SVG}text[@class='said']").itertext())


def test_when_the_spec_plays_the_kernel_the_front_end_that_connects_is_its_peer_on_its_own_lifeline(tmp_path,
                                                                                                 stories):
    settings = Settings({"kernel": {"key": KEY, "shell_port": free_port()},
                         "frontend": {"scope": "scenario", "ready": {"none": True},
                                      "start": ["python", "-c", JUPYTER_CLIENT,
                                                "tcp://127.0.0.1:${kernel.shell_port}"]}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps, \
            Prose(apps.settings, apps, timeout=10, options=stories) as prose:
        shell = prose.using_zmq().bind("kernel's shell port", "ROUTER")
        apps.ensure_running("frontend")
        prose.expects_zmq_socket(shell).receives_value({"header": {"msg_type": "kernel_info_request"}}, "Jupyter",
                                                       subset=True)
        svg = prose.diagram("the spec plays the kernel")
    lines = lifelines(svg)
    assert list(lines) == ["kernel's shell port", "frontend"]  # not "kernel", which the spec plays
    (request,) = arrows_of(svg)
    assert (request.start, request.end) == (lines["frontend"], lines["kernel's shell port"])
    assert request.lead == "kernel_info_request" and request.label.startswith("kernel_info_request ")
    assert IDENTITY in request.whole and IDENTITY not in request.label  # the routing id is in the tooltip
    assert "shell " in head_kinds(svg)["frontend"]


def test_an_app_started_with_a_sockets_port_is_that_sockets_peer_not_an_unnamed_one(tmp_path, stories):
    settings = Settings({"worker": {"scope": "scenario", "ready": {"none": True},
                                    "start": ["python", "-c", LOCUST_WORKER, "${socket.master.port}"]}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps, \
            Prose(apps.settings, apps, timeout=10, options=stories) as prose:
        master = prose.using_zmq().bind(FREE, "ROUTER", name="master")
        apps.ensure_running("worker")
        prose.expects_zmq_socket(master).receives_value(["client_ready"], "msgpack", subset=True)
        svg = prose.diagram("a worker is ready")
    lines = lifelines(svg)
    assert list(lines) == ['"master"', "worker"] and not any(name.startswith("peers of") for name in lines)
    (ready,) = arrows_of(svg)
    assert (ready.start, ready.end) == (lines["worker"], lines['"master"'])
    assert ready.lead == "client_ready"
    assert "msgpack [" in ready.label  # the body, not only the worker's long identity


def test_a_command_run_with_a_stubs_endpoint_is_the_stubs_peer(stories):
    client = ("import sys, zmq; s = zmq.Context().socket(zmq.REQ); s.connect(sys.argv[1]); "
              "s.send(b'{\"method\": \"add\", \"params\": [40, 2], \"jsonrpc\": \"2.0\", \"id\": 1}'); print(s.recv())")
    with Prose(Settings({}), timeout=10, options=stories) as prose:
        rpc = prose.using_zmq().bind(FREE, "REP", name="rpc")
        endpoint = prose.interpolate_text("${socket.rpc.endpoint}")  # the API fills in nothing itself (issue 29)
        prose.using_shell().start(f"python -c {shlex.quote(client)} {endpoint}", "client")
        prose.expects_zmq_socket(rpc).receives_json({"method": "add"}, subset=True)
        svg = prose.diagram("a command calls")
    lines = lifelines(svg)
    assert list(lines) == ['"rpc"', '"client"']
    (call,) = arrows_of(svg)
    assert (call.start, call.end) == (lines['"client"'], lines['"rpc"']) and call.lead == "add"


def test_a_long_topic_leaves_room_for_the_body_in_the_label_and_in_the_failure(stories):
    topic = "jobs.1398c26e-5f1d-4c4e-9a1b-0123456789ab.results.eu-west-1.worker-pool-a"
    with Prose(Settings({}), timeout=2, options=stories) as prose:
        jobs = prose.using_zmq().bind(FREE, "PULL", name="jobs")
        worker = prose.using_zmq().connect('the endpoint of "jobs"', "PUSH", name="worker")
        prose.using_zmq().send_multi(worker, [topic, '{"status": "failed", "job": 7, "error": "disk full"}'])
        with pytest.raises(AssertionError) as failed:
            prose.expects_zmq_socket(jobs).receives([topic, '{"status": "done", "job": 7}'])
        prose.tell_failure(failed.value)
        svg = prose.diagram("a job fails", failed=True)
    (result,) = arrows_of(svg)
    assert result.lead == "status: failed"
    assert len(result.label) <= 40 and '{"status"' in result.label  # the body is in the label
    assert topic in result.whole
    box = ElementTree.fromstring(svg).find(f"{SVG}g[@class='failure']")
    lines = ["".join(line.itertext()) for line in box.findall(f"{SVG}text")]
    assert any('{"status": "failed", "job": 7' in line for line in lines), lines  # the body, not only the topic
    assert topic in box.findtext(f"{SVG}title")


@pytest.mark.parametrize("value, lead", [
    ({"header": {"msg_type": "execute_reply"}, "content": {"status": "ok"}}, "execute_reply"),
    ({"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}, "subtract"),
    ({"jsonrpc": "2.0", "result": 19, "id": 1}, "result"),
    ({"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}, "error"),
    ({"id": 7, "status": "queued"}, "status: queued"),
    ({"cmd": "STOP", "id": 7}, "STOP"),
    ({"type": "heartbeat", "at": 3}, "heartbeat"),
    (["client_ready", {"version": "2.32"}, "worker-1"], "client_ready"),
    ([{"message_id": "m1", "v": 3}, "add", [1, 2]], "add"),
    ({"a": 1}, None),
    ([1, 2, 3], None),
])
def test_a_messages_lead_is_what_tells_it_apart(value, lead):
    assert summary_of(value) == lead


def test_a_format_may_say_its_own_summary():
    fmt = Format("wire-words", lambda value: value.encode(), bytes.decode, summary=lambda value: value.split()[0])
    shown = InFormat(fmt, [b"routing", b"HELLO there"], FormatContext())
    assert shown.summary() == "HELLO"
    assert InFormat(Format("plain", lambda value: value, lambda frame: frame), [b"x"], FormatContext()).summary() \
        is None


def story_of(*events: dict[str, object]) -> dict[str, object]:
    return {"events": list(events), "not_kept": 0}


def test_the_messages_an_eventually_skipped_are_drawn_at_the_last_saying_when_the_first_came():
    skipped = [{"at": at, "kind": "skipped", "actor": '"inbox"', "detail": f"['noise {index}']"}
               for index, at in enumerate([0.1, 1.4, 3.2])]
    svg = draw(story_of({"at": 0.0, "kind": "socket", "actor": '"inbox"', "how": "bind", "type": "PULL",
                         "address": "tcp://127.0.0.1:7001", "app": "noisy"},
                        *skipped,
                        {"at": 3.3, "kind": "receive", "actor": '"inbox"', "detail": "['wanted']"}), "eventually")
    grey, wanted = arrows_of(svg)
    assert grey.time == "first +0.100 s, last +3.200 s"
    assert "3 skipped by eventually, the first: ['noise 0']" in grey.whole
    assert wanted.time == "+3.300 s"


def test_what_was_folded_is_named():
    pings = [{"at": index / 100, "kind": "send", "actor": "ogre's command port", "detail": "['PING']"}
             for index in range(120)]
    svg = draw(story_of({"at": 0.0, "kind": "socket", "actor": "ogre's command port", "how": "connect",
                         "type": "PUSH", "address": "tcp://127.0.0.1:5555", "app": "ogre", "port": "command"},
                        *pings), "pings")
    assert said(svg) == "120 × send ['PING'] to ogre's command port folded"
    (folded,) = arrows_of(svg)
    assert folded.time == "first +0.000 s, last +1.190 s"


def test_an_apps_head_names_its_ports(stories):
    settings = Settings({"ogre": {"command_port": free_port(), "response_port": free_port()}})
    with Prose(settings, timeout=2, options=stories) as prose:
        prose.using_zmq().connect("ogre's command port", "PUSH")
        prose.using_zmq().connect("ogre's response port", "PULL")
        svg = prose.diagram("ogre's ports")
    ports = settings.app("ogre")
    assert head_kinds(svg)["ogre"] == f"app · command {ports['command_port']}, response {ports['response_port']}"
