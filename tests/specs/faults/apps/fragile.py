"""An app that listens on a PULL socket and exits when it is told DIE."""

import sys

import zmq

socket = zmq.Context.instance().socket(zmq.PULL)
socket.bind(sys.argv[1])
print("fragile: listening", flush=True)
while socket.recv() != b"DIE":
    pass
print("fragile: told to die", flush=True)
