"""The example app a new project's first spec runs against: an echo service, shipped with zmqprose.

``python -m zmqprose.example tcp://127.0.0.1:5555`` binds a REP socket there
and answers every request with the request itself, until it is stopped.
It is what ``zmqprose init`` writes settings for, so that the first
``behave`` passes with nothing else installed or running.
"""

from __future__ import annotations

import sys

import zmq


def main(argv: list[str] | None = None) -> None:
    """Echo requests on the address given, until the process is stopped."""
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 1:
        sys.exit("usage: python -m zmqprose.example ADDRESS   (e.g. tcp://127.0.0.1:5555)")
    socket: zmq.Socket[bytes] = zmq.Context.instance().socket(zmq.REP)
    socket.bind(arguments[0])
    print(f"zmqprose example: echoing on {arguments[0]}", flush=True)
    while True:
        socket.send_multipart(socket.recv_multipart())


if __name__ == "__main__":
    main()
