from zmqprose.hooks import *  # noqa: F403  (settings per run, a prose object per scenario)
