"""Pings to a service that drops every tenth request: a tenth of them fail, each after a quarter of a second."""

import uuid

from locust import constant, task

from zmqprose.locust import ZmqUser


class DropperPings(ZmqUser):
    """PING id on a REQ socket, PONG with the same id expected (a dropped one fails after 0.25 s)."""

    wait_time = constant(0)
    timeout = 0.25

    def on_start(self) -> None:
        self.client.connect("dropper's request port", "REQ")

    @task
    def ping(self) -> None:
        ping_id = uuid.uuid4().hex
        self.client.request("dropper's request port", ["PING", ping_id], expect=["PONG", ping_id], name="PING")
