"""A load of Ogre's commands: each user pings Ogre on its command port and takes a PONG from its response port.

Ogre answers on a PUSH socket, which deals its answers out in turn to every
PULL connected to it, whichever user asked: so a user takes any PONG as the
answer to its PING (``#ignore`` the id), and every user keeps asking. For
answers that go back to whoever asked, talk to a REQ/REP port (Ogre's control
port: ``ControlUser`` in the README).
"""

from locust import constant, task

from zmqprose.locust import ZmqUser


class OgreCommands(ZmqUser):
    """PING on the command port, a PONG from the response port."""

    wait_time = constant(0)
    timeout = 2

    def on_start(self) -> None:
        self.client.connect("ogre's command port", "PUSH")
        self.client.connect("ogre's response port", "PULL")

    @task
    def ping(self) -> None:
        self.client.request("ogre's command port", ["PING", "${uuid}"], expect=["PONG", "#ignore"],
                            reply_from="ogre's response port", name="PING")
