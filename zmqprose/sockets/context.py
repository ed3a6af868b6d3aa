"""The one ZeroMQ context of a run, and how it ends without ever waiting for ever.

Every scenario's sockets live in one context per process (pyzmq's own
advice: one context per process). A context costs two threads of libzmq to
start and to join; a context per scenario was most of what a small
scenario cost. Each scenario still closes every socket it made when it ends,
and waits until ZeroMQ is done with them, their connections closed and
their addresses free (:func:`zmqprose.sockets.socket.close_all`), as ending
a context of their own would: scenarios stay apart as they were with a
context each.

ZeroMQ ends a context only once every one of its sockets is closed. A
socket can be made and never handed back: an interrupt (Ctrl-C, SIGTERM)
inside pyzmq's ``Context.socket`` leaves one that nobody can close. So the
context is ended in a thread of its own when the process ends, and waited
for a while, never for ever.
"""

from __future__ import annotations

import _thread
import atexit
import os
import sys
import threading
from collections.abc import Callable

import zmq

END_WITHIN = 1.0  # seconds to wait for the context to end (it takes microseconds when every socket is closed)

_context: zmq.Context[zmq.Socket[bytes]] | None = None
_made_in = 0  # the process that made it: a forked child makes its own
_before_end: list[Callable[[], None]] = []
_lock = threading.Lock()


def run_context() -> zmq.Context[zmq.Socket[bytes]]:
    """The ZeroMQ context of this process's scenarios, made when first needed."""
    global _context, _made_in
    if _context is None or _made_in != os.getpid():
        with _lock:
            if _context is None or _made_in != os.getpid():
                _context, _made_in = zmq.Context(), os.getpid()
                _before_end.clear()
    return _context


def before_end(callback: Callable[[], None]) -> None:
    """Call ``callback`` before the run's context ends (a worker thread closing its own socket)."""
    _before_end.append(callback)


def end_run_context(within: float = END_WITHIN) -> bool:
    """End the run's context; True if it ended within ``within`` seconds (or there was none).

    If a socket nobody can close holds it, it is left to end in the
    background, and the console says so.
    """
    global _context
    with _lock:
        context, _context = (_context, None) if _made_in == os.getpid() else (None, None)
        callbacks = list(_before_end)
        _before_end.clear()
    if context is None:
        return True
    for callback in callbacks:
        callback()
    try:
        ended = in_a_thread_of_its_own(context.term)
    except RuntimeError:  # Python 3.12.0 and 3.12.1 start no thread in an atexit callback, where this runs:
        return False  # the process is ending, and the system takes back what the context holds
    if not ended(within):
        print(f"zmqprose: the run's ZeroMQ context did not end within {within:g} s: a socket made while the run "
              "was interrupted is still open; it is left to end in the background", file=sys.__stderr__, flush=True)
        return False
    return True


def in_a_thread_of_its_own(work: Callable[[], object]) -> Callable[[float], bool]:
    """Start ``work`` in a thread of the system's own, and return how to wait for it: ``ended(within)`` is True
    if it ended within ``within`` seconds.

    A thread of the system's, even where gevent has patched ``threading`` (Locust's workers): there a
    thread is a greenlet, and a wait in libzmq (the context's end) blocks the one real thread, so that the
    bound of the wait never comes."""
    start, new_lock = _thread.start_new_thread, _thread.allocate_lock
    monkey = sys.modules.get("gevent.monkey")
    if monkey is not None and monkey.is_module_patched("threading"):
        start = monkey.get_original("_thread", "start_new_thread")
        new_lock = monkey.get_original("_thread", "allocate_lock")
    done = new_lock()
    done.acquire()

    def run() -> None:
        try:
            work()
        finally:
            done.release()

    start(run, ())
    return lambda within: bool(done.acquire(timeout=within))


atexit.register(end_run_context)
