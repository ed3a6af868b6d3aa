"""A JSON-RPC 2.0 server over ZeroMQ, made of tinyrpc's own parts (its ROUTER transport, its protocol,
its dispatcher): a service nobody here wrote, for the specs to call. ``python tinyrpc_server.py ENDPOINT``."""

import sys

import zmq
from tinyrpc.dispatch import RPCDispatcher
from tinyrpc.protocols.jsonrpc import JSONRPCProtocol
from tinyrpc.server import RPCServer
from tinyrpc.transports.zmq import ZmqServerTransport

dispatcher = RPCDispatcher()


@dispatcher.public
def add(a: float, b: float) -> float:
    return a + b


@dispatcher.public
def multiply(a: float, b: float) -> float:
    return a * b


if __name__ == "__main__":
    transport = ZmqServerTransport.create(zmq.Context(), sys.argv[1])
    print(f"tinyrpc serving on {sys.argv[1]}", flush=True)
    RPCServer(transport, JSONRPCProtocol(), dispatcher).serve_forever()
