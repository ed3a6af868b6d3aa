"""The one envelope rule: which frames of a received message say who sent it, and which are the message.

Sockets, stubs and the prose API all split a message here, and ``reply``
puts back exactly what was taken off:

- a ROUTER's message starts with the peer's routing id; the empty
  delimiter after it is taken off too only when the peer is a REQ socket,
  which adds it (a DEALER that sends ``["", "hello"]`` is seen so);
- a DEALER's message starts with an empty delimiter only when its peer is
  a REP socket, which adds it;
- a REP stub (a ROUTER underneath) takes off everything up to the first
  empty frame, as a REP socket does.

Who the peer is comes from the message's ZeroMQ metadata (``Socket-Type``).
An inproc peer sends none: there an empty frame where a delimiter would be
is taken for one.
"""

from __future__ import annotations

from collections.abc import Sequence

import zmq

from zmqprose.wire.frames import Showing, show_frames

ROUTERS = {"ROUTER", "XREP"}
DEALERS = {"DEALER", "XREQ"}
ENVELOPED = (zmq.ROUTER, zmq.DEALER)  # the ZeroMQ types whose messages reach the spec with their envelope
SET_ASIDE = {  # what a socket of the type sets aside from a message before a spec's expectations see it
    "ROUTER": "its peer's routing id, and a REQ peer's empty delimiter",
    "DEALER": "a REP peer's empty delimiter",
    "REP": "everything up to the first empty frame, as a REP socket does",  # a REP stub: a ROUTER underneath
}
MOST_SET_ASIDE = {"ROUTER": 2, "DEALER": 1, "REP": 1 << 30}  # frames of one message, where they were not kept


def peer_type(frame: zmq.Frame) -> str | None:
    """The sending peer's socket type, from a received frame's metadata; None where there is none (inproc)."""
    try:
        peer = frame.get("Socket-Type")
    except zmq.ZMQError:
        return None
    return peer if isinstance(peer, str) else None


def split_envelope(type_name: str, frames: list[bytes], peer: str | None) -> tuple[list[bytes], list[bytes]]:
    """A received message as (envelope, body) for a socket of ``type_name`` whose peer is ``peer``.

    ``type_name`` is the type the spec asked for: ``REP`` for a REP stub,
    which is a ROUTER underneath (a real REP socket takes its envelope off itself).
    """
    if type_name == "REP":
        if b"" in frames:
            cut = frames.index(b"") + 1
            return frames[:cut], frames[cut:]
        return frames[:1], frames[1:]
    if type_name in ROUTERS and frames:
        has_delimiter = len(frames) > 1 and frames[1] == b"" and peer in ("REQ", None)
        cut = 2 if has_delimiter else 1
        return frames[:cut], frames[cut:]
    if type_name in DEALERS and frames and frames[0] == b"" and peer in ("REP", None):
        return frames[:1], frames[1:]
    return [], frames


def envelope_set_aside(type_name: str, envelope: Sequence[bytes] | None, missing: int, showing: Showing,
                       left_out_of: str = "the expected frames") -> str:
    """What a failure adds when ``missing`` more frames were expected than came, and the envelope a socket of
    ``type_name`` set aside before matching can be why (a ROUTER expected with its routing id first):
    `` (after the envelope ['hex:00800041a7'], which a ROUTER sets aside (its peer's routing id): leave it out of
    the expected frames)``; "" when it cannot be.

    ``envelope``: the frames set aside, shown as ``showing`` says; None when they were not kept (a stub's
    messages): then the note says what the type sets aside.
    """
    kind = "ROUTER" if type_name in ROUTERS else "DEALER" if type_name in DEALERS else type_name
    most = MOST_SET_ASIDE.get(kind, 0) if envelope is None else len(envelope)
    if missing < 1 or missing > most or kind not in SET_ASIDE:
        return ""
    what = SET_ASIDE[kind]
    if kind == "ROUTER" and envelope is not None and len(envelope) < 2:
        what = what.partition(",")[0]  # a routing id alone: no REQ peer's delimiter
    who = "a REP stub" if kind == "REP" else f"a {type_name}"
    shown = "" if envelope is None else f" {show_frames(envelope, showing)}"
    return f" (after the envelope{shown}, which {who} sets aside ({what}): leave it out of {left_out_of})"
