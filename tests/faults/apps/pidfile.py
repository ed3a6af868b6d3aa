"""An app that writes its pid and process group to a file, listens, and runs until it is stopped."""

import os
import sys

import zmq

socket = zmq.Context.instance().socket(zmq.PULL)
socket.bind(sys.argv[1])
with open(sys.argv[2] + ".tmp", "w") as pidfile:
    pidfile.write(f"{os.getpid()} {os.getpgid(0)}")
os.replace(sys.argv[2] + ".tmp", sys.argv[2])  # whole, or not there at all
while True:
    socket.recv()
