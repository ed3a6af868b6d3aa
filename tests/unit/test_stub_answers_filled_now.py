"""A stub's answer that keeps ``${request.…}``: what was filled in when the answer was written is data from then on.

The answer was filled in as text when the rule was given and read again for
``${…}`` when a request came, so that a value that holds ``${…}`` (a checkpoint
value, a CURVE key: Z85 has ``$``, ``{`` and ``}`` among its letters) was refused
("store it without '${'"), and one that ends in ``$`` before the spec's own
``{…}`` became a placeholder of the request's, silently. Each case here runs a
real stub and a real REQ client over tcp.
"""

from __future__ import annotations

import json
import struct

import pytest

from zmqprose.security.curve import is_z85_key
from zmqprose.stubs.rules import REQUEST
from zmqprose.wire.interpolation import interpolate_frame

FREE = "tcp://127.0.0.1:*"
KEEP = (REQUEST,)  # as the phrases keep it (zmqprose/steps/stubs.py)
KEY = "0000${request.frame.0}" + "0" * 18  # a CURVE key of Z85 that reads like a placeholder of the request's


def ask(prose, frames: list[str]) -> list[bytes]:
    client = prose.using_zmq().connect('the endpoint of "worker"', "REQ")
    prose.using_zmq().send_multi(client, frames)
    answer: list[bytes] = prose.from_zmq_socket(client).recv_multi(timeout=5)
    return answer


def test_the_key_is_a_curve_key():
    assert is_z85_key(KEY)


@pytest.mark.parametrize(("written", "value", "sent"), [
    ("key=${checkpoint.v} for ${request.frame.0}", KEY, f"key={KEY} for GET"),
    ("${checkpoint.v}{request.frame.0} ${request.frame.0}", "price in $", "price in ${request.frame.0} GET"),
    ("${checkpoint.v}${request.frame.0}", "hex:41", "hex:41GET"),
    ("${checkpoint.v}${request.frame.0}", "#regex .*", "#regex .*GET"),
    ("${checkpoint.v}${request.frame.0}", "struct:>I [1]", "struct:>I [1]GET"),
    ("${checkpoint.v}:${request.frame.0}", "${", "${:GET"),
])
def test_a_value_filled_in_when_the_answer_is_written_is_sent_as_it_was(prose, written, value, sent):
    prose.checkpoint.v = value
    prose.using_zmq().stub(FREE, "REP", name="worker")
    prose.the_stub("worker").answers(prose.interpolate_frames([written], keep=KEEP), to="#ignore")
    prose.checkpoint.v = "changed since"  # the answer has the value as it was when it was written
    assert ask(prose, ["GET"]) == [sent.encode()]
    assert list(prose.the_stub("worker").errors) == []


def test_a_value_filled_into_a_json_answer_is_data_when_the_request_comes(prose):
    prose.checkpoint.key = KEY
    prose.checkpoint.h = "hex:41"
    prose.using_zmq().stub(FREE, "REP", name="worker")
    written = '{"key": "${checkpoint.key}", "id": "${request.id}", "note": "${checkpoint.h}${request.id}"}'
    prose.the_stub("worker").answers(prose.interpolate_json(written, keep=KEEP), to_value={"command": "get"})
    answer = ask(prose, [json.dumps({"command": "get", "id": "r-1"})])
    assert json.loads(answer[0]) == {"key": KEY, "id": "r-1", "note": "hex:41r-1"}


def test_a_value_filled_into_a_struct_frame_of_an_answer_is_data_when_the_request_comes(prose):
    prose.checkpoint.n = "7"
    prose.checkpoint.h = "hex:41"
    prose.using_zmq().stub(FREE, "REP", name="worker")
    written = 'struct:>I9s [${checkpoint.n}, "${checkpoint.h}${request.frame.0}"]'
    prose.the_stub("worker").answers(prose.interpolate_frames([written], keep=KEEP), to="#ignore")
    assert ask(prose, ["GET"]) == [struct.pack(">I9s", 7, b"hex:41GET")]


def test_an_answer_kept_for_later_is_filled_in_by_any_lookup_of_the_request():
    """What the API hands back keeps its values: whoever fills in the rest (a rule, a project's own code)."""
    kept = interpolate_frame("${v}|${request.frame.0}", lambda name: KEY, KEEP)
    assert interpolate_frame(kept, lambda name: b"ab") == f"{KEY}|ab".encode()


def test_an_answer_filled_now_is_copied_and_pickled_with_its_values():
    """A project's code may copy a rule's answer (or deep-copy its rules): the copy keeps the values filled in."""
    import copy
    import pickle

    from zmqprose.wire.interpolation import Filled

    filled = Filled("${=0 checkpoint.k} and ${request.id}", {"=0 checkpoint.k": "a${b"})
    for made in (copy.copy(filled), copy.deepcopy(filled), pickle.loads(pickle.dumps(filled))):
        assert isinstance(made, Filled)
        assert made == filled and made.values == filled.values
