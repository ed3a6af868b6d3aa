"""A load that fails its checks, in a whole behave run (STEPS.md *Load from Locust workers*).

The example dropper answers nine requests in ten and drops the tenth. Five
Locust users on two workers ping it for three seconds: the load itself runs
to its end, and its failure-ratio check fails, about a tenth of its requests
failed, showing Locust's statistics table and the failure by zmqprose's
message. Everything runs on 127.0.0.1 (``-D env=load``:
``tests/specs/faults/environments/load.json``).
"""

from __future__ import annotations

import re

from test_faults import fails_cleanly


def test_a_load_against_a_service_that_drops_every_tenth_request_fails_its_ratio_with_the_table():
    output = fails_cleanly("load_failure_ratio", "-D", "env=load")
    assert re.search(r'When I run a load of 5 users from 2 Locust workers with "locustfiles/dropper_pings\.py" '
                     r"for 3 seconds \.\.\. passed", output), output
    assert "Then the load made at least 20 requests ... passed" in output, output
    assert "And the load's failure ratio is at most 1% ... failed" in output, output
    ratio = re.search(r"([\d,]+) of the load's ([\d,]+) requests failed \(([\d.]+)%\), more than 1%", output)
    assert ratio, output
    assert 5 <= float(ratio[3]) <= 15, ratio[0]  # every tenth, give or take the requests the load's end cut short
    table = output[ratio.end():]
    assert "Locust's statistics of the load:" in table
    assert re.search(r"request +PING +[\d]+ +[\d]+\([\d.]+%\) \|", table), table
    assert re.search(r"Aggregated +[\d]+ +[\d]+\([\d.]+%\) \|", table), table
    assert "Response time percentiles (approximated, ms):" in table
    assert re.search(r"[\d]+  request PING: nothing arrived on dropper's request port \(REQ, "
                     r"tcp://127\.0\.0\.1:\d+\) within 0\.25 s", table), table
    assert "0 scenarios passed, 1 failed" in output, output


def test_a_load_whose_worker_ends_with_an_error_after_the_load_fails_naming_it():
    output = fails_cleanly("load_worker_aborts", "-D", "env=load")
    assert re.search(r"When I run a load of 2 users from 1 Locust worker .* \.\.\. failed", output), output
    assert re.search(r"Locust worker 1 \(pid \d+\) exited with code 3 after the load", output), output
    assert "0 scenarios passed, 1 failed" in output, output
