"""The recorder: its relay (bytes unchanged, bounded), what it keeps (bounded), how it writes a message
(formats, text, hex, markers), --again, its picture, and the command's mistakes in one line.

Real pyzmq sockets talk through a real relay in a thread of this process (the command runs it alone in a
process of its own: tests/specs/test_recording_acid.py).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import uuid
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager

import msgpack
import pytest
import zmq

from zmqprose.__main__ import main
from zmqprose.recording import again, feature
from zmqprose.recording.conversation import Limits
from zmqprose.recording.picture import picture
from zmqprose.recording.relay import CHUNK, HELD_LIMIT, Relay
from zmqprose.recording.values import Marker, Reader, Written, json_text, mark, notation, with_references
from zmqprose.recording.writer import Recording, feature_of
from zmqprose.wire.format import FormatContext
from zmqprose.wire.literals import Binary


@contextmanager
def relaying(port: int, limits: Limits | None = None) -> Iterator[Relay]:
    """A recorder's relay in front of ``port``, running in a thread until the block ends."""
    relay = Relay(("127.0.0.1", 0), ("127.0.0.1", port), limits)
    thread = threading.Thread(target=relay.run, daemon=True)
    thread.start()
    try:
        yield relay
    finally:
        relay.stop()
        thread.join(5)
        assert not thread.is_alive()


@pytest.fixture
def context() -> Iterator[zmq.Context]:
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(0)


def pair(context: zmq.Context, server_type: int, client_type: int, relay_limits: Limits | None = None):
    server = context.socket(server_type)
    server.linger = 0
    server.rcvtimeo = client_rcvtimeo = 5000
    port = server.bind_to_random_port("tcp://127.0.0.1")
    return server, port, client_rcvtimeo


def connect(context: zmq.Context, kind: int, relay: Relay, **options: object) -> zmq.Socket:
    client = context.socket(kind)
    client.linger = 0
    client.rcvtimeo = 5000
    for name, value in options.items():
        client.setsockopt(getattr(zmq, name), value)
    client.connect(relay.endpoint)
    return client


def recording_of(relay: Relay, endpoint: str = '"tcp://127.0.0.1:1"', app: str | None = None,
                 reader: Reader | None = None) -> Recording:
    return Recording(relay.endpoint, "tcp://127.0.0.1:1", endpoint, app, time.time(), reader or Reader(),
                     not_recorded=relay.not_recorded)


def until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


# -- the relay ---------------------------------------------------------------------------

def test_a_conversation_passes_unchanged_both_ways_and_is_written_as_the_client_said_it(context):
    server, port, _ = pair(context, zmq.REP, zmq.REQ)
    payload = bytes(range(256)) * 4000  # every byte value, 1 MB: many chunks
    with relaying(port) as relay:
        client = connect(context, zmq.REQ, relay)
        client.send(b"PING")
        assert server.recv() == b"PING"
        server.send(b"PONG")
        assert client.recv() == b"PONG"
        client.send_multipart([payload[:1000], b""])
        assert server.recv_multipart() == [payload[:1000], b""]
        server.send(json.dumps({"status": "ok", "id": 7}).encode())
        assert json.loads(client.recv()) == {"status": "ok", "id": 7}
        assert until(lambda: len(relay.connections[0].said) == 4)
        client.close(0)
    connection = relay.connections[0]
    assert connection.client.socket_type == "REQ" and connection.server.socket_type == "REP"
    text = feature.render(feature_of(recording_of(relay), relay.connections))
    steps = [line.strip() for line in text.splitlines() if line.strip().startswith(("Given", "When", "Then", "And"))]
    assert steps == [
        'Given I connect a REQ socket to "tcp://127.0.0.1:1"',
        'When I send "PING" to "tcp://127.0.0.1:1"',
        'Then I receive "PONG" from "tcp://127.0.0.1:1"',
        f'When I send the multipart message ["hex:{payload[:1000].hex()}", ""] to "tcp://127.0.0.1:1"',
        'Then I receive a JSON message from "tcp://127.0.0.1:1" matching:',
    ]
    assert '{"status": "ok", "id": 7}' in text


def test_what_the_relay_holds_for_a_peer_that_never_reads_is_bounded(context):
    target = socket.create_server(("127.0.0.1", 0))  # accepts, and never reads
    with relaying(target.getsockname()[1]) as relay:
        sender = socket.create_connection(relay.address)
        sender.setblocking(False)
        sent, blocked_since = 0, None
        chunk = bytes(65536)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and sent < 64 << 20:  # until every buffer on the way is full
            try:
                sent += sender.send(chunk)
                blocked_since = None
            except BlockingIOError:
                blocked_since = blocked_since or time.monotonic()
                if time.monotonic() - blocked_since > 0.3:
                    break
                time.sleep(0.01)
        assert sent > 2 * HELD_LIMIT  # more than the relay may hold went in: the kernels hold the rest
        assert relay.holding() <= HELD_LIMIT + CHUNK
        sender.close()
    target.close()


def test_a_relay_past_its_connections_relays_and_counts_and_keeps_no_more_than_its_bounds(context):
    server, port, _ = pair(context, zmq.ROUTER, zmq.DEALER)
    limits = Limits(messages=3, connections=1)
    with relaying(port, limits) as relay:
        first = connect(context, zmq.DEALER, relay)
        second = connect(context, zmq.DEALER, relay)
        for index in range(5):
            first.send(str(index).encode())
            second.send(str(index).encode())
        received = [server.recv_multipart()[1] for _ in range(10)]
        assert sorted(received) == sorted([str(index).encode() for index in range(5)] * 2)  # all relayed
        assert until(lambda: relay.not_recorded == 1 and relay.connections[0].stopped is not None)
        first.close(0), second.close(0)
    assert len(relay.connections) == 1 and len(relay.connections[0].said) == 3
    assert relay.connections[0].stopped == "after 3 messages, the most kept of one connection"
    text = feature.render(feature_of(recording_of(relay), relay.connections))
    assert "# note: the recording of this connection stops early: after 3 messages" in text
    assert "# 1 later connection was relayed and not recorded (the most recorded is 1)." in text


def test_curve_is_relayed_said_and_not_written(context):
    public, secret = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    server = context.socket(zmq.REP)
    server.linger, server.rcvtimeo = 0, 5000
    server.curve_server, server.curve_secretkey, server.curve_publickey = True, secret, public
    port = server.bind_to_random_port("tcp://127.0.0.1")
    with relaying(port) as relay:
        client = connect(context, zmq.REQ, relay, CURVE_SERVERKEY=public, CURVE_PUBLICKEY=client_public,
                         CURVE_SECRETKEY=client_secret)
        client.send(b"secret words")
        assert server.recv() == b"secret words"
        server.send(b"ok")
        assert client.recv() == b"ok"  # relayed
        client.close(0)
    text = feature.render(feature_of(recording_of(relay), relay.connections))
    assert "# Connection 1 is not written: it was relayed, not read: the CURVE mechanism: encrypted" in text
    assert "Scenario:" not in text


def test_heartbeats_of_a_protocol_are_left_out_and_the_receives_become_eventually(context):
    server, port, _ = pair(context, zmq.ROUTER, zmq.DEALER)
    with relaying(port) as relay:
        client = connect(context, zmq.DEALER, relay)
        client.send_multipart([b"", msgpack.packb([{"message_id": b"c1", "v": 3}, "add", [1, 2]])])
        identity, _, _ = server.recv_multipart()
        client.send_multipart([b"", msgpack.packb([{"message_id": b"c2", "v": 3}, "_zpc_hb", [0]])])
        server.recv_multipart()
        for message_id in (b"s1", b"s2"):
            server.send_multipart([identity, b"", msgpack.packb([{"message_id": message_id, "v": 3,
                                                                   "response_to": b"c1"}, "_zpc_hb", [0]])])
        server.send_multipart([identity, b"", msgpack.packb([{"message_id": b"s3", "v": 3, "response_to": b"c1"},
                                                             "OK", [3]])])
        for _ in range(3):
            client.recv_multipart()
        assert until(lambda: len(relay.connections[0].said) == 5)
        client.close(0)
    text = feature.render(feature_of(recording_of(relay), relay.connections))
    assert "# note: 3 heartbeats left out (1 from the client, 2 from the service)" in text
    assert "_zpc_hb" not in text
    assert 'Then I eventually receive a msgpack message from "tcp://127.0.0.1:1" with the envelope [""] matching:' \
        in text
    assert '"response_to": "hex:6331"' in text  # what the client sent, echoed: as it was


# -- values and markers ------------------------------------------------------------------------

NOW = time.time()


@pytest.mark.parametrize(("frame", "written"), [
    (b"PING", "PING"),
    (b"", ""),
    (b"line one\nline two", "line one\nline two"),
    (b"#ignore", "hex:2369676e6f7265"),  # a marker's text is not a marker
    (b"hex:00", "hex:6865783a3030"),
    (b"struct:>I [1]", "hex:" + b"struct:>I [1]".hex()),
    (b"${checkpoint.x}", "hex:" + b"${checkpoint.x}".hex()),  # never filled in
    (b"\xff\x00", "hex:ff00"),
    (b"bell\x07", "hex:62656c6c07"),
])
def test_a_frame_is_text_when_a_step_reads_it_as_that_text_else_hex(frame, written):
    assert notation(frame) == written


def test_values_a_service_makes_become_markers_and_what_the_client_sent_does_not():
    made, sent = str(uuid.uuid4()), str(uuid.uuid4())
    when = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(NOW)) + ".123456Z"
    value = {"id": made, "request": sent, "at": when, "epoch": int(NOW), "ms": NOW * 1000, "count": 3,
             "msg_id": "0f3c1a2b-9d8e7f6a5b4c3d2e1f0a9b8c_4242_7", "old": "2001-01-01T00:00:00Z",
             "blob": Binary("hex:" + "ab" * 16), "short": Binary("hex:abcd"), "word": "deadbeef"}
    marked = mark(Written("JSON", value), {sent}, NOW)
    assert marked.written.value == {
        "id": "#uuid", "request": sent, "at": Marker("#regex \\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?"
                                                     "(Z|[+-]\\d{2}:?\\d{2})?"),
        "epoch": "#number", "ms": "#number", "count": 3,
        "msg_id": "#regex [0-9a-fA-F-]{33}_\\d+_\\d+", "old": "2001-01-01T00:00:00Z",
        "blob": "#regex hex:[0-9a-f]{32}", "short": "hex:abcd", "word": "deadbeef"}
    assert marked.notes[0] == "$.id: #uuid: a UUID the service made"
    assert len(marked.notes) == 6
    assert re.fullmatch(marked.written.value["msg_id"][len("#regex "):], value["msg_id"])


def test_text_with_an_id_the_client_sent_keeps_it_as_it_reads():
    sent = "0f3c1a2b9d8e7f6a5b4c"
    marked = mark(Written(None, [f"done {sent}", "job 1f2e3d4c5b6a79880a1b"]), {sent}, NOW)
    assert marked.written.value == [f"done {sent}", "#regex job\\ [0-9a-fA-F-]{20}"]


def test_a_value_that_reads_as_notation_is_written_as_a_literal_and_reads_back_the_same():
    steps = [feature.Step("connect", '"tcp://127.0.0.1:1"', type="DEALER"),
             feature.Step("receive", '"tcp://127.0.0.1:1"', "msgpack",
                          {"a": "#literal #ignore", "b": "#literal hex:00", "c": "${x}", "d": "#uuid"},
                          [""], eventually=True, within=7, notes=["# marker at $.d: #uuid: a UUID the service made"])]
    written = feature.Feature(["# header"], "title", ["about"], [feature.Scenario("one", steps)])
    text = feature.render(written)
    assert "\\u0024{x}" in text and "${" not in text
    assert feature.parse(text, "x.feature") == written


@pytest.mark.parametrize("phrase", ['I send the multipart message to "tcp://127.0.0.1:1":',
                                    'I receive a multipart message from "tcp://127.0.0.1:1" matching:'])
def test_reading_back_takes_as_a_format_only_a_name_a_phrase_can_write(phrase):
    """'multipart' is a word of the phrases, never a FORMAT (wire/format_registry.py's FORMAT_NAME): no phrase
    reads these, so the recorder never wrote them."""
    text = f'Feature: t\n  Scenario: one\n    When {phrase}\n      """\n      ["x"]\n      """\n'
    with pytest.raises(feature.NotRecorded, match="a step zmqprose record does not write"):
        feature.parse(text, "x.feature")


def test_a_json_docstring_keeps_short_values_on_a_line():
    value = [{"message_id": "hex:00", "v": 3}, "hello", ["Storyplayer"]]
    assert json_text(value, width=40) == ('[\n  {"message_id": "hex:00", "v": 3},\n  "hello",\n'
                                          '  ["Storyplayer"]\n]')
    assert json.loads(json_text({"k": ["x" * 50] * 3}, width=40)) == {"k": ["x" * 50] * 3}


def test_a_signed_jupyter_message_without_a_key_is_frames_with_a_note_and_with_the_key_a_value():
    from zmqprose.wire import format_registry

    context = FormatContext(key=b"k3y", session="s")
    request = {"header": {"msg_type": "kernel_info_request"}, "content": {}}
    frames = format_registry.get("Jupyter").encode(request, context)
    without = Reader().read(frames, sent=True)
    assert without.format is None and "no key to check it with" in without.notes[0]
    written = Reader(FormatContext(key=b"k3y")).read(frames, sent=True)
    assert written.format == "Jupyter" and written.value["header"]["msg_type"] == "kernel_info_request"


def test_msgpack_the_client_sent_is_a_value_only_when_writing_it_back_gives_its_bytes():
    exact = msgpack.packb([{"id": b"\x01\x02"}, "add", [1, 2.5]], use_bin_type=True)
    assert Reader().read([exact], sent=True).format == "msgpack"
    other = b"\x92\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00\xd0\x01"  # 1.0 as a float64, 1 as an int8: packed shorter
    assert Reader().read([other], sent=True).format is None
    assert Reader().read([other], sent=False).value == [1.0, 1]  # received: compared as values


# -- --again ----------------------------------------------------------------------------------

def recorded(sent_id: str, answer: dict) -> feature.Feature:
    socket_ref = '"tcp://127.0.0.1:1"'
    steps = [feature.Step("connect", socket_ref, type="REQ"),
             feature.Step("send", socket_ref, "JSON", {"id": sent_id, "method": "token"}),
             feature.Step("receive", socket_ref, "JSON", answer)]
    return feature.parse(feature.render(feature.Feature([], "t", [], [feature.Scenario("one", steps)])), "x")


def test_again_turns_what_differs_into_markers_and_keeps_echoes_and_markers():
    first = recorded("c-17", {"id": "c-17", "token": "kx8qz", "n": 1, "at": "#uuid", "same": "yes"})
    second = recorded("c-93", {"id": "c-93", "token": "pq2mv", "n": 2, "at": "0e5c-not-a-uuid", "same": "yes"})
    merged = again.merge(first, second, "x.feature")
    step = merged.scenarios[0].steps[2]
    assert step.value == {"id": "c-17", "token": "#string", "n": "#number", "at": "#uuid", "same": "yes"}
    assert step.notes == ["# marker at $.token: #string: differed in the second recording (--again)",
                          "# marker at $.n: #number: differed in the second recording (--again)"]
    assert merged.scenarios[0].steps[1].value == {"id": "c-17", "method": "token"}  # the first send stays
    assert "# Recorded twice" in merged.header[-1]


def test_again_with_another_conversation_says_where_they_part():
    first = recorded("c-1", {"ok": True})
    second = recorded("c-1", {"ok": True})
    second.scenarios[0].steps.append(feature.Step("receive", '"tcp://127.0.0.1:1"', None, ["more"]))
    with pytest.raises(Exception, match=r"--again: x.feature, scenario 1 \(one\): message 3 differs in shape: "
                                        r"nothing there, a receive of frames in this recording"):
        again.merge(first, second, "x.feature")


# -- the picture, and the command ------------------------------------------------------------------

def test_the_picture_of_a_recording_is_valid_xml_with_an_arrow_each_way(context):
    server, port, _ = pair(context, zmq.REP, zmq.REQ)
    with relaying(port) as relay:
        client = connect(context, zmq.REQ, relay)
        client.send(b"<ping & \x1b[31m>")
        server.send(server.recv())
        client.recv()
        assert until(lambda: len(relay.connections[0].said) == 2)
        client.close(0)
    svg = picture(recording_of(relay), relay.connections, "recorded")
    root = ElementTree.fromstring(svg)
    arrows = [group for group in root.iter("{http://www.w3.org/2000/svg}g") if "arrow" in group.get("class", "")]
    assert len(arrows) == 2


@pytest.mark.parametrize(("arguments", "said"), [
    (["--listen", "ipc:///tmp/x", "--to", "tcp://127.0.0.1:1", "--out", "x.feature"],
     "--listen 'ipc:///tmp/x' is not a tcp endpoint: write tcp://127.0.0.1:PORT"),
    (["--listen", "tcp://127.0.0.1:*", "--to", "tcp://127.0.0.1:*", "--out", "x.feature"],
     "--to 'tcp://127.0.0.1:*' is not a tcp endpoint"),
    (["--listen", "tcp://127.0.0.1:*", "--to", "tcp://127.0.0.1:1"],
     "say where to write the feature: --out FILE.feature (or --again FILE.feature)"),
    (["--listen", "tcp://127.0.0.1:*", "--to", "tcp://127.0.0.1:1", "--out", "x.feature", "--for", "-1"],
     "--for must be from 0 to 86400 seconds"),
    (["--listen", "tcp://127.0.0.1:*", "--to", "tcp://127.0.0.1:1", "--again", "missing.feature"],
     "--again missing.feature: cannot read it (No such file or directory)"),
    (["--listen", "tcp://127.0.0.1:*", "--to", "tcp://127.0.0.1:1", "--out", "x.feature", "--app", "trol"],
     "no app 'trol' in environment 'local'"),
    (["--listen", "tcp://127.0.0.1:*", "--to", "tcp://127.0.0.1:1", "--out", "x.feature", "--app", "kernel"],
     "--app kernel: say which port of kernel the recording stands in front of, as a spec names it: "
     "--app \"kernel's NAME port\" (its ports: shell_port, iopub_port)"),
    (["--listen", "tcp://127.0.0.1:*", "--to", "tcp://127.0.0.1:1", "--out", "x.feature", "--app",
      "kernel's shel port"], 'no setting for "kernel\'s shel port" in environment \'local\''),
])
def test_a_mistake_on_the_command_line_is_one_line_and_exit_code_2(tmp_path, monkeypatch, capsys, arguments, said):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "local.json").write_text(json.dumps(
        {"kernel": {"shell_port": 5555, "iopub_port": 5556, "key": "k"}, "tinyrpc": {"rpc_port": 7}}))
    monkeypatch.chdir(tmp_path)
    assert main(["record", *arguments]) == 2
    error = capsys.readouterr().err
    assert error.startswith("zmqprose record: ") and said in error, error
    assert "Traceback" not in error and not (tmp_path / "x.feature").exists()


def test_an_app_with_one_port_names_it_and_the_feature_starts_it(tmp_path, monkeypatch, capsys):
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "local.json").write_text(json.dumps({"tinyrpc": {"rpc_port": 0}}))
    monkeypatch.chdir(tmp_path)
    assert main(["record", "--listen", "tcp://127.0.0.1:*", "--to", "tcp://127.0.0.1:1", "--out", "x.feature",
                 "--app", "tinyrpc", "--for", "0.2"]) == 0
    assert "listening on tcp://127.0.0.1:" in capsys.readouterr().out
    text = (tmp_path / "x.feature").read_text()
    assert "Feature: Conversations with tinyrpc's rpc port, as recorded" in text
    assert (tmp_path / "x.svg").exists()


def test_a_secret_of_the_settings_is_written_as_its_reference_and_reads_back_as_one():
    secrets = {"s3cr3t-token": "${vault.api_token}"}
    value = with_references({"token": "s3cr3t-token", "note": "bearer s3cr3t-token", "text": "${x}"}, secrets)
    frames = with_references(["s3cr3t-token", "hex:00", "other"], secrets)
    steps = [feature.Step("send", '"tcp://127.0.0.1:1"', "JSON", value),
             feature.Step("send", '"tcp://127.0.0.1:1"', None, frames)]
    text = feature.render(feature.Feature([], "t", [], [feature.Scenario("one", steps)]))
    assert "s3cr3t" not in text
    assert '{"token": "${vault.api_token}", "note": "bearer ${vault.api_token}", "text": "\\u0024{x}"}' in text
    assert '["${vault.api_token}", "hex:00", "other"]' in text
    assert feature.render(feature.parse(text, "x.feature")) == text  # --again keeps references references


def test_a_relay_whose_target_is_not_there_says_so_in_the_feature(context):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens there
    with relaying(port) as relay:
        client = connect(context, zmq.DEALER, relay, RECONNECT_IVL=10)
        assert until(lambda: relay.unreached_count >= 3)  # ZeroMQ tries again, and again
        client.close(0)
    assert relay.unreached == f"tcp://127.0.0.1:{port} could not be reached (Connection refused)"
    assert relay.connections == []  # none takes a place among the connections recorded
    recording = recording_of(relay)
    recording.unreached, recording.unreached_count = relay.unreached, relay.unreached_count
    text = feature.render(feature_of(recording, relay.connections)).replace("\n#   ", " ")  # a wrapped comment
    assert re.search(rf"# \d+ connections were closed at once, and not recorded: tcp://127.0.0.1:{port} could not "
                     rf"be reached \(Connection refused\)\.", text), text


def test_a_subscriber_is_written_connected_subscribed_to_its_topic(context):
    server = context.socket(zmq.XPUB)
    server.linger, server.rcvtimeo = 0, 5000
    port = server.bind_to_random_port("tcp://127.0.0.1")
    with relaying(port) as relay:
        client = connect(context, zmq.SUB, relay, SUBSCRIBE=b"weather.")
        assert server.recv() == b"\x01weather."  # the subscription came through the relay
        server.send_multipart([b"weather.paris", b"sunny"])
        assert client.recv_multipart() == [b"weather.paris", b"sunny"]
        assert until(lambda: len(relay.connections[0].said) == 2)
        client.close(0)
    text = feature.render(feature_of(recording_of(relay), relay.connections))
    assert 'Given I connect a SUB socket to "tcp://127.0.0.1:1" subscribed to "weather."' in text
    assert 'Then I receive the multipart message ["weather.paris", "sunny"] from "tcp://127.0.0.1:1"' in text
    assert feature.render(feature.parse(text, "x.feature")) == text


def test_a_long_note_of_a_scenario_reads_back_where_it_was_written():
    note = "# note: " + "heartbeats left out, " * 8 + "and every receive is eventually"
    steps = [feature.Step("connect", '"tcp://127.0.0.1:1"', type="DEALER"),
             feature.Step("receive", '"tcp://127.0.0.1:1"', None, ["x"], notes=[note])]
    text = feature.render(feature.Feature([], "t", [], [feature.Scenario("one", steps, notes=[note])]))
    assert len([line for line in text.splitlines() if line.strip().startswith("#   ")]) == 2  # wrapped, twice
    assert feature.render(feature.parse(text, "x.feature")) == text  # what --again reads, it writes back the same
