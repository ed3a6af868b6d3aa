"""What a CURVE handshake adds to a connect: loopback, from connect() to a completed handshake, plain vs CURVE."""

from __future__ import annotations

import statistics
import struct
import time

import zmq


def handshake_seconds(context: zmq.Context, curve: bool) -> float:
    """Seconds from connect() to the client's EVENT_HANDSHAKE_SUCCEEDED."""
    server, client = context.socket(zmq.REP), context.socket(zmq.REQ)
    if curve:
        public, secret = zmq.curve_keypair()
        client_public, client_secret = zmq.curve_keypair()
        server.curve_server, server.curve_secretkey = True, secret
        client.curve_serverkey, client.curve_publickey, client.curve_secretkey = public, client_public, client_secret
    port = server.bind_to_random_port("tcp://127.0.0.1")
    monitor = client.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
    began = time.perf_counter()
    client.connect(f"tcp://127.0.0.1:{port}")
    while struct.unpack("=H", monitor.recv_multipart()[0][:2])[0] != zmq.EVENT_HANDSHAKE_SUCCEEDED:
        pass
    took = time.perf_counter() - began
    client.disable_monitor()
    monitor.close(0)
    client.close(0)
    server.close(0)
    return took


def main(rounds: int = 50) -> list[tuple[str, str, str]]:
    context = zmq.Context()
    plain, secured = [], []
    for _ in range(rounds):
        plain.append(handshake_seconds(context, False))
        secured.append(handshake_seconds(context, True))
    context.destroy(0)
    p, c = statistics.median(plain) * 1000, statistics.median(secured) * 1000
    return [(f"connect to handshake, loopback, median of {rounds}", f"CURVE {c:.2f} ms vs plain {p:.2f} ms",
             f"+{c - p:.2f} ms (for the record)")]


if __name__ == "__main__":
    for row in main():
        print(" | ".join(row))
