"""From recorded connections to a feature in which the spec plays each client.

One scenario per client connection that said anything readable: the app is
running (when the recording names one), a socket of the client's type (its
READY said it) connects to the endpoint the recording names, with the
client's identity as ``ROUTING_ID`` when it had one and its first
subscription; then what the client sent, as sends, and what the service
answered, as receives, in the order the relay saw them. A REQ's empty
delimiter is its socket's business (the spec's REQ adds and takes it off as
the client's did), so it is not written.

**Heartbeats.** ZMTP's own (PING and PONG) are libzmq's business: not
written. A protocol's heartbeats (zerorpc's ``_zpc_hb``, Locust's
``heartbeat``, or what ``--heartbeat NAME`` names) come when a clock says, not
in answer to anything, so a spec that waited for them would fail on the next
run: the service's are left out, and on a connection where the service sent
any, every receive is written ``eventually``, which skips a heartbeat
wherever it arrives; the client's are left out too (the spec sends without
a clock, and a service that counts a silent peer as lost does so only after
a few of its periods). A note in the scenario says how many were left out.

**Waits.** A receive whose answer took more than a second in the recording
waits three times as long (at least the default 5 s).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from zmqprose.limits import counted
from zmqprose.recording.conversation import Connection, Said
from zmqprose.recording.feature import NOTE, Feature, Scenario, Step
from zmqprose.recording.values import (
    Marked,
    Reader,
    Reference,
    Written,
    as_spec_value,
    mark,
    sent_values,
    with_references,
)

HEARTBEATS = ("_zpc_hb", "heartbeat")  # what zerorpc's and Locust's heartbeat messages are called
DEFAULT_WAIT = 5.0
SLOW = 1.0  # seconds: an answer that took longer gets a ``within`` of its own
PLAYABLE = ("REQ", "DEALER", "PUSH", "PULL", "SUB", "XSUB", "PUB", "XPUB", "PAIR")


@dataclass
class Recording:
    """What the command knows of a recording: where it listened and relayed, and how the spec names the
    service."""

    listen: str
    target: str
    endpoint: str  # how the spec names the service: an app reference, or the target quoted
    app: str | None  # the app the spec makes sure is running, if any
    began: float  # seconds since 1970
    reader: Reader = field(default_factory=Reader)
    heartbeats: tuple[str, ...] = HEARTBEATS
    not_recorded: int = 0  # connections past the most recorded
    refused: int = 0
    unreached: str | None = None
    unreached_count: int = 0
    secrets: dict[str, str] = field(default_factory=dict)  # a secret of the settings -> ${APP.SETTING}


@dataclass
class Entry:
    """One message of a connection, read: who said it, and how it is written."""

    said: Said
    written: Written
    heartbeat: bool


def feature_of(recording: Recording, connections: Sequence[Connection]) -> Feature:
    """The feature for ``connections`` (see the module): its scenarios, and what it could not write, in its
    header."""
    stamp = datetime.datetime.fromtimestamp(recording.began, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    service = recording.endpoint if recording.app else recording.target
    header = [f"# Written by zmqprose record at {stamp}: every connection made to {recording.listen}, relayed to "
              f"{recording.target}{f' ({recording.endpoint})' if recording.app else ''}.",
              "# One scenario per connection: the spec plays the client (its socket type from its READY), sends what",
              "# it sent and expects what the service answered, in order. Markers stand where the service makes",
              "# something new each time; a '# marker at' comment before a step says where and why.",
              "# ZMTP's own heartbeats (PING, PONG) are libzmq's business and are not written."]
    scenarios = []
    left_out: list[tuple[int, str]] = []
    for connection in connections:
        scenario, why_not = scenario_of(recording, connection)
        if scenario is not None:
            scenarios.append(scenario)
        else:
            left_out.append((connection.number, why_not))
    header += [f"# {numbers} not written: {why_not}." for numbers, why_not in grouped(left_out)]
    if recording.not_recorded:
        header.append(f"# {counted(recording.not_recorded, 'later connection was', 'later connections were')} relayed "
                      f"and not recorded "
                      f"(the most recorded is {len(connections)}).")
    if recording.refused:
        header.append(f"# {counted(recording.refused, 'connection was', 'connections were')} refused: too many were "
                      f"open at once.")
    if recording.unreached:
        header.append(f"# {counted(recording.unreached_count, 'connection was', 'connections were')} closed at once, "
                      f"and not recorded: "
                      f"{recording.unreached}.")
    if any(refers(step.value, step.format is None) or refers(step.envelope, True)
           for scenario in scenarios for step in scenario.steps):
        header.append("# A secret of the settings is written as its reference (${APP.SETTING}), never as it is.")
    description = [f"Recorded by zmqprose record: {counted(len(scenarios), 'conversation')} "
                   f"of clients with {service}, each written as the",
                   "client said it and the service answered it, to be run unedited against the same service."]
    return Feature(header, f"Conversations with {service}, as recorded", description, scenarios)


def grouped(left_out: Sequence[tuple[int, str]]) -> list[tuple[str, str]]:
    """Connections left out for the same reason, one after the other, said once: ``Connections 3 to 40``."""
    runs: list[list[Any]] = []
    for number, why in left_out:
        if runs and runs[-1][2] == why and runs[-1][1] == number - 1:
            runs[-1][1] = number
        else:
            runs.append([number, number, why])
    return [(f"Connection {first} is" if first == last else f"Connections {first} to {last} are", why)
            for first, last, why in runs]


def scenario_of(recording: Recording, connection: Connection) -> tuple[Scenario | None, str]:
    """The scenario of one connection, or None and why it is not written."""
    unreadable = connection.unreadable()
    if unreadable:
        return None, f"it was relayed, not read: {unreadable}"
    client = connection.client
    if client.greeting is None:
        return None, "it sent no ZMTP greeting (a connection that only checked the port, say)"
    if not client.ready:
        return None, "its handshake did not finish"
    kind = client.socket_type
    if kind not in PLAYABLE:
        why = "a ROUTER that connects must name its peer in every send" if kind == "ROUTER" else "an unknown type"
        return None, f"a {kind or 'nameless'} client cannot be played by a spec's socket as it was: {why}"
    entries = [entry_of(recording, connection, said) for said in connection.said]
    messages = [entry for entry in entries if not entry.heartbeat]
    if not messages:
        return None, "it exchanged no messages"
    socket = recording.endpoint
    steps: list[Step] = []
    if recording.app:
        steps.append(Step("running", "", app=recording.app))
    connect = Step("connect", socket, type=kind)
    if client.identity:
        connect.options.append(("ROUTING_ID", identity_cell(client.identity)))
    steps.append(connect)
    echoes: set[Any] = set()
    with_heartbeats = any(entry.heartbeat and not entry.said.by_client for entry in entries)
    last_sent = connection.opened
    first_subscription = True
    for entry in messages:
        said = entry.said
        if said.kind in ("subscribe", "cancel") and said.by_client:
            topic = entry.written.value[0]
            if first_subscription and said.kind == "subscribe" and len(steps) and steps[-1] is connect:
                connect.topic = topic
            else:
                steps.append(Step("subscribe" if said.kind == "subscribe" else "unsubscribe", socket, value=topic,
                                  notes=entry.written.notes))
            first_subscription = False
        elif said.kind != "message":
            continue  # a subscription the service sent (an XPUB's peer): nothing a spec's socket says
        elif said.by_client:
            echoes |= sent_values(entry.written)
            steps.append(Step("send", socket, entry.written.format,
                              with_references(sent_value(entry.written), recording.secrets),
                              with_references(entry.written.envelope, recording.secrets),
                              notes=[f"{NOTE}{note}" for note in entry.written.notes]))
            last_sent = said.at
        else:
            steps.append(receive_step(recording, socket, entry.written, echoes, said.at - last_sent,
                                      with_heartbeats))
            last_sent = said.at
    scenario = Scenario(scenario_name(connection, kind, messages), steps)
    left_out = [entry for entry in entries if entry.heartbeat]
    if left_out:
        by_client = sum(entry.said.by_client for entry in left_out)
        scenario.notes.append(f"{NOTE}{len(left_out)} heartbeats left out ({by_client} from the client, "
                              f"{len(left_out) - by_client} from the service): they come when a clock says"
                              + ("; every receive is 'eventually', which skips the service's" if with_heartbeats
                                 else ""))
    if connection.cut_short():
        scenario.notes.append(f"{NOTE}the recording of this connection stops early: {connection.cut_short()}")
    if connection.server.error:
        scenario.notes.append(f"{NOTE}the service ended the handshake with ERROR {connection.server.error!r}")
    return scenario, ""


def entry_of(recording: Recording, connection: Connection, said: Said) -> Entry:
    """A recorded message read as a step writes it; whether it is a heartbeat of the protocol."""
    if said.kind != "message":
        return Entry(said, Written(None, [topic_text(said.frames[0])]), False)
    frames = said.frames
    if said.by_client and connection.client.socket_type == "REQ" and frames[:1] == (b"",):
        frames = frames[1:]  # a REQ's delimiter: the spec's REQ sends it itself
    elif not said.by_client and connection.client.socket_type == "REQ" and frames[:1] == (b"",):
        frames = frames[1:]  # and takes it off what it receives
    written = recording.reader.read(frames, said.by_client)
    return Entry(said, written, written.lead in recording.heartbeats)


def receive_step(recording: Recording, socket: str, written: Written, echoes: set[Any], waited: float,
                 with_heartbeats: bool) -> Step:
    """A receive, with markers where the service made something new (a note for each)."""
    marked: Marked = mark(written, echoes, recording.began)
    within = None
    if waited > SLOW:
        within = float(max(math.ceil(DEFAULT_WAIT), math.ceil(waited * 3)))
    value = with_references(as_spec_value(marked.written.value, written.format), recording.secrets)
    return Step("receive", socket, written.format, value, with_references(written.envelope, recording.secrets),
                with_heartbeats, within,
                notes=[*(f"{NOTE}{note}" for note in written.notes),
                       *(f"# marker at {note}" for note in marked.notes)])


def refers(value: Any, frames: bool) -> bool:
    """Whether a step's value holds a secret's reference the recorder put: a :class:`Reference` in a value;
    in ``frames``, any ``${`` (a frame's own is written ``hex:``)."""
    if isinstance(value, dict):
        return any(refers(item, frames) for item in value.values())
    if isinstance(value, list):
        return any(refers(item, frames) for item in value)
    return isinstance(value, Reference) or (frames and isinstance(value, str) and "${" in value)


def sent_value(written: Written) -> Any:
    """What a send writes: the value, as a spec writes it; a Jupyter message without the parts that are empty
    (the spec fills them in empty)."""
    value = as_spec_value(written.value, written.format)
    if written.format == "Jupyter" and isinstance(value, dict):
        value = {part: item for part, item in value.items() if item or part in ("header", "content")}
    return value


def topic_text(topic: bytes) -> str:
    """A subscription's topic as a step writes it (TEXT is UTF-8; other bytes cannot be written)."""
    try:
        return topic.decode("utf-8")
    except UnicodeDecodeError:
        return "hex:" + topic.hex()


def identity_cell(identity: bytes) -> str:
    """An identity as a table cell: text, or ``hex:`` when it is not text a cell holds as it is."""
    try:
        text = identity.decode("utf-8")
    except UnicodeDecodeError:
        return "hex:" + identity.hex()
    if not text.isprintable() or "|" in text or "${" in text or text.startswith(("hex:", "struct:")) \
            or text != text.strip():
        return "hex:" + identity.hex()
    return text


def scenario_name(connection: Connection, kind: str, messages: Sequence[Entry]) -> str:
    sent = sum(entry.said.by_client and entry.said.kind == "message" for entry in messages)
    received = sum(not entry.said.by_client and entry.said.kind == "message" for entry in messages)
    return (f"connection {connection.number}, a {kind} client: {counted(sent, 'message')} sent, "
            f"{received} received")
