"""The state one scenario's actions share, and nothing else.

:class:`Prose` owns one :class:`Scenario` (nobody else reaches it) and hands each action and check the parts of
it that one uses, never the whole. The room holds three ideas, one module each:

- ``state.py``: :class:`Scenario`, the parts themselves (sockets, links, apps, action log, checkpoint,
  background work) and their end;
- ``places.py``: :class:`~zmqprose.scenario.places.ScenarioPlaces`, where a spec's words point: which socket a
  reference names, which address an endpoint stands for;
- ``values.py``: :class:`~zmqprose.scenario.values.ScenarioValues`, what ``${…}`` means in the scenario;
- ``peers.py``: :class:`~zmqprose.scenario.peers.Peers`, whether the apps and commands it started still live
  (every wait looks), and why a socket may be silent.
"""

from zmqprose.scenario.state import Scenario

__all__ = ["Scenario"]
