"""References: the ways a spec names an endpoint or a socket.

An ENDPOINT is an app reference (``ogre's command port``), a ZeroMQ address
(``tcp://127.0.0.1:5555``) or ``the endpoint of "NAME"``. A SOCKET is an
ENDPOINT that an earlier action used, or a socket's name. Parsing happens
here, once; resolving an app reference needs only the settings.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from zmqprose.errors import ResolveError
from zmqprose.settings import ENDPOINT_KEY, AppSettings, Settings
from zmqprose.wire.interpolation import Lookup
from zmqprose.wire.paths import listed

APP_NAME = r"[A-Za-z_][\w.-]*"  # the grammar of an app reference, written once (phrases and advice use it too)
APP_WORDS = r"[\w-]+(?: [\w-]+)*?"
APP_NOUN = r"port|socket|endpoint"
APP_REFERENCE_TEXT = rf"{APP_NAME}'s (?:{APP_WORDS} )?(?:{APP_NOUN})"  # no words: `zlock's port`
APP_REFERENCE = re.compile(rf"(?P<app>{APP_NAME})'s (?:(?P<words>{APP_WORDS}) )?(?P<noun>{APP_NOUN})")
ENDPOINT_OF = re.compile(r'the endpoint of "(?P<name>[^"]*)"')
FREE_PORTS = ("0", "*")  # a tcp address ending in one of these binds to a port the system chooses


@dataclass(frozen=True)
class AppEndpoint:
    """``<app>'s <words> <noun>``: an endpoint found in the app's settings."""

    app: str
    words: tuple[str, ...]
    noun: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "_hash", hash((self.app, self.words, self.noun)))  # looked up on every step

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined,no-any-return]

    def __str__(self) -> str:
        return f"{self.app}'s {' '.join((*self.words, self.noun))}"

    def candidate_keys(self) -> list[str]:
        """The setting keys tried, in order: snake_case first, then camelCase."""
        return list(candidate_keys(self.words, self.noun))


@dataclass(frozen=True)
class Address:
    """A ZeroMQ address written out: ``tcp://127.0.0.1:5555``, ``inproc://x``."""

    text: str

    def __str__(self) -> str:
        return f'"{self.text}"'


@dataclass(frozen=True)
class EndpointOf:
    """``the endpoint of "NAME"``: where a named socket of this scenario is bound."""

    name: str

    def __str__(self) -> str:
        return f'the endpoint of "{self.name}"'


@dataclass(frozen=True)
class SocketName:
    """A socket made with ``as "NAME"``."""

    name: str

    def __str__(self) -> str:
        return f'"{self.name}"'


Endpoint = AppEndpoint | Address | EndpointOf
SocketRef = SocketName | Endpoint


@functools.lru_cache(maxsize=256)
def candidate_keys(words: tuple[str, ...], noun: str) -> tuple[str, ...]:
    """The setting keys for ``<words> <noun>``, in the order the docs give (docs: reference/settings.md,
    *Resolving an app reference*); with no words (``zlock's port``) the noun itself, then ``port``,
    ``socket``, ``endpoint``."""
    stem = "_".join(words)
    if not stem:
        return tuple(dict.fromkeys([noun, "port", "socket", "endpoint"]))
    snake = list(dict.fromkeys([f"{stem}_{noun}", f"{stem}_port", f"{stem}_socket", f"{stem}_endpoint", stem]))
    return (*snake, *(camel_case(key) for key in snake if camel_case(key) not in snake))


def camel_case(snake: str) -> str:
    """``pipeline_input_port`` → ``pipelineInputPort``."""
    first, *rest = snake.split("_")
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


def parse_endpoint(text: str) -> Endpoint:
    """An ENDPOINT from its written form (unquoted); a clear error for anything else."""
    text = text.strip()
    if match := APP_REFERENCE.fullmatch(text):
        return AppEndpoint(match["app"], tuple((match["words"] or "").split()), match["noun"])
    if match := ENDPOINT_OF.fullmatch(text):
        return EndpointOf(match["name"])
    if "://" in text:
        return Address(text)
    raise ResolveError(
        f"'{text}' is not an endpoint: write an app reference (ogre's command port), "
        f'a ZeroMQ address ("tcp://127.0.0.1:5555") or the endpoint of "NAME"'
    )


def parse_socket_ref(text: str) -> SocketRef:
    """A SOCKET as a Python user writes it: an endpoint, or else a socket's name."""
    try:
        return parse_endpoint(text)
    except ResolveError:
        return SocketName(text)


def resolve_app_endpoint(settings: Settings, ref: AppEndpoint, for_bind: bool = False,
                         lookup: Lookup | None = None) -> str:
    """The ZeroMQ address an app reference stands for (docs: reference/settings.md, *Resolving an app reference*):
    its setting filled in once, with ``lookup`` (the scenario's) where the setting names what a scenario fills in
    (:meth:`Settings.setting`); what is filled in is never read for ``${…}`` again."""
    key = setting_key(settings, ref)
    if behind := free_port_behind(settings, f"{ref.app}.{key}", referred_only=True):
        raise ResolveError(f'"{ref}" ({ref.app}.{key} = {settings.app(ref.app)[key]!r}) refers to '
                           f"${{{behind[0]}}}, and {behind[1]}")
    value = settings.setting(ref.app, key, lookup)
    app = settings.app_settings(ref.app)
    host_key = "bind_host" if for_bind else "host"
    host = settings.setting(ref.app, host_key, lookup) if host_key in settings.app(ref.app) else None
    return address_from_setting(app, ref, key, value, str(host) if host is not None else None, for_bind)


def free_port_behind(settings: Settings, dotted: str, referred_only: bool = False) -> tuple[str, str] | None:
    """The first setting that ``dotted`` is (unless ``referred_only``) or refers to through ``${…}``, directly or
    through others, that is a free port not chosen yet (its app has not started, or the spec that plays it has
    not bound it), with why it cannot be used and what to do; None if there is none. Filled in, it would be 0."""
    for name in (*(() if referred_only else (dotted,)), *settings.references(dotted)):
        app, _, key = name.partition(".")
        if "." in key or app not in settings.apps or not ENDPOINT_KEY.search(key):
            continue
        value = settings.app(app).get(key)
        if is_free_port(value):
            return name, free_port_not_chosen(settings.app_settings(app), endpoint_for(app, key), key, value)
    return None


def endpoint_for(app: str, key: str) -> AppEndpoint:
    """The app reference a port setting answers to: ``shell_port`` → ``kernel's shell port`` (a key that
    reads otherwise, ``shellPort``, as ``kernel's shellPort port``, which still finds it)."""
    words, _, noun = key.rpartition("_")
    if noun in ("port", "socket", "endpoint"):
        return AppEndpoint(app, tuple(words.split("_")) if words else (), noun)
    return AppEndpoint(app, (key,), "port")


def setting_key(settings: Settings, ref: AppEndpoint) -> str:
    """The setting of its app that an app reference names: the first of its candidate keys there is."""
    app = settings.app(ref.app)
    keys = ref.candidate_keys()
    key = next((k for k in keys if k in app), None)
    if key is None:
        raise ResolveError(
            f'no setting for "{ref}" in environment \'{settings.env}\':\n'
            f"  app '{ref.app}' has: {listed(app, '(no settings)', ordered=True)}\n"
            f"  (tried {', '.join(keys)})"
        )
    return key


def address_from_setting(app: AppSettings, ref: AppEndpoint, key: str, value: Any, host: str | None,
                         for_bind: bool) -> str:
    """A setting's value as an address: full addresses as they are, ports on the app's host (``host``, its
    ``host`` or ``bind_host`` setting filled in; None: the default). A free port not chosen yet is an error
    that says who chooses it: the app's start, or the spec that plays the app."""
    if is_free_port(value):
        raise ResolveError(free_port_not_chosen(app, ref, key, value))
    if isinstance(value, str) and "://" in value:
        return value
    port = as_port(value)
    if port is None:
        raise ResolveError(
            f"setting {ref.app}.{key} (for \"{ref}\") is {value!r}: "
            f"expected a port number or a ZeroMQ address such as \"tcp://127.0.0.1:5555\""
        )
    if host is None:
        host = app.bind_host if for_bind else app.host
    return f"tcp://{host}:{port}"


def free_port_not_chosen(app: AppSettings, ref: AppEndpoint, key: str, value: Any) -> str:
    """Why a free port cannot be used yet, and what to do: start the app (it has ``start``), or bind the port
    first (the app has none: the spec plays it, and its bind chooses the port)."""
    written = f"{ref.app}.{key} = {value!r}" if isinstance(value, str) else f"{ref.app}.{key} = {value}"
    if app.start is not None:
        return (f'"{ref}" ({written}) is a free port chosen when {ref.app} starts: '
                f"add 'Given {ref.app} is running' before this step")
    return (f'"{ref}" ({written}) is a free port that the spec chooses when it binds it: {ref.app} has no '
            f"'start', so the spec plays {ref.app} (docs: how-to/play-a-service.md, *Playing a service*); "
            f"bind a socket to {ref} "
            f"before this step, e.g. 'I bind a ROUTER socket to {ref}'")


def is_free_port(value: Any) -> bool:
    """Whether a port setting asks for a free port: ``0``, or a tcp address ending in ``:0`` or ``:*``."""
    if as_port(value) == 0:
        return True
    return isinstance(value, str) and value.startswith("tcp://") and value.rpartition(":")[2] in FREE_PORTS


def tcp_port_of(address: str) -> int | None:
    """The port of a ``tcp://HOST:PORT`` address; None for another transport."""
    if not address.startswith("tcp://"):
        return None
    return as_port(address.rpartition(":")[2])


def as_port(value: Any) -> int | None:
    """A port number from an int or a string of digits; None if it is neither."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 <= value <= 65535:
        return value
    if isinstance(value, str) and value.isdigit() and int(value) <= 65535:
        return int(value)
    return None
