"""The step vocabulary (README: *Step reference*). A project's ``steps/`` folder needs one line::

    from zmqprose.steps import *

Importing this package registers every phrase with behave; the modules are
grouped by topic, and each step function only parses and calls the prose API.
"""

from zmqprose.steps import (  # noqa: F401  (registers the phrases)
    apps,
    checkpoint,
    commands,
    pipelines,
    receiving,
    sending,
    sockets,
    stubs,
)

__all__: list[str] = []
