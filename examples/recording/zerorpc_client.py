"""A real zerorpc client for the recorder's acid test, with heartbeats every second:
``python zerorpc_client.py ENDPOINT`` calls hello, then slow_add for 1.5 s (heartbeats both ways while it
runs), and prints what came back."""

import sys

import zerorpc

client = zerorpc.Client(timeout=10, heartbeat=1)
client.connect(sys.argv[1])
print(client.hello("Storyplayer"), flush=True)
print(client.slow_add(1, 2, 1.5), flush=True)
client.close()
