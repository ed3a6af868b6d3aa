"""A real zerorpc server for the recorder's acid test, with heartbeats every second:
``python zerorpc_server.py ENDPOINT [--wrong]``.

zerorpc (msgpack over ROUTER/DEALER) as it comes; a call that takes longer
than a heartbeat (``slow_add``) has heartbeats both ways while it runs.
``--wrong`` is the same server changed to answer wrongly: ``slow_add`` is one off.
"""

import sys

import gevent
import zerorpc

WRONG = "--wrong" in sys.argv[2:]


class Calculator:
    def hello(self, name):
        return f"Hello, {name}"

    def slow_add(self, a, b, seconds):
        """add, after ``seconds``: long enough for heartbeats."""
        gevent.sleep(seconds)
        return a + b + (1 if WRONG else 0)


server = zerorpc.Server(Calculator(), heartbeat=1)
server.bind(sys.argv[1])
print(f"zerorpc listening on {sys.argv[1]}{' (answering wrongly)' if WRONG else ''}", flush=True)
server.run()
