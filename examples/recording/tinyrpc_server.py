"""A JSON-RPC 2.0 server made of tinyrpc's own parts (its ROUTER transport, protocol and dispatcher), for the
recorder's acid test: ``python tinyrpc_server.py ENDPOINT [--wrong]``.

``--wrong`` is the same server changed to answer wrongly: ``add`` is one off. A feature recorded against the
right one must fail against it, at the step of that answer.
"""

import sys

import zmq
from tinyrpc.dispatch import RPCDispatcher
from tinyrpc.protocols.jsonrpc import JSONRPCProtocol
from tinyrpc.server import RPCServer
from tinyrpc.transports.zmq import ZmqServerTransport

WRONG = "--wrong" in sys.argv[2:]
dispatcher = RPCDispatcher()


@dispatcher.public
def add(a, b):
    return a + b + (1 if WRONG else 0)


@dispatcher.public
def multiply(a, b):
    return a * b


if __name__ == "__main__":
    transport = ZmqServerTransport.create(zmq.Context(), sys.argv[1])
    print(f"tinyrpc serving on {sys.argv[1]}{' (answering wrongly)' if WRONG else ''}", flush=True)
    RPCServer(transport, JSONRPCProtocol(), dispatcher).serve_forever()
