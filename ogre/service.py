"""Ogre, the sample service: a small ZeroMQ app with the shapes real services have.

- command (PULL) → response (PUSH): ``PING [id]`` → ``PONG [id]``;
  ``ECHO frames…`` → ``frames…``; anything else comes back unchanged, like
  Storyplayer's sample echo service. Multipart messages stay whole.
- control (REP): ``PING`` → ``PONG``; ``{"command": "status"}`` → a JSON
  status with counters; ``PUBLISH topic payload`` → publishes ``[topic,
  payload]`` on the event port and answers ``OK``; ``QUIT`` → answers
  ``BYE`` and exits with code 0.
- event (PUB): ``["command.NAME", JSON]`` after every command (the JSON
  says which command, how many frames, how many commands so far), and what
  PUBLISH asks for. It is an XPUB underneath, so that PUBLISH can wait (up
  to a second) until a subscriber to the topic has joined: a client that
  subscribes and then asks for a PUBLISH is never missed (the slow joiner).
- pipeline input (PULL) → pipeline output (PUSH): messages pass unchanged.
- secure control (REP, CURVE server): as control, for clients with Ogre's
  public key (keys from OGRE_CURVE_PUBLIC and OGRE_CURVE_SECRET), and with
  ``--allowed-clients FILE`` only for the clients whose public keys it lists.
- billing (REQ, connected, optional): ``CHARGE account amount`` on the
  command port sends ``{"command": "charge", "account": …, "amount": …}``
  to billing and answers ``CHARGE account <billing's answer…>``, or
  ``CHARGE account ERR billing did not answer within N ms``.

Every port is optional; Ogre binds the ones it is given (on its command
line, or in a JSON file given with ``--config``) and prints them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections import deque

import zmq

RESPONSE_WAIT = 2.0  # seconds an answer waits for a response peer to connect
SUBSCRIBER_WAIT = 1.0  # seconds a PUBLISH waits for a subscriber to its topic
PORTS = {
    "command": zmq.PULL, "response": zmq.PUSH, "control": zmq.REP, "event": zmq.XPUB,
    "pipeline_input": zmq.PULL, "pipeline_output": zmq.PUSH, "secure_control": zmq.REP,
}


class AllowedClients:
    """pyzmq's credentials provider for the secure control port: the public keys of the allowed clients."""

    def __init__(self, public_keys: set[bytes]) -> None:
        self.public_keys = public_keys

    def callback(self, domain: str, key: bytes) -> bool:
        return key in self.public_keys


class Ogre:
    """The service: command and control handled in one loop, the pipeline in its own thread."""

    def __init__(self, context: zmq.Context, addresses: dict[str, str], billing: str | None = None,
                 billing_timeout_ms: int = 1000, allowed_clients: str | None = None) -> None:
        self.sockets: dict[str, zmq.Socket] = {}
        self.authenticator = None
        for port, address in addresses.items():
            sock = context.socket(PORTS[port])
            sock.linger = 0
            if port == "secure_control":
                self.secure(context, sock, allowed_clients)
            sock.bind(address)
            self.sockets[port] = sock
        self.billing = self.billing_timeout_ms = None
        if billing:
            self.billing = context.socket(zmq.REQ)
            self.billing.linger = 0
            self.billing.req_relaxed = self.billing.req_correlate = 1  # a late answer is dropped, not mistaken
            self.billing.connect(billing)
            self.billing_timeout_ms = billing_timeout_ms
        self.counters = {"commands": 0, "control": 0, "published": 0, "dropped": 0}
        self.subscriptions: list[bytes] = []  # the event port's subscribers' prefixes, one per subscription
        self.quitting = False
        self.unsent: deque[tuple[float, list[bytes]]] = deque()

    def secure(self, context: zmq.Context, sock: zmq.Socket, allowed_clients: str | None) -> None:
        """Make the secure control port a CURVE server: its keys from OGRE_CURVE_PUBLIC and OGRE_CURVE_SECRET,
        and (with --allowed-clients FILE, one Z85 public key a line) only those clients let in."""
        sock.curve_server = True
        sock.curve_publickey = os.environ["OGRE_CURVE_PUBLIC"].encode()
        sock.curve_secretkey = os.environ["OGRE_CURVE_SECRET"].encode()
        if allowed_clients:
            from zmq.auth.thread import ThreadAuthenticator

            with open(allowed_clients, encoding="utf-8") as listing:
                allowed = {line.strip().encode() for line in listing if line.strip()}
            self.authenticator = ThreadAuthenticator(context)
            self.authenticator.start()
            self.authenticator.configure_curve_callback("ogre", AllowedClients(allowed))
            sock.zap_domain = b"ogre"

    def handle_command(self, frames: list[bytes]) -> None:
        """Answer one command on the response port and announce it on the event port."""
        self.counters["commands"] += 1
        verb = frames[0] if frames else b""
        if verb == b"PING":
            answer = [b"PONG", *frames[1:]]
        elif verb == b"ECHO":
            answer = frames[1:] or [b""]
        elif verb == b"CHARGE" and self.billing is not None:
            answer = self.charge(frames[1:])
        else:
            answer = frames
        if "response" in self.sockets:
            self.unsent.append((time.monotonic() + RESPONSE_WAIT, answer))
            self.send_answers()
        event = {"command": verb.decode("utf-8", "replace"), "frames": len(frames), "count": self.counters["commands"]}
        self.publish([b"command." + verb, json.dumps(event).encode()])

    def charge(self, arguments: list[bytes]) -> list[bytes]:
        """``CHARGE account amount``: ask billing, and answer with what billing said (or that it did not)."""
        account = arguments[0] if arguments else b""
        amount = arguments[1].decode("utf-8", "replace") if len(arguments) > 1 else "0"
        request = {"command": "charge", "account": account.decode("utf-8", "replace"), "amount": amount}
        self.billing.send_string(json.dumps(request))
        if not self.billing.poll(self.billing_timeout_ms):
            return [b"CHARGE", account, f"ERR billing did not answer within {self.billing_timeout_ms} ms".encode()]
        return [b"CHARGE", account, *self.billing.recv_multipart()]

    def send_answers(self) -> None:
        """Send the answers a response peer can take now; drop those that waited too long.

        An answer waits a little for a peer, so that a client may connect its
        response socket just after it sends a command; it is dropped after
        that, so that an unread answer does not reach a later client. The
        wait never holds up the other ports.
        """
        response = self.sockets["response"]
        response.getsockopt(zmq.EVENTS)  # let go of peers that have left, so no answer is sent to one
        while self.unsent:
            deadline, answer = self.unsent[0]
            try:
                response.send_multipart(answer, flags=zmq.NOBLOCK)
            except zmq.Again:
                if time.monotonic() < deadline:
                    return
                self.counters["dropped"] += 1
                print(f"dropped an answer: no response peer within {RESPONSE_WAIT:g} s", flush=True)
            self.unsent.popleft()

    def next_wait_ms(self) -> int | None:
        """How long the loop may sleep: until the oldest unsent answer must be retried, or forever."""
        return 10 if self.unsent else None

    def handle_control(self, frames: list[bytes]) -> list[bytes]:
        """The REP answer to one control request."""
        self.counters["control"] += 1
        if frames[0] == b"PING":
            return [b"PONG", *frames[1:]]
        if frames[0] == b"QUIT":
            self.quitting = True
            return [b"BYE"]
        if frames[0] == b"PUBLISH" and len(frames) >= 2:
            self.wait_for_subscriber(frames[1], SUBSCRIBER_WAIT)
            self.publish(frames[1:])
            return [b"OK"]
        try:
            request = json.loads(frames[-1])
        except ValueError:
            return [b"ERR unknown control request"]
        if isinstance(request, dict) and request.get("command") == "status":
            status = {"status": "ok", "id": request.get("id"), "counters": self.counters,
                      "ports": sorted(self.sockets)}
            return [json.dumps(status).encode()]
        return [json.dumps({"status": "error", "error": "unknown command"}).encode()]

    def wait_for_subscriber(self, topic: bytes, timeout: float) -> bool:
        """Wait up to ``timeout`` until some subscriber's prefix matches ``topic``; True if one does."""
        events = self.sockets.get("event")
        if events is None:
            return False
        deadline = time.monotonic() + timeout
        while True:
            while events.poll(0):
                self.take_subscription(events.recv())
            if any(topic.startswith(prefix) for prefix in self.subscriptions):
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not events.poll(int(remaining * 1000) + 1):
                return False

    def take_subscription(self, message: bytes) -> None:
        """Note a subscription (first byte 1) or an unsubscription (0) that reached the event port."""
        if message[:1] == b"\x01":
            self.subscriptions.append(message[1:])
        elif message[:1] == b"\x00" and message[1:] in self.subscriptions:
            self.subscriptions.remove(message[1:])

    def publish(self, frames: list[bytes]) -> None:
        """Send an event on the event port, if Ogre has one."""
        events = self.sockets.get("event")
        if events is not None:
            while events.poll(0):  # keep the subscribers' messages from piling up
                self.take_subscription(events.recv())
            self.counters["published"] += 1
            events.send_multipart(frames)

    def start_pipeline(self) -> None:
        """Pass pipeline messages through unchanged, at ZeroMQ's own speed, in a thread of its own."""
        if "pipeline_input" in self.sockets and "pipeline_output" in self.sockets:
            source, sink = self.sockets.pop("pipeline_input"), self.sockets.pop("pipeline_output")
            threading.Thread(target=zmq.proxy, args=(source, sink), daemon=True, name="pipeline").start()

    def serve_forever(self) -> None:
        """Handle commands and control requests until the process is terminated."""
        poller = zmq.Poller()
        for port in ("command", "control", "secure_control"):
            if port in self.sockets:
                poller.register(self.sockets[port], zmq.POLLIN)
        while True:
            for sock, _ in poller.poll(self.next_wait_ms()):
                frames = sock.recv_multipart()
                if sock is self.sockets.get("command"):
                    self.handle_command(frames)
                else:
                    sock.send_multipart(self.handle_control(frames))
            if self.unsent:
                self.send_answers()
            if self.quitting:
                return


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The addresses Ogre binds, by port name, and where billing is."""
    parser = argparse.ArgumentParser(prog="ogre", description="Ogre, the sample ZeroMQ service")
    for port in PORTS:
        parser.add_argument(f"--{port.replace('_', '-')}", metavar="ADDRESS", help=f"bind the {port} port here")
    parser.add_argument("--allowed-clients", metavar="FILE",
                        help="the secure control port lets in only these CURVE public keys (one a line)")
    parser.add_argument("--config", metavar="FILE",
                        help='a JSON file of addresses by port name, e.g. {"control": "tcp://127.0.0.1:5557"}')
    parser.add_argument("--billing", metavar="ADDRESS", help="connect to the billing service here (for CHARGE)")
    parser.add_argument("--billing-timeout", metavar="MS", type=int, default=1000,
                        help="how long CHARGE waits for billing (default 1000 ms)")
    arguments = parser.parse_args(argv)
    arguments.addresses = {port: getattr(arguments, port) for port in PORTS if getattr(arguments, port)}
    if arguments.config:
        arguments.addresses.update(read_config(parser, arguments.config))
    if not arguments.addresses:
        parser.error("give at least one port to bind, e.g. --command tcp://127.0.0.1:5555")
    return arguments


def read_config(parser: argparse.ArgumentParser, path: str) -> dict[str, str]:
    """The addresses of a ``--config`` file: a JSON object of port names and addresses."""
    try:
        with open(path, encoding="utf-8") as config:
            addresses = json.load(config)
    except (OSError, ValueError) as error:
        parser.error(f"cannot read the config file {path}: {error}")
    unknown = sorted(set(addresses) - set(PORTS)) if isinstance(addresses, dict) else ["(not an object)"]
    if unknown:
        parser.error(f"the config file {path} names ports Ogre does not have: {', '.join(unknown)}")
    return addresses


def main(argv: list[str] | None = None) -> None:
    """Run Ogre with the addresses from the command line."""
    arguments = parse_arguments(argv)
    addresses = arguments.addresses
    ogre = Ogre(zmq.Context.instance(), addresses, arguments.billing, arguments.billing_timeout,
                arguments.allowed_clients)
    print("ogre listening: " + ", ".join(f"{port}={address}" for port, address in addresses.items()), flush=True)
    if greeting := os.environ.get("OGRE_GREETING"):
        print(f"ogre: {greeting}", flush=True)
    ogre.start_pipeline()
    ogre.serve_forever()
    print("ogre: told to quit", flush=True)
    sys.exit(0)
