"""Socket types and options by the names a spec writes (``PUSH``, ``SNDHWM``): values checked,
errors that list what there is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import zmq

from zmqprose.errors import ProseError
from zmqprose.wire.frames import encode_frame

SOCKET_TYPES: dict[str, int] = {
    "PUSH": zmq.PUSH, "PULL": zmq.PULL, "PUB": zmq.PUB, "SUB": zmq.SUB,
    "XPUB": zmq.XPUB, "XSUB": zmq.XSUB, "REQ": zmq.REQ, "REP": zmq.REP,
    "DEALER": zmq.DEALER, "ROUTER": zmq.ROUTER, "PAIR": zmq.PAIR,
    "XREQ": zmq.DEALER, "XREP": zmq.ROUTER,
}


def socket_type(name: str) -> int:
    """The ZeroMQ socket type for its name (``PUSH``, or the old ``XREQ``); errors list the valid ones."""
    try:
        return SOCKET_TYPES[name]
    except KeyError:
        raise ProseError(
            f"unknown socket type '{name}': use one of {' '.join(SOCKET_TYPES)}"
        ) from None


BYTES_OPTIONS = frozenset({  # libzmq's options whose value is bytes (zmq.h); every other one settable is a number
    "ROUTING_ID", "IDENTITY", "SUBSCRIBE", "UNSUBSCRIBE", "LAST_ENDPOINT", "PLAIN_USERNAME", "PLAIN_PASSWORD",
    "CURVE_PUBLICKEY", "CURVE_SECRETKEY", "CURVE_SERVERKEY", "ZAP_DOMAIN", "CONNECT_ROUTING_ID",
    "GSSAPI_PRINCIPAL", "GSSAPI_SERVICE_PRINCIPAL", "SOCKS_PROXY", "XPUB_WELCOME_MSG", "BINDTODEVICE",
    "TCP_ACCEPT_FILTER", "METADATA", "SOCKS_USERNAME", "SOCKS_PASSWORD", "WSS_KEY_PEM", "WSS_CERT_PEM",
    "WSS_TRUST_PEM", "WSS_HOSTNAME", "HELLO_MSG", "DISCONNECT_MSG", "HICCUP_MSG",
})
INT64_OPTIONS = frozenset({"AFFINITY", "MAXMSGSIZE", "VMCI_BUFFER_SIZE", "VMCI_BUFFER_MIN_SIZE",
                           "VMCI_BUFFER_MAX_SIZE"})
OTHER_OPTIONS = frozenset({"FD"})  # a file descriptor: read, never set


def option_kind(name: str) -> str:
    """What an option's value is, by zmq.h: ``bytes``, ``int64``, ``int``, or ``fd``."""
    if name in BYTES_OPTIONS:
        return "bytes"
    if name in INT64_OPTIONS:
        return "int64"
    return "fd" if name in OTHER_OPTIONS else "int"


def socket_option(name: str, value: Any) -> tuple[int, int | bytes]:
    """A socket option by name, with its value converted to the option's type."""
    try:
        option = zmq.SocketOption[name.upper()]
    except KeyError:
        raise ProseError(
            f"unknown socket option '{name}': use a ZeroMQ option name such as "
            f"SNDHWM, RCVHWM, LINGER, ROUTING_ID, ROUTER_MANDATORY, CONFLATE, SUBSCRIBE"
        ) from None
    kind = option_kind(option.name)
    if kind in ("int", "int64"):
        text = str(value).strip().lower()
        if text in ("true", "false"):
            return option, int(text == "true")
        try:
            number = int(text)
        except ValueError:
            raise ProseError(f"socket option {option.name} takes a whole number, not {value!r}") from None
        bits = 64 if kind == "int64" else 32
        if not -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
            raise ProseError(f"socket option {option.name} takes a whole number of {bits} bits, "
                             f"from {-(2 ** (bits - 1)):,} to {2 ** (bits - 1) - 1:,}; {value!r} is out of range")
        return option, number
    if kind == "bytes":
        return option, value if isinstance(value, bytes) else encode_frame(str(value))
    raise ProseError(f"socket option {option.name} cannot be set from a spec (it is a {kind} option)")


def options_from(table: Mapping[str, Any] | None) -> list[tuple[int, int | bytes]]:
    """Socket options by name, converted (see :func:`socket_option`)."""
    return [socket_option(name, value) for name, value in (table or {}).items()]
