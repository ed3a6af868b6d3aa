"""A Jupyter client under test: runs one piece of code on a kernel and prints what came back.

    python examples/jupyter_client_runner.py CONNECTION_FILE CODE [--timeout SECONDS]

It is jupyter_client's own ``BlockingKernelClient`` (its shell and IOPub
channels, no heartbeat), set up from a kernel's connection file as any
front end is: it sends an ``execute_request``, prints every IOPub message
that answers it until the kernel is idle again, then the ``execute_reply``.
Whatever jupyter_client raises (a message whose signature does not check
out: ``ValueError: Invalid Signature``) is printed as ``error: …`` and ends
it with exit code 1; a wrong argument ends it at once (argparse: code 2).
features/jupyter_client.feature plays the kernel it talks to.
"""

import argparse
import sys
from queue import Empty

from jupyter_client import BlockingKernelClient


def arguments():
    parser = argparse.ArgumentParser(description="Run code on a Jupyter kernel and print what came back.")
    parser.add_argument("connection_file", help="the kernel's connection file (ports, key, signature scheme)")
    parser.add_argument("code", help="the code to run")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each answer")
    return parser.parse_args()


def shown(message):
    """One IOPub message in a line: its type and what it says."""
    content = message["content"]
    if message["msg_type"] == "status":
        return f"iopub status {content['execution_state']}"
    if message["msg_type"] == "execute_result":
        return f"iopub execute_result {content['data'].get('text/plain')} (count {content['execution_count']})"
    if message["msg_type"] == "stream":
        return f"iopub stream {content['name']} {content['text']!r}"
    return f"iopub {message['msg_type']}"


def run(client, code, timeout):
    """Send the code, print the IOPub messages under it until idle, then the reply."""
    request = client.execute(code, store_history=False)
    print(f"sent execute_request {request}", flush=True)
    while True:
        message = client.get_iopub_msg(timeout=timeout)
        if message["parent_header"].get("msg_id") != request:
            continue  # a message about another request (or none): not this one's
        print(shown(message), flush=True)
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            break
    reply = client.get_shell_msg(timeout=timeout)
    if reply["parent_header"].get("msg_id") != request:
        raise RuntimeError(f"the execute_reply answers {reply['parent_header'].get('msg_id')}, not {request}")
    print(f"execute_reply {reply['content']['status']} (count {reply['content'].get('execution_count')})",
          flush=True)


def main():
    options = arguments()
    client = BlockingKernelClient()
    client.load_connection_file(options.connection_file)
    client.start_channels(shell=True, iopub=True, stdin=False, hb=False, control=False)
    try:
        run(client, options.code, options.timeout)
    except Empty:
        print(f"error: no answer within {options.timeout:g} s", flush=True)
        return 1
    except Exception as error:  # what jupyter_client raised, as a person would see it
        print(f"error: {type(error).__name__}: {error}", flush=True)
        return 1
    finally:
        client.stop_channels()
    return 0


if __name__ == "__main__":
    sys.exit(main())
