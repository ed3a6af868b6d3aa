"""Ports of the apps under test: free ones chosen together, tcp endpoints found in settings,
whether one accepts connections."""

from __future__ import annotations

import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zmqprose.settings import ENDPOINT_KEY, LOOPBACK
from zmqprose.sockets.references import as_port

TCP_ADDRESS = re.compile(r"tcp://(?P<host>[^:/]+|\[[^\]]+\]):(?P<port>\d+|\*)$")


FREE = ("0", "*")


LOCAL_HOSTS = {"127.0.0.1", "localhost", "*", "0.0.0.0", "::1", "[::1]"}


@dataclass
class AppPort:
    """A tcp port an app listens on (its host and port), from its setting ``key``."""

    key: str
    host: str
    port: int

    def __str__(self) -> str:
        return f"tcp://{self.host}:{self.port} ({self.key})"


def choose_free_ports(app: Mapping[str, Any], avoid: set[int] | frozenset[int] = frozenset()) -> dict[str, Any]:
    """A port of its own for every free port of an app (``0``, ``:0``, ``:*``), by setting key; none of ``avoid``."""
    free = {}
    for key, value in app.items():
        if not ENDPOINT_KEY.search(key):
            continue
        if as_port(value) == 0 or (isinstance(value, str) and (match := TCP_ADDRESS.match(value))
                                   and match["port"] in FREE):
            free[key] = value
    chosen: dict[str, Any] = {}
    for (key, value), port in zip(free.items(), free_ports(len(free), avoid), strict=True):
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
    """A TCP port on loopback that nothing listens on right now."""
    return free_ports(1)[0]


def free_ports(count: int, avoid: set[int] | frozenset[int] = frozenset()) -> list[int]:
    """``count`` different TCP ports on loopback that nothing listens on right now, none of ``avoid``.

    The probes stay open until all are chosen: one after another, the
    system may well hand out the same port twice.
    """
    probes: list[socket.socket] = []
    try:
        while len([p for p in probes if p.getsockname()[1] not in avoid]) < count:
            probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            probes.append(probe)
            probe.bind((LOOPBACK, 0))
        return [port for probe in probes if (port := probe.getsockname()[1]) not in avoid]
    finally:
        for probe in probes:
            probe.close()


def port_of(value: Any) -> int:
    """The port of a chosen free port setting: a number, or a tcp address ending in one."""
    return int(str(value).rsplit(":", 1)[-1])
