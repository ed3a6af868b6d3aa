"""The fault suite: specs that must fail, and how they end.

Each test runs behave on one feature of ``tests/faults`` in its own process
and checks the exit status, the time it took, and the words of the message:
every failure ends within seconds, says what to fix, and shows no traceback.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

FAULTS = Path(__file__).resolve().parent / "faults"


def behave(feature: str, *arguments: str) -> tuple[int, str, float]:
    """Run one fault feature; its exit code, its whole output, and how long the run took."""
    began = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", "-f", "plain", f"features/{feature}.feature", *arguments],
        cwd=FAULTS, capture_output=True, text=True, timeout=120,
    )
    return result.returncode, result.stdout + result.stderr, time.monotonic() - began


def step_seconds(output: str, step_text: str) -> float:
    """How long behave says a step took: '<step> ... failed in 0.301s'."""
    match = re.search(re.escape(step_text) + r" \.\.\. \w+ in ([\d.]+)s", output)
    assert match, f"no timing for {step_text!r} in:\n{output}"
    return float(match[1])


def fails_cleanly(feature: str, *arguments: str) -> str:
    """Run a feature that must fail: non-zero exit, quickly, no traceback; its output."""
    code, output, took = behave(feature, *arguments)
    assert code != 0, output
    assert "Traceback" not in output, output
    assert took < 30, f"{feature} took {took:.1f} s"
    return output


def test_a_receive_that_times_out_names_socket_endpoint_and_wait_and_fails_on_time():
    output = fails_cleanly("receive_timeout")
    assert re.search(r'nothing arrived on "quiet" \(PULL, tcp://127\.0\.0\.1:\d+\) within 0\.3 s', output)
    waited = step_seconds(output, 'Then I receive "PONG" from "quiet" within 300 ms')
    assert 0.3 <= waited < 5  # it waited its time, and did not hang (how close it comes: bench/timeouts.py)


def test_messages_stuck_for_a_peer_that_never_comes_do_not_hold_up_the_exit():
    code, output, took = behave("stuck_messages")
    assert code == 0, output
    assert took < 10  # the run itself; no LINGER wait, no push thread left running


def test_unknown_names_list_what_there_is():
    output = fails_cleanly("unknown_names")
    assert "no app 'troll' in environment 'local'" in output
    assert "apps there: crasher, daemonizing, doomed, dormant, fragile, keyed, sayer, silent, vault, wrapped" in output
    assert "no setting for \"fragile's comand port\"" in output
    assert "app 'fragile' has: command_port, start" in output
    assert "unknown socket type 'PUSHY': use one of PUSH PULL PUB SUB" in output
    assert "unknown socket option 'SNDHWMM'" in output
    assert "socket option SNDHWM takes a whole number, not 'lots'" in output
    assert "0 scenarios passed, 5 failed" in output


def test_a_socket_no_step_made_says_which_phrase_makes_one():
    output = fails_cleanly("no_socket")
    assert "no socket for vault's inbox endpoint in this scenario: make one first with " \
           "'I connect a TYPE socket to vault's inbox endpoint'" in output
    assert 'no socket named "responses" in this scenario: make one first' in output


def test_unknown_interpolations_are_errors_never_empty_strings():
    output = fails_cleanly("interpolation")
    assert "the checkpoint has no 'requst_id'; it has: request_id" in output
    assert "no setting 'vault.api_tokn' in environment 'local'; 'vault' has: api_token, inbox_endpoint" in output


def test_a_message_that_differs_is_shown_beside_the_expected_one():
    output = fails_cleanly("differs")
    assert "Expected: ['PONG', '42']" in output
    assert "but: ['PONG', '41']" in output
    assert "frame 1 differs: expected '42', got '41'" in output


def test_an_app_that_exits_at_once_shows_its_code_and_output_without_waiting():
    output = fails_cleanly("app_crashes")
    assert re.search(r"crasher failed to start: crasher \(pid \d+\) exited with code 3", output)
    assert "cannot read /etc/crasher.conf" in output
    assert step_seconds(output, "Given crasher is running") < 10  # its start_timeout is 30 s


def test_an_app_killed_while_a_step_waits_on_it_fails_the_wait_at_once():
    output = fails_cleanly("app_killed")
    assert re.search(r"doomed has died during the run: doomed \(pid \d+\) was killed by SIGKILL", output)
    assert "doomed: killing myself in a second" in output
    waited = step_seconds(output, 'Then I receive "PONG" from doomed\'s response port within 6 seconds')
    assert waited < 4  # it died a second in; the wait was for 6 s


def test_an_app_that_dies_during_the_run_is_named_by_the_next_step():
    output = fails_cleanly("app_dies")
    assert re.search(r"fragile has died during the run: fragile \(pid \d+\) exited with code 0", output)
    assert "fragile: told to die" in output


def test_an_app_without_start_that_is_not_listening():
    output = fails_cleanly("app_not_listening")
    assert "silent is not listening on tcp://127.0.0.1:1 (request_port)" in output
    assert "no 'start' command" in output


def test_an_address_in_use_is_named_with_what_to_do():
    output = fails_cleanly("address_in_use")
    assert re.search(r"cannot bind a PULL socket to tcp://127\.0\.0\.1:\d+ \(the endpoint of \"first\"\)", output)
    assert "something else holds that address" in output


@pytest.mark.parametrize(("arguments", "words"), [
    (("-D", "env=broken"), r"environments/broken\.json:4:21: bad JSON in settings file"),
    (("-D", "environments=nowhere"), r"no settings folder 'nowhere'"),
    (("-D", "env=staging"), r"unknown environment 'staging': .* environments there: broken, load, local, probes"),
])
def test_broken_settings_are_one_clear_message(arguments, words):
    output = fails_cleanly("settings", *arguments)
    assert re.search(words, output), output


def test_a_failed_scenario_leaves_no_thread_for_the_next():
    code, output, took = behave("isolation")
    assert code != 0
    assert "1 scenario passed, 1 failed" in output, output
    assert took < 10


MISTAKES = {
    "a frame table without its heading row":
        "a frame table starts with the heading row | frame |, then one row per frame; this one starts with | PING |",
    "a frame table with a misspelled heading": "this one starts with | frames |",
    "a message of no frames": 'a message has at least one frame; nothing to send on "outbox"',
    "a pull of more messages than could be counted":
        "the number of messages to pull must be a whole number from 1 to 1,000,000,000, not 100000000000000",
    "a wait longer than a day": "the duration '99999999999999 seconds' must be from 0 to 86400 seconds (a day)",
    "a negative wait": "the duration '-1 seconds' must be from 0 to 86400 seconds (a day), not -1",
    "an option value too large for the option":
        "socket option SNDHWM takes a whole number of 32 bits, from -2,147,483,648 to 2,147,483,647",
    "an option value ZeroMQ refuses": "socket option SNDHWM cannot be -5 on a PUSH socket: Invalid argument",
    "a push of messages too large to make":
        "the size of a pushed message (in bytes) must be a whole number from 12 to 268,435,456, not 100000000000",
    "an ipc path in a folder that does not exist":
        "the folder /no-such-folder-zmqprose of the ipc path does not exist or cannot be written",
    "a socket used after it was closed": '"outbox" was closed by an earlier step: connect a new PUSH socket first',
    "a REQ socket that receives before it sends": "(a REQ socket must send a request before it receives)",
    "a request to an app that no step started":
        "(dormant was not started in this run: add 'Given dormant is running' before this step)",
    "a frame nested too deeply to read as JSON":
        'the message from "inbox" (PULL, inproc://mistakes) is JSON nested too deeply to read',
    "a pattern that backtracks for ever": "the pattern '#regex (a|aa)+$' ran out of time (1.00 s) against 'aaaa",
    "a stub rule whose pattern does not compile": "bad pattern in '#regex ([a': unterminated character set",
}


def test_each_mistake_of_a_spec_is_one_clear_failure():
    output = fails_cleanly("mistakes")
    failures = {name: block for name, _, block in
                (part.partition("\n") for part in output.split("  Scenario: ")[1:])}
    assert set(failures) >= set(MISTAKES), output
    for scenario, words in MISTAKES.items():
        assert words in failures[scenario], f"{scenario}: {words!r} not in:\n{failures[scenario]}"
    assert f"0 scenarios passed, {len(MISTAKES)} failed" in output
    assert step_seconds(output, 'Then I receive "#regex (a|aa)+$" from "inbox" within 1 second') < 5


def test_secret_settings_are_masked_in_the_log_the_failure_and_the_junit_report(tmp_path):
    output = fails_cleanly("secrets", "--junit", "--junit-directory", str(tmp_path))
    reports = "".join(path.read_text() for path in tmp_path.glob("*.xml"))
    assert reports, "behave wrote no JUnit report"
    for where in (output, reports):
        for part in ("s3cr3t", "t0ken", b"s3cr3t-t0ken".hex()[:12]):
            assert part not in where, f"{part!r} leaked:\n{where}"
    assert "but: ['AUTH', '••••']" in output
    assert "send_multi -> inproc://vault  ['AUTH', '••••']" in output
    assert "AAAA••••AAAA" in output  # masked before the long frame was cut
    assert "'password:\\t••••'" in output  # text with a tab stays text, escaped, not hex
    assert "0 scenarios passed, 3 failed" in output


def test_curve_secret_keys_never_show_and_curve_mistakes_are_named(tmp_path):
    output = fails_cleanly("curve_secrets", "--junit", "--junit-directory", str(tmp_path))
    reports = "".join(path.read_text() for path in tmp_path.glob("*.xml"))
    settings = json.loads((FAULTS / "environments" / "local.json").read_text())
    secrets = [settings["zmqprose"]["curve_clients"]["alice"]["secret_key"], settings["keyed"]["curve"]["secret_key"]]
    for where in (output, reports):
        for secret in secrets:
            assert secret not in where and secret[:12] not in where
    assert "but: ['•••• ••••']" in output
    assert "vault has no 'curve' setting, so no server key for 'with CURVE'" in output
    assert "'with CURVE' on \"tcp://127.0.0.1:5999\" cannot know the server's key" in output
    assert "0 scenarios passed, 3 failed" in output
