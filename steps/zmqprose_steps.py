import zmqprose.steps  # noqa: F401  (the phrases)
