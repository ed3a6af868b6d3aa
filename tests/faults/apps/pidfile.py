"""An app that writes its pid to a file, listens, and runs until it is stopped."""

import os
import sys

import zmq

with open(sys.argv[2], "w") as pidfile:
    pidfile.write(str(os.getpid()))
socket = zmq.Context.instance().socket(zmq.PULL)
socket.bind(sys.argv[1])
while True:
    socket.recv()
