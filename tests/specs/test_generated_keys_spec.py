"""A run whose generated CURVE pair holds ``${`` runs as any other (CI: one behavex run in three failed so).

An app with ``"curve": "generate"`` gets a new pair in every run's ``before_all``, and about one pair in 180
that ``zmq.curve_keypair`` makes holds ``${`` (Z85 has ``$``, ``{`` and ``}`` among its letters). behavex
makes a behave run of each scenario, a hundred runs for this repository's specs: one CI run in three ended
in ``HOOK-ERROR in before_all: RecursionError: maximum recursion depth exceeded in comparison``, its
scenario untested. The project here makes behave's own run get such a pair (a real one), every time.
"""

from __future__ import annotations

import sys

import pytest

SECRET_OPENS = ("[P>(D+rC2Ek}Evk1s=I*HtHFOa{/9^nOWTR@ylNc", "ZXE${?daeI?UAxvZoS=zwZ#POJfuYlJl$F8WdZm+")
SECRET_REFERS = ("&8/bp?{dy3SzX</ZHdz:P<=zZwY9<pgC$B:TA9C}", "{N2bVtEp752P%*/a9z%is.:g8c?E${Kf}d1m=tfz")

FEATURE = """\
    Feature: the run's own keys
      Scenario: the vault's keys reach what refers to them as they were made
        Given I store "${vault.env.OGRE_CURVE_SECRET}" in the checkpoint as "handed"
        And I store "${vault.curve.secret_key}" in the checkpoint as "made"
        Then the checkpoint "handed" is "${checkpoint.made}"
"""

SETTINGS = {"zmqprose": {"timeout": 2},
            "vault": {"start": [sys.executable, "-c", "pass"], "curve": "generate",
                      "env": {"OGRE_CURVE_SECRET": "${vault.curve.secret_key}"}}}


@pytest.mark.parametrize("pair", [SECRET_OPENS, SECRET_REFERS], ids=["secret-opens", "secret-refers"])
def test_a_run_whose_generated_pair_holds_a_placeholders_start_runs_its_scenarios(behave_project, run_behave, pair):
    project = behave_project({"keys.feature": FEATURE}, SETTINGS)
    made = f"({pair[0].encode()!r}, {pair[1].encode()!r})"
    (project / "environment.py").write_text(
        f"import zmq\n\nzmq.curve_keypair = lambda: {made}  # the pair this run's vault gets\n\n"
        "from zmqprose.hooks import *  # noqa: E402, F403\n")
    run = run_behave(project)
    assert "HOOK-ERROR" not in run.output, run.output
    assert run.code == 0, run.output
    assert "1 scenario passed" in run.output, run.output
    assert pair[1] not in run.output  # the secret key is masked, as every secret is
