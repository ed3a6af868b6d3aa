"""The dropper's pings (:mod:`dropper_pings`), from workers that end with code 3 when Locust quits: the load itself
runs to its end and its statistics are written, but a worker did not end well, and a green load would not be true."""

import os
import time

from dropper_pings import DropperPings  # noqa: F401  (the users: Locust finds them here)
from locust import events
from locust.runners import WorkerRunner


@events.quitting.add_listener
def abort_in_workers(environment, **_):
    """A worker's end that goes wrong (as a crash in a library at exit would): code 3, nothing flushed, after
    the master has ended (it ends at once once its workers were told to quit)."""
    if isinstance(environment.runner, WorkerRunner):
        time.sleep(2)
        os._exit(3)
