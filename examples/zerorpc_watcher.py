"""A real zerorpc client with a short heartbeat, for the links' specs: it calls, says when it has lost its
remote (zerorpc's own LostRemote, from missed heartbeats), and calls again until it is answered.

``python examples/zerorpc_watcher.py tcp://127.0.0.1:4242`` prints ``calling``, then ``lost remote: …``
for each call the heartbeats gave up on, and ``recovered: 3`` when a call is answered; it gives up (exit 1)
after 60 s. The first call is a slow one (3 s: long enough for the heartbeats to matter); once the remote
was lost, it calls a quick one, which a busy machine answers before the heartbeats could miss a beat.
"""

import sys
import time

import zerorpc

client = zerorpc.Client(heartbeat=1, timeout=30)
client.connect(sys.argv[1])
print("calling", flush=True)
deadline = time.monotonic() + 60
lost_once = False
while time.monotonic() < deadline:
    try:
        answer = client.add(1, 2) if lost_once else client.slow_add(1, 2, 3)
    except zerorpc.LostRemote as lost:
        print(f"lost remote: {lost}", flush=True)
        lost_once = True
        continue
    print(f"recovered: {answer}", flush=True)
    client.close()
    sys.exit(0)
print("never answered within 60 s", flush=True)
sys.exit(1)
