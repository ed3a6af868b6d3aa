"""A context that ends while its sockets are being closed: closing them finishes, and the context's end returns.

libzmq's ``zmq_ctx_term`` waits until every socket of the context is closed, and from its start every other
call on those sockets fails with ETERM ("Context was terminated"), the monitors' receiving ends included. A
close that met ETERM while it waited for ZeroMQ to be done with a socket stopped halfway: that socket's
receiving end and the sockets after it stayed open, and the context's end never returned (a Locust worker
hung at exit so, a user's thread still in an exchange).
"""

from __future__ import annotations

import threading

import pytest
import zmq

from zmqprose.sockets.socket import ProseSocket, close_all

ENDS_WITHIN = 10.0  # seconds: a bound for the test only; the context ends at once when nothing is left open


def test_closing_watched_sockets_while_their_context_ends_closes_them_all_and_lets_it_end() -> None:
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    sockets = [ProseSocket.make(context, zmq.PULL, "PULL", None, f"pull {n}") for n in range(3)]
    for sock in sockets:
        sock.attach("bind", "tcp://127.0.0.1:*")
    ending = threading.Thread(target=context.term, daemon=True)
    ending.start()
    ending.join(0.2)  # the context is ending now: calls on its sockets fail with ETERM
    assert ending.is_alive(), "the context ended with sockets open"
    close_all(sockets, within=1.0)
    ending.join(ENDS_WITHIN)
    assert not ending.is_alive(), "the context did not end: a socket or a monitor's receiving end stayed open"
    assert all(sock.closed for sock in sockets)


GEVENT_RUN = """
from gevent import monkey
monkey.patch_all()
import pytest
import zmq
from zmqprose.sockets.context import end_run_context, run_context
held = run_context().socket(zmq.PULL)  # never closed: the context cannot end
print(end_run_context(within=0.5), flush=True)
held.close(linger=0)
"""


def test_the_runs_context_end_is_bounded_under_gevents_monkey_patching_too() -> None:
    """Locust's workers run under gevent, whose patched threads are greenlets: a context's end that blocks in
    libzmq blocked the one real thread, and the bound never came (the process hung at exit)."""
    import subprocess
    import sys

    pytest.importorskip("gevent")
    try:
        done = subprocess.run([sys.executable, "-c", GEVENT_RUN], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("end_run_context did not return under gevent: its wait was not bounded")
    assert done.stdout.splitlines()[0] == "False", done.stderr
