"""An app that daemonizes a helper (double fork and setsid, as a classic daemon does): the helper
leaves the app's process group and session, holds a port, and writes its pid to a file."""

import os
import socket
import sys
import time

endpoint, pidfile = sys.argv[1], sys.argv[2]
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        with open(pidfile + ".tmp", "w") as out:
            out.write(f"{os.getpid()} {os.getpgid(0)}")
        os.rename(pidfile + ".tmp", pidfile)
        time.sleep(600)
    os._exit(0)

import zmq  # noqa: E402  (after the fork: a context does not survive one)

pull = zmq.Context.instance().socket(zmq.PULL)
pull.bind(endpoint)
print("daemonizing: listening", flush=True)
while True:
    pull.recv()
