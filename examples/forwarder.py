"""A forwarder device, pyzmq's proxy between an XSUB and an XPUB: subscriptions flow up, messages down.

``python examples/forwarder.py FRONTEND BACKEND``: the XSUB connects to the
publisher at FRONTEND, the XPUB binds BACKEND for subscribers. A subscriber's
subscription reaches the publisher some time after it connects: the
slow-joiner problem, twice over.
"""

import sys

import zmq

context = zmq.Context.instance()
frontend, backend = context.socket(zmq.XSUB), context.socket(zmq.XPUB)
frontend.connect(sys.argv[1])
backend.bind(sys.argv[2])
print(f"forwarder: {sys.argv[1]} -> {sys.argv[2]}", flush=True)
zmq.proxy(frontend, backend)
