from zmqprose.steps import *  # noqa: F403
