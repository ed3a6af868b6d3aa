"""The state one scenario's actions share, and nothing else.

:class:`Prose` owns one :class:`Scenario` (nobody else reaches it) and hands each action and check the parts of
it that one uses, never the whole. The room holds three ideas, one module each:

- ``state.py``: :class:`Scenario`, the parts themselves (sockets, links, apps, action log, checkpoint,
  background work) and their end;
- ``places.py``: :class:`~zmqprose.scenario.places.Places`, where a spec's words point: which socket a
  reference names, which address an endpoint stands for;
- ``values.py``: :class:`~zmqprose.scenario.values.ScenarioValues`, what ``${…}`` means in the scenario.
"""

from zmqprose.actionlog import RunOptions
from zmqprose.scenario.state import Scenario

__all__ = ["RunOptions", "Scenario"]  # RunOptions: what Prose hands a scenario
