"""A service that drops every tenth request: ``python examples/dropper.py ADDRESS [EVERY]``.

It binds a ROUTER at ADDRESS and answers each request as a REP socket would
(``PING id`` → ``PONG id``; anything else comes back unchanged), except every
EVERY-th request it receives (default 10, counted over all its clients), which
it drops without a word: the client's wait runs out. A load against it fails
a tenth of its requests, and its failure-ratio check must say so.
"""

import sys

import zmq


def answer(frames: list[bytes]) -> list[bytes]:
    """The answer a REP would send: the envelope (up to the empty delimiter) kept, a PING made a PONG."""
    cut = frames.index(b"") + 1 if b"" in frames else 1
    envelope, body = frames[:cut], frames[cut:]
    return envelope + ([b"PONG", *body[1:]] if body[:1] == [b"PING"] else body)


def main() -> None:
    """Answer requests until terminated, dropping every EVERY-th."""
    address = sys.argv[1]
    every = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    router = zmq.Context.instance().socket(zmq.ROUTER)
    router.linger = 0
    router.bind(address)
    print(f"dropper listening: {address}, dropping every request number {every}", flush=True)
    received = 0
    while True:
        frames = router.recv_multipart()
        received += 1
        if received % every:
            router.send_multipart(answer(frames))


if __name__ == "__main__":
    main()
