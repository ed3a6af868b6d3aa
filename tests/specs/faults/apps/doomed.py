"""An app that answers PING on its response port, and kills itself (SIGKILL) a second after KILL-ME-LATER."""

import os
import signal
import sys
import threading

import zmq

context = zmq.Context.instance()
commands, responses = context.socket(zmq.PULL), context.socket(zmq.PUSH)
commands.bind(sys.argv[1])
responses.bind(sys.argv[2])
print("doomed: listening", flush=True)
while True:
    command = commands.recv()
    if command == b"KILL-ME-LATER":
        print("doomed: killing myself in a second", flush=True)
        threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGKILL)).start()
    elif command == b"PING":
        responses.send(b"PONG")
