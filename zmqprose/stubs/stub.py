"""Stubs: stand-ins for the services that the app under test talks to.

A stub is a socket of the scenario that, from the moment it is made until
the scenario ends, receives in a thread of its own, answers by rules, and
remembers everything it received. The socket is made (bound or connected)
by the scenario's thread, so that a bad address fails the step that made
it, and then handed to the stub's thread, which alone uses it from then on.

A REP stub is a ROUTER underneath: it answers REQ peers exactly as a REP
socket would, but it can also stay silent (``stops answering``) and go on
receiving, which a REP socket cannot.

What a stub received is kept bounded, however much arrives: every message
is counted, and the last :data:`KEPT_MESSAGES` (at most :data:`KEPT_BYTES`
in all) are kept for the ``received …`` checks, which say how many were
dropped when they look."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import zmq

from zmqprose.actionlog import ActionLog
from zmqprose.errors import ProseError, checked, describe_error
from zmqprose.limits import check_wait
from zmqprose.sockets.socket import ProseSocket, close_all
from zmqprose.sockets.transfer import Shown, receive_message
from zmqprose.stubs.rules import NO_RULE, Rule, rule_counting_the_envelope
from zmqprose.wire.envelope import envelope_set_aside, split_envelope
from zmqprose.wire.format_registry import FormatContext, in_format
from zmqprose.wire.format_registry import get as get_format
from zmqprose.wire.frames import Frame, show_frame, show_frames

STUB_TYPES = {"REP", "ROUTER", "XREP", "DEALER", "XREQ", "PAIR", "PULL", "SUB", "XSUB"}


ANSWERING_TYPES = {"REP", "ROUTER", "XREP", "DEALER", "XREQ", "PAIR"}


POLL_MS = 50
KEPT_MESSAGES = 10_000  # the last messages a stub keeps for its checks (every one is counted)
KEPT_BYTES = 64 << 20  # and at most this many bytes of them
KEPT_ERRORS = 100
STOP_WAIT = 5.0  # seconds a scenario's end waits for a stub's thread; a later end closes its own socket
SLICE = 0.25  # seconds a wait for what a stub received waits before the scenario's apps are looked at again


class Received:
    """What a stub received: a count of every message, and the last ones (bounded in number and bytes)."""

    def __init__(self, limit: int = KEPT_MESSAGES, byte_limit: int = KEPT_BYTES) -> None:
        self.count = 0
        self.kept: deque[list[bytes]] = deque(maxlen=limit)
        self._sizes: deque[int] = deque(maxlen=limit)
        self._bytes = 0
        self._byte_limit = byte_limit

    @property
    def dropped(self) -> int:
        """How many messages were received but are no longer kept."""
        return self.count - len(self.kept)

    def add(self, body: list[bytes]) -> None:
        size = sum(len(frame) for frame in body)
        if len(self.kept) == self.kept.maxlen:
            self._bytes -= self._sizes[0]
        self.kept.append(body)
        self._sizes.append(size)
        self._bytes += size
        self.count += 1
        while self._bytes > self._byte_limit and len(self.kept) > 1:
            self.kept.popleft()
            self._bytes -= self._sizes.popleft()


def stub_socket_type(type_name: str) -> str:
    """The ZeroMQ type a stub of ``type_name`` is made of: a REP stub is a ROUTER underneath, so that it can
    stay silent and still receive. A type that does not receive is refused."""
    if type_name not in STUB_TYPES:
        raise ProseError(f"a {type_name} socket cannot be a stub, for it does not receive: "
                         f"use one of {' '.join(sorted(STUB_TYPES))}")
    return "ROUTER" if type_name == "REP" else type_name


@dataclass
@checked
class Stub:
    """A stub: its socket, its rules, what it received; it runs in its own thread until stopped."""

    sock: ProseSocket
    log: ActionLog
    format_context: FormatContext = field(default_factory=FormatContext)  # for formats: the app's Jupyter key
    rules: list[Rule] = field(default_factory=list)
    received: Received = field(default_factory=Received)
    errors: deque[str] = field(default_factory=lambda: deque(maxlen=KEPT_ERRORS))
    answering: bool = True
    why_quiet: Callable[[], str | None] | None = None  # what its scenario knows of why nothing came (a peer ended)

    def __post_init__(self) -> None:
        self.type_name = self.sock.type_name
        self._lock = threading.Condition()
        self._stop = threading.Event()
        self._closes_own_socket = False  # set when the scenario ended before the thread
        self._finished = False  # its thread has ended, having read who closes the socket
        self._shown: Shown | None = None  # how a message reads in the action log
        self._thread = threading.Thread(target=self._run, name=f"zmqprose stub {self.sock.label}", daemon=True)

    # -- the scenario's side ---------------------------------------------------

    @classmethod
    def start_on(cls, sock: ProseSocket, type_name: str, log: ActionLog, format_context: FormatContext) -> Stub:
        """A stub of ``type_name`` (as the spec wrote it) on a socket made of :func:`stub_socket_type`,
        receiving in its own thread from now until its scenario ends."""
        sock.show_as(type_name)
        stub = cls(sock, log, format_context)
        stub.start()
        return stub

    def start(self) -> None:
        """Hand the socket to the stub's thread and start receiving.

        Example: ``stub.start()  # using_zmq().stub(…) has started it already``
        """
        self.sock.lend(self)
        self._thread.start()

    def answers(self, answer: Frame | Sequence[Frame], to: Frame | Sequence[Frame] | None = None,
                to_value: Any = None, format: str | None = None, after: float = 0.0) -> None:
        """Add a rule: answer ``answer`` (frames; ``${request.…}`` filled in from the request)
        to requests whose frames match ``to``; to anything else when neither ``to`` nor
        ``to_value`` is given; ``after`` a delay in seconds.

        With ``format`` (JSON, msgpack, Jupyter, …), the rule answers requests whose value in
        that format contains ``to_value``, and ``answer`` is one value written as JSON text,
        sent in that format (``${request.KEY}`` filled in as JSON).

        Example: ``prose.the_stub("worker").answers(["PONG", "${request.frame.1}"], to=["PING", "#number"])``
        """
        frames = None if to is None else (to,) if isinstance(to, (str, bytes)) else tuple(to)
        answer = (answer,) if isinstance(answer, (str, bytes)) else tuple(answer)
        fmt = get_format(format) if format is not None else None
        if to_value is not None and fmt is None:
            fmt = get_format("JSON")
        self.add_rule(Rule(answer=answer, frames=frames, value_subset=to_value, format=fmt,
                           delay=check_wait(after, "a delay")))
        if fmt is not None:
            self._shown = in_format(fmt, self.format_context)  # what it receives reads in that format

    def add_rule(self, rule: Rule) -> None:
        """Answer requests that match ``rule`` (rules are tried in the order they were given).

        Example: ``prose.the_stub("worker").add_rule(Rule(answer=("OK",), frames=None))``
        """
        if self.type_name not in ANSWERING_TYPES:
            raise ProseError(f"the stub {self.sock.describe()} cannot answer: a {self.type_name} socket only receives")
        rule.check()
        with self._lock:
            self.rules.append(rule)

    def stop_answering(self) -> None:
        """Keep receiving and recording, but send nothing more.

        Example: ``prose.the_stub("worker").stop_answering()``
        """
        with self._lock:
            self.answering = False

    def messages(self) -> list[list[bytes]]:
        """The messages kept so far, in order (a copy): the last :data:`KEPT_MESSAGES` of them.

        Example: ``last = prose.the_stub("worker").messages()[-1]  # [b"PING", b"1"]``
        """
        with self._lock:
            return list(self.received.kept)

    def counts(self) -> tuple[int, int]:
        """How many messages arrived in all, and how many of those are no longer kept.

        Example: ``arrived, no_longer_kept = prose.the_stub("worker").counts()``
        """
        with self._lock:
            return self.received.count, self.received.dropped

    def wait_for(self, holds: Callable[[list[list[bytes]]], bool], timeout: float) -> bool:
        """Wait up to ``timeout`` until the messages kept make ``holds`` true (see :meth:`_wait`).

        Example: ``prose.the_stub("worker").wait_for(lambda got: len(got) >= 2, timeout=2)``
        """
        return self._wait(lambda: holds(list(self.received.kept)), timeout)

    def wait_for_count(self, count: int, timeout: float) -> bool:
        """Wait up to ``timeout`` until at least ``count`` messages arrived (see :meth:`_wait`).

        Example: ``prose.the_stub("worker").wait_for_count(2, timeout=2)``
        """
        return self._wait(lambda: self.received.count >= count, timeout)

    def _wait(self, done: Callable[[], bool], timeout: float) -> bool:
        """Wait up to ``timeout`` until ``done()`` (asked under the lock), in slices of :data:`SLICE`: before each,
        the apps and commands of the scenario are looked at (``sock.check_peer``, as a wait on any socket of the
        scenario does), so that a death fails the wait at once, naming the app, instead of at its end."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if done():
                    return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if self.sock.check_peer is not None:
                self.sock.check_peer()
            with self._lock:
                if self._lock.wait_for(done, min(remaining, SLICE)):
                    return True

    def is_done(self) -> bool:
        """A stub is never done before its scenario ends: its socket stays its own (and, if its thread
        outlived the scenario's end, the thread closes it).

        Example: ``prose.the_stub("worker").is_done()  # False until its scenario ends``
        """
        with self._lock:
            return not self._closes_own_socket and self._finished and self._stop.is_set()

    def why_busy(self) -> str:
        """Why a step may not use the stub's socket directly.

        Example: ``print(prose.the_stub("worker").why_busy())``
        """
        return "is a stub, receiving in its own thread: talk to it from another socket, or with 'the stub …' steps"

    def stop(self) -> None:
        """Stop receiving (within a twentieth of a second, unless a rule's work holds it). The socket is
        then the scenario's to close; if the thread is still busy, it closes the socket itself as it
        ends, so that the socket is never closed under it.

        Example: ``prose.the_stub("worker").stop()  # the scenario's end stops it anyway``
        """
        self._stop.set()
        self._thread.join(timeout=STOP_WAIT)
        with self._lock:
            if not self._finished:  # its thread has not yet decided who closes the socket: it does
                self._closes_own_socket = True

    # -- the stub's thread -----------------------------------------------------

    def _run(self) -> None:
        try:
            self._receive_until_stopped()
        finally:
            with self._lock:  # decided with stop(), under one lock: exactly one of the two closes the socket
                close, self._finished = self._closes_own_socket, True
            if close:
                close_all([self.sock])

    def _receive_until_stopped(self) -> None:
        sock = self.sock.zmq
        while not self._stop.is_set():
            if not sock.poll(POLL_MS, zmq.POLLIN):
                continue
            frames, peer = receive_message(sock, zmq.NOBLOCK, with_peer=True)
            envelope, body = split_envelope(self.type_name, frames, peer)
            with self._lock:
                self.received.add(body)
                self._lock.notify_all()
                answering, rules = self.answering, list(self.rules)
            shown = body if self._shown is None else self._shown(body)
            self.log.note("stub {} received {}", self.sock.label, shown)
            self.log.event("stub-in", self.sock.label, shown)
            if answering and self.type_name in ANSWERING_TYPES:
                try:
                    self._answer(sock, envelope, body, rules)
                except Exception as error:  # a request that breaks a rule must not stop the stub
                    shown = show_frames(body, self.log.showing)
                    self.errors.append(f"could not answer {shown}: {describe_error(error)}")

    def _answer(self, sock: zmq.Socket[bytes], envelope: list[bytes], body: list[bytes], rules: list[Rule]) -> None:
        rule = next((rule for rule in rules if rule.matches(body, self.format_context)), None)
        if rule is None:
            self._say_why_no_rule(rules, envelope, body)
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
            self.errors.append(f"could not answer {show_frames(body, self.log.showing)}: {error.strerror}")
            return
        self.log.note("stub {} answered {}", self.sock.label, answer)
        self.log.event("stub-out", self.sock.label, answer if self._shown is None else self._shown(answer))

    def _say_why_no_rule(self, rules: list[Rule], envelope: list[bytes], body: list[bytes]) -> None:
        """Tell the stub's problems and the action log of a rule that no request can match because it was written
        with the envelope the stub sets aside (a ROUTER stub's rule for ``["#ignore", "PING"]``)."""
        if not envelope or (found := rule_counting_the_envelope(rules, envelope, body)) is None:
            return
        rule, counted = found
        showing = self.log.showing
        set_aside = envelope_set_aside(self.type_name, envelope[:counted], counted, showing, "the rule's frames")
        why = f"the rule for {list(rule.frames or ())} did not answer {show_frames(body, showing)}{set_aside}"
        self.errors.append(why)
        self.log.note("stub {} {}", self.sock.label, why)

    def _render(self, rule: Rule, body: list[bytes]) -> list[bytes]:
        try:
            return rule.render(body, self.format_context, self.log.showing)
        except ProseError as error:
            self.errors.append(str(error))
            return [f"zmqprose stub: {error}".encode()]
