"""A real zerorpc server for the specs: a calculator on the address it is given.

``python examples/zerorpc_server.py tcp://127.0.0.1:4242``: zerorpc (msgpack
over ROUTER/DEALER, with heartbeats), unchanged, as a service under test.
"""

import sys

import zerorpc


class Calculator:
    """What the server answers: add(a, b) and hello(name)."""

    def add(self, a, b):
        return a + b

    def hello(self, name):
        return f"Hello, {name}"

    def slow_add(self, a, b, seconds):
        """add, after a while: a call long enough for heartbeats to matter."""
        import gevent

        gevent.sleep(seconds)
        return a + b


server = zerorpc.Server(Calculator())
server.bind(sys.argv[1])
print(f"zerorpc listening on {sys.argv[1]}", flush=True)
server.run()
