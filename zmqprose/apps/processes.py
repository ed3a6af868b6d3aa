"""The processes of apps: stopped in order, and never left behind when zmqprose itself is killed."""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
from collections.abc import Callable

STOP_GRACE = 3.0


def stop_with_parent_on_linux() -> Callable[[], None] | None:
    """A pre-exec step that has Linux terminate the app if zmqprose's process is killed outright.

    Orderly exits, Ctrl-C and SIGTERM stop the apps anyway; this covers SIGKILL.
    libc is loaded here, before any fork, so that the child only makes one call.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    set_parent_death_signal = 1  # PR_SET_PDEATHSIG

    def stop_with_parent() -> None:
        libc.prctl(set_parent_death_signal, signal.SIGTERM)

    return stop_with_parent


STOP_WITH_PARENT = stop_with_parent_on_linux()


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a process, kill it if it does not go within the grace period, and reap it."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_GRACE)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
