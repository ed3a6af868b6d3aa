"""The step vocabulary (docs: reference/steps.md, *Step reference*). A project's ``steps/`` folder needs one line::

    import zmqprose.steps  # noqa: F401  (the phrases)

(behave's idiom for a library of steps; ``from zmqprose.steps import *`` does
the same, and brings no names). A project's own steps take ``step``,
``given``, ``when``, ``then`` and ``prose`` from here (docs:
how-to/own-steps.md, *Your own steps*), and the types of their arguments (``SocketRef``, ``Endpoint``): a
function of ``(context, count, socket)`` under
``step("the ogre answers {count:d} pings on {socket:Socket}")`` gets an
``int`` and a ``SocketRef``.

Importing this package registers every phrase with behave, and makes
behave's ``--steps-catalog`` show each once, as the step reference writes it
(:mod:`zmqprose.steps.catalog`). The modules are grouped by topic, and each
step function only parses and calls the prose API. behave tries the phrases
of a step in the order they were registered, so the modules that are used
most come first: sending and receiving are most steps. No two phrases match
the same text, so the order changes nothing else.
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
from zmqprose.sockets.references import Endpoint as Endpoint  # the values of {endpoint:Endpoint}, {socket:Socket}
from zmqprose.sockets.references import SocketRef as SocketRef
from zmqprose.steps.vocabulary import given as given  # for a project's own steps (docs: how-to/own-steps.md)
from zmqprose.steps.vocabulary import prose as prose
from zmqprose.steps.vocabulary import step as step
from zmqprose.steps.vocabulary import then as then
from zmqprose.steps.vocabulary import when as when

use_behave_formatter("steps.catalog", "zmqprose.steps.catalog:StepsCatalog")

__all__: list[str] = []  # a star import registers the phrases and brings no names
