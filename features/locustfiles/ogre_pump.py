"""Messages pushed into Ogre's pipeline: 2,000 from each user, 2,000 a second (a second of a 3-second load), counted
by the spec's pull."""

from zmqprose.locust import PushingUser


class OgrePump(PushingUser):
    """Pushes numbered messages into Ogre's pipeline input port."""

    endpoint = "ogre's pipeline input port"
    rate = 2000
    count = 2000
    size = 100
