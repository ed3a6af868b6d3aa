"""Stubs: stand-ins for the services that the app under test talks to.

A stub is a socket of the scenario that, from the moment it is made until
the scenario ends, receives in a thread of its own, answers by rules, and
remembers everything it received. The socket is made (bound or connected)
by the scenario's thread, so that a bad address fails the step that made
it, and then handed to the stub's thread, which alone uses it from then on.

A REP stub is a ROUTER underneath: it answers REQ peers exactly as a REP
socket would, but it can also stay silent (``stops answering``) and go on
receiving, which a REP socket cannot.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import zmq

from zmqprose.actionlog import ActionLog
from zmqprose.envelope import split_envelope
from zmqprose.errors import ProseError, describe_error
from zmqprose.frames import Frame, encode_frames, show_frame, show_frames
from zmqprose.interpolation import interpolate_frame, interpolate_json
from zmqprose.json_text import parse_json_text
from zmqprose.limits import check_wait
from zmqprose.matching import check_pattern, frames_difference, json_difference
from zmqprose.sockets import ProseSocket
from zmqprose.transfer import receive_message

REQUEST = "request."
NO_RULE = "zmqprose stub: no rule for "
STUB_TYPES = {"REP", "ROUTER", "XREP", "DEALER", "XREQ", "PAIR", "PULL", "SUB", "XSUB"}
ANSWERING_TYPES = {"REP", "ROUTER", "XREP", "DEALER", "XREQ", "PAIR"}
POLL_MS = 50


@dataclass(frozen=True)
class Rule:
    """When a request matches, answer these frames (``${request.…}`` filled in), after a delay."""

    answer: tuple[Frame, ...]
    frames: tuple[Frame, ...] | None = None  # the request's frames, markers allowed
    json_subset: Any = None  # or: the request's last frame is JSON containing this
    delay: float = 0.0
    answer_is_json: bool = False  # the answer is one frame of JSON text: ${request.…} filled in as JSON

    def check(self) -> None:
        """Fail now, when the rule is given, for a pattern that could only fail when a request comes."""
        for pattern in (*(self.frames or ()), *json_strings(self.json_subset)):
            check_pattern(pattern)
        if self.answer_is_json:
            parse_json_text(interpolate_json(str(self.answer[0]), lambda name: 0), "the stub's JSON answer")

    def matches(self, body: Sequence[bytes]) -> bool:
        """True if a received message (after any routing envelope) is a request this rule answers."""
        if self.frames is not None:
            return frames_difference(self.frames, body) is None
        if self.json_subset is not None:
            value = json_of_last_frame(body)
            return value is not None and json_difference(self.json_subset, value, subset=True) is None
        return True

    def describe(self) -> str:
        """The rule as a person wrote it."""
        if self.frames is not None:
            when = f"to {list(self.frames)}"
        elif self.json_subset is not None:
            when = f"to JSON containing {json.dumps(self.json_subset)}"
        else:
            when = "to anything else"
        return f"answers {list(self.answer)} {when}" + (f" after {self.delay:g} s" if self.delay else "")


def json_of_last_frame(body: Sequence[bytes]) -> Any:
    """The JSON value of a message's last frame, or None if it has none (or it is not JSON)."""
    if not body:
        return None
    try:
        return json.loads(body[-1])
    except (ValueError, RecursionError):
        return None


def json_strings(value: Any) -> list[str]:
    """Every string inside a JSON value (where markers may be)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for inner in value.values() for text in json_strings(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in json_strings(inner)]
    return []


def request_lookup(body: Sequence[bytes]) -> Callable[[str], Any]:
    """What ``${request.…}`` means for one request: ``request.frame.N``, or a dotted path into its JSON."""

    def lookup(name: str) -> Any:
        if not name.startswith(REQUEST):
            raise ProseError(f"${{{name}}} cannot be filled in when the stub answers; only ${{request.…}} can")
        path = name[len(REQUEST):].split(".")
        if path[0] == "frame" and len(path) == 2 and path[1].isdigit():
            index = int(path[1])
            if index >= len(body):
                raise ProseError(f"${{{name}}}: the request has only {len(body)} frame(s): {show_frames(body)}")
            return body[index]
        value = json_of_last_frame(body)
        if value is None:
            raise ProseError(f"${{{name}}}: the request is not JSON: {show_frames(body)}")
        for key in path:
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
                value = value[int(key)]
            else:
                raise ProseError(f"${{{name}}}: the request has no {key!r}: {json.dumps(value)[:200]}")
        return value

    return lookup


@dataclass
class Stub:
    """A stub: its socket, its rules, what it received; it runs in its own thread until stopped."""

    sock: ProseSocket
    log: ActionLog
    rules: list[Rule] = field(default_factory=list)
    received: list[list[bytes]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    answering: bool = True

    def __post_init__(self) -> None:
        self.type_name = self.sock.type_name
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"zmqprose stub {self.sock.label}", daemon=True)

    # -- the scenario's side ---------------------------------------------------

    def start(self) -> None:
        """Hand the socket to the stub's thread and start receiving."""
        self.sock.lent_to = self
        self._thread.start()

    def answers(self, answer: Frame | Sequence[Frame], to: Frame | Sequence[Frame] | None = None,
                to_json: Any = None, after: float = 0.0, json_answer: bool = False) -> None:
        """Add a rule: answer ``answer`` (frames; ``${request.…}`` filled in from the request)
        to requests whose frames match ``to``, or whose JSON contains ``to_json``; to anything
        else when neither is given; ``after`` a delay in seconds. With ``json_answer``, the
        answer is one frame of JSON text, and ``${request.…}`` is filled in as JSON."""
        frames = None if to is None else (to,) if isinstance(to, (str, bytes)) else tuple(to)
        answer = (answer,) if isinstance(answer, (str, bytes)) else tuple(answer)
        self.add_rule(Rule(answer=answer, frames=frames, json_subset=to_json, delay=check_wait(after, "a delay"),
                           answer_is_json=json_answer))

    def add_rule(self, rule: Rule) -> None:
        """Answer requests that match ``rule`` (rules are tried in the order they were given)."""
        if self.type_name not in ANSWERING_TYPES:
            raise ProseError(f"the stub {self.sock.describe()} cannot answer: a {self.type_name} socket only receives")
        rule.check()
        with self._lock:
            self.rules.append(rule)

    def stop_answering(self) -> None:
        """Keep receiving and recording, but send nothing more."""
        with self._lock:
            self.answering = False

    def messages(self) -> list[list[bytes]]:
        """Everything received so far, in order (a copy)."""
        with self._lock:
            return list(self.received)

    def wait_for(self, holds: Callable[[list[list[bytes]]], bool], timeout: float) -> bool:
        """Wait up to ``timeout`` until what the stub received makes ``holds`` true."""
        with self._lock:
            return self._lock.wait_for(lambda: holds(self.received), timeout)

    def is_done(self) -> bool:
        """A stub is never done before its scenario ends: its socket stays its own."""
        return not self._thread.is_alive() and self._stop.is_set()

    def why_busy(self) -> str:
        """Why a step may not use the stub's socket directly."""
        return "is a stub, receiving in its own thread: talk to it from another socket, or with 'the stub …' steps"

    def stop(self) -> None:
        """Stop receiving (within a twentieth of a second) and give the socket back for closing."""
        self._stop.set()
        self._thread.join(timeout=2)

    # -- the stub's thread -----------------------------------------------------

    def _run(self) -> None:
        sock = self.sock.zmq
        while not self._stop.is_set():
            if not sock.poll(POLL_MS, zmq.POLLIN):
                continue
            frames, peer = receive_message(sock, zmq.NOBLOCK, with_peer=True)
            envelope, body = split_envelope(self.type_name, frames, peer)
            with self._lock:
                self.received.append(body)
                self._lock.notify_all()
                answering, rules = self.answering, list(self.rules)
            self.log.note("stub {} received {}", self.sock.label, body)
            if answering and self.type_name in ANSWERING_TYPES:
                try:
                    self._answer(sock, envelope, body, rules)
                except Exception as error:  # a request that breaks a rule must not stop the stub
                    self.errors.append(f"could not answer {show_frames(body)}: {describe_error(error)}")

    def _answer(self, sock: zmq.Socket, envelope: list[bytes], body: list[bytes], rules: list[Rule]) -> None:
        rule = next((rule for rule in rules if rule.matches(body)), None)
        if rule is None:
            if self.type_name != "REP":
                return
            answer = [(NO_RULE + " | ".join(show_frame(frame) for frame in body)).encode()]
        else:
            if rule.delay and self._stop.wait(rule.delay):
                return
            answer = self._render(rule, body)
        try:
            sock.send_multipart(envelope + answer, flags=zmq.NOBLOCK)
        except zmq.ZMQError as error:
            self.errors.append(f"could not answer {show_frames(body)}: {error.strerror}")
            return
        self.log.note("stub {} answered {}", self.sock.label, answer)

    def _render(self, rule: Rule, body: list[bytes]) -> list[bytes]:
        lookup = request_lookup(body)
        try:
            if rule.answer_is_json:
                return [interpolate_json(str(rule.answer[0]), lookup).encode("utf-8")]
            return encode_frames(interpolate_frame(frame, lookup) for frame in rule.answer)
        except ProseError as error:
            self.errors.append(str(error))
            return [f"zmqprose stub: {error}".encode()]


class ExpectsStub:
    """Checks of what a stub received: at once, or waiting up to a bound for it to arrive."""

    def __init__(self, stub: Stub) -> None:
        self._stub = stub

    def received(self, expected: Sequence[str | bytes], within: float | None = None) -> None:
        """A message matching ``expected`` (markers allowed) is among those received."""
        self._check(lambda got: any(frames_difference(expected, body) is None for body in got),
                    f"no message matching {list(expected)}", within)

    def received_json(self, expected: Any, within: float | None = None) -> None:
        """A message whose last frame is JSON containing ``expected`` is among those received."""

        def holds(got: list[list[bytes]]) -> bool:
            return any((value := json_of_last_frame(body)) is not None
                       and json_difference(expected, value, subset=True) is None for body in got)

        self._check(holds, f"no JSON message containing {json.dumps(expected)}", within)

    def received_count(self, count: int, within: float | None = None) -> None:
        """Exactly ``count`` messages were received (with ``within``: waiting until that many came)."""
        if within is not None:
            self._stub.wait_for(lambda got: len(got) >= count, within)
        got = self._stub.messages()
        if len(got) != count:
            raise ProseError(f"the stub {self._stub.sock.describe()} received {len(got)} message(s), not {count}"
                             f"{self._listing(got)}")

    def received_nothing(self) -> None:
        """Nothing at all was received."""
        got = self._stub.messages()
        if got:
            raise ProseError(
                f"the stub {self._stub.sock.describe()} received {len(got)} message(s){self._listing(got)}"
            )

    def _check(self, holds: Callable[[list[list[bytes]]], bool], missing: str, within: float | None) -> None:
        if within is not None and self._stub.wait_for(holds, within):
            return
        got = self._stub.messages()
        if not holds(got):
            waited = f" within {within:g} s" if within is not None else ""
            raise ProseError(f"the stub {self._stub.sock.describe()} received {missing}{waited}{self._listing(got)}")

    def _listing(self, got: list[list[bytes]]) -> str:
        shown = "; ".join(show_frames(body) for body in got[-5:])
        before = f"… {len(got) - 5} earlier, then " if len(got) > 5 else ""
        problems = f"\n  the stub's own problems: {'; '.join(self._stub.errors)}" if self._stub.errors else ""
        return (f"; it received: {before}{shown}" if got else "; it received nothing") + problems
