"""Handshakes: knowing when a socket really has a peer, from ZeroMQ's socket monitor.

A connecting socket returns at once and connects later; a SUB socket that
is sent a message before its handshake (and subscription) reach the
publisher simply never sees it: the slow-joiner problem. Every socket of a
scenario is watched from its first bind or connect over a transport that
has handshakes (tcp, ipc, …), so a wait for a handshake also sees one that
happened before the wait began. A socket bound and connected over
``inproc://`` only is not watched: inproc has no handshake (its connections
count as made at once), and a monitor would cost such a socket more than
everything else it does (two more sockets, their events, the wait).

The monitor also tells when a closed socket is gone for good (ZeroMQ closes
a socket in a thread of its own): its connections closed, its addresses
free for the next scenario to bind. (An unwatched socket's inproc names are
let go of when it closes, by unbinding them first, which libzmq does at
once: nothing of it is left to wait for.) libzmq sends a monitor's events with a
blocking send, in the thread that closes every socket of the context: so
the receiving end of a socket not yet gone is kept open until it is (else
that thread would wait for ever at its last event, and no socket of the run
would ever be done with again).

A watch costs a scenario most in the two sockets it adds and in pyzmq's Python
around them, so it is read as cheaply as pyzmq allows: one ``zmq_poll`` of its
one socket per wait (not a :class:`zmq.Poller` made per look), two plain
receives per event (every event has two frames), and the receiving end never
sets LINGER (it never sends: nothing of it can linger).
"""

from __future__ import annotations

import itertools
import os
import struct
import threading
import time
from collections.abc import Callable

import zmq

from zmqprose.sockets.context import before_end

FAILED = zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL | zmq.EVENT_HANDSHAKE_FAILED_AUTH
WATCHED = zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED | zmq.EVENT_MONITOR_STOPPED | FAILED
EVENT = struct.Struct("=HI")  # a monitor message's first frame: event number, value
LOOK_EVERY = 0.25  # seconds a wait polls before it looks again at the apps of the scenario (``check``)
_watches = itertools.count(1)  # monitor addresses are never reused (pyzmq's own are by file descriptor, which is)


class PeerWatch:
    """Counts the peers of one socket that completed a handshake and are still there, from :meth:`start` on."""

    def __init__(self, zmq_socket: zmq.Socket[bytes]) -> None:
        self._socket = zmq_socket
        self._events: zmq.Socket[bytes] | None = None  # the receiving end of the monitor's events, once started
        self.stopped = False  # the socket is closed and gone
        self.peers = 0
        self.handshakes = 0  # ever, in this socket's life
        self.refusals = 0  # handshakes that failed (a wrong key, a client not allowed), ever
        self.check: Callable[[], None] | None = None  # raises if an app the wait depends on has died

    @property
    def watching(self) -> bool:
        """True once :meth:`start` has put the socket monitor on the socket."""
        return self._events is not None

    def start(self) -> None:
        """Watch the socket from now on: before its first bind or connect over a transport with handshakes.
        Starting twice does nothing."""
        if self._events is not None:
            return
        address = f"inproc://zmqprose-watch-{os.getpid()}-{next(_watches)}"
        self._socket.monitor(address, WATCHED)
        events: zmq.Socket[bytes] = self._socket.context.socket(zmq.PAIR)
        events.connect(address)
        self._events = events

    def _take_next(self, events: zmq.Socket[bytes], milliseconds: int) -> bool:
        """Take the next event, waiting up to ``milliseconds`` for it; False if none came."""
        if not zmq.zmq_poll([(events, zmq.POLLIN)], milliseconds):
            return False
        first = events.recv()
        events.recv()  # the endpoint it happened on: not needed
        self._take(first)
        return True

    def _take(self, first: bytes) -> None:
        event, _ = EVENT.unpack_from(first)
        if event == zmq.EVENT_HANDSHAKE_SUCCEEDED:
            self.peers += 1
            self.handshakes += 1
        elif event == zmq.EVENT_DISCONNECTED:
            self.peers = max(self.peers - 1, 0)
        elif event & FAILED:
            self.refusals += 1
        elif event == zmq.EVENT_MONITOR_STOPPED:
            self.stopped = True

    def _take_waiting(self) -> None:
        events = self._events
        if events is None:
            return
        while self._take_next(events, 0):
            pass

    def ever_connected(self) -> bool:
        """True if a peer has ever completed a handshake with the socket; never waits."""
        self._take_waiting()
        return self.handshakes > 0

    def wait_for_peer(self, timeout: float) -> bool:
        """True as soon as a peer has completed its handshake; False if none did within ``timeout`` (at once, if
        the socket is not watched: nothing it is attached to has a handshake)."""
        if self._events is None:
            return False
        deadline = time.monotonic() + timeout
        while True:
            self._take_waiting()
            if self.peers:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._wait_for_event(remaining)

    def wait_for_refusal(self, timeout: float, success_counts: bool = True) -> str | None:
        """Wait up to ``timeout`` for a handshake to fail: "refused"; None if nothing happened.

        With ``success_counts`` (a client), a handshake that succeeds first ends the wait: "succeeded".
        A server's other clients may well succeed: there, only a refusal is looked for. None at once if the
        socket is not watched: nothing it is attached to has a handshake.
        """
        if self._events is None:
            return None
        deadline = time.monotonic() + timeout
        while True:
            self._take_waiting()
            if success_counts and self.handshakes:
                return "succeeded"
            if self.refusals:
                return "refused"
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self._wait_for_event(remaining)

    def _wait_for_event(self, remaining: float) -> None:
        """Wait up to ``remaining`` seconds for the next event; with a ``check``, first look at the apps the
        wait depends on (it raises if one has died), and wait no longer than :data:`LOOK_EVERY` at a time."""
        if self.check is not None:
            self.check()
            remaining = min(remaining, LOOK_EVERY)
        if self._events is not None:
            self._take_next(self._events, int(remaining * 1000) + 1)

    def wait_until_gone(self, deadline: float) -> bool:
        """After the socket was closed: wait until ZeroMQ is done with it (until ``deadline``, monotonic),
        then stop watching. True if it was gone in time; at once for a socket that was never watched (its
        inproc names were let go of as it closed: see :meth:`zmqprose.sockets.socket.ProseSocket.close`).
        If the context is ending meanwhile, the receiving end is closed at once, so that the end can finish."""
        events = self._events
        if events is None:
            return True
        if events.closed:
            return self.stopped
        try:
            while not self.stopped:
                remaining = deadline - time.monotonic()  # past it: what already came is still taken
                if not self._take_next(events, int(remaining * 1000) + 1 if remaining > 0 else 0):
                    break
        except zmq.ContextTerminated:  # the context ends: it waits for this receiving end to be closed too
            events.close(linger=0)
            return self.stopped
        if self.stopped:
            events.close(linger=0)
        else:
            _keep_until_gone(self)
        _close_gone()
        return self.stopped

    def close_if_gone(self, force: bool = False) -> bool:
        """Close the receiving end of the events if the socket is gone (or, with ``force``, anyway: the
        context ends); True if it is closed now."""
        events = self._events
        if events is None:
            return True
        if not events.closed:
            try:
                self._take_waiting()
            except zmq.ContextTerminated:  # the context ends, and waits for this receiving end
                force = True
            if self.stopped or force:
                events.close(linger=0)
        return events.closed


_not_gone: list[PeerWatch] = []  # watches given up on: their socket was not gone in time
_not_gone_lock = threading.Lock()


def _keep_until_gone(watch: PeerWatch) -> None:
    with _not_gone_lock:
        _not_gone.append(watch)
    before_end(lambda: _close_gone(force=True))


def _close_gone(force: bool = False) -> None:
    """Close the events of the watches given up on whose socket is gone by now (all of them, with ``force``)."""
    if not _not_gone:
        return
    with _not_gone_lock:
        _not_gone[:] = [watch for watch in _not_gone if not watch.close_if_gone(force)]
