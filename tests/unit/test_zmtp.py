"""The recorder's ZMTP decoder: what real libzmq peers send, read the same however TCP cuts it; and what it
cannot read (older ZMTP, CURVE, PLAIN, a frame too large, bytes that are not ZMTP) said once, and no more
read or kept.

The bytes are real: a tap in this test (plain sockets, threads) stands between two pyzmq sockets and keeps
what each side sent.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import zmq

from zmqprose.recording.zmtp import Command, Decoder, Greeting, Message, Unreadable, properties


class Tap:
    """A TCP relay for one connection that keeps every byte each way (for the test; the recorder's relay is
    zmqprose.recording.relay)."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.sent: dict[bool, bytearray] = {True: bytearray(), False: bytearray()}  # by the client?
        self.threads: list[threading.Thread] = []
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            client, _ = self.server.accept()
        except OSError:
            return
        target = socket.create_connection(("127.0.0.1", self.target))
        self.sockets += [client, target]
        for source, sink, by_client in ((client, target, True), (target, client, False)):
            thread = threading.Thread(target=self._pump, args=(source, sink, by_client), daemon=True)
            thread.start()
            self.threads.append(thread)

    def _pump(self, source: socket.socket, sink: socket.socket, by_client: bool) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                return
            self.sent[by_client] += data
            try:
                sink.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        self.server.close()
        for sock in self.sockets:
            sock.close()


@contextmanager
def tapped(context: zmq.Context, server_type: int, client_type: int, **client_options: object
           ) -> Iterator[tuple[zmq.Socket, zmq.Socket, Tap]]:
    server = context.socket(server_type)
    server.linger = 0
    port = server.bind_to_random_port("tcp://127.0.0.1")
    tap = Tap(port)
    client = context.socket(client_type)
    client.linger = 0
    for name, value in client_options.items():
        client.setsockopt(getattr(zmq, name), value)
    client.connect(f"tcp://127.0.0.1:{tap.port}")
    try:
        yield server, client, tap
    finally:
        client.close(0)
        server.close(0)
        tap.close()


def read_all(data: bytes, cuts: list[int] | None = None) -> list[object]:
    """What a decoder reads from ``data`` fed in pieces cut at ``cuts`` (whole, if None)."""
    decoder = Decoder()
    events: list[object] = []
    at = 0
    for cut in [*(cuts or []), len(data)]:
        events += decoder.feed(data[at:cut])
        at = cut
    return events


def settled(tap: Tap, by_client: bool, done: Callable[[bytes], bool]) -> bytes:
    """What one side sent, once ``done`` says it is all there (a bounded wait)."""
    deadline = time.monotonic() + 5
    while not done(bytes(tap.sent[by_client])) and time.monotonic() < deadline:
        time.sleep(0.01)
    return bytes(tap.sent[by_client])


def messages(count: int) -> Callable[[bytes], bool]:
    """Done once ``count`` messages can be read."""
    return lambda data: sum(isinstance(event, Message) for event in read_all(data)) >= count


@pytest.fixture
def context() -> Iterator[zmq.Context]:
    ctx = zmq.Context()
    yield ctx
    ctx.destroy(0)


def test_a_real_dealer_and_router_read_the_same_however_tcp_cuts_their_bytes(context):
    long_frame = bytes(range(256)) * 3  # past 255 bytes: the LONG flag
    with tapped(context, zmq.ROUTER, zmq.DEALER, ROUTING_ID=b"client-7") as (server, client, tap):
        client.send_multipart([b"", b"hello", long_frame])
        client.send(b"second")
        identity, *_ = server.recv_multipart()
        server.recv_multipart()
        server.send_multipart([identity, b"answer", b""])
        assert client.recv_multipart() == [b"answer", b""]
        sent = settled(tap, True, messages(2))
        answered = settled(tap, False, messages(1))
    whole = read_all(sent)
    assert isinstance(whole[0], Greeting) and whole[0].mechanism == "NULL" and whole[0].version >= (3, 0)
    ready = whole[1]
    assert isinstance(ready, Command) and ready.name == "READY"
    assert properties(ready.data) == {"Socket-Type": b"DEALER", "Identity": b"client-7"}
    assert whole[2:] == [Message((b"", b"hello", long_frame)), Message((b"second",))]
    assert read_all(sent, list(range(1, len(sent)))) == whole  # a byte at a time
    generator = random.Random(7)
    for _ in range(20):
        cuts = sorted(generator.sample(range(1, len(sent)), 12))
        assert read_all(sent, cuts) == whole
    served = read_all(answered)
    assert properties(served[1].data)["Socket-Type"] == b"ROUTER"  # type: ignore[union-attr]
    assert served[2:] == [Message((b"answer", b""))]  # the router's own routing id is not on the wire


def test_a_subscription_and_zmtp_heartbeats_are_commands(context):
    with tapped(context, zmq.PUB, zmq.SUB, SUBSCRIBE=b"weather.", HEARTBEAT_IVL=50) as (_, client, tap):
        settled(tap, True, lambda data: b"PING" in data)  # libzmq's own heartbeat, every 50 ms
        client.setsockopt(zmq.UNSUBSCRIBE, b"weather.")
        client.getsockopt(zmq.EVENTS)  # a SUB sends its (un)subscriptions when its owner next calls into it
        sent = settled(tap, True, lambda data: b"CANCEL" in data or b"\x00weather." in data)
    names = [event.name for event in read_all(sent) if isinstance(event, Command)]
    subscriptions = [event for event in read_all(sent) if isinstance(event, Command | Message)
                     and not (isinstance(event, Command) and event.name in ("READY", "PING", "PONG"))]
    assert names[0] == "READY" and "PING" in names
    # ZMTP 3.1 says SUBSCRIBE and CANCEL; libzmq may still send 3.0's \x01 / \x00 messages: either is read
    assert subscriptions in ([Command("SUBSCRIBE", b"weather."), Command("CANCEL", b"weather.")],
                             [Message((b"\x01weather.",)), Message((b"\x00weather.",))])


def test_curve_is_relayed_and_said_unreadable_at_its_greeting_and_nothing_after_is_read(context):
    public, secret = zmq.curve_keypair()
    client_public, client_secret = zmq.curve_keypair()
    server = context.socket(zmq.REP)
    server.linger = 0
    server.curve_server, server.curve_secretkey, server.curve_publickey = True, secret, public
    port = server.bind_to_random_port("tcp://127.0.0.1")
    tap = Tap(port)
    client = context.socket(zmq.REQ)
    client.linger = 0
    client.curve_serverkey, client.curve_publickey, client.curve_secretkey = public, client_public, client_secret
    client.connect(f"tcp://127.0.0.1:{tap.port}")
    try:
        client.send(b"secret words")
        assert server.recv() == b"secret words"
        server.send(b"ok")
        assert client.recv() == b"ok"
        events = read_all(settled(tap, True, lambda data: len(data) >= 64))
    finally:
        client.close(0), server.close(0), tap.close()
    assert isinstance(events[0], Greeting) and events[0].mechanism == "CURVE"
    assert events[1:] == [Unreadable("the CURVE mechanism: encrypted; relayed, not read")]


def test_plain_is_said_unreadable_and_its_password_is_never_read(context):
    server = context.socket(zmq.REP)
    server.linger = 0
    server.plain_server = True
    port = server.bind_to_random_port("tcp://127.0.0.1")
    tap = Tap(port)
    client = context.socket(zmq.REQ)
    client.linger = 0
    client.plain_username, client.plain_password = b"admin", b"hunter2-secret"
    client.connect(f"tcp://127.0.0.1:{tap.port}")
    try:
        client.send(b"hello")
        sent = settled(tap, True, lambda data: b"hunter2-secret" in data)
    finally:
        client.close(0), server.close(0), tap.close()
    assert b"hunter2-secret" in sent  # it was on the wire …
    decoder = Decoder()
    events = decoder.feed(sent)
    assert events[1:] == [Unreadable("the PLAIN mechanism: authenticated (its HELLO holds a password); relayed, "
                                     "not read")]
    assert b"hunter2-secret" not in repr(events).encode() and not decoder._pending  # … and is kept nowhere
    assert decoder.feed(b"\x00\x05hello") == []  # nothing more is read


@pytest.mark.parametrize(("start", "why"), [
    (b"\x05\x00hello", "not ZMTP 3 (a ZMTP 1.0 peer, or not ZeroMQ at all)"),
    (b"\xff" + bytes(8) + b"\x01", "not ZMTP 3 (a ZMTP 1.0 peer: its greeting has no signature)"),
    (b"\xff" + bytes(8) + b"\x7f\x01\x05", "ZMTP 2.0, older than ZMTP 3"),
    (b"GET / HTTP/1.1\r\n", "not ZMTP 3 (a ZMTP 1.0 peer, or not ZeroMQ at all)"),
])
def test_older_zmtp_and_what_is_not_zmtp_are_said_once(start, why):
    decoder = Decoder()
    assert decoder.feed(start) == [Unreadable(why)]
    assert decoder.feed(b"\x00\x01x" * 10) == [] and decoder.done


def greeting(mechanism: bytes = b"NULL") -> bytes:
    return b"\xff" + bytes(8) + b"\x7f\x03\x01" + mechanism.ljust(20, b"\0") + b"\x00" + bytes(31)


def test_a_frame_past_the_bound_is_said_at_its_header_and_its_bytes_are_never_held():
    decoder = Decoder(max_frame=1024)
    events = decoder.feed(greeting() + b"\x02" + (1 << 30).to_bytes(8, "big") + bytes(100))
    assert events[1:] == [Unreadable("a frame of 1,073,741,824 bytes, more than the 1,024 kept of one")]
    assert not decoder._pending
    assert decoder.feed(bytes(10_000)) == [] and not decoder._pending


def test_flags_that_are_not_zmtp_framing_are_said():
    decoder = Decoder()
    assert decoder.feed(greeting() + b"\x40\x01x")[1:] == [Unreadable("a frame's flags byte is 0x40: not ZMTP 3 "
                                                                      "framing")]


def test_a_truncated_ready_keeps_the_properties_before_the_cut():
    data = b"\x0bSocket-Type\x00\x00\x00\x03REQ\x08Identity\x00\x00\x00\x09ab"
    assert properties(data) == {"Socket-Type": b"REQ"}
