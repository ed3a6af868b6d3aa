"""Requests nobody answers: every user waits in an exchange (up to a minute) when Locust's run time ends and its users
are stopped. ``STUCK_ADDRESS`` is a ROUTER that takes requests and answers none."""

import os

from locust import constant, task

from zmqprose.locust import ZmqUser


class StuckRequests(ZmqUser):
    """A REQ request to a service that never answers, and a PULL bound by the user (a receiving end of its own)."""

    wait_time = constant(0)
    timeout = 60

    def on_start(self) -> None:
        self.client.connect(os.environ["STUCK_ADDRESS"], "REQ", name="silent")
        self.client.bind("tcp://127.0.0.1:*", "PULL", name="inbox")

    @task
    def ask(self) -> None:
        self.client.request("silent", ["PING", "${uuid}"], name="PING")
