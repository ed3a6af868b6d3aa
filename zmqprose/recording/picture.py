"""The picture of a recording (``FILE.svg``): the pictures' own sequence diagram, drawn from a story.

A lifeline for each recorded connection's client (``connection 2 (DEALER)``)
and one for the service (its app, or its address), an arrow for every
message each way, heartbeats included, with the time since the recording
began; a connection that was relayed but not read is a note on its
client's lifeline. Drawn by :func:`zmqprose.pictures.diagram.draw`, which
masks, bounds and escapes every text as it does for a scenario.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from zmqprose.pictures.diagram import draw
from zmqprose.recording.conversation import Connection
from zmqprose.recording.values import Reader
from zmqprose.recording.writer import Recording
from zmqprose.wire.frames import show_frames

EVENTS_DRAWN = 5_000  # the diagram draws no more of a story
SHOWN_CHARS = 400  # characters of a value kept for its arrow (the arrow shows fewer; its tooltip these)


def story_of(recording: Recording, connections: Sequence[Connection]) -> dict[str, Any]:
    """The story of a recording, in the shape the pictures draw (``{"events": [...], "not_kept": N}``)."""
    timed: list[tuple[float, int, dict[str, Any]]] = []
    for connection in connections:
        client = connection.client.socket_type or "?"
        actor = f"connection {connection.number} ({client})"
        timed.append((connection.opened, 0, {"kind": "socket", "actor": actor, "how": "connect", "type": client,
                                             "address": recording.target, "app": recording.app or ""}))
        why = connection.unreadable()
        if why:
            timed.append((connection.opened, 1, {"kind": "note", "actor": actor,
                                                 "detail": f"relayed, not read: {why}"}))
            continue
        for said in connection.said:
            detail, lead = shown(recording.reader, said.frames, said.by_client) if said.kind == "message" else \
                (f"{said.kind} {show_frames(said.frames)}", said.kind)
            timed.append((said.at, 1, {"kind": "send" if said.by_client else "receive", "actor": actor,
                                       "detail": detail, **({"lead": lead} if lead else {})}))
        if connection.closed is not None:
            timed.append((connection.closed, 2, {"kind": "close", "actor": actor}))
    timed.sort(key=lambda item: (item[0], item[1]))
    events = [{"at": round(at, 6), **event} for at, _, event in timed[:EVENTS_DRAWN]]
    return {"events": events, "not_kept": max(len(timed) - EVENTS_DRAWN, 0)}


def shown(reader: Reader, frames: Sequence[bytes], by_client: bool) -> tuple[str, str | None]:
    """A message as the pictures show one (in its format when it has one: msgpack, Jupyter as JSON; else
    its frames), and what tells it apart (a method, a msg_type)."""
    written = reader.read(frames, by_client)
    if written.format is None:
        return show_frames(list(frames)), None
    envelope = [repr(frame) for frame in written.envelope]
    value = json.dumps(written.value, ensure_ascii=False)
    value = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"
    return "[" + ", ".join([*envelope, f"{written.format} {value}"]) + "]", written.lead


def picture(recording: Recording, connections: Sequence[Connection], title: str) -> str:
    """The SVG of a recording."""
    return draw(story_of(recording, connections), title)
