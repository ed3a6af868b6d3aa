from zmqprose.steps import *  # noqa: F403  (the step vocabulary of zmqprose)
