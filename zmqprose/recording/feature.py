"""A recorded feature: its scenarios and steps as values, written out in the phrases any spec uses (docs:
reference/steps.md, *Step reference*), and read back (for ``--again``) from a file the recorder wrote.

The phrases are the ones any spec uses: ``I connect a TYPE socket to
ENDPOINT`` (with ``subscribed to …``, ``with options:``), ``I send "TEXT"``,
``I send the multipart message FRAMES``, ``I send the FORMAT message … with the
envelope FRAMES:``, and their receives (``eventually``, ``within``,
``matching:``). A step may carry notes, written as comments before it:
``# marker at $.header.msg_id: #regex, …`` says where the recorder put a
marker and why; ``# note: …`` anything else a reader should know.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from dataclasses import dataclass, field
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.recording.values import REFERENCE_START, Reference, json_text
from zmqprose.sockets.references import APP_NAME  # the phrases' one rule for an app's name
from zmqprose.wire.format_registry import FORMAT_NAME  # the phrases' one rule for a FORMAT

MARKER_NOTE = "# marker at "
NOTE = "# note: "
INDENT = "    "
KEYWORDS = ("Given ", "When ", "Then ", "And ", "But ")
TEXT = r'"(?:[^"\\]|\\.)*"'


@dataclass
class Step:
    """One step: ``kind`` is ``running``, ``connect``, ``send``, ``receive``, ``subscribe`` or ``unsubscribe``."""

    kind: str
    socket: str  # the ENDPOINT as written: an app reference, or a quoted address
    format: str | None = None  # a message's format; None: frames
    value: Any = None  # the format's value, or the frames (notation); a subscription's topic
    envelope: list[str] = field(default_factory=list)
    eventually: bool = False
    within: float | None = None
    type: str = ""  # connect: the socket type
    options: list[tuple[str, str]] = field(default_factory=list)  # connect: socket options
    topic: str | None = None  # connect: subscribed to it ("" for everything)
    app: str = ""  # running: the app
    notes: list[str] = field(default_factory=list)  # comment lines before the step, as written

    @property
    def is_message(self) -> bool:
        return self.kind in ("send", "receive")


@dataclass
class Scenario:
    name: str
    steps: list[Step] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # comment lines under its name, before its steps


@dataclass
class Feature:
    header: list[str]  # comment lines above the feature
    title: str
    description: list[str]
    scenarios: list[Scenario]


# -- writing -------------------------------------------------------------------------

def render(feature: Feature) -> str:
    """The feature's text, as behave reads it."""
    lines = [*(line for note in feature.header for line in wrapped(note)), f"Feature: {feature.title}"]
    lines += [f"  {line}" if line else "" for line in feature.description]
    for scenario in feature.scenarios:
        lines += ["", f"  Scenario: {scenario.name}"]
        lines += [f"{INDENT}{line}" for note in scenario.notes for line in wrapped(note)]
        previous = ""
        for step in scenario.steps:
            keyword = {"running": "Given", "connect": "Given", "send": "When", "subscribe": "When",
                       "unsubscribe": "When", "receive": "Then"}[step.kind]
            lines += [f"{INDENT}{line}" for note in step.notes for line in wrapped(note)]
            phrase, docstring, table = step_text(step)
            lines.append(f"{INDENT}{'And' if keyword == previous else keyword} {phrase}")
            previous = keyword
            widths = [max((len(row[column]) for row in table), default=0) for column in (0, 1)]
            lines += [f"{INDENT}  | {row[0].ljust(widths[0])} | {row[1].ljust(widths[1])} |" for row in table]
            if docstring is not None:
                lines.append(f'{INDENT}  """')
                lines += [f"{INDENT}  {line}" for line in docstring.splitlines()]
                lines.append(f'{INDENT}  """')
    return "\n".join(lines) + "\n"


def wrapped(note: str, width: int = 112) -> list[str]:
    """A comment line, wrapped: the lines after the first go on with ``#   ``."""
    if len(note) <= width or not note.startswith("#"):
        return [note]
    return textwrap.wrap(note, width, subsequent_indent="#   ", break_long_words=False, break_on_hyphens=False)


def step_text(step: Step) -> tuple[str, str | None, list[tuple[str, str]]]:
    """A step's phrase (without its keyword), its docstring, its table rows."""
    if step.kind == "running":
        return f"{step.app} is running", None, []
    if step.kind == "connect":
        phrase = f"I connect a {step.type} socket to {step.socket}"
        if step.topic is not None:
            phrase += " subscribed to everything" if step.topic == "" else f" subscribed to {quoted(step.topic)}"
        if step.options:
            return phrase + " with options:", None, [("option", "value"), *step.options]
        return phrase, None, []
    if step.kind in ("subscribe", "unsubscribe"):
        preposition = "to" if step.kind == "subscribe" else "from"
        return f"I {step.kind} {step.socket} {preposition} {quoted(str(step.value))}", None, []
    within = f" within {seconds_text(step.within)}" if step.within is not None else ""
    envelope = f" with the envelope {frames_text(step.envelope)}" if step.envelope else ""
    if step.kind == "send":
        if step.format is not None:
            return f"I send the {step.format} message to {step.socket}{envelope}:", json_text(step.value), []
        if is_plain(step.value):
            return f"I send {quoted(step.value[0])} to {step.socket}", None, []
        return f"I send the multipart message {frames_text(step.value)} to {step.socket}", None, []
    receive = "I eventually receive" if step.eventually else "I receive"
    if step.format is not None:
        return (f"{receive} a {step.format} message from {step.socket}{within}{envelope} matching:",
                json_text(step.value), [])
    if is_plain(step.value):
        return f"{receive} {quoted(step.value[0])} from {step.socket}{within}", None, []
    return f"{receive} the multipart message {frames_text(step.value)} from {step.socket}{within}", None, []


def frames_text(frames: list[str]) -> str:
    """FRAMES as JSON; a secret's reference the recorder put stays one to fill in (a frame's own ``${`` never
    reaches here: such a frame is written ``hex:``)."""
    return json.dumps(frames, ensure_ascii=False)


def is_plain(frames: list[str]) -> bool:
    """Whether one frame reads well as TEXT: printable, no quote or backslash, not a marker or notation."""
    return (len(frames) == 1 and bool(frames[0]) and frames[0].isprintable() and not set(frames[0]) & set('"\\')
            and not frames[0].startswith(("#", "hex:", "struct:")) and "${" not in frames[0])


def quoted(text: str) -> str:
    """TEXT: in double quotes, ``\\"`` for a quote (and ``\\\\`` for a backslash)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def seconds_text(seconds: float) -> str:
    whole = math.ceil(seconds)
    return "1 second" if whole == 1 else f"{whole} seconds"


# -- reading back (for --again) ------------------------------------------------------------

class NotRecorded(ProseError):
    """A feature that the recorder did not write (or that was edited past what it reads back)."""


def parse(text: str, path: str) -> Feature:
    """A feature the recorder wrote, as values (see :func:`render`); a step it does not write is a clear error
    naming the line."""
    lines = text.splitlines()
    header: list[str] = []
    title, description, scenarios = "", [], []
    scenario: Scenario | None = None
    notes: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        number = index + 1
        index += 1
        if line.startswith("Feature:"):
            title = line[len("Feature:"):].strip()
            while index < len(lines) and lines[index].strip() and not lines[index].strip().startswith(
                    ("Scenario:", "#")):
                description.append(lines[index].strip())
                index += 1
        elif line.startswith("Scenario:"):
            scenario = Scenario(line[len("Scenario:"):].strip())
            scenarios.append(scenario)
            notes = []
        elif line.startswith("#"):
            if scenario is None:
                header.append(line)
            elif scenario.steps:
                notes.append(line)  # the next step's
            else:
                scenario.notes.append(line)  # the scenario's: before its first step
        elif not line:
            continue
        elif scenario is None:
            raise NotRecorded(f"{path}:{number}: a step before any scenario: {line!r}")
        elif line.startswith(KEYWORDS):
            phrase = line.split(" ", 1)[1]
            table: list[tuple[str, str]] = []
            docstring = None
            while index < len(lines) and lines[index].strip().startswith("|"):
                cells = [cell.strip() for cell in lines[index].strip().strip("|").split("|")]
                table.append((cells[0], cells[1] if len(cells) > 1 else ""))
                index += 1
            if index < len(lines) and lines[index].strip() == '"""':
                end = next((at for at in range(index + 1, len(lines)) if lines[at].strip() == '"""'), None)
                if end is None:
                    raise NotRecorded(f"{path}:{index + 1}: a docstring that never ends")
                docstring = "\n".join(lines[at].strip() for at in range(index + 1, end))
                index = end + 1
            step = parse_step(phrase, table[1:], docstring, f"{path}:{number}")
            step.notes = notes
            notes = []
            scenario.steps.append(step)
        else:
            raise NotRecorded(f"{path}:{number}: not a line zmqprose record writes: {line!r}")
    if not title:
        raise NotRecorded(f"{path} has no Feature: line: not a feature zmqprose record wrote")
    return Feature(header, title, description, scenarios)


CONNECT = re.compile(rf"I connect a (?P<type>[A-Z]+) socket to (?P<socket>.+?)"
                     rf"(?: subscribed to (?:(?P<everything>everything)|(?P<topic>{TEXT})))?"
                     r"(?P<options> with options:)?")
RUNNING = re.compile(rf"(?P<app>{APP_NAME}) is running")
SUBSCRIBE = re.compile(rf"I (?P<kind>subscribe|unsubscribe) (?P<socket>.+) (?:to|from) (?P<topic>{TEXT})")
SEND_FORMAT = re.compile(rf"I send the (?P<format>{FORMAT_NAME}) message to (?P<socket>.+?)"
                         r"(?: with the envelope (?P<envelope>\[.*\]))?:")
SEND_TEXT = re.compile(rf"I send (?P<text>{TEXT}) to (?P<socket>.+)")
RECEIVE_FORMAT = re.compile(rf"I (?P<eventually>eventually )?receive an? (?P<format>{FORMAT_NAME}) message from "
                            r"(?P<socket>.+?)(?: within (?P<within>\d+) seconds?)?"
                            r"(?: with the envelope (?P<envelope>\[.*\]))? matching:")
RECEIVE_TEXT = re.compile(rf"I (?P<eventually>eventually )?receive (?P<text>{TEXT}) from (?P<socket>.+?)"
                          rf"(?: within (?P<within>\d+) seconds?)?")
MULTIPART = re.compile(r"I (?P<verb>send|eventually receive|receive) the multipart message (?P<rest>\[.*)")
WITHIN = re.compile(r"(?P<socket>.+?) within (?P<within>\d+) seconds?")


def parse_step(phrase: str, table: list[tuple[str, str]], docstring: str | None, where: str) -> Step:
    """One step the recorder writes, from its phrase; anything else is a :class:`NotRecorded`."""
    if found := RUNNING.fullmatch(phrase):
        return Step("running", "", app=found["app"])
    if found := CONNECT.fullmatch(phrase):
        topic = "" if found["everything"] else unquote(found["topic"]) if found["topic"] else None
        return Step("connect", found["socket"], type=found["type"], topic=topic, options=table)
    if found := SUBSCRIBE.fullmatch(phrase):
        return Step(found["kind"], found["socket"], value=unquote(found["topic"]))
    if docstring is not None:
        value = references_in(json.loads(docstring.replace("${", REFERENCE_START)))
        if found := SEND_FORMAT.fullmatch(phrase):
            return Step("send", found["socket"], found["format"], value, envelope_of(found["envelope"], where))
        if found := RECEIVE_FORMAT.fullmatch(phrase):
            return Step("receive", found["socket"], found["format"], value, envelope_of(found["envelope"], where),
                        bool(found["eventually"]), within_of(found["within"]))
    elif found := MULTIPART.fullmatch(phrase):
        frames, end = json.JSONDecoder().raw_decode(found["rest"])
        rest = found["rest"][end:]
        if found["verb"] == "send" and rest.startswith(" to "):
            return Step("send", rest[len(" to "):], None, frames)
        if found["verb"] != "send" and rest.startswith(" from "):
            socket, within = socket_within(rest[len(" from "):])
            return Step("receive", socket, None, frames, eventually=found["verb"].startswith("eventually"),
                        within=within)
    elif found := SEND_TEXT.fullmatch(phrase):
        return Step("send", found["socket"], None, [unquote(found["text"])])
    elif found := RECEIVE_TEXT.fullmatch(phrase):
        return Step("receive", found["socket"], None, [unquote(found["text"])], eventually=bool(found["eventually"]),
                    within=within_of(found["within"]))
    raise NotRecorded(f"{where}: a step zmqprose record does not write: {phrase!r} (--again compares with a "
                      f"feature it wrote, unedited)")


def references_in(value: Any) -> Any:
    """A docstring's value with each ``${…}`` it wrote as such (a secret's reference) a :class:`Reference`
    again (what it wrote ``\\u0024{`` is text)."""
    if isinstance(value, str):
        return Reference(value.replace(REFERENCE_START, "${")) if REFERENCE_START in value else value
    if isinstance(value, dict):
        return {key: references_in(item) for key, item in value.items()}
    if isinstance(value, list):
        return [references_in(item) for item in value]
    return value


def unquote(quoted_text: str) -> str:
    return re.sub(r'\\([\\"])', r"\1", quoted_text[1:-1])


def envelope_of(text: str | None, where: str) -> list[str]:
    if text is None:
        return []
    frames = json.loads(text)
    if not isinstance(frames, list):
        raise NotRecorded(f"{where}: an envelope that is not a JSON array: {text}")
    return frames


def within_of(text: str | None) -> float | None:
    return None if text is None else float(text)


def socket_within(text: str) -> tuple[str, float | None]:
    if found := WITHIN.fullmatch(text):
        return found["socket"], float(found["within"])
    return text, None
