"""``zmqprose record``: listen, relay, read, and write the feature (and its picture) when told to stop.

    zmqprose record --listen tcp://127.0.0.1:7001 --to tcp://127.0.0.1:7000 --out calls.feature
                    [--for SECONDS] [--settings DIR --env NAME --app NAME] [--again calls.feature]
                    [--heartbeat NAME]

It stops at Ctrl-C (SIGINT), SIGTERM, or after ``--for`` seconds, then writes
the feature and ``calls.svg`` beside it. How the written spec names the
service: ``--app "tinyrpc's rpc port"`` (an app reference, checked against
the settings of ``--settings DIR``, default ``environments``, and ``--env``,
default ``local``), or ``--app tinyrpc`` when the app has one port, or the one
whose fixed port is ``--to``'s; the feature then begins each scenario with
``Given tinyrpc is running``, and a Jupyter app's ``key`` checks and signs
its messages. Without ``--app``, the spec connects to ``--to``'s address.

Every mistake is one line on standard error and exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.limits import check_wait, counted
from zmqprose.recording import again, feature
from zmqprose.recording.conversation import Connection
from zmqprose.recording.picture import picture
from zmqprose.recording.relay import Relay
from zmqprose.recording.values import Reader
from zmqprose.recording.writer import HEARTBEATS, Recording, feature_of
from zmqprose.settings import load_settings
from zmqprose.settings.secrets import is_secret_path
from zmqprose.sockets.references import AppEndpoint, parse_endpoint, setting_key
from zmqprose.wire.format import FormatContext
from zmqprose.wire.masking import SHORTEST_SECRET

TCP = re.compile(r"tcp://(?P<host>\[[^\]]+\]|[^:/\[\]]+):(?P<port>\d+|\*)")
PORT_NOUNS = ("port", "socket", "endpoint")


class Service:
    """How the written spec names the service: an app reference (and the app), or the address; and the
    settings' secrets, each with the reference a spec writes for it."""

    def __init__(self, endpoint: str, app: str | None = None, jupyter: FormatContext | None = None,
                 secrets: dict[str, str] | None = None, settings: object | None = None) -> None:
        self.endpoint, self.app, self.jupyter, self.secrets = endpoint, app, jupyter, secrets or {}
        self.settings = settings  # held while the recording runs: their secrets are masked while they live


def run(arguments: argparse.Namespace) -> int:
    """The command: 0 when the feature is written; 2, with one line on standard error, for a mistake."""
    try:
        return record(arguments)
    except ProseError as error:
        print(f"zmqprose record: {error}", file=sys.stderr)
        return 2


def record(arguments: argparse.Namespace) -> int:
    out = arguments.out or arguments.again
    if not out:
        raise ProseError("say where to write the feature: --out FILE.feature (or --again FILE.feature)")
    listen, target = tcp_address(arguments.listen, "--listen", free=True), tcp_address(arguments.to, "--to")
    seconds = None if arguments.seconds is None else check_wait(arguments.seconds, "--for")
    first = read_first(arguments.again) if arguments.again else None
    service = service_of(arguments, target)
    try:
        relay = Relay(listen, target)
    except OSError as error:
        raise ProseError(f"cannot listen on {arguments.listen}: {error.strerror or error}; is another process "
                         f"listening there?") from None
    began = time.time()
    print(f"zmqprose record: listening on {relay.endpoint}, relaying to {arguments.to}"
          f"{f' ({service.endpoint})' if service.app else ''}; Ctrl-C to stop and write {out}", flush=True)
    with stopped_by_signals(relay.stop):  # also while writing: a second Ctrl-C does not cut the file short
        relay.run(None if seconds is None else relay.clock() + seconds)
        return write_all(arguments, out, first, service, relay, began)


def write_all(arguments: argparse.Namespace, out: str, first: feature.Feature | None, service: Service, relay: Relay,
              began: float) -> int:
    """Write the feature (merged with the first recording's, for --again) and its picture; say what was written."""
    recording = Recording(relay.endpoint, arguments.to, service.endpoint, service.app, began, Reader(service.jupyter),
                          (*HEARTBEATS, *arguments.heartbeat), relay.not_recorded, relay.refused, relay.unreached,
                          relay.unreached_count, service.secrets)
    written = feature_of(recording, relay.connections)
    text = feature.render(written)
    if first is not None:
        text = feature.render(again.merge(first, feature.parse(text, "this recording"), arguments.again))
    write(Path(out), text)
    svg = Path(out).with_suffix(".svg")
    write(svg, picture(recording, relay.connections, f"recorded: {counted(len(relay.connections), 'connection')} to "
                                                     f"{service.endpoint if service.app else arguments.to}"))
    tell(relay.connections, written, out, svg, recording)
    return 0


def tell(connections: Sequence[Connection], written: feature.Feature, out: str, svg: Path,
         recording: Recording) -> None:
    """What was written, and what could not be read, on standard error."""
    for connection in connections:
        why = connection.unreadable()
        if why:
            print(f"zmqprose record: connection {connection.number} was relayed, not read: {why}", file=sys.stderr)
    if recording.unreached:
        print(f"zmqprose record: {recording.unreached}", file=sys.stderr)
    count = len(written.scenarios)
    print(f"zmqprose record: wrote {out} ({counted(count, 'scenario')} of {counted(len(connections), 'connection')}) "
          f"and {svg}", file=sys.stderr)


def tcp_address(text: str, option: str, free: bool = False) -> tuple[str, int]:
    """(host, port) of ``tcp://HOST:PORT``; for ``--listen``, PORT may be ``*`` or 0 (a free port)."""
    found = TCP.fullmatch(text.strip())
    if not found or (found["port"] == "*" and not free):
        raise ProseError(f"{option} {text!r} is not a tcp endpoint: write tcp://127.0.0.1:PORT (the recorder relays "
                         f"TCP; ipc:// and inproc:// have no connection a relay can stand in)")
    port = 0 if found["port"] == "*" else int(found["port"])
    if port > 65535 or (port == 0 and not free):
        raise ProseError(f"{option} {text!r}: a port is from 1 to 65535")
    return found["host"].strip("[]"), port


def read_first(path: str) -> feature.Feature:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise ProseError(f"--again {path}: cannot read it ({error.strerror or error}); give the feature the first "
                         f"recording wrote") from None
    return feature.parse(text, path)


def service_of(arguments: argparse.Namespace, target: tuple[str, int]) -> Service:
    """How the spec names the service (see the module), checked against the settings."""
    quoted = f'"{arguments.to.strip()}"'
    if not arguments.app:
        return Service(quoted)
    settings = load_settings(arguments.settings, arguments.env)
    ref = app_reference(settings, arguments.app, target[1])
    key = setting_key(settings, ref)
    value = settings.setting(ref.app, key)
    port = str(value).rpartition(":")[2]
    if port.isdigit() and int(port) not in (0, target[1]):
        print(f"zmqprose record: note: {ref} is port {port} in the settings; this recording relays to "
              f"{arguments.to}", file=sys.stderr)
    app = settings.app_settings(ref.app)
    jupyter = FormatContext(key=app.key.encode("utf-8") if app.key else None,
                            signature_scheme=str(app.signature_scheme))
    return Service(str(ref), ref.app, jupyter, secrets_of(settings), settings)


def secrets_of(settings: Any) -> dict[str, str]:
    """Each secret of the settings (a value under ``key``, ``token``, … at least 4 characters long), as text,
    and the reference a spec writes for it: ``${kernel.key}``."""
    found: dict[str, str] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}")
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, f"{path}.{index}")
        elif is_secret_path(path) and not isinstance(value, bool) and value is not None:
            with contextlib.suppress(ProseError):
                text = str(settings.lookup(path))
                if len(text) >= SHORTEST_SECRET and "${" not in text:
                    found.setdefault(text, "${" + path + "}")

    for app in settings.apps:
        walk(settings.app(app), app)
    return found


def app_reference(settings: Any, text: str, target_port: int) -> AppEndpoint:
    """The app reference ``--app`` names: as written (``"kernel's shell port"``), or the app's one port, or the
    one whose fixed port is the target's."""
    if "'s " in text:
        ref = parse_endpoint(text)
        if not isinstance(ref, AppEndpoint):
            raise ProseError(f"--app {text!r} is not an app reference: write APP's WORDS port, e.g. "
                             f"\"kernel's shell port\"")
        settings.app(ref.app)
        return ref
    app = settings.app(text)  # an unknown app is an error that lists the apps
    ports = [key for key in app if key in PORT_NOUNS or key.endswith(tuple(f"_{noun}" for noun in PORT_NOUNS))]
    fixed = [key for key in ports if str(app[key]).rpartition(":")[2] == str(target_port)]
    chosen = fixed if len(fixed) == 1 else ports if len(ports) == 1 else []
    if not chosen:
        raise ProseError(f"--app {text}: say which port of {text} the recording stands in front of, as a spec names "
                         f"it: --app \"{text}'s NAME port\" (its ports: {', '.join(ports) or 'none'})")
    key = chosen[0]
    noun = next((noun for noun in PORT_NOUNS if key == noun or key.endswith(f"_{noun}")), "port")
    words = () if key == noun else tuple(key[:-len(noun) - 1].split("_"))
    ref = AppEndpoint(text, words, noun)
    if setting_key(settings, ref) != key:
        raise ProseError(f"--app {text}: its port {key} cannot be named so that a spec finds it: write --app "
                         f"\"{text}'s … port\" yourself")
    return ref


class stopped_by_signals:
    """While inside, SIGINT and SIGTERM call ``stop`` (and nothing else); the handlers before are put back."""

    def __init__(self, stop: Callable[[], None]) -> None:
        self.stop = stop
        self.before: dict[int, Any] = {}

    def __enter__(self) -> None:
        for number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(ValueError):  # not the main thread: the caller stops the relay itself
                self.before[number] = signal.signal(number, self._handle)

    def _handle(self, number: int, frame: FrameType | None) -> None:
        self.stop()

    def __exit__(self, *exc: object) -> None:
        for number, handler in self.before.items():
            signal.signal(number, handler)


def write(path: Path, text: str) -> None:
    """Write a file the recording made; a folder that is not there, or a file that cannot be written, is a
    clear error."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ProseError(f"cannot write {path}: {error.strerror or error}") from None
