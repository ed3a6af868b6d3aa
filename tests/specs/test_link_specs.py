"""Links in whole behave runs: the promises a user relies on (issue 27, items 4 and 6).

Each test runs one feature of ``tests/specs/faults/features`` in its own process, with the fault suite's
helpers: a link keeps a connection's bytes in order whatever it is told while it holds some (made healthy,
given a shorter delay), and a link with nothing listening behind it has no connection, saying why.
"""

from __future__ import annotations

import re

from test_faults import behave, fails_cleanly


def test_a_message_sent_after_the_link_changes_never_overtakes_the_one_it_held():
    code, output, _ = behave("link_order")
    assert code == 0, output
    assert "3 scenarios passed, 0 failed" in output, output


def test_a_link_with_nothing_listening_behind_it_has_no_connection_and_says_why():
    output = fails_cleanly("link_nothing_behind")
    assert 'Then the link "nowhere" has a connection within 1 second ... failed' in output, output
    assert re.search(
        r'no connection through the link "nowhere" \(tcp://127\.0\.0\.1:\d+ -> tcp://127\.0\.0\.1:1, healthy\) '
        r"within 1 s: tcp://127\.0\.0\.1:1 could not be reached \(Connection refused\); "
        r"is anything listening there\?",
        output,
    ), output
    assert "0 scenarios passed, 1 failed" in output, output
