"""An app that daemonizes a pusher (double fork and setsid, as a classic daemon does): the pusher leaves
the app's process group and session and pushes "from the daemon" to an endpoint, again and again, for
as long as it lives; the app itself says so and waits to be stopped."""

import os
import sys
import time

endpoint = sys.argv[1]
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        import zmq

        push = zmq.Context().socket(zmq.PUSH)
        push.connect(endpoint)
        while True:
            push.send_string("from the daemon")
            time.sleep(0.05)  # a daemon's own pace: it pushes every 50 ms
    os._exit(0)

print("daemon_pusher: the daemon is pushing", flush=True)
while True:
    time.sleep(60)
