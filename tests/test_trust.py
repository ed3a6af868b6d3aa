"""A green run is true, and a run harms nothing outside itself (issue: trust).

Each test here failed before its fix: a check satisfied by stale output, a
signature left unchecked, a group signalled after it was gone, a file
written through a link, a secret shown, an expansion without end.
"""

from __future__ import annotations

from test_faults import behave, step_seconds


def test_output_of_an_earlier_process_or_scenario_never_satisfies_a_check():
    code, output, _ = behave("stale_output")
    assert code != 0 and "Traceback" not in output, output
    assert "1 scenario passed, 2 failed" in output, output
    assert output.count("sayer's output does not contain 'first start'") == 2, output
    assert step_seconds(output, "When I restart sayer") >= 1.0  # ready when the new process says so, not before
