"""Pings the dropper answers, from workers that end with code 3 when Locust quits: the load itself runs to its
end and its statistics are written, but a worker did not end well, and a green load would not be true."""

import os
import time
import uuid

from locust import constant, events, task
from locust.runners import WorkerRunner

from zmqprose.locust import ZmqUser


class Pings(ZmqUser):
    """PING id on a REQ socket, PONG with the same id expected."""

    wait_time = constant(0.05)
    timeout = 0.25

    def on_start(self) -> None:
        self.client.connect("dropper's request port", "REQ")

    @task
    def ping(self) -> None:
        ping_id = uuid.uuid4().hex
        self.client.request("dropper's request port", ["PING", ping_id], expect=["PONG", ping_id], name="PING")


@events.quitting.add_listener
def abort_in_workers(environment, **_):
    """A worker's end that goes wrong (as a crash in a library at exit would): code 3, nothing flushed, after
    the master has ended (it ends at once once its workers were told to quit)."""
    if isinstance(environment.runner, WorkerRunner):
        time.sleep(2)
        os._exit(3)
