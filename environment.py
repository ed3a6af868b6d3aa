"""This repo's specs use zmqprose as any project does; and, as a project may, they add a message format.

aiozmq's RPC spreads one call over frames (a struct-packed header, the
method's name, msgpack arguments and keyword arguments) and one answer over
two (a header, a msgpack result): a format of the whole message
(``frames="all"``) lets a spec write a call and an answer as JSON values
(features/aiozmq.feature).

A Jupyter message signed with a key that is not the kernel's is what a
client under test must refuse: the spec that plays its kernel sends one in
the format ``wrongly-signed-Jupyter`` (features/jupyter_client.feature).
"""

import struct

import msgpack

from zmqprose import formats
from zmqprose.hooks import *  # noqa: F403  (settings per run, a prose object per scenario)

CALL = struct.Struct("=HHLd")  # aiozmq's request header: pid, random, request id, timestamp
ANSWER = struct.Struct("=HHLd?")  # its answer header: the same, and whether the answer is an error


def encode_call(value):
    """{"id": 7, "name": "add", "args": [2, 3], "kwargs": {}} as aiozmq's four frames."""
    header = CALL.pack(0, 0, value["id"], 0.0)
    return [header, value["name"].encode(), msgpack.packb(value.get("args", [])),
            msgpack.packb(value.get("kwargs", {}))]


def decode_rpc(frames):
    """aiozmq's answer (two frames) or call (four) as a JSON value."""
    if len(frames) == 2:
        _, _, request, _, is_error = ANSWER.unpack(frames[0])
        return {"id": request, "error": is_error, "value": msgpack.unpackb(frames[1])}
    _, _, request, _ = CALL.unpack(frames[0])
    return {"id": request, "name": frames[1].decode(), "args": msgpack.unpackb(frames[2]),
            "kwargs": msgpack.unpackb(frames[3])}


formats.register("aiozmq", encode_call, decode_rpc, frames="all")

NOT_THE_KEY = b"not-the-kernel-key"  # what wrongly-signed-Jupyter signs with


def encode_wrongly_signed(value):
    """A Jupyter message, written as the Jupyter format takes it, signed with :data:`NOT_THE_KEY`."""
    from jupyter_client.session import Session  # the jupyter extra: imported when first used

    session = Session(key=NOT_THE_KEY, signature_scheme="hmac-sha256", username="impostor")
    header = {**session.msg_header(value["header"]["msg_type"]), **value["header"]}
    return session.serialize({"header": header, "parent_header": value.get("parent_header", {}),
                              "metadata": value.get("metadata", {}), "content": value.get("content", {})})


def decode_wrongly_signed(frames):
    """Only the spec sends it; nothing is read in it."""
    raise ValueError("wrongly-signed-Jupyter is for sending only: receive a Jupyter message")


formats.register("wrongly-signed-Jupyter", encode_wrongly_signed, decode_wrongly_signed, frames="all")
