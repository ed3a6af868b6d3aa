"""A scenario as a message sequence diagram: who sent what to whom, and when, as one SVG.

Drawn from the scenario's story (:meth:`zmqprose.actionlog.ActionLog.story`):
its events as plain values, text already rendered and secrets masked. The
picture is self-contained (no script, no font or file from elsewhere) and
readable at 100 % zoom:

- a lifeline for each of the spec's sockets (its name or reference, its
  type), and for what they talk to: an app (its ports, named, under it), a
  socket of the spec bound where another connects, a stub, a command, or an
  address nobody here owns. The peer of a socket the spec bound is the app
  or command of the scenario that was handed its port or address (by
  ``${socket.NAME.port}``, or a setting), else the app whose settings name
  it; of a socket that connects, the app whose settings name the address;
- an arrow for each send and receive, in time order, labelled with what
  tells the message apart (its ``lead``: a Jupyter msg_type, a method, a
  status), then its frames as the action log shows them, each frame before
  its last (a routing id, a topic) cut short so that the body shows; the
  whole of it is the arrow's tooltip. Under it the time since the scenario
  began; a wait that timed out as a marked gap; an app's start, stop, kill
  or death on its lifeline; the failure, in red, at the end;
- repeated exchanges folded ("× 120", with the times of the first and the
  last), and at most :data:`MAX_ROWS` rows: the picture says what it folded
  and what it left out.

Every text enters the picture through :func:`text`: masked once more (what a
secret looks like is known to :mod:`zmqprose.wire.masking`), then what XML 1.0
forbids (an app's colours, ESC and other control characters, lone surrogates,
U+FFFE/U+FFFF) shown as its escape (``\x1b``), then shortened, then escaped
for XML: whatever bytes an app or a peer sent, the picture parses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from zmqprose.wire.masking import mask_text
from zmqprose.wire.xml_safe import xml_safe

MAX_ROWS = 400  # rows drawn; later events are counted, not drawn
COLUMN = 230  # pixels between lifelines
ROW = 36
TOP = 78
FAILURE_LINES = 5  # lines of a failure's message shown in its box (all of it is the box's tooltip)
FAILURE_LINE = 16
LABEL_CHARS = 40  # characters of a label shown on an arrow (the whole of it is its tooltip)
LEAD_CHARS = 24  # of them, at most this many for what tells the message apart (a msg_type, a method)
FRAME_CHARS = 8  # characters shown of a frame before a message's last (a routing id, a topic), quotes included
FAILURE_FRAME_CHARS = 24  # the same in a failure's line too long for its box
CHAR_WIDTH = 7.3  # pixels of a character at 12 px (DejaVu Sans Mono: 0.6 em)
SAID_WIDTH = 6.7  # the same at 11 px: what the picture says under its title is cut to its width
HEAD_CHARS = 36  # characters of the line under a lifeline's name (its type; an app's ports): all in its tooltip
FOLDS_SAID = 3  # folded runs the picture names under its title (later ones are counted)
MAX_EVENTS = 5_000  # events of a story drawn (a scenario keeps no more: actionlog.STORY_KEPT); later ones are counted
ARROW_KINDS = {"send", "receive", "skipped", "stub-in", "stub-out", "push", "pull"}
OUTWARD = {"send", "stub-out", "push"}  # arrows from the spec's socket to its peer
QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'" r'|"(?:[^"\\]|\\.)*"')  # a shown frame, or a JSON string
STYLE = """
svg { background: #ffffff; }
text { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; fill: #1f2933; }
.title { font-size: 14px; font-weight: bold; }
.head rect { fill: #eef2f7; stroke: #52606d; }
.head .kind { font-size: 10px; fill: #616e7c; }
.lifeline { stroke: #9aa5b1; stroke-dasharray: 4 4; }
.arrow line { stroke: #1f6feb; stroke-width: 1.5; }
.arrow polygon { fill: #1f6feb; }
.arrow.back line { stroke: #2da44e; }
.arrow.back polygon { fill: #2da44e; }
.arrow.bulk line { stroke-width: 5; }
.arrow.skipped line { stroke: #8c959f; stroke-dasharray: 6 3; }
.arrow.skipped polygon { fill: #8c959f; }
.arrow .time, .note .time { font-size: 10px; fill: #7b8794; }
.note rect { fill: #fff8c5; stroke: #d4a72c; }
.note.died rect, .note.failed rect { fill: #ffebe9; stroke: #cf222e; }
.note.handshake rect { fill: #ddf4ff; stroke: #54aeff; }
.gap rect { fill: #f6f8fa; stroke: #cf222e; stroke-dasharray: 3 3; }
.failure rect { fill: #ffebe9; stroke: #cf222e; }
.failure text { fill: #a40e26; }
.fold { font-size: 11px; font-weight: bold; fill: #8250df; }
.lead { font-weight: bold; }
.said { font-size: 11px; fill: #616e7c; }
"""


@dataclass
class Row:
    """One row of the picture: an event (or a run of equal ones, folded)."""

    event: Mapping[str, Any]
    times: int = 1
    last: Mapping[str, Any] | None = None  # the last of the events folded into it

    def when(self) -> str:
        """When its event happened (the first and the last, for a folded run), since the scenario began."""
        first = f"+{seconds_of(self.event):.3f} s"
        return first if self.last is None else f"first {first}, last +{seconds_of(self.last):.3f} s"


@dataclass
class Cast:
    """The lifelines, in the order they first appear, and where each socket's messages go."""

    names: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)
    peer_of: dict[str, str] = field(default_factory=dict)
    ports: dict[str, list[str]] = field(default_factory=dict)  # an app's (a command's) ports the spec talked to

    def add(self, name: str, kind: str) -> str:
        if name not in self.kinds:
            self.names.append(name)
            self.kinds[name] = kind
        return name

    def x(self, name: str) -> int:
        return 20 + COLUMN // 2 + self.names.index(name) * COLUMN


def draw(story: Mapping[str, Any], title: str = "", failed: bool = False) -> str:
    """The SVG of a scenario's story (``{"events": [...], "not_kept": N}``)."""
    events: Sequence[Mapping[str, Any]] = story.get("events", [])
    beyond, events = max(len(events) - MAX_EVENTS, 0), events[:MAX_EVENTS]
    cast = cast_of(events)
    rows, folded = fold(events, cast)
    left_out = max(len(rows) - MAX_ROWS, 0) + beyond + int(story.get("not_kept", 0))
    rows = rows[:MAX_ROWS]
    width = max(40 + COLUMN * max(len(cast.names), 1), 640) + 80  # room for the time beside the last lifeline
    failure_lines = sum(len(failure_text(row.event)) - 1 for row in rows if row.event["kind"] == "failure")
    height = TOP + ROW * (len(rows) + 3) + FAILURE_LINE * failure_lines
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" class="zmqprose-diagram">',
             f"<style>{STYLE}</style>",
             f'<text class="title" x="20" y="22">{text(title or "scenario")}'
             f'{" — failed" if failed else ""}</text>']
    said = folds_said(rows, cast) if folded else []
    if left_out:
        said.append(f"{left_out} later events not drawn")
    if said:
        parts.append(f'<text class="said" x="20" y="40">{text("; ".join(said), int((width - 40) / SAID_WIDTH))}</text>')
    bottom = TOP + ROW * (len(rows) + 1)
    for name in cast.names:
        x = cast.x(name)
        kind = cast.kinds[name] + (f" · {', '.join(cast.ports[name])}" if cast.ports.get(name) else "")
        parts.append(f'<g class="head"><rect x="{x - COLUMN // 2 + 8}" y="46" width="{COLUMN - 16}" height="28" '
                     f'rx="4"/><text x="{x}" y="59" text-anchor="middle">{text(name, 28)}</text>'
                     f'<text class="kind" x="{x}" y="70" text-anchor="middle">{text(kind, HEAD_CHARS)}</text>'
                     f"<title>{text(name)}\n{text(kind)}</title></g>")
        parts.append(f'<line class="lifeline" x1="{x}" y1="74" x2="{x}" y2="{bottom}"/>')
    for index, row in enumerate(rows):
        parts.append(draw_row(row, cast, TOP + ROW * (index + 1)))
    parts.append("</svg>")
    return "".join(parts)


def cast_of(events: Sequence[Mapping[str, Any]]) -> Cast:
    """Who is in the picture, and whom each socket talks to."""
    cast = Cast()
    bound: dict[str, str] = {}
    connected: dict[str, str] = {}
    sockets = [event for event in events if event["kind"] == "socket"]
    for event in sockets:
        (bound if event.get("how") == "bind" else connected).setdefault(str(event.get("address", "")),
                                                                          event["actor"])
    stubs = {event["actor"]: event.get("type", "") for event in events if event["kind"] == "stub"}
    links = {str(event.get("endpoint")): event["actor"] for event in events if event["kind"] == "link"}
    targets = {str(event.get("target")): event["actor"] for event in events if event["kind"] == "link"}
    handed = handed_to(events)
    for event in events:
        if event["kind"] == "link":
            cast.add(event["actor"], f"link → {event.get('target', '')}")
    for event in sockets:  # the spec's own sockets first, so that each is named as what it is
        actor = event["actor"]
        kind = f"stub {stubs[actor]}" if actor in stubs else str(event.get("type", ""))
        cast.add(actor, f"{kind} ({event.get('how', '')})")
    for event in events:
        kind, actor = event["kind"], event["actor"]
        if kind == "socket":
            address = str(event.get("address", ""))
            if address in links:
                found = (links[address], "link")
            elif event.get("how") == "bind" and address in targets and address not in connected:
                found = (targets[address], "link")
            else:
                found = peer(event, bound, connected, handed)
            cast.peer_of[actor] = other = cast.add(*found)
            port = address.rpartition(":")[2]
            if cast.kinds[other] in ("app", "command") and is_port(port):
                named = f"{event.get('port') or ''} {port}".strip()
                if named not in cast.ports.setdefault(other, []):
                    cast.ports[other].append(named)
        elif kind == "app":
            cast.add(actor, "app")
        elif kind == "command":
            cast.add(actor, "command")
        elif actor and actor not in cast.kinds and kind != "failure":
            cast.add(actor, "socket")
    return cast


def handed_to(events: Sequence[Mapping[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """Which apps and commands of the scenario were handed a port or an address (in their start, their env,
    their files: the ``names`` of their start), in the order they started: a port by its number, any other
    address whole."""
    handed: dict[str, list[tuple[str, str]]] = {}
    for event in events:
        if event["kind"] in ("app", "command") and isinstance(event.get("names"), str):
            for key in event["names"].split():
                if (event["actor"], event["kind"]) not in handed.setdefault(key, []):
                    handed[key].append((event["actor"], event["kind"]))
    return handed


def endpoint_key(address: str) -> str:
    """How an address is looked up among what apps were handed: a tcp address by its port, another whole."""
    port = address.rpartition(":")[2]
    return str(int(port)) if address.startswith("tcp://") and is_port(port) else address


def is_port(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) < 6


def peer(socket: Mapping[str, Any], bound: Mapping[str, str], connected: Mapping[str, str],
         handed: Mapping[str, list[tuple[str, str]]]) -> tuple[str, str]:
    """What a socket talks to: the spec's own socket at the other end; for one it bound, the app or command
    that was handed its address (the app its endpoint names, if that was one of them), else the app its
    endpoint names; for one that connects, the app whose settings name the address, else one handed it; or
    the bare address."""
    address, app = str(socket.get("address", "")), str(socket.get("app") or "")
    told = handed.get(endpoint_key(address), [])
    if socket.get("how") == "bind":
        if address in connected:
            return connected[address], "socket"
        if told:
            return next((found for found in told if found[0] == app), told[0])
        if app:
            return app, "app"
        return f"peers of {address}", "peers"
    if address in bound:
        return bound[address], "socket"
    if app:
        return app, "app"
    if told:
        return told[0]
    return address, "address"


def fold(events: Sequence[Mapping[str, Any]], cast: Cast) -> tuple[list[Row], int]:
    """Runs of equal events (the same kind, actor and detail) as one row each; and how many were folded.

    Between two of the spec's own sockets a message is one arrow, its send's: the receive at the other
    end is not drawn again."""
    rows: list[Row] = []
    folded = 0
    own = {event["actor"] for event in events if event["kind"] == "socket"}
    for event in events:
        if event["kind"] in ("socket", "stub") or (event["kind"] in ("receive", "stub-in")
                                                  and cast.peer_of.get(event["actor"]) in own):
            continue
        last = rows[-1].event if rows else None
        same = ("kind", "actor") if event["kind"] == "skipped" else ("kind", "actor", "detail")
        if last is not None and all(last.get(key) == event.get(key) for key in same):
            rows[-1].times += 1
            rows[-1].last = event
            folded += 1
        else:
            rows.append(Row(event))
    return rows, folded


def folds_said(rows: Sequence[Row], cast: Cast) -> list[str]:
    """What the picture folded, in words: ``120 × send ['PING'] to ogre's command port folded``; the first
    :data:`FOLDS_SAID` runs, then how many more."""
    runs = [row for row in rows if row.times > 1]
    said = [fold_said(row, cast) for row in runs[:FOLDS_SAID]]
    if len(runs) > FOLDS_SAID:
        rest = runs[FOLDS_SAID:]
        said.append(f"{len(rest)} more runs of {sum(row.times for row in rest)} repeated events folded")
    return said


def fold_said(row: Row, cast: Cast) -> str:
    """One folded run in words: how many, what, on (to, from) which lifeline."""
    kind, actor = str(row.event["kind"]), str(row.event["actor"])
    if kind == "skipped":
        return f"{row.times} messages an eventually skipped on {actor} folded"
    detail = shorten(compact(shown(str(row.event.get("detail") or "")), FRAME_CHARS), LEAD_CHARS)
    if kind in ARROW_KINDS:
        where = "on" if actor.startswith('"') else "to" if kind in OUTWARD else "from"  # a name, or where it goes
        return f"{row.times} × {kind} {detail} {where} {actor} folded"
    what = "nothing arrived" if kind == "nothing" else detail or kind
    return f"{row.times} × {what} on {actor} folded"


def draw_row(row: Row, cast: Cast, y: int) -> str:
    event = row.event
    kind, actor = event["kind"], event["actor"]
    at = row.when()
    times = f" × {row.times}" if row.times > 1 else ""
    detail = str(event.get("detail") or "")
    if kind in ARROW_KINDS and actor in cast.kinds:
        return arrow(row, cast, y, at)
    if kind == "failure":
        width = max(40 + COLUMN * len(cast.names), 640) - 32
        chars = int((width - 16) / CHAR_WIDTH)
        lines = failure_text(event)
        spans = "".join(f'<text x="24" y="{y + 4 + FAILURE_LINE * index}" xml:space="preserve">'
                        f"{escaped(fitted(line, chars))}</text>"
                        for index, line in enumerate(lines))
        return (f'<g class="failure"><rect x="16" y="{y - 14}" width="{width}" '
                f'height="{28 + FAILURE_LINE * (len(lines) - 1)}" rx="4"/>{spans}<title>{text(detail)}</title></g>')
    x = cast.x(actor) if actor in cast.kinds else 20 + COLUMN // 2
    if kind == "nothing":
        label = f"waited {float(event.get('waited', 0)):.3g} s: nothing"
        return (f'<g class="gap"><rect x="{x - 90}" y="{y - 13}" width="180" height="24" rx="3"/>'
                f'<text x="{x}" y="{y + 3}" text-anchor="middle">{text(label)}{text(times)}</text>'
                f'<text class="time" x="{x + 94}" y="{y + 3}">{at}</text></g>')
    label = {"close": "closed"}.get(kind, detail or kind)
    tone = " died" if label.startswith(("died", "failed")) or "handshake refused" in label else ""
    return (f'<g class="note {css_class(kind)}{tone}"><rect x="{x - 105}" y="{y - 13}" width="210" height="24" '
            f'rx="3"/><text x="{x}" y="{y + 3}" text-anchor="middle">{text(label, 28)}{text(times)}</text>'
            f'<text class="time" x="{x + 109}" y="{y + 3}">{at}</text><title>{text(label)}</title></g>')


def arrow(row: Row, cast: Cast, y: int, at: str) -> str:
    event = row.event
    kind, actor = event["kind"], event["actor"]
    own, other = cast.x(actor), cast.x(cast.peer_of.get(actor, actor))
    outward = kind in OUTWARD
    start, end = (own, other) if outward else (other, own)
    if start == end:
        end = start + COLUMN // 2
    head = 7 if end > start else -7
    classes = ("arrow" + ("" if outward else " back") + (" bulk" if kind in ("push", "pull") else "")
               + (" skipped" if kind == "skipped" else ""))
    middle = (start + end) // 2
    prefix, lead, body, whole = label_parts(event, row.times)
    times = f" × {row.times}" if row.times > 1 and kind != "skipped" else ""
    return (f'<g class="{classes}"><line x1="{start}" y1="{y}" x2="{end}" y2="{y}"/>'
            f'<polygon points="{end},{y} {end - head},{y - 4} {end - head},{y + 4}"/>'
            f'<text x="{middle}" y="{y - 6}" text-anchor="middle">{label_svg(prefix, lead, body, times)}</text>'
            f'<text class="time" x="{min(start, end)}" y="{y + 13}">{at}</text>'
            f"<title>{text(whole)}</title></g>")


def label_parts(event: Mapping[str, Any], times: int) -> tuple[str, str, str, str]:
    """An arrow's label as (what it starts with, what tells the message apart, the message with each frame
    before its last cut short, the whole of it for the tooltip); each already masked and made XML-safe."""
    kind = event["kind"]
    detail = str(event.get("detail") or "")
    lead = shown(str(event.get("lead") or ""))
    prefix = f"{kind}: " if kind in ("push", "pull") else ""
    whole = prefix + detail
    if kind == "skipped":
        prefix = "skipped by eventually: " if times == 1 else f"{times} skipped by eventually: "
        whole = f"skipped by eventually: {detail}" if times == 1 else \
            f"{times} skipped by eventually, the first: {detail}"
    if lead:
        whole = f"{lead} · {whole}"
    return shown(prefix), lead, compact(shown(detail), FRAME_CHARS), whole


def label_svg(prefix: str, lead: str, body: str, times: str = "") -> str:
    """The label drawn on an arrow, at most :data:`LABEL_CHARS` characters and then how many times (`` × 3``):
    its prefix, its lead in bold, then as much of the message as fits."""
    room = LABEL_CHARS
    prefix = shorten(prefix, room)
    room -= len(prefix)
    lead = shorten(lead, min(room, LEAD_CHARS)) if lead else ""
    room -= len(lead) + (1 if lead else 0)
    body = shorten(body, room) if room > 0 else ""
    return (escaped(prefix) + (f'<tspan class="lead">{escaped(lead)}</tspan>' if lead else "")
            + (" " if lead and body else "") + escaped(body) + escaped(times))


def compact(shown_text: str, chars: int) -> str:
    """A shown message (or a line that holds some) with each quoted frame or string that another follows cut
    to ``chars`` characters: a routing id or a long topic leaves room for what comes after it."""
    def cut(found: re.Match[str]) -> str:
        quoted = found[0]
        if len(quoted) <= chars + 2 or found.string[found.end():found.end() + 2] != ", ":
            return quoted
        return quoted[:chars] + "…" + quoted[-1]

    return QUOTED.sub(cut, shown_text)


def fitted(line: str, chars: int) -> str:
    """A failure's line as its box shows it: masked, XML-safe; if too long, its frames before the last cut
    short first (the body stays), then the line itself."""
    line = shown(line)
    return shorten(compact(line, FAILURE_FRAME_CHARS) if len(line) > chars else line, chars)


def failure_text(event: Mapping[str, Any]) -> list[str]:
    """The lines of a failure the picture shows: what was expected and what arrived (its first lines), masked
    whole before they are cut into lines; each is shortened when it enters the picture (:func:`text`)."""
    lines = [line.rstrip() for line in mask_text(str(event.get("detail") or "failed")).splitlines() if line.strip()]
    return lines[:FAILURE_LINES] or ["failed"]


def seconds_of(event: Mapping[str, Any]) -> float:
    """When an event happened, in seconds since the scenario began (0 if its story does not say)."""
    at = event.get("at", 0)
    return float(at) if isinstance(at, int | float) and not isinstance(at, bool) else 0.0


def shorten(label: str, limit: int) -> str:
    if limit <= 0:
        return ""
    return label if len(label) <= limit else label[:limit - 1] + "…"


def text(value: str, limit: int | None = None) -> str:
    """Text for the SVG, the one way any text enters it: secrets masked (before anything is cut), what XML
    forbids shown as its escape, shortened to ``limit`` characters, escaped for XML."""
    return escaped(shown(value) if limit is None else shorten(shown(value), limit))


def shown(value: str) -> str:
    """A text as the picture shows it, before it is cut: secrets masked, what XML forbids as its escape."""
    return xml_safe(mask_text(value))


def escaped(value: str) -> str:
    """A shown text (:func:`shown`, then cut) escaped for XML."""
    return escape(value, {'"': "&quot;"})


def css_class(kind: str) -> str:
    """An event's kind as a class name of the picture's style (letters and dashes: a story file may say anything)."""
    return re.sub(r"[^a-z-]", "", kind)[:20] or "other"
