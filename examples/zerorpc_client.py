"""A real zerorpc client for the specs: one call, its answer printed.

``python examples/zerorpc_client.py tcp://127.0.0.1:4242 add 1 2`` prints ``3``;
arguments that read as whole numbers are sent as numbers.
"""

import sys

import zerorpc

address, method, *arguments = sys.argv[1:]
client = zerorpc.Client(timeout=5)
client.connect(address)
answer = getattr(client, method)(*(int(a) if a.lstrip("-").isdigit() else a for a in arguments))
print(answer, flush=True)
client.close()
