"""An app that writes its pid and process group to a file, then listens, and runs until it is stopped.

The file is written before the port is bound, so an app that counts as ready has written it.
"""

import os
import sys

import zmq

with open(sys.argv[2] + ".tmp", "w") as pidfile:
    pidfile.write(f"{os.getpid()} {os.getpgid(0)}")
os.replace(sys.argv[2] + ".tmp", sys.argv[2])  # whole, or not there at all
socket = zmq.Context.instance().socket(zmq.PULL)
socket.bind(sys.argv[1])
while True:
    socket.recv()
