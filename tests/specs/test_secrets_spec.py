"""Secrets given by reference never show in behave's console, its JUnit report or the pictures (issue 27, item 7).

A project of its own in a temporary folder (apps named ``public_api`` and
``publicsvc``, tokens that refer to text, to a number and to an object) runs
behave in a process of its own; every scenario fails on a frame that holds
the secret, so that the failure, its action log and its picture all show it
if anything does.
"""

from __future__ import annotations

ROOT, PIN, USER, USER_PIN = "root-s3cret-by-ref", 73194628, "leaf-s3cret-user", 58201937
SETTINGS = {
    "public_api": {"token": "${vault.root}", "inbox_endpoint": "inproc://public-api"},
    "publicsvc": {"token": "${vault.pin}", "inbox_endpoint": "inproc://publicsvc"},
    "client": {"token": "${vault.creds}", "inbox_endpoint": "inproc://client"},
    "vault": {"root": ROOT, "pin": PIN, "creds": {"user": USER, "pin": USER_PIN}},
}
FEATURE = """
Feature: secrets given by reference stay masked
  Scenario: an app whose name says public sends its token
    Given I bind a PULL socket to public_api's inbox endpoint as "inbox"
    And I connect a PUSH socket to public_api's inbox endpoint as "outbox"
    When I send the multipart message ["AUTH", "${public_api.token}"] to "outbox"
    Then I receive the multipart message ["AUTH", "wrong"] from "inbox"

  Scenario: a token that refers to a number
    Given I bind a PULL socket to publicsvc's inbox endpoint as "inbox"
    And I connect a PUSH socket to publicsvc's inbox endpoint as "outbox"
    When I send the multipart message ["PIN", "${publicsvc.token}"] to "outbox"
    Then I receive the multipart message ["PIN", "wrong"] from "inbox"

  Scenario: a token that refers to an object
    Given I bind a PULL socket to client's inbox endpoint as "inbox"
    And I connect a PUSH socket to client's inbox endpoint as "outbox"
    When I send the multipart message ["LOGIN", "${vault.creds.user}", "${vault.creds.pin}"] to "outbox"
    Then I receive the multipart message ["LOGIN", "wrong", "wrong"] from "inbox"
"""


def test_secrets_by_reference_are_masked_in_the_console_junit_and_pictures(behave_project, run_behave):
    tmp_path = behave_project({"secrets.feature": FEATURE}, SETTINGS)
    result = run_behave(tmp_path, "-f", "plain", "--junit", "--junit-directory", "reports", "-D", "diagrams=pictures")
    output = result.output
    assert result.code != 0 and "Traceback" not in output, output
    assert "0 scenarios passed, 3 failed" in output, output
    reports = "".join(path.read_text() for path in (tmp_path / "reports").glob("*.xml"))
    pictures = "".join(path.read_text() for path in (tmp_path / "pictures").rglob("*.svg"))
    assert reports and pictures.count("<svg") == 3, (reports, pictures)
    for name, where in (("console", output), ("JUnit", reports), ("pictures", pictures)):
        for secret in (ROOT, str(PIN), USER, str(USER_PIN)):
            assert secret not in where and secret.encode().hex() not in where, f"{secret} shows in the {name}"
    assert "but: ['AUTH', '••••']" in output and "but: ['PIN', '••••']" in output, output
    assert "but: ['LOGIN', '••••', '••••']" in output, output
