"""Ports of the apps under test: free ones chosen together (and held for the run), tcp endpoints found in
settings, whether one accepts connections."""

from __future__ import annotations

import re
import socket
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zmqprose.errors import AppError
from zmqprose.settings import ENDPOINT_KEY, LOOPBACK
from zmqprose.sockets.references import as_port

TCP_ADDRESS = re.compile(r"tcp://(?P<host>[^:/]+|\[[^\]]+\]):(?P<port>\d+|\*)$")


FREE = ("0", "*")


LOCAL_HOSTS = {"127.0.0.1", "localhost", "*", "0.0.0.0", "::1", "[::1]"}

SKIPPED_AT_MOST = 1000  # ports offered that cannot be chosen, before free_ports gives up
RESERVATION_NAME = "zmqprose-port-{port}"  # an abstract AF_UNIX name (Linux), the same in every run


@dataclass
class AppPort:
    """A tcp port an app listens on (its host and port), from its setting ``key``."""

    key: str
    host: str
    port: int

    def __str__(self) -> str:
        return f"tcp://{self.host}:{self.port} ({self.key})"


def choose_free_ports(app: Mapping[str, Any], avoid: set[int] | frozenset[int] = frozenset(),
                      reservations: PortReservations | None = None) -> dict[str, Any]:
    """A port of its own for every free port of an app (``0``, ``:0``, ``:*``), by setting key; none of ``avoid``,
    each held in ``reservations`` (see :func:`free_ports`)."""
    free = {}
    for key, value in app.items():
        if not ENDPOINT_KEY.search(key):
            continue
        if as_port(value) == 0 or (isinstance(value, str) and (match := TCP_ADDRESS.match(value))
                                   and match["port"] in FREE):
            free[key] = value
    chosen: dict[str, Any] = {}
    for (key, value), port in zip(free.items(), free_ports(len(free), avoid, reservations), strict=True):
        match = TCP_ADDRESS.match(value) if isinstance(value, str) else None
        chosen[key] = f"tcp://{match['host']}:{port}" if match else port
    return chosen


def app_port(key: str, value: Any, host: str) -> AppPort | None:
    """The tcp port a setting names, if it names one (a port, or a tcp address)."""
    port = as_port(value)
    if port:
        return AppPort(key, host, port)
    if isinstance(value, str) and (match := TCP_ADDRESS.match(value)) and match["port"].isdigit():
        address_host = match["host"].strip("[]")
        return AppPort(key, LOOPBACK if address_host in ("*", "0.0.0.0") else address_host, int(match["port"]))
    return None


def accepts_connections(host: str, port: int, timeout: float) -> bool:
    """True if something accepts a TCP connection on host:port now."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now, and that no zmqprose run holds."""
    return free_ports(1)[0]


def free_ports(count: int, avoid: set[int] | frozenset[int] = frozenset(),
               reservations: PortReservations | None = None) -> list[int]:
    """``count`` different TCP ports on loopback that nothing listens on right now, none of ``avoid``, none that a
    zmqprose run holds (another run's, or this one's: an app's stopped for a restart); each now held in
    ``reservations``, the run's, until it lets them go. Without ``reservations`` they are held by nobody.

    The system offers the ports (a bind to port 0, let go at once: a probe held longer would stand in the way
    of an app binding a port its run chose); the reservations keep it from choosing one twice. A port
    offered that a run holds is skipped (at most :data:`SKIPPED_AT_MOST` of them).
    """
    holder = reservations if reservations is not None else PortReservations()
    chosen: list[int] = []
    skipped = 0
    try:
        while len(chosen) < count:
            if skipped == SKIPPED_AT_MOST:
                raise AppError(f"no free port found: {SKIPPED_AT_MOST} ports the system offered were held by "
                               f"zmqprose runs (this one's, or others' on this machine) or tried already; "
                               f"end some runs")
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
                probe.bind((LOOPBACK, 0))
                port = probe.getsockname()[1]
            if port not in avoid and holder.reserve(port):
                chosen.append(port)
            else:
                skipped += 1
    except BaseException:
        holder.release(chosen)
        raise
    if reservations is None:
        holder.release(chosen)
    return chosen


class PortReservations:
    """The ports one zmqprose run chose, held against every other zmqprose run on the machine (behavex's workers,
    two CI jobs) until the run lets them go: between the choice and the app's bind, while the app is stopped for
    a restart, after the spec's bind chose one for an app it plays and closed it again.

    A reservation is a socket that the kernel closes when the process ends, however it ends: nothing is left
    behind, no file written. On Linux, an AF_UNIX socket bound to the abstract name ``zmqprose-port-PORT``
    (no file); elsewhere (macOS), a UDP socket bound to 127.0.0.1:PORT, which leaves TCP's port PORT to the app
    (TCP and UDP have ports of their own). A run choosing free ports reserves each port it is offered, and
    skips those it cannot reserve: they are another run's, or its own already.

    Only zmqprose runs honour it (a spec's own bind to ``:*`` or ``:0`` too: one that ZeroMQ gave a held port binds
    again, :meth:`held_by_a_run`): a port another program takes meanwhile is met as before (the start is tried
    again on other ports).
    """

    def __init__(self, abstract: bool | None = None) -> None:
        """``abstract``: reserve by abstract AF_UNIX names (default: on Linux, where they exist), else by UDP."""
        self.abstract = sys.platform.startswith("linux") if abstract is None else abstract
        self._held: dict[int, socket.socket] = {}

    def reserve(self, port: int) -> bool:
        """Hold ``port`` for this run if no zmqprose run holds it (this one included); whether it is now held."""
        if port in self._held:
            return False
        holder = self._holder()
        try:
            holder.bind(self._address(port))
        except OSError:  # in use: another run holds it
            holder.close()
            return False
        self._held[port] = holder
        return True

    def keep(self, ports: Iterable[int]) -> None:
        """Hold ``ports`` again, those not held (a run whose reservations were let go that starts an app again);
        one another run holds meanwhile stays the app's all the same."""
        for port in ports:
            if port not in self._held:
                self.reserve(port)

    def holds(self, port: int) -> bool:
        """Whether this run holds ``port``."""
        return port in self._held

    def held_by_a_run(self, port: int) -> bool:
        """Whether a zmqprose run holds ``port``: this one, or another on the machine (its app starting, or
        stopped for a restart). Nothing is held by asking: the name is bound and let go at once (a socket made
        and closed, a few microseconds); a run choosing at that moment skips the port, as it skips any held."""
        if port in self._held:
            return True
        holder = self._holder()
        try:
            holder.bind(self._address(port))
        except OSError:  # in use: a run holds it
            return True
        finally:
            holder.close()
        return False

    @property
    def held(self) -> frozenset[int]:
        """The ports this run holds."""
        return frozenset(self._held)

    def release(self, ports: Iterable[int]) -> None:
        """Let ``ports`` go (an app gone for good): other runs may choose them again."""
        for port in list(ports):
            if (holder := self._held.pop(port, None)) is not None:
                holder.close()

    def release_all(self) -> None:
        """Let every port go: the run ends."""
        self.release(self._held)

    def _holder(self) -> socket.socket:
        if self.abstract:
            return socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        return socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def _address(self, port: int) -> str | tuple[str, int]:
        if self.abstract:
            return "\0" + RESERVATION_NAME.format(port=port)
        return LOOPBACK, port


def port_of(value: Any) -> int:
    """The port of a chosen free port setting: a number, or a tcp address ending in one."""
    return int(str(value).rsplit(":", 1)[-1])
