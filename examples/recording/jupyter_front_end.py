"""A Jupyter front end for the recorder's acid test: jupyter_client's own ``BlockingKernelClient``, talking to a
kernel's shell port only (no IOPub, no heartbeat): ``python jupyter_front_end.py CONNECTION_FILE``.

It asks for the kernel's info, then runs ``6 * 7`` and prints the execution count of the reply; everything
else is as any front end does it (signed with the key of the connection file).
"""

import sys

from jupyter_client import BlockingKernelClient

client = BlockingKernelClient()
client.load_connection_file(sys.argv[1])
client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
try:
    info = client.kernel_info(reply=True, timeout=10)
    print("kernel_info", info["content"]["status"], info["content"]["implementation"], flush=True)
    reply = client.execute("6 * 7", reply=True, timeout=10)
    print("execute", reply["content"]["status"], "count", reply["content"]["execution_count"], flush=True)
finally:
    client.stop_channels()
