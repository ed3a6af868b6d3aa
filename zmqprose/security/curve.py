"""CURVE: the keys of a run, and the allowances of a scenario's servers.

Keys come from pyzmq (``zmq.curve_keypair``), allowances from pyzmq's own
authenticator (``zmq.auth``), not code of ours. An app's ``curve`` setting
is its server pair (given, or ``"generate"``: a new pair for the run); client
pairs are named (``zmqprose.curve_clients.NAME`` in the settings, or made
once per run on first use). Every secret key is masked like every secret.
"""

from __future__ import annotations

import itertools
import struct
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import zmq
from zmq.utils import z85

from zmqprose.errors import ProseError, SettingsError
from zmqprose.wire.masking import remember_secrets

Z85_ALPHABET = set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#")
GENERATE = "generate"
DEFAULT_CLIENT = "default"
_domains = itertools.count(1)


@dataclass(frozen=True)
class KeyPair:
    """A CURVE keypair, both keys as Z85 text."""

    public_key: str
    secret_key: str

    def as_setting(self) -> dict[str, str]:
        return {"public_key": self.public_key, "secret_key": self.secret_key}


def require_curve() -> None:
    """Fail clearly if this libzmq was built without CURVE."""
    if not zmq.has("curve"):
        raise ProseError("this libzmq was built without CURVE (zmq.has('curve') is false): "
                         "install a pyzmq whose libzmq has it (the wheels on PyPI do)")


def new_pair(owner: object) -> KeyPair:
    """A new keypair; its secret is masked while ``owner`` lives (the run whose keys it is, the socket that is
    secured with it): see :mod:`zmqprose.wire.masking`."""
    require_curve()
    public, secret = zmq.curve_keypair()
    pair = KeyPair(public.decode("ascii"), secret.decode("ascii"))
    remember_secrets([pair.secret_key], owner=owner)
    return pair


def is_z85_key(value: Any) -> bool:
    """True for a CURVE key written in Z85: 40 characters of its alphabet that decode to 32 bytes
    (each group of five stands for a number below 2**32; ``#####`` is of the alphabet but does not)."""
    if not (isinstance(value, str) and len(value) == 40 and set(value) <= Z85_ALPHABET):
        return False
    try:
        z85.decode(value)
    except (ValueError, struct.error, OverflowError):
        return False
    return True


def check_pair_setting(value: Any, where: str, source: str, generate: bool = True, public_alone: bool = False) -> None:
    """A keypair setting: ``{"public_key": Z85, "secret_key": Z85}`` (or ``"generate"``, where allowed; or, with
    ``public_alone``, the public key alone: a server zmqprose does not start, whose clients need only that)."""
    if generate and value == GENERATE:
        return
    parts = {"public_key", "secret_key"}
    if not isinstance(value, Mapping) or not (set(value) == parts or (public_alone and set(value) == {"public_key"})):
        form = '"generate" or ' if generate else ""
        alone = ' or {"public_key": "…"} alone (a server zmqprose does not start)' if public_alone else ""
        raise SettingsError(f'{source}: {where} must be {form}{{"public_key": "…", "secret_key": "…"}}{alone} '
                            f"(40 characters of Z85 each)")
    for part in sorted(set(value) & parts):
        if not is_z85_key(value[part]):
            length = len(str(value[part]))
            raise SettingsError(f"{source}: {where}.{part} is not a CURVE key: it must be 40 characters of Z85 "
                                f"(as zmq.curve_keypair() makes them) that decode to 32 bytes; it has {length} "
                                f"characters{' but does not decode' if length == 40 else ''}")


class RunKeys:
    """The client pairs of a run: from the settings, or made once on first use."""

    def __init__(self, given: Mapping[str, Any]) -> None:
        self._pairs = {name: KeyPair(pair["public_key"], pair["secret_key"]) for name, pair in given.items()}
        remember_secrets([pair.secret_key for pair in self._pairs.values()], owner=self)  # the settings' too
        self._lock = threading.Lock()

    def client(self, name: str) -> KeyPair:
        """The client pair called ``name``."""
        with self._lock:
            if name not in self._pairs:
                self._pairs[name] = new_pair(owner=self)
            return self._pairs[name]

    def lookup(self, dotted: str) -> str:
        """``NAME.public_key`` or ``NAME.secret_key`` of a client pair (``${curve.NAME.public_key}``)."""
        name, _, part = dotted.rpartition(".")
        if not name or part not in ("public_key", "secret_key"):
            raise ProseError(f"${{curve.{dotted}}}: write ${{curve.NAME.public_key}} (or .secret_key)")
        return str(getattr(self.client(name), part))


@dataclass(frozen=True)
class CurveRequest:
    """What a phrase's ``with CURVE …`` asks for."""

    client: str = DEFAULT_CLIENT  # as client "NAME"
    wrong_server_key: bool = False  # and the wrong server key
    allowing: tuple[str, ...] | None = None  # allowing only "A", "B" (a server)


class Allowances:
    """The CURVE servers of one scenario and who may connect: one ZAP domain each, checked by pyzmq's
    authenticator. There is one authenticator per ZeroMQ context (it binds the context's one ZAP
    address), so the scenarios of a run share it, each with domains of its own, forgotten as it ends."""

    def __init__(self, context: zmq.Context[Any], before_end: Callable[[Callable[[], None]], None]) -> None:
        self._context = context
        self._before_end = before_end  # registers what to do before the context ends
        self._domains: list[str] = []

    def domain_for(self, allowed_public_keys: set[str] | None) -> str:
        """A ZAP domain that lets in only these clients' public keys (None: any client)."""
        domain = f"zmqprose-{next(_domains)}"
        authenticator_of(self._context, self._before_end).configure_curve_callback(domain, Allowed(allowed_public_keys))
        self._domains.append(domain)
        return domain

    def stop(self) -> None:
        """Forget this scenario's domains (at its end; its servers are closed)."""
        authenticator = _authenticators.get(id(self._context))
        for domain in self._domains:
            if authenticator is not None:
                authenticator.credentials_providers.pop(domain, None)
        self._domains.clear()


_authenticators: dict[int, Any] = {}  # id of a context -> its running ThreadAuthenticator
_authenticators_lock = threading.Lock()


def authenticator_of(context: zmq.Context[Any], before_end: Callable[[Callable[[], None]], None]) -> Any:
    """The running authenticator of ``context``, started when first needed and stopped before it ends."""
    with _authenticators_lock:
        authenticator = _authenticators.get(id(context))
        if authenticator is None:
            from zmq.auth.thread import ThreadAuthenticator

            authenticator = ThreadAuthenticator(context)
            authenticator.start()
            # A CURVE server made without a domain (a socket option of the spec's own) lets in any client,
            # as it would with no authenticator in the context: the run's scenarios share this one.
            authenticator.configure_curve_callback("*", Allowed(None))
            _authenticators[id(context)] = authenticator
            before_end(lambda: _stop_authenticator(context))
        return authenticator


def _stop_authenticator(context: zmq.Context[Any]) -> None:
    with _authenticators_lock:
        authenticator = _authenticators.pop(id(context), None)
    if authenticator is not None:
        authenticator.stop()


class Allowed:
    """pyzmq's credentials provider: a client passes if its public key is one of these (or any, if None)."""

    def __init__(self, public_keys: set[str] | None) -> None:
        self.public_keys = None if public_keys is None else {key.encode("ascii") for key in public_keys}

    def callback(self, domain: str, key: bytes) -> bool:
        return self.public_keys is None or key in self.public_keys
