"""Scenarios are apart in a whole behave run (issue 27): nothing one scenario sent, subscribed or started
reaches the next, inproc included, nor outlives it.

Each test failed before its fix: the next scenario received what the first had sent over inproc (or saw
its subscription), and a daemon an app of the first scenario had started pushed into the next one's socket.
(Named apart from ``unit/test_scenarios_apart.py``: pytest imports test modules by their basename.)
"""

from __future__ import annotations

from test_faults import behave


def test_what_a_scenario_sent_or_subscribed_over_inproc_reaches_no_later_scenario():
    code, output, _ = behave("inproc_apart")
    assert "expected nothing on" not in output, output  # the first scenario's message, the third's subscription
    assert code == 0 and "4 scenarios passed, 0 failed" in output, output
