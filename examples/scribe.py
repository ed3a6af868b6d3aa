"""A service that prints a token when it starts, and writes down what it is asked to, in a file of its own.

``python examples/scribe.py REQUESTS FOLDER``: a REP socket bound to
REQUESTS takes ``[TOKEN, TEXT]``. With the token it printed at its start
(``scribe listening, token 3f9c…``), it appends ``got TEXT`` to
``FOLDER/written.log`` and answers ``OK``; with another, it appends
``ERROR: bad token`` and answers ``BAD TOKEN``. A spec keeps the token
from its output (``I store what scribe's output matches …``), sends it
back, and checks the file (``the file "${scribe.folder}/written.log" …``).
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import zmq

context = zmq.Context()
requests = context.socket(zmq.REP)
requests.bind(sys.argv[1])
written = Path(sys.argv[2]) / "written.log"
token = secrets.token_hex(8)
print(f"scribe listening, token {token}", flush=True)
while True:
    frames = requests.recv_multipart()
    good = len(frames) == 2 and frames[0] == token.encode()
    line = f"got {frames[-1].decode(errors='replace')}" if good else "ERROR: bad token"
    with written.open("a", encoding="utf-8") as out:
        out.write(line + "\n")
    requests.send(b"OK" if good else b"BAD TOKEN")
