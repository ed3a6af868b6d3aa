"""Ending a scenario's ZeroMQ context without ever waiting for ever.

ZeroMQ ends a context only once every one of its sockets is closed. zmqprose
closes every socket it knows of, without lingering; but a socket can be made
and never handed back: an interrupt (Ctrl-C, SIGTERM) that lands inside
pyzmq's ``Context.socket``, between making the socket and noting it, leaves
one that nobody can close while the interrupt's traceback holds it. Ending
the context would then wait for ever, and an interrupted run would never
end. So the context is ended in a thread of its own, and waited for a while.
"""

from __future__ import annotations

import sys
import threading

import zmq

from zmqprose.actionlog import ActionLog

END_WITHIN = 1.0  # seconds to wait for a context to end (it takes microseconds when every socket is closed)


def end_context(context: zmq.Context[zmq.Socket[bytes]], log: ActionLog, within: float = END_WITHIN,
                busy: str | None = None) -> bool:
    """Close the context's sockets without lingering and end it; True if it ended within ``within`` seconds.

    If it did not, it is left to end in the background (when the stray socket
    is collected), and the action log and the console say so. ``busy`` names
    a background worker still using a socket of the context: then no socket
    is closed here (the worker closes its own when it ends) and the context
    ends in the background when it has.
    """
    if busy is not None:
        threading.Thread(target=context.term, name="zmqprose context end", daemon=True).start()
        log.note("{} is still busy as the scenario ends: it closes its socket when it is done", busy)
        return False
    ending = threading.Thread(target=context.destroy, kwargs={"linger": 0}, name="zmqprose context end", daemon=True)
    ending.start()
    ending.join(within)
    if ending.is_alive():
        why = (f"the scenario's ZeroMQ context did not end within {within:g} s: a socket made while the run was "
               "interrupted is still open; it is left to end in the background")
        log.note("{}", why)
        print(f"zmqprose: {why}", file=sys.__stderr__, flush=True)
        return False
    return True
