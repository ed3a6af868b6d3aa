"""A service in two processes: a ROUTER front end that hands every request to a worker process.

``python examples/front_and_worker.py FRONTEND``: this process binds a
ROUTER on FRONTEND and a DEALER on a free port of its own, starts its worker
(this file again, ``--worker BACKEND``: a REP socket connected to the
DEALER) and passes messages between the two (``zmq.proxy``). It prints
``worker PID ready`` once the worker has answered a first request.

The worker answers:

- ``["PING"]`` with ``["PONG"]``;
- ``{"cmd": "ping"}`` in JSON or msgpack with ``{"ret": "pong", "worker": PID}``, in kind;
- ``["WHO"]`` with its pid.

When the worker dies, the front end lives on and answers nothing: to
zmqprose, ``is still running`` still holds (it checks the process it
started, the front end); the app's probe is what catches it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import zmq


def work(backend: str) -> None:
    """The worker: answer each request that the front end hands on."""
    context = zmq.Context()
    replies = context.socket(zmq.REP)
    replies.connect(backend)
    while True:
        frames = replies.recv_multipart()
        replies.send_multipart(answer(frames))


def answer(frames: list[bytes]) -> list[bytes]:
    """The worker's answer to one request: frames, or a command in JSON or msgpack, answered in kind."""
    if frames == [b"PING"]:
        return [b"PONG"]
    if frames == [b"WHO"]:
        return [str(os.getpid()).encode()]
    try:
        request, encode = json.loads(frames[-1]), lambda value: json.dumps(value).encode()
    except ValueError:
        try:
            import msgpack

            request, encode = msgpack.unpackb(frames[-1]), msgpack.packb
        except Exception:  # not msgpack either (or no msgpack here)
            return [b"ERROR", b"unknown request"]
    if isinstance(request, dict) and request.get("cmd") == "ping":
        return [encode({"ret": "pong", "worker": os.getpid()})]
    return [encode({"error": "unknown command"})]


def front(frontend: str) -> None:
    """The front end: start the worker, wait for its first answer, then pass requests on for ever."""
    context = zmq.Context()
    requests, backend = context.socket(zmq.ROUTER), context.socket(zmq.DEALER)
    backend.linger = requests.linger = 0
    port = backend.bind_to_random_port("tcp://127.0.0.1")
    worker = subprocess.Popen([sys.executable, __file__, "--worker", f"tcp://127.0.0.1:{port}"])
    backend.send_multipart([b"", b"WHO"])  # its first answer says it is there (REP: an empty delimiter first)
    if not backend.poll(10_000):
        sys.exit(f"front end: worker {worker.pid} did not answer within 10 s")
    backend.recv_multipart()
    print(f"worker {worker.pid} ready", flush=True)
    requests.bind(frontend)
    print(f"front end listening on {frontend}", flush=True)
    zmq.proxy(requests, backend)


if __name__ == "__main__":
    if sys.argv[1] == "--worker":
        work(sys.argv[2])
    else:
        front(sys.argv[1])
