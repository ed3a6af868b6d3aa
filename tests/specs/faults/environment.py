from zmqprose.hooks import *  # noqa: F403
