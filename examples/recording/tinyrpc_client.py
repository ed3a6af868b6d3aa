"""A tinyrpc client (its REQ transport and JSON-RPC 2.0 protocol, unchanged), for the recorder's acid test:
``python tinyrpc_client.py ENDPOINT`` calls add, multiply and a method that does not exist, and prints what
came back."""

import sys

import zmq
from tinyrpc import RPCClient
from tinyrpc.exc import RPCError
from tinyrpc.protocols.jsonrpc import JSONRPCProtocol
from tinyrpc.transports.zmq import ZmqClientTransport

context = zmq.Context()
client = RPCClient(JSONRPCProtocol(), ZmqClientTransport.create(context, sys.argv[1], timeout=10))
server = client.get_proxy()
print("add", server.add(1, 2), flush=True)
print("multiply", server.multiply(3, 4), flush=True)
try:
    server.divide(1, 0)
except RPCError as error:
    print("divide", error, flush=True)
context.destroy(linger=0)
