"""Links: TCP relays in front of an endpoint, that a spec cuts, stalls, delays and mends.

A link listens on a free port of 127.0.0.1 and relays every connection made
to it to its target (``host:port``), bytes unchanged in both directions, so
ZMTP handshakes (NULL, CURVE) pass through untouched. Every link of the run
lives on one asyncio loop, in one thread of its own (not a thread per
connection); a change (cut, restore, stall, delay) is handed to that loop
and takes effect as soon as it runs, well within 10 ms.

- **cut**: every connection through the link is closed at once (aborted,
  so the peers see a reset) and a new one is reset as soon as it is made,
  until **restored** (the link keeps its port, so nothing else can take it);
- **stall**: connections stay open but no byte passes (the link stops
  reading from both sides and hands on nothing it holds; what the peers
  send waits in their kernels' buffers): a peer that hangs, the case
  heartbeats exist for;
- **delay**: every chunk is held that long (from when the link read it)
  before it goes on, in each direction; a new delay applies to what is
  held too;
- **healthy**: no stall and no delay: what is still held goes on at once.

A link never reorders a connection's bytes: what a side has read and not
handed on waits in one queue, and goes on from its front only, newer bytes
behind it; a peer's close goes on after what it sent. And it holds little:
a side stops reading while what it holds plus its partner's write buffer is
past :data:`HELD_LIMIT` (the sender's kernel and ZeroMQ queue the rest), in
every state. A connection counts (:attr:`Link.peers`) once the link has
reached the target for it, until either end is gone.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from zmqprose.actionlog import ActionLog
from zmqprose.errors import ProseError, WaitTimeout
from zmqprose.limits import check_wait

HELD_LIMIT = 1 << 20  # bytes a side holds (read, not yet written out) before it stops reading


class Loop:
    """The run's one asyncio loop for links, in a daemon thread, started when a first link needs it."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def get(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="zmqprose links", daemon=True).start()
                self._loop = loop
            return self._loop

    def call(self, function: Callable[..., Any], *arguments: Any) -> None:
        """Run ``function`` on the loop, soon (from any thread)."""
        self.get().call_soon_threadsafe(function, *arguments)

    def run(self, coroutine: Any, timeout: float = 5.0) -> Any:
        """Run a coroutine on the loop and wait for its result (from another thread)."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.get()).result(timeout)


LOOP = Loop()


class Half(asyncio.Protocol):
    """One side of a relayed connection: what its peer sends goes on to the partner, by the link's rules.

    What a side has read and not yet handed on (its partner not connected yet, a delay, a stall) waits in
    ``queue``, oldest first, and goes on only from the front: nothing overtakes what was read before it,
    whatever the link is told meanwhile. Whether a side reads is one rule, :meth:`flow`.
    """

    transport: asyncio.Transport  # set as the connection is made, before anything else can reach the side

    def __init__(self, link: Link) -> None:
        self.link = link
        self.partner: Half | None = None
        self.queue: deque[tuple[float, bytes]] = deque()  # (when it was read, the chunk), oldest first
        self.held = 0  # bytes in the queue
        self.ended = False  # its peer has gone: the partner is closed once what is held has gone on
        self.writing_paused = False  # its transport's write buffer is past its high-water mark
        self._wake: asyncio.TimerHandle | None = None  # when the oldest held chunk is due

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        partner = self.partner
        if partner is not None and self.link.flowing and not self.queue:
            partner.transport.write(data)  # healthy and nothing held: straight on (what a link costs is here)
            return
        self.queue.append((self.link.loop.time(), data))
        self.held += len(data)
        if len(self.queue) == 1:
            self.hand_on()
        else:
            self.flow()

    def hand_on(self) -> None:
        """Hand on, oldest first, what is held and due (read the link's delay ago), then wake up for the next
        chunk; once nothing is held and the peer has gone, close the partner. Nothing goes before the partner
        is connected, nor while the link stalls."""
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        partner, link, queue = self.partner, self.link, self.queue
        if partner is not None and not link.stalled:
            now, delay = link.loop.time(), link.delay
            while queue and queue[0][0] + delay <= now:
                data = queue.popleft()[1]
                self.held -= len(data)
                partner.write(data)
            if queue:
                self._wake = link.loop.call_at(queue[0][0] + delay, self.hand_on)
            elif self.ended:
                partner.close()
                link.halves.discard(self)
        self.flow()

    def flow(self) -> None:
        """The one rule for reading, asked again whenever its answer may change (nothing else pauses or
        resumes a side): read while the link does not stall, the partner's transport takes more, and what this
        side holds plus what waits in the partner's write buffer is within :data:`HELD_LIMIT` (after a pause,
        within half of it)."""
        transport = self.transport
        if transport.is_closing():
            return
        partner, blocked, load = self.partner, self.link.stalled, self.held
        if partner is not None:
            blocked = blocked or partner.writing_paused
            load += partner.transport.get_write_buffer_size()
        if transport.is_reading():
            if blocked or load > HELD_LIMIT:
                transport.pause_reading()
        elif not blocked and load <= HELD_LIMIT // 2:
            transport.resume_reading()

    def pause_writing(self) -> None:  # the peer reads slower than the partner's peer writes
        self.writing_paused = True
        if self.partner is not None:
            self.partner.flow()

    def resume_writing(self) -> None:
        self.writing_paused = False
        if self.partner is not None:
            self.partner.flow()

    def write(self, data: bytes) -> None:
        if not self.transport.is_closing():
            self.transport.write(data)

    def close(self) -> None:
        """Close once the write buffer has gone out (the peer sees what was sent, then the end)."""
        if not self.transport.is_closing():
            self.transport.close()

    def connection_lost(self, error: Exception | None) -> None:
        self.ended = True
        self.link.lost(self)
        if self.partner is not None:
            self.partner.drop()  # what it held for this side has nowhere to go now
        self.hand_on()  # what this side held still goes on, then the partner is closed

    def drop(self) -> None:
        """Forget what is held (its connection is gone, or reset)."""
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        self.queue.clear()
        self.held = 0
        if self.ended:
            self.link.halves.discard(self)

    def abort(self) -> None:
        """Reset the connection: what is held is lost, as on a network that breaks."""
        self.drop()
        self.link.halves.discard(self)
        self.transport.abort()


class Inbound(Half):
    """The side a peer connected to (the link's port): it opens the connection to the target. The pair counts
    as a connection through the link (:attr:`Link.peers`) from when the target is reached until either side
    is lost."""

    counted = False
    _connecting: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        if self.link.cut:
            self.transport.abort()
            return
        self.link.halves.add(self)
        self.flow()  # a stalled link reads nothing
        self._connecting = self.link.loop.create_task(self._connect())

    async def _connect(self) -> None:
        link = self.link
        try:
            _, outbound = await link.loop.create_connection(lambda: Half(link), link.host, link.port)
        except OSError as error:
            self._connecting = None
            link.unreached = os.strerror(error.errno) if error.errno else str(error)
            self.abort()  # nothing listens there: the peer sees its connection closed, and tries again
            return
        self._connecting = None
        assert isinstance(outbound, Half)
        if link.cut or link.closed:
            outbound.abort()
            self.abort()
            return
        self.partner, outbound.partner = outbound, self
        link.halves.add(outbound)
        link.unreached = None
        if not self.ended and not outbound.ended:
            self.counted = True
            link.count_peer(1)
        for half in (outbound, self):  # the target may have spoken first (its greeting); the peer may have gone
            half.hand_on()

    def abort(self) -> None:
        if self._connecting is not None:
            self._connecting.cancel()
        super().abort()


class Link:
    """A relay in front of ``host:port``, listening on a free port of 127.0.0.1 (see the module); what it is
    told to do goes to ``log``, the scenario's action log."""

    def __init__(self, name: str, host: str, port: int, log: ActionLog | None = None) -> None:
        self.name, self.host, self.port = name, host, port
        self.log = log or ActionLog()
        self.loop = LOOP.get()
        self.halves: set[Half] = set()
        self.peers = 0  # connections through the link that reached the target, both ends still there (loop thread)
        self._peers_changed = threading.Condition()
        self.cut = False
        self.stalled = False
        self.delay = 0.0
        self.flowing = True  # neither stalled nor delayed: a side with nothing held writes straight on
        self.closed = False
        self.unreached: str | None = None  # why the target could not be reached, last time it was tried
        self._restore_at: asyncio.TimerHandle | None = None
        self._server: asyncio.AbstractServer = LOOP.run(self._listen())
        self.listen_port: int = self._server.sockets[0].getsockname()[1]

    async def _listen(self) -> asyncio.AbstractServer:
        return await self.loop.create_server(lambda: Inbound(self), "127.0.0.1", 0)

    @property
    def endpoint(self) -> str:
        """Where sockets connect to go through the link."""
        return f"tcp://127.0.0.1:{self.listen_port}"

    @property
    def target(self) -> str:
        return f"tcp://{self.host}:{self.port}"

    def count_peer(self, change: int) -> None:
        """A connection through the link reached its target (+1), or one of its ends went (-1): waiters hear of it."""
        with self._peers_changed:
            self.peers += change
            self._peers_changed.notify_all()

    def lost(self, half: Half) -> None:
        """A side's connection ended: its pair no longer counts as a connection through the link."""
        inbound = half if isinstance(half, Inbound) else half.partner
        if isinstance(inbound, Inbound) and inbound.counted:
            inbound.counted = False
            self.count_peer(-1)

    def holding(self) -> int:
        """Bytes the link holds now, all its connections and both ways: read and not yet handed on, or waiting
        in its write buffers (bounded: about :data:`HELD_LIMIT` a side)."""
        return int(LOOP.run(self._holding()))

    async def _holding(self) -> int:
        return sum(half.held + half.transport.get_write_buffer_size() for half in self.halves)

    # -- faults, handed to the loop -------------------------------------------------

    def set_cut(self, cut: bool, restore_after: float | None = None) -> None:
        """Cut (close every connection, refuse new ones), or restore; ``restore_after``: restore by itself."""
        self._check_open()
        LOOP.run(self._set_cut(cut, restore_after))

    async def _set_cut(self, cut: bool, restore_after: float | None) -> None:
        if self._restore_at is not None:
            self._restore_at.cancel()
            self._restore_at = None
        self.cut = cut
        if cut:
            for half in list(self.halves):
                half.abort()
            if restore_after is not None:
                self._restore_at = self.loop.call_later(restore_after, self._restore)

    def _restore(self) -> None:
        self.cut = False
        self._restore_at = None

    def set_flow(self, stalled: bool, delay: float) -> None:
        """Stall (no byte passes) or not; hold each chunk ``delay`` seconds (0: at once)."""
        self._check_open()
        LOOP.run(self._set_flow(stalled, delay))

    async def _set_flow(self, stalled: bool, delay: float) -> None:
        self.stalled, self.delay = stalled, delay
        self.flowing = not stalled and not delay
        for half in list(self.halves):
            half.hand_on()  # what is held goes on first (at once when healed), and reading follows the rule

    def wait_for_connections(self, wanted: Callable[[int], bool], timeout: float) -> bool:
        """Whether the number of peers connected through the link satisfies ``wanted`` within ``timeout``."""
        with self._peers_changed:
            return self._peers_changed.wait_for(lambda: wanted(self.peers), timeout)

    # -- what a step says ---------------------------------------------------------

    def cut_off(self, seconds: float | None = None) -> None:
        """Close every connection and refuse new ones: until :meth:`restore`, or for ``seconds``."""
        wait = None if seconds is None else check_wait(seconds, "a cut")
        self.set_cut(True, wait)
        self._tell("cut" if wait is None else f"cut for {wait:g} s")

    def restore(self) -> None:
        """Let connections be made again (ZeroMQ's peers reconnect by themselves)."""
        self.set_cut(False)
        self._tell("restored")

    def stall(self) -> None:
        """Keep connections open but let no byte pass, until :meth:`heal`."""
        self.set_flow(True, self.delay)
        self._tell("stalls")

    def delay_by(self, seconds: float) -> None:
        """Hold every chunk ``seconds`` before it goes on, in each direction."""
        self.set_flow(self.stalled, check_wait(seconds, "a delay"))
        self._tell(f"delays by {seconds * 1000:g} ms")

    def heal(self) -> None:
        """No stall and no delay."""
        self.set_flow(False, 0.0)
        self._tell("healthy")

    def is_healthy(self) -> bool:
        """Whether bytes pass as they come: no stall and no delay (a cut is apart: :meth:`restore` ends it)."""
        return not self.stalled and not self.delay

    def has_connection(self, timeout: float) -> None:
        """A peer is connected through the link within ``timeout`` (ZeroMQ reconnected, say)."""
        if not self.wait_for_connections(lambda peers: peers > 0, check_wait(timeout, "the wait")):
            raise WaitTimeout(f"no connection through {self.describe()} within {timeout:g} s{self._why_none()}")
        self._tell("has a connection")

    def _why_none(self) -> str:
        """Why no connection counts, when it is the target's doing (a connection counts once it reaches it)."""
        reason = self.unreached
        if reason is not None:
            return f": {self.target} could not be reached ({reason}); is anything listening there?"
        if any(isinstance(half, Inbound) and half.partner is None for half in list(self.halves)):
            return f": a peer connected to the link, but {self.target} has not answered"
        return ""

    def has_no_connection(self, timeout: float) -> None:
        """No peer is connected through the link, within ``timeout``."""
        if not self.wait_for_connections(lambda peers: peers == 0, check_wait(timeout, "the wait")):
            raise WaitTimeout(f"{self.describe()} still has {self.peers} connection(s) after {timeout:g} s")
        self._tell("has no connection")

    def _tell(self, what: str) -> None:
        self.log.note("link {} {}  ({} -> {})", self.name, what, self.endpoint, self.target)
        self.log.event("link", self.name, what, endpoint=self.endpoint, target=self.target)

    def close(self) -> None:
        """Stop listening and close every connection (at the end of the scenario)."""
        if self.closed:
            return
        self.closed = True
        LOOP.run(self._close())

    async def _close(self) -> None:
        if self._restore_at is not None:
            self._restore_at.cancel()
        self._server.close()
        for half in list(self.halves):
            half.abort()
        await self._server.wait_closed()

    def _check_open(self) -> None:
        if self.closed:
            raise ProseError(f'the link "{self.name}" is closed: its scenario has ended')

    def describe(self) -> str:
        state = "cut" if self.cut else "stalled" if self.stalled else f"delaying {self.delay:g} s" if self.delay \
            else "healthy"
        return f'the link "{self.name}" ({self.endpoint} -> {self.target}, {state})'
