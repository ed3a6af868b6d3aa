"""${checkpoint.KEY} and ${APP.SETTING} in a spec's strings."""

import json
import struct

import pytest

from zmqprose import Prose, ProseError, Settings, SettingsError
from zmqprose.wire.frames import encode_frame
from zmqprose.wire.interpolation import interpolate_frame
from zmqprose.wire.matching import frame_matches


@pytest.fixture
def prose():
    with Prose(Settings({"ogre": {"command_port": 5555, "limits": {"max": 3}}})) as prose:
        yield prose


def test_checkpoint_and_settings_are_filled_in(prose):
    prose.checkpoint.request_id = "abc-123"
    assert prose.interpolate("id=${checkpoint.request_id} port=${ogre.command_port}") == "id=abc-123 port=5555"
    assert prose.interpolate("${ogre.limits.max}") == "3"


def test_lists_and_dicts_are_filled_in_everywhere(prose):
    prose.checkpoint.set("n", 7)
    assert prose.interpolate(["GET", "${checkpoint.n}"]) == ["GET", "7"]
    assert prose.interpolate({"id": "${checkpoint.n}"}) == {"id": "7"}


def test_stored_messages_read_as_text(prose):
    prose.checkpoint.one = [b"PONG"]
    prose.checkpoint.two = [b"PONG", b"42"]
    assert prose.interpolate("${checkpoint.one}") == "PONG"
    assert prose.interpolate("${checkpoint.two}") == '["PONG", "42"]'


def test_unknown_names_are_errors_never_empty_strings(prose):
    with pytest.raises(ProseError, match="the checkpoint has no 'missing'"):
        prose.interpolate("${checkpoint.missing}")
    with pytest.raises(SettingsError, match="no setting 'ogre.comand_port'"):
        prose.interpolate("${ogre.comand_port}")
    with pytest.raises(SettingsError, match="no app 'troll'"):
        prose.interpolate("${troll.port}")


def test_malformed_placeholders_are_errors(prose):
    with pytest.raises(ProseError, match="unclosed"):
        prose.interpolate("${checkpoint.x")
    with pytest.raises(ProseError, match="empty"):
        prose.interpolate("${}")


def test_text_without_placeholders_is_left_alone(prose):
    assert prose.interpolate("costs $5 {not a placeholder}") == "costs $5 {not a placeholder}"


def test_a_received_frame_is_sent_back_as_it_came_never_read_as_notation(prose):
    inbox = prose.using_zmq().bind("inproc://hex", "PULL")
    outbox = prose.using_zmq().connect("inproc://hex", "PUSH")
    for data in (b"hex:4142", b"#ignore", b"\x00\xff binary", "caf\u00e9 \"quoted\"".encode()):
        prose.using_zmq().send_multi(outbox, [data])
        prose.checkpoint.m = prose.from_zmq_socket(inbox).recv_multi()
        prose.using_zmq().send_multi(outbox, prose.interpolate_frames(["${checkpoint.m}"]))
        assert prose.from_zmq_socket(inbox).recv_multi() == [data]
        assert prose.interpolate_frames(["<${checkpoint.m}>"]) == [b"<" + data + b">"]
    prose.checkpoint.m = [b"hex:4142"]
    with pytest.raises(ProseError, match="is not the one expected"):  # a stored "#ignore" would have matched
        prose.using_zmq().send_multi(outbox, ["anything"])
        prose.checkpoint.m = [b"#ignore"]
        prose.expects_zmq_socket(inbox).receives(prose.interpolate_frames(["${checkpoint.m}"]))


def test_the_spec_s_own_notation_still_works_around_placeholders(prose):
    prose.checkpoint.digits = "4142"
    prose.checkpoint.name = "42"
    assert prose.interpolate_frames(["hex:${checkpoint.digits}"]) == ["hex:4142"]  # read as hex when sent
    assert prose.interpolate_frames(["#regex ^${checkpoint.name}$"]) == ["#regex ^42$"]


def test_json_is_filled_in_as_json(prose):
    prose.checkpoint.quote = 'say "hi"\n'
    prose.checkpoint.n = "42"
    prose.checkpoint.frames = [b"PONG", b"1"]
    written = '{"text": "<${checkpoint.quote}>", "n": ${checkpoint.n}, "all": ${checkpoint.frames}}'
    text = prose.interpolate_json(written)
    assert json.loads(text) == {"text": '<say "hi"\n>', "n": 42, "all": ["PONG", "1"]}
    assert prose.interpolate_json('{"id": "${request.id}"}', keep=("request.",)) == '{"id": "${request.id}"}'


def test_stored_text_stays_text_and_stored_binary_stays_bytes(prose):
    prose.store_text("word", "abc-123")
    prose.store_text("binary", "hex:00ff")
    prose.checkpoint.frame = [b"\xff\x02"]
    prose.store_text("copy", prose.interpolate_frames(["${checkpoint.frame}"])[0])  # the phrase fills in, not the API
    assert prose.checkpoint.word == "abc-123"
    assert prose.checkpoint.binary == b"\x00\xff"
    assert prose.checkpoint.copy == b"\xff\x02"


def test_a_struct_frame_is_filled_in_then_packed_never_sent_as_its_notation(prose):
    inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
    outbox = prose.using_zmq().connect('the endpoint of "inbox"', "PUSH")
    endpoint = prose.from_zmq_socket(inbox).get_endpoints()[0]
    prose.checkpoint.n = [b"7"]  # a stored frame that is JSON: a number
    written = 'struct:>HB21sI [43681, 1, "${socket.inbox.endpoint}", ${checkpoint.n}]'
    prose.using_zmq().send_multi(outbox, prose.interpolate_frames([written]))
    assert prose.from_zmq_socket(inbox).recv_multi() == [struct.pack(">HB21sI", 43681, 1, endpoint.encode(), 7)]
    prose.using_zmq().send_multi(outbox, prose.interpolate_frames([written]))
    prose.expects_zmq_socket(inbox).receives(prose.interpolate_frames([written]))  # expected: filled in the same


def test_a_value_in_a_struct_frame_is_data_never_notation(prose):
    for data in (b"hex:4142", b"#ignore", b"\x00\xff", 'caf\u00e9 "q" \\'.encode()):
        prose.checkpoint.m = [data]
        frame = prose.interpolate_frames(['struct:>B12s [1, "${checkpoint.m}"]'])[0]
        assert encode_frame(frame) == struct.pack(">B12s", 1, data)
        assert frame_matches(frame, struct.pack(">B12s", 1, data))
        assert not frame_matches(frame, struct.pack(">B12s", 1, b"other"))  # a stored "#ignore" matches no other
        prose.checkpoint.text = data.decode("utf-8", "replace")
        assert prose.interpolate_frames(['struct:>2s ["<${checkpoint.text}"]'])[0].count("${") == 0
    prose.checkpoint.digits = "4142"
    prose.checkpoint.name = "a.b"
    assert encode_frame(prose.interpolate_frames(['struct:>2s ["hex:${checkpoint.digits}"]'])[0]) == b"AB"
    pattern = prose.interpolate_frames(['struct:>3s ["#regex ${checkpoint.name}"]'])[0]  # the spec's marker
    assert frame_matches(pattern, b"a.b") and not frame_matches(pattern, b"axb")


def test_a_struct_frame_that_keeps_a_placeholder_is_filled_in_when_the_rest_comes(prose):
    prose.checkpoint.n = "7"
    kept = prose.interpolate_frames(['struct:>I4s [${checkpoint.n}, "${request.frame.0}"]'], keep=("request.",))[0]
    assert encode_frame(interpolate_frame(kept, lambda name: b"ab")) == struct.pack(">I4s", 7, b"ab")
    prose.checkpoint.h = "hex:41"  # at the start of a string filled in later: data, its very bytes
    kept = prose.interpolate_frames(['struct:>8s ["${checkpoint.h}${request.frame.0}"]'], keep=("request.",))[0]
    assert encode_frame(interpolate_frame(kept, lambda name: b"ab")) == struct.pack(">8s", b"hex:41ab")


def test_a_struct_frame_s_format_is_written_out_never_filled_in(prose):
    prose.checkpoint.f = ">I"
    with pytest.raises(ProseError, match=r"the format of a struct: frame is written out, not filled in"):
        prose.interpolate_frames(["struct:${checkpoint.f} [1]"])


def test_a_value_in_a_regex_is_matched_as_it_reads(prose):
    prose.checkpoint.name = "a.b+"
    frame = prose.interpolate_frames(["#regex ^${checkpoint.name}$"])[0]
    assert frame_matches(frame, b"a.b+") and not frame_matches(frame, b"axbb")
    expected = json.loads(prose.interpolate_json('{"name": "#regex ^${checkpoint.name}-\\\\d$"}'))
    assert expected == {"name": "#regex ^a\\.b\\+-\\d$"}
    assert prose.interpolate("#regex ${checkpoint.name}") == "#regex a\\.b\\+"


def test_stored_text_that_is_not_json_read_one_way_is_a_string_in_json(prose):
    prose.checkpoint.nan = "NaN"
    prose.checkpoint.twice = '{"a": 1, "a": 2}'
    prose.checkpoint.deep = "[" * 100_000 + "]" * 100_000
    filled = prose.interpolate_json('[${checkpoint.nan}, ${checkpoint.twice}, ${checkpoint.deep}]')
    assert json.loads(filled) == ["NaN", '{"a": 1, "a": 2}', "[" * 100_000 + "]" * 100_000]


@pytest.mark.parametrize(("frame", "value", "sent"), [
    ("${checkpoint.v}${request.frame.0}", "hex:41", b"hex:417"),
    ("${checkpoint.v}${request.frame.0}", "struct:>I [1]", b"struct:>I [1]7"),
    ("${checkpoint.v} ${request.frame.0}", "#regex .*", b"#regex .* 7"),
    ("<${checkpoint.v}> ${request.frame.0}", "${request.frame.1}", b"<${request.frame.1}> 7"),
    ("${checkpoint.v}{request.frame.0}${request.frame.0}", "ends in $", b"ends in ${request.frame.0}7"),
    ('struct:>I4s [${request.frame.0}, "${checkpoint.v}"]', "${x}", struct.pack(">I4s", 7, b"${x}")),
])
def test_a_value_in_a_frame_filled_in_again_later_is_never_read_as_notation_then(prose, frame, value, sent):
    """A stub's answer keeps ${request.…} for when a request comes; what was filled in before stays data."""
    prose.checkpoint.v = value
    kept = prose.interpolate_frames([frame], keep=("request.",))[0]
    prose.checkpoint.v = "changed"
    assert encode_frame(interpolate_frame(kept, lambda name: b"7")) == sent


# -- issue 28, siblings: a value filled into a spec's JSON is data, never notation ----------------------------------

def _expected(prose, written: str):
    """An expected value as a step reads its docstring: filled in, then read as JSON."""
    from zmqprose.wire.json_text import parse_json_text

    return parse_json_text(prose.interpolate_json(written), "the expected value")


@pytest.mark.parametrize("stored", ["#ignore", b"#ignore", [b"#ignore"], "#regex .*", "#string", "hex:41",
                                    "#literal x"])
def test_a_value_filled_into_an_expected_message_matches_only_itself(prose, stored):
    """``{"id": "${checkpoint.id}"}`` with a stored ``#ignore`` was a marker that matched anything."""
    inbox = prose.using_zmq().bind("inproc://expected", "PULL")
    outbox = prose.using_zmq().connect("inproc://expected", "PUSH")
    prose.checkpoint.id = stored
    itself = stored if isinstance(stored, str) else b"".join([stored] if isinstance(stored, bytes) else stored).decode()
    for written in ('{"id": "${checkpoint.id}"}', '{"id": ${checkpoint.id}}', '{"ids": [${checkpoint.id}]}'):
        expected = _expected(prose, written)
        value = {"ids": [itself]} if "ids" in written else {"id": itself}
        prose.using_zmq().send(outbox, json.dumps(value))  # as a service writes it
        prose.expects_zmq_socket(inbox).receives_json(expected, timeout=2)  # itself: it matches
        prose.using_zmq().send(outbox, json.dumps({"ids": ["other"]} if "ids" in written else {"id": "other"}))
        with pytest.raises(ProseError, match="is not the one expected"):
            prose.expects_zmq_socket(inbox).receives_json(expected, timeout=2)


def test_a_stored_object_s_strings_are_data_when_it_is_filled_into_expected_json(prose):
    prose.checkpoint.reply = {"status": "#ignore", "items": ["#number", 1]}
    expected = _expected(prose, '{"was": ${checkpoint.reply}}')
    from zmqprose.wire.matching import json_difference

    assert json_difference(expected, {"was": {"status": "#ignore", "items": ["#number", 1]}}) is None
    assert json_difference(expected, {"was": {"status": "ok", "items": [7, 1]}}) is not None
    prose.checkpoint.frame = [b'{"status": "#ignore"}']  # a stored frame that is JSON text
    assert json_difference(_expected(prose, "${checkpoint.frame}"), {"status": "ok"}) is not None


def test_the_spec_s_own_markers_and_notation_around_values_still_work(prose):
    prose.checkpoint.name = "a.b"
    prose.checkpoint.digits = "4142"
    assert _expected(prose, '["#regex ^${checkpoint.name}$", "hex:${checkpoint.digits}", "#ignore", '
                            '"id-${checkpoint.name}"]') == ["#regex ^a\\.b$", "hex:4142", "#ignore", "id-a.b"]


def test_text_that_reads_hex_filled_into_msgpack_is_sent_as_str_and_received_bytes_go_back_as_bin(prose):
    """A UTF-8 text value "hex:4142" filled into a msgpack docstring was sent as msgpack bin."""
    import msgpack

    inbox = prose.using_zmq().bind("inproc://msgpack-data", "PULL")
    outbox = prose.using_zmq().connect("inproc://msgpack-data", "PUSH")
    prose.checkpoint.text = [b"hex:4142"]  # a received frame: text that reads like hex
    prose.using_zmq().send_value(outbox, _expected(prose, '{"k": "${checkpoint.text}", "all": [${checkpoint.text}]}'),
                                 "msgpack")
    assert msgpack.unpackb(prose.from_zmq_socket(inbox).recv()) == {"k": "hex:4142", "all": ["hex:4142"]}
    prose.using_zmq().send(outbox, msgpack.packb({"id": b"\x0a\xff", "name": "hex:00"}))  # bin, and a str
    prose.checkpoint.reply = prose.expects_zmq_socket(inbox).receives_value({"id": "#string"}, "msgpack",
                                                                            subset=True)
    prose.using_zmq().send_value(outbox, _expected(prose, '{"id": "${checkpoint.reply.id}", "r": ${checkpoint.reply}}'),
                                 "msgpack")
    assert msgpack.unpackb(prose.from_zmq_socket(inbox).recv()) == {
        "id": b"\x0a\xff", "r": {"id": b"\x0a\xff", "name": "hex:00"}}  # bytes as bytes, text as text
    prose.checkpoint.raw = [b"\x0a\xff"]  # a frame that is not UTF-8: bytes
    prose.using_zmq().send_value(outbox, _expected(prose, '["${checkpoint.raw}"]'), "msgpack")
    assert msgpack.unpackb(prose.from_zmq_socket(inbox).recv()) == [b"\x0a\xff"]
    prose.using_zmq().send_value(outbox, ["#literal hex:4142", "hex:4142"], "msgpack")  # the spec's own forms
    assert msgpack.unpackb(prose.from_zmq_socket(inbox).recv()) == ["hex:4142", b"AB"]


def test_a_value_that_reads_as_notation_at_the_start_of_a_string_filled_in_later_is_data(prose):
    from zmqprose.wire.interpolation import interpolate_json
    from zmqprose.wire.json_text import parse_json_text

    prose.checkpoint.h = "hex:41"
    written = '{"k": "${checkpoint.h}${request.frame.0}", "n": ${checkpoint.h}}'
    kept = prose.interpolate_json(written, keep=("request.",))
    filled = parse_json_text(interpolate_json(kept, lambda name: b"x"), "the answer")
    assert filled == {"k": "#literal hex:41x", "n": "#literal hex:41"}  # the text itself, as it is sent
