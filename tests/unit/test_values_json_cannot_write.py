"""A value JSON cannot write (bytes, a set), in a failure that shows it: what a project's own format decodes, or
what the Python API is asked to send. Both ended in a TypeError from ``json.dumps``, a traceback instead of the
failure; and the value a format could not take was cut at 200 characters before its secrets were masked
(a part of one that runs across the cut was shown)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from zmqprose import ProseError
from zmqprose.wire import format_registry
from zmqprose.wire.format_registry import FormatContext, encode_value
from zmqprose.wire.frames import IN_FULL
from zmqprose.wire.masking import MASK, remember_secrets
from zmqprose.wire.matching import json_difference

FREE = "tcp://127.0.0.1:*"


@pytest.fixture
def bytes_format() -> Iterator[str]:
    """A project's own format whose decode returns bytes, as a protocol library's may (gone after the test)."""
    kept = dict(format_registry.FORMATS._formats), dict(format_registry.FORMATS._names)
    format_registry.register("raw", lambda value: value["body"].encode(), lambda frame: {"body": frame})
    yield "raw"
    format_registry.FORMATS._formats, format_registry.FORMATS._names = kept


@pytest.fixture
def picky_format() -> Iterator[str]:
    """A project's own format that takes no value at all (gone after the test)."""
    kept = dict(format_registry.FORMATS._formats), dict(format_registry.FORMATS._names)
    format_registry.register("picky", lambda value: value["no such key"], lambda frame: frame)
    yield "picky"
    format_registry.FORMATS._formats, format_registry.FORMATS._names = kept


def test_a_value_with_bytes_that_differs_is_a_failure_that_shows_it(prose, bytes_format) -> None:
    server = prose.using_zmq().bind(FREE, "PAIR", name="server")
    client = prose.using_zmq().connect('the endpoint of "server"', "PAIR")
    prose.using_zmq().send(client, "hello")
    with pytest.raises(ProseError) as failed:
        prose.expects_zmq_socket(server).receives_value({"body": "bye"}, bytes_format)
    assert "first difference at $.body: expected \"bye\", got \"b'hello'\"" in str(failed.value), failed.value
    assert str(json_difference({"body": 1}, {"body": {b"x"}})) == "at $.body: expected 1, got \"{b'x'}\""


def test_a_value_a_format_cannot_take_is_a_failure_that_names_it(prose) -> None:
    server = prose.using_zmq().bind(FREE, "PAIR", name="server")
    with pytest.raises(ProseError, match=r"""cannot write \{"id": "b'\\\\x00'"\} as JSON"""):
        prose.using_zmq().send_value(server, {"id": b"\0"}, "JSON")


def test_a_value_a_format_cannot_take_never_shows_a_part_of_a_secret_cut_through(picky_format) -> None:
    secret = "s3cr3t-" + uuid.uuid4().hex
    remember_secrets([secret])
    value = {"pad": "p" * 150, "token": secret}  # the secret runs across the 200th character
    with pytest.raises(ProseError) as cut:
        encode_value(format_registry.get(picky_format), value, FormatContext())
    assert secret[:7] not in str(cut.value) and MASK in str(cut.value), cut.value
    with pytest.raises(ProseError) as whole:
        encode_value(format_registry.get(picky_format), {**value, "pad": "p" * 1000}, FormatContext(), IN_FULL)
    assert "p" * 1000 in str(whole.value) and secret[:7] not in str(whole.value), whole.value


def test_a_value_that_is_not_a_jupyter_message_never_shows_a_part_of_a_secret_cut_through() -> None:
    secret = "s3cr3t-" + uuid.uuid4().hex
    remember_secrets([secret])
    value = {"pad": "p" * 160, "token": secret}  # as Python writes it, the secret runs across the 200th character
    with pytest.raises(ProseError) as cut:
        encode_value(format_registry.get("Jupyter"), value, FormatContext())
    assert "a Jupyter message is an object with the keys" in str(cut.value)
    assert secret[:7] not in str(cut.value) and MASK in str(cut.value), cut.value
