"""The step vocabulary (README: *Step reference*). A project's ``steps/`` folder needs one line::

    import zmqprose.steps  # noqa: F401  (the phrases)

(behave's idiom for a library of steps; ``from zmqprose.steps import *`` does
the same). Importing this package registers every phrase with behave, and
makes behave's ``--steps-catalog`` show each once, as the README writes it
(:mod:`zmqprose.steps.catalog`). The modules are
grouped by topic, and each step function only parses and calls the prose API.
behave tries the phrases of a step in the order they were registered, so the
modules that are used most come first: sending and receiving are most steps.
No two phrases match the same text, so the order changes nothing else.
"""

from zmqprose.steps import (  # noqa: F401  (registers the phrases)  # isort: skip
    sending,
    receiving,
    sockets,
    checkpoint,
    apps,
    stubs,
    pipelines,
    commands,
    files,
    links,
    load,
)

from zmqprose.compat import use_behave_formatter
from zmqprose.steps.vocabulary import prose as prose  # for a project's own steps: prose(context)

use_behave_formatter("steps.catalog", "zmqprose.steps.catalog:StepsCatalog")

__all__: list[str] = []  # a star import registers the phrases and brings no names
