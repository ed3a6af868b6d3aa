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
  reading from both sides; what the peers send waits in their kernels'
  buffers): a peer that hangs, the case heartbeats exist for;
- **delay**: every chunk is held that long before it goes on, in each
  direction, in order;
- **healthy**: no stall and no delay.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

from zmqprose.actionlog import ActionLog
from zmqprose.errors import ProseError, WaitTimeout
from zmqprose.limits import check_wait

HELD_LIMIT = 1 << 20  # bytes a side holds (delayed, or before its partner is connected) before it stops reading


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
    """One side of a relayed connection: what it receives goes to its partner (by the link's rules)."""

    def __init__(self, link: Link) -> None:
        self.link = link
        self.transport: asyncio.Transport | None = None
        self.partner: Half | None = None
        self.pending: list[bytes] = []  # what arrived before the partner was connected
        self.held = 0  # bytes read but not yet handed on (pending, or delayed): bounded by HELD_LIMIT

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        partner = self.partner
        if partner is None or partner.transport is None:
            self.pending.append(data)
            self.hold(len(data))
            return
        if self.link.delay:
            self.hold(len(data))
            self.link.loop.call_later(self.link.delay, self.hand_on, partner, data)
        else:
            partner.transport.write(data)

    def hold(self, size: int) -> None:
        """``size`` more bytes are held here: past :data:`HELD_LIMIT`, stop reading until they are handed on."""
        self.held += size
        if self.held > HELD_LIMIT and self.transport is not None and not self.transport.is_closing():
            self.transport.pause_reading()

    def hand_on(self, partner: Half, data: bytes) -> None:
        """Hand held bytes to the partner; reading goes on once few enough are held (and the link flows)."""
        partner.write(data)
        self.held -= len(data)
        if self.held <= HELD_LIMIT // 2 and not self.link.stalled and self.transport is not None \
                and not self.transport.is_closing():
            self.transport.resume_reading()

    def write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def connection_lost(self, error: Exception | None) -> None:
        self.link.forget(self)
        if self.partner is not None and self.partner.transport is not None:
            self.partner.transport.close()

    def pause_writing(self) -> None:  # the peer reads slower than the other side writes: stop reading there
        if self.partner is not None and self.partner.transport is not None:
            self.partner.transport.pause_reading()

    def resume_writing(self) -> None:
        if self.partner is not None and self.partner.transport is not None and not self.link.stalled:
            self.partner.transport.resume_reading()

    def abort(self) -> None:
        if self.transport is not None:
            self.transport.abort()


class Inbound(Half):
    """The side a peer connected to (the link's port): it opens the connection to the target."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        if self.link.cut:
            transport.abort()  # type: ignore[attr-defined]
            return
        self.link.halves.add(self)
        self.link.count_peer(1)
        if self.link.stalled:
            self.transport.pause_reading()  # type: ignore[union-attr]
        self.link.loop.create_task(self._connect())

    async def _connect(self) -> None:
        try:
            _, outbound = await self.link.loop.create_connection(lambda: Half(self.link), self.link.host,
                                                                 self.link.port)
        except OSError:
            self.abort()  # nothing listens there: the peer sees its connection closed, and tries again
            return
        if self.link.cut or self.transport is None:
            outbound.transport.abort()  # type: ignore[union-attr]
            return
        assert isinstance(outbound, Half)
        self.partner, outbound.partner = outbound, self
        self.link.halves.add(outbound)
        if self.link.stalled:
            outbound.transport.pause_reading()  # type: ignore[union-attr]
        for half, other in ((self, outbound), (outbound, self)):  # the target may have spoken first (its greeting)
            for data in half.pending:
                half.hand_on(other, data)
            half.pending.clear()
        if self.transport.is_closing():  # the peer sent and went before the target answered: what it sent goes on
            outbound.transport.close()  # type: ignore[union-attr]


class Link:
    """A relay in front of ``host:port``, listening on a free port of 127.0.0.1 (see the module); what it is
    told to do goes to ``log``, the scenario's action log."""

    def __init__(self, name: str, host: str, port: int, log: ActionLog | None = None) -> None:
        self.name, self.host, self.port = name, host, port
        self.log = log or ActionLog()
        self.loop = LOOP.get()
        self.halves: set[Half] = set()
        self.peers = 0  # connections made to the link and not yet lost (counted in the loop's thread)
        self._peers_changed = threading.Condition()
        self.cut = False
        self.stalled = False
        self.delay = 0.0
        self.closed = False
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
        """A peer connected to the link (+1) or its connection ended (-1): waiters hear of it."""
        with self._peers_changed:
            self.peers += change
            self._peers_changed.notify_all()

    def forget(self, half: Half) -> None:
        if half in self.halves:
            self.halves.discard(half)
            if isinstance(half, Inbound):
                self.count_peer(-1)

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
        for half in self.halves:
            if half.transport is not None and not half.transport.is_closing():
                if stalled:
                    half.transport.pause_reading()
                else:
                    half.transport.resume_reading()

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

    def has_connection(self, timeout: float) -> None:
        """A peer is connected through the link within ``timeout`` (ZeroMQ reconnected, say)."""
        if not self.wait_for_connections(lambda peers: peers > 0, check_wait(timeout, "the wait")):
            raise WaitTimeout(f"no connection through {self.describe()} within {timeout:g} s")
        self._tell("has a connection")

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
