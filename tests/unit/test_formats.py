"""Message formats, values made for a spec, dotted paths, eventually, and the publisher's side."""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import re
import time
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zmqprose import AppSupervisor, Prose, ProseError, Settings, WaitTimeout, formats
from zmqprose.wire import format_registry as registry
from zmqprose.wire.format_registry import FormatContext, decode_value, encode_value

FREE = "tcp://127.0.0.1:*"
hex_texts = st.binary(max_size=8).map(lambda data: "hex:" + data.hex())
msgpack_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8).filter(lambda text: not text.startswith("hex:")) | hex_texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
CONTEXT = FormatContext(key=b"right", session="s")


@given(msgpack_values)
def test_a_value_written_in_msgpack_reads_back_as_itself(value):
    fmt = formats.get("msgpack")
    assert decode_value(fmt, encode_value(fmt, value, CONTEXT), CONTEXT, "it") == value


@given(st.sampled_from(["JSON", "msgpack", "Jupyter"]), st.lists(st.binary(max_size=30), min_size=1, max_size=4))
def test_bytes_that_are_not_the_format_give_a_prose_error_never_a_decoders_traceback(name, frames):
    fmt = formats.get(name)
    try:
        _, own = fmt.split(frames)
        decode_value(fmt, own, CONTEXT, "the message")
    except ProseError:
        pass


def test_a_jupyter_message_is_signed_and_a_wrong_signature_is_named():
    fmt = formats.get("jupyter")
    frames = encode_value(fmt, {"header": {"msg_type": "kernel_info_request"}, "content": {}}, CONTEXT)
    assert frames[0] == b"<IDS|MSG>"
    value = decode_value(fmt, fmt.split(frames)[1], CONTEXT, "it")
    assert value["header"]["msg_type"] == "kernel_info_request"
    assert re.fullmatch(r"[0-9a-f-]{36}", value["header"]["msg_id"])  # a new UUID
    assert value["header"]["session"] == "s" and value["parent_header"] == {} and value["metadata"] == {}
    with pytest.raises(ProseError, match="signature does not check out"):
        decode_value(fmt, fmt.split(frames)[1], FormatContext(key=b"wrong", session="s"), "it")
    with pytest.raises(ProseError, match="no <IDS|MSG> frame: not a Jupyter message"):
        fmt.split([b"just", b"frames"])
    with pytest.raises(ProseError, match="a Jupyter message is an object with the keys header"):
        encode_value(fmt, {"headr": {}}, CONTEXT)


def test_an_unknown_format_lists_the_known_ones_and_a_missing_package_says_what_to_install():
    with pytest.raises(ProseError, match="unknown format 'yaml': the known formats are JSON, Jupyter, msgpack"):
        formats.get("yaml")
    with pytest.raises(ProseError, match=r'needs the package .no_such_package.: pip install "zmqprose\[msgpack\]"'):
        registry.needs("no_such_package", "msgpack")
    assert formats.get("MsgPack") is formats.get("msgpack")  # names are matched without case


def test_a_format_comes_from_an_entry_point(monkeypatch):
    point = SimpleNamespace(name="upper", value="their.module:UPPER",
                            load=lambda: (lambda value: value.upper().encode(), lambda frame: frame.decode()))
    monkeypatch.setattr(importlib.metadata, "entry_points",
                        lambda group: [point] if group == "zmqprose.formats" else [])
    fresh = registry.Registry()
    assert fresh.get("UPPER").encode("abc", CONTEXT) == [b"ABC"]
    assert "upper" in fresh.names()


def test_values_are_sent_and_checked_in_a_format_with_an_envelope(prose):
    router = prose.using_zmq().bind(FREE, "ROUTER", name="server")
    dealer = prose.using_zmq().connect('the endpoint of "server"', "DEALER", name="client")
    prose.using_zmq().send_value(dealer, [{"id": "hex:0aff"}, "add", [1, 2]], "msgpack", envelope=[""])
    value = prose.expects_zmq_socket(router).receives_value([{"id": "hex:0aff"}, "add", "#array"], "msgpack",
                                                            envelope=[""])
    assert value == [{"id": "hex:0aff"}, "add", [1, 2]]
    assert prose.from_zmq_socket(router).get_last_message()[-1][:1] == b"\x93"  # a msgpack array of 3
    prose.using_zmq().send_value(dealer, {"a": 1}, "JSON", envelope=["x"])
    with pytest.raises(ProseError, match=r"the envelope of the message from \"server\" .* is \['x'\], not the one "
                                         r"expected \[''\]"):
        prose.expects_zmq_socket(router).receives_value({"a": 1}, "JSON", envelope=[""])
    prose.using_zmq().send(dealer, "not msgpack at all \xff")
    with pytest.raises(ProseError, match="is not a msgpack message"):
        prose.expects_zmq_socket(router).receives_value({}, "msgpack")


def test_eventually_skips_what_does_not_match_and_says_what_it_skipped(prose):
    inbox = prose.using_zmq().bind("inproc://eventually", "PULL", name="inbox")
    outbox = prose.using_zmq().connect("inproc://eventually", "PUSH")
    for text in ("welcome", "status", '{"kind": "stream"}'):
        prose.using_zmq().send(outbox, text)
    prose.expects_zmq_socket(inbox).receives_value({"kind": "stream"}, "JSON", subset=True, eventually=True)
    for text in ("one", "two", "three"):
        prose.using_zmq().send(outbox, text)
    began = time.monotonic()
    with pytest.raises(WaitTimeout, match=r"(?s)no message that matches arrived on .* within 0.3 s; "
                                          r"3 that did not were skipped, the last 3:.*'one'.*'two'.*'three'"):
        prose.expects_zmq_socket(inbox).receives(["four"], timeout=0.3, eventually=True)
    assert time.monotonic() - began < 3
    prose.using_zmq().send(outbox, "not four")
    with pytest.raises(ProseError, match="is not the one expected"):  # without eventually: the first one counts
        prose.expects_zmq_socket(inbox).receives(["four"], timeout=1)


def test_values_made_for_a_spec_and_dotted_paths_into_the_checkpoint(prose):
    first, second = prose.interpolate("${uuid}"), prose.interpolate("${uuid}")
    assert first != second and re.fullmatch(r"[0-9a-f-]{36}", first)
    now = datetime.datetime.fromisoformat(prose.interpolate("${now}").replace("Z", "+00:00"))
    assert abs((now - datetime.datetime.now(datetime.UTC)).total_seconds()) < 60
    assert abs(float(prose.interpolate("${now.epoch}")) - time.time()) < 60
    prose.checkpoint.reply = {"header": {"msg_id": "m-1"}, "watchers": ["a", "b"]}
    prose.checkpoint.response = [b"PONG", b"42"]
    assert prose.interpolate("${checkpoint.reply.header.msg_id} ${checkpoint.reply.watchers.1}") == "m-1 b"
    assert prose.interpolate("${checkpoint.response.1}") == "42"
    with pytest.raises(ProseError, match=r'the checkpoint "reply" has no "header.msg_idd" \(no "header.msg_idd"\); '
                                         r"it has: header.msg_id, watchers.0, watchers.1"):
        prose.interpolate("${checkpoint.reply.header.msg_idd}")


def test_a_publisher_waits_for_its_subscriber_and_says_what_it_has(prose):
    feed = prose.using_zmq().bind(FREE, "PUB", name="feed")
    with pytest.raises(WaitTimeout, match=r'"feed" \(PUB, .*\) had no subscriber within 0.2 s; subscribed now: '
                                          r"nothing"):
        prose.expects_zmq_socket(feed).has_subscriber(timeout=0.2)
    prose.using_zmq().connect('the endpoint of "feed"', "SUB", name="news", subscribe=["news."])
    prose.expects_zmq_socket(feed).has_subscriber("news.today", timeout=5)
    with pytest.raises(WaitTimeout, match=r"had no subscriber to 'weather.' within 0.2 s; subscribed now: "
                                          r"\['news.'\]"):
        prose.expects_zmq_socket(feed).has_subscriber("weather.", timeout=0.2)
    prose.using_zmq().send_multi(feed, ["news.today", "sunny"])
    prose.expects_zmq_socket("news").receives(["news.today", "sunny"])
    with pytest.raises(ProseError, match="only a PUB or XPUB socket sees subscriptions"):
        prose.expects_zmq_socket("news").has_subscriber(timeout=0.1)


def test_a_forwarder_loses_no_first_message_when_the_spec_waits_for_the_subscription(tmp_path):
    settings = Settings({"forwarder": {
        "start": ["python", "examples/forwarder.py", "tcp://127.0.0.1:${forwarder.frontend_port}",
                  "tcp://127.0.0.1:${forwarder.backend_port}"],
        "frontend_port": 0, "backend_port": 0, "wait_for": ["backend_port"]}})
    with AppSupervisor(settings, log_dir=tmp_path) as apps:
        apps.ensure_running("forwarder")
        for round_number in range(20):
            with Prose(apps.settings, apps, timeout=5) as prose:
                feed = prose.using_zmq().bind("forwarder's frontend port", "PUB")
                prose.using_zmq().connect("forwarder's backend port", "SUB", subscribe=["weather."])
                prose.expects_zmq_socket(feed).has_subscriber("weather.", timeout=5)
                prose.using_zmq().send_multi(feed, ["weather.london", str(round_number)])
                prose.expects_zmq_socket("forwarder's backend port").receives(["weather.london", str(round_number)])


def test_a_libzmq_without_curve_is_one_clear_message(prose, monkeypatch):
    import zmq

    monkeypatch.setattr(zmq, "has", lambda capability: capability != "curve")
    from zmqprose.security.curve import CurveRequest

    with pytest.raises(ProseError, match=r"this libzmq was built without CURVE \(zmq.has\('curve'\) is false\)"):
        prose.using_zmq().bind(FREE, "REP", curve=CurveRequest())


def test_a_generated_server_pair_and_named_clients_reach_the_settings_and_are_masked(tmp_path):
    from zmqprose.wire.masking import mask_text

    with AppSupervisor(Settings({"vault": {"curve": "generate"}}), log_dir=tmp_path) as apps:
        pair = apps.settings.app("vault")["curve"]
        assert len(pair["public_key"]) == len(pair["secret_key"]) == 40
        assert apps.lookup("vault.curve.public_key") == pair["public_key"] == apps.server_key("vault")
        alice = apps.lookup("curve.alice.secret_key")
        assert apps.lookup("curve.alice.secret_key") == alice  # made once per run
        assert mask_text(f"{alice} {pair['secret_key']}") == "•••• ••••"


@pytest.fixture
def scratch_formats():
    """Formats a test registers are gone after it (the registry is the process's)."""
    kept = dict(registry.FORMATS._formats), dict(registry.FORMATS._names)
    yield
    registry.FORMATS._formats, registry.FORMATS._names = kept


def test_a_format_of_the_whole_message_sees_every_frame_after_the_envelope(prose, scratch_formats):
    """frames="all": a protocol that spreads one message over frames (a header, a name, arguments)."""
    def encode(value):
        return [value["name"].encode(), json.dumps(value["args"]).encode()]

    def decode(frames):
        name, args = frames
        return {"name": name.decode(), "args": json.loads(args)}

    formats.register("call", encode, decode, frames="all")
    router = prose.using_zmq().bind(FREE, "ROUTER", name="server")
    dealer = prose.using_zmq().connect('the endpoint of "server"', "DEALER", name="client")
    prose.using_zmq().send_value(dealer, {"name": "add", "args": [1, 2]}, "call")
    prose.expects_zmq_socket(router).receives(["add", "[1, 2]"])  # two frames after the routing id
    prose.using_zmq().reply(router, encode({"name": "result", "args": [3]}))
    prose.expects_zmq_socket(dealer).receives_value({"name": "result", "args": ["#number"]}, "call")
    with pytest.raises(ProseError, match='frames is "last"'):
        formats.register("odd", encode, decode, frames="some")


def test_a_whole_message_format_that_encodes_one_frame_is_told_what_it_must_return(prose, scratch_formats):
    formats.register("single", lambda value: b"one", lambda frames: frames, frames="all")
    pair = prose.using_zmq().bind(FREE, "PAIR")
    with pytest.raises(ProseError, match="must encode a value as a list of bytes"):
        prose.using_zmq().send_value(pair, {}, "single")


def test_a_format_steps_messages_read_in_their_format_in_the_log_among_the_skipped_and_in_a_stubs_list(prose):
    """msgpack is shown as its value, not as the hex of its bytes: in the action log, among the messages an
    eventually skipped, and in a stub's received list."""
    router = prose.using_zmq().bind(FREE, "ROUTER", name="server")
    dealer = prose.using_zmq().connect('the endpoint of "server"', "DEALER", name="client")
    prose.using_zmq().send_value(dealer, ["heartbeat", {"state": "ready"}], "msgpack")
    with pytest.raises(WaitTimeout) as failure:
        prose.expects_zmq_socket(router).receives_value(["spawning_complete"], "msgpack", subset=True,
                                                        timeout=0.3, eventually=True)
    assert 'msgpack ["heartbeat", {"state": "ready"}]' in str(failure.value)  # skipped, as its value
    log = prose.action_log()
    assert 'send_multi -> ' in log and 'msgpack ["heartbeat", {"state": "ready"}]' in log
    assert "hex:92a9" not in log

    prose.using_zmq().stub(FREE, "PULL", name="stub")
    pusher = prose.using_zmq().connect('the endpoint of "stub"', "PUSH")
    prose.using_zmq().send_value(pusher, {"worker": 1}, "msgpack")
    with pytest.raises(ProseError, match=r'it received: \[msgpack \{"worker": 1\}\]'):
        prose.expects_stub("stub").received_value({"worker": 2}, "msgpack", within=0.3)


def _jupyter_with(part: str, text: bytes) -> list[bytes]:
    """A Jupyter message rightly signed whose ``part`` frame is ``text``."""
    fmt = formats.get("jupyter")
    frames = encode_value(fmt, {"header": {"msg_type": "x"}}, CONTEXT)
    parts = list(frames[2:6])
    parts[["header", "parent_header", "metadata", "content"].index(part)] = text
    return [frames[0], fmt.session(CONTEXT).sign(parts), *parts]


@pytest.mark.parametrize(("name", "frames", "says"), [
    ("JSON", [b'{"id": 1, "id": 2}'], 'the key "id" appears twice in one object'),
    ("JSON", [b"[1e400]"], "1e400 is past what a number (a 64-bit float) holds"),
    ("msgpack", [b"\x82\xa2id\x01\xa2id\x02"], 'the key "id" appears twice in one object'),  # {"id": 1, "id": 2}
    ("msgpack", [b"\x82\x01\xa1a\xa11\xa1b"], 'the key "1" appears twice in one object'),  # {1: "a", "1": "b"}
    ("msgpack", [b"\x91\x81\xa4load\xcb\x7f\xf8" + bytes(6)], "NaN at $[0].load is not a number in JSON"),
    ("msgpack", [b"\xcb\xff\xf0" + bytes(6)], "-Infinity at $ is not a number in JSON"),
    ("Jupyter", _jupyter_with("content", b'{"id": 1, "id": 2}'),
     'in its content frame, the key "id" appears twice in one object'),
    ("Jupyter", _jupyter_with("header", b'{"msg_id": "a", "msg_type": "x", "msg_type": "y"}'),
     'in its header frame, the key "msg_type" appears twice in one object'),
    ("Jupyter", _jupyter_with("parent_header", b'{"n": NaN}'), "in its parent_header frame, NaN is not a number"),
    ("Jupyter", _jupyter_with("metadata", b'{"n": -Infinity}'), "in its metadata frame, -Infinity is not a number"),
])
def test_a_message_that_reads_two_ways_is_refused_in_every_format_naming_what(name, frames, says):
    fmt = formats.get(name)
    with pytest.raises(ProseError, match=re.escape(f"the message from x is refused as {fmt.name}: {says}")):
        decode_value(fmt, fmt.split(frames)[1], CONTEXT, "the message from x")


def test_a_jupyter_part_that_is_not_json_is_named_not_taken_for_a_wrong_signature():
    with pytest.raises(ProseError, match=r"signature checks out, but its content frame is not JSON"):
        decode_value(formats.get("jupyter"), _jupyter_with("content", b"\xff{}")[0:], CONTEXT, "it")


def test_a_format_of_a_project_s_own_that_decodes_a_nan_is_refused_too(scratch_formats):
    formats.register("floaty", lambda value: b"", lambda frame: {"load": float(frame)})
    with pytest.raises(ProseError, match=re.escape("the message is refused as floaty: NaN at $.load")):
        decode_value(formats.get("floaty"), [b"nan"], CONTEXT, "the message")
    assert decode_value(formats.get("floaty"), [b"1.5"], CONTEXT, "the message") == {"load": 1.5}


@given(st.lists(st.tuples(st.sampled_from(["a", "b", 1, b"a", "hex:61"]), st.integers(0, 3)), max_size=4))
def test_a_msgpack_map_is_read_with_each_of_its_keys_once_or_refused(pairs):
    """Keys as JSON reads them: 1 and "1", b"a" and "hex:61" are the same key."""
    import msgpack

    packer = msgpack.Packer(use_bin_type=True)
    frame = packer.pack_map_header(len(pairs)) + b"".join(packer.pack(key) + packer.pack(value)
                                                          for key, value in pairs)
    as_json = [key if isinstance(key, str) else "hex:61" if key == b"a" else str(key) for key, _ in pairs]
    fmt = formats.get("msgpack")
    if len(set(as_json)) < len(as_json):
        with pytest.raises(ProseError, match="appears twice in one object"):
            decode_value(fmt, [frame], CONTEXT, "it")
    else:
        read = {key: value for key, (_, value) in zip(as_json, pairs, strict=True)}
        assert decode_value(fmt, [frame], CONTEXT, "it") == read


@pytest.mark.parametrize("name", ["JSON", "msgpack", "Jupyter"])
def test_a_value_that_would_be_refused_if_it_came_back_is_not_written(name):
    """JSON would write NaN, which is not JSON; jupyter_client would send it as the text "nan"."""
    fmt = formats.get(name)
    with pytest.raises(ProseError, match=re.escape(f"as {fmt.name}: NaN at $.content.load is not a number")):
        encode_value(fmt, {"content": {"load": float("nan")}}, CONTEXT)


# -- issue 28, item 8: a format's name, and a socket's messages shown in its format --------------------------------

@pytest.mark.parametrize(("name", "says"), [
    ("wrongly-signed Jupyter", "no spaces"),
    ("2fast", "a letter first"),
    ("multipart", "'multipart' is a word of the phrases"),
    ("", "a letter first"),
])
def test_a_format_name_no_phrase_can_write_is_refused_at_register_saying_what_a_name_may_be(name, says,
                                                                                          scratch_formats):
    with pytest.raises(ProseError, match=re.escape(says)):
        formats.register(name, lambda value: b"", lambda frame: frame)
    assert name.lower() not in [known.lower() for known in formats.names()]


def test_a_format_name_a_phrase_can_write_is_taken_and_the_phrase_pattern_agrees(scratch_formats):
    from zmqprose.steps.arguments import parse_format

    for name in ("wrongly-signed-Jupyter", "zre_v2", "ZRE"):
        formats.register(name, lambda value: b"", lambda frame: frame)
        assert re.fullmatch(parse_format.pattern, name)
    for bad in ("wrongly signed", "multipart", "9p"):
        assert not re.fullmatch(parse_format.pattern, bad)
        with pytest.raises(ProseError):
            formats.register(bad, lambda value: b"", lambda frame: frame)
    with pytest.raises(ProseError, match="decode must be a function, decode.bytes. -> value, not str"):
        formats.register("odd", lambda value: b"", "decode")


def test_the_phrases_format_argument_takes_the_one_name_rule_of_the_registry():
    """The FORMAT of the phrases and the names register takes were two copies of one rule, kept equal by the test
    above; one source (wire.format_registry.FORMAT_NAME) cannot drift."""
    from zmqprose.steps.arguments import parse_format

    assert parse_format.pattern is registry.FORMAT_NAME


def _zre(scratch_formats):
    """A format of the whole message, as a project registers one for ZRE (a header frame, then a body)."""
    formats.register("zre", lambda value: [b"\xaa\xa1" + bytes([value["id"]]), value["peer"].encode()],
                     lambda frames: {"id": frames[0][2], "peer": frames[1].decode()}, frames="all")


def test_a_socket_that_spoke_a_format_shows_what_it_receives_in_that_format_in_the_log_failures_and_the_story(
        scratch_formats):
    """A ZRE format's answers were shown as hex in failures and pictures: a plain receive, the last message of a
    receive that timed out, and the story's events now read as the format's value."""
    from zmqprose.actionlog import RunOptions

    _zre(scratch_formats)
    with Prose(Settings({}), timeout=2, options=RunOptions(keep_stories=True)) as prose:
        router = prose.using_zmq().bind(FREE, "ROUTER", name="node")
        dealer = prose.using_zmq().connect('the endpoint of "node"', "DEALER", name="peer")
        prose.using_zmq().send_value(dealer, {"id": 1, "peer": "alice"}, "zre")
        prose.expects_zmq_socket(router).receives_value({"id": 1, "peer": "alice"}, "zre")
        prose.using_zmq().reply(router, [b"\xaa\xa1\x02", b"bob"])  # the node's answer: sent as frames
        prose.expects_zmq_socket(dealer).receives_message()  # the spec's socket spoke zre: it reads as zre
        with pytest.raises(WaitTimeout) as failure:
            prose.expects_zmq_socket(dealer).receives_message(timeout=0.2)
        story = json.dumps(prose.story())
        log = prose.action_log()
    assert 'zre {"id": 2, "peer": "bob"}' in log
    assert 'zre {"id": 2, "peer": "bob"}' in str(failure.value)  # the last message on this socket
    assert "hex:aaa102" not in log and "hex:aaa102" not in str(failure.value)
    assert 'zre {\\"id\\": 2, \\"peer\\": \\"bob\\"}' in story and "hex:aaa102" not in story


# -- issue 28, item 6: msgpack as real services write it (Salt: bytes as msgpack str, msgpack nested in a field) ----

def _salt_frame(load: dict) -> bytes:
    """A request as an old Salt minion writes it: bytes as msgpack str (no bin), the load packed on its own."""
    import msgpack

    return msgpack.packb({"enc": "clear", "load": msgpack.packb(load, use_bin_type=False)}, use_bin_type=False)


SALT_LOAD = {"cmd": "_auth", "id": "minion-1", "nonce": b"\x9f\x00\xfe\x10"}
SALT_VALUE = {"enc": "clear", "load": {"cmd": "_auth", "id": "minion-1", "nonce": "hex:9f00fe10"}}


def test_msgpack_that_holds_bytes_in_a_str_says_where_and_which_variant_reads_it():
    """It said "'utf-8' codec can't decode byte 0x82 in position 0" about a frame that is msgpack."""
    with pytest.raises(ProseError) as failure:
        decode_value(formats.get("msgpack"), [_salt_frame(SALT_LOAD)], CONTEXT, "the message from master")
    said = str(failure.value)
    assert "the str at $.load is not UTF-8 text (byte 0x83 at 0 of its " in said
    assert 'register_msgpack("NAME", raw=True, nested=["load"])' in said
    assert "codec can't decode" not in said


def test_a_msgpack_variant_reads_raw_strings_as_bytes_and_a_nested_payload_as_its_value(scratch_formats):
    formats.register_msgpack("salt", raw=True, nested=["load"])
    salt = formats.get("salt")
    assert decode_value(salt, [_salt_frame(SALT_LOAD)], CONTEXT, "it") == SALT_VALUE
    assert encode_value(salt, SALT_VALUE, CONTEXT) == [_salt_frame(SALT_LOAD)]  # written as Salt writes it
    assert decode_value(salt, encode_value(salt, {"enc": "aes"}, CONTEXT), CONTEXT, "it") == {"enc": "aes"}
    with pytest.raises(ProseError, match=r"the nested msgpack at \$\.load cannot be read: 1 byte is left after"):
        import msgpack

        decode_value(salt, [msgpack.packb({"load": b"\x01\x02"}, use_bin_type=False)], CONTEXT, "it")
    with pytest.raises(ProseError, match=r"nested is a list of dotted paths"):
        formats.register_msgpack("odd", nested="load")
    with pytest.raises(ProseError, match="cannot be written in a step"):
        formats.register_msgpack("salt master", raw=True)


def test_a_spec_plays_a_salt_minion_in_the_salt_variant_and_reads_the_master_s_answer(prose, scratch_formats):
    """Real sockets: the spec's REQ sends in the variant, a master's REP reads Salt's own bytes and answers in them."""
    import msgpack

    formats.register_msgpack("salt", raw=True, nested=["load"])
    master = prose.using_zmq().bind(FREE, "REP", name="master")
    minion = prose.using_zmq().connect('the endpoint of "master"', "REQ", name="minion")
    prose.using_zmq().send_value(minion, SALT_VALUE, "salt")
    assert prose.expects_zmq_socket(master).receives_message() == [_salt_frame(SALT_LOAD)]
    answer = {"enc": "clear", "load": msgpack.packb({"ret": True, "pub_key": b"\xfe\x01"}, use_bin_type=False)}
    prose.using_zmq().send(master, msgpack.packb(answer, use_bin_type=False))
    prose.expects_zmq_socket(minion).receives_value({"enc": "clear", "load": {"ret": True, "pub_key": "#string"}},
                                                    "salt")
    assert prose.from_zmq_socket(minion).get_last_value("salt")["load"]["pub_key"] == "hex:fe01"
    assert 'salt {"enc": "clear", "load": {"ret": true, "pub_key": "hex:fe01"}}' in prose.action_log()


def test_msgpack_that_is_cut_short_or_has_bytes_left_says_so_with_where():
    fmt = formats.get("msgpack")
    with pytest.raises(ProseError, match=r"not a msgpack message \(1 byte is left after the msgpack value, which "
                                         r"ends at byte 1\)"):
        decode_value(fmt, [b"\x01\x02"], CONTEXT, "it")
    with pytest.raises(ProseError, match=r"not a msgpack message \(.*incomplete.*2 bytes, starting 9201"):
        decode_value(fmt, [b"\x92\x01"], CONTEXT, "it")
