"""Under Then, a condition is only checked: the phrase a Then step finds, the link's checks (which change
nothing), and the message that tells a spec relying on the old behaviour what to write."""

from __future__ import annotations

import socket

import pytest
from behave.model import Step
from behave.step_registry import registry

import zmqprose.steps  # noqa: F401  (registers the phrases)
from zmqprose.checks.link import ExpectsLink
from zmqprose.errors import AppError, ProseError
from zmqprose.links.relay import Link
from zmqprose.steps import apps, links
from zmqprose.steps.vocabulary import only_checks


def found(keyword: str, text: str) -> object:
    """The step function behave runs for a step (an And or But has the keyword of the step before it)."""
    return registry.find_match(Step("test", 1, keyword.title(), keyword, text)).func


@pytest.mark.parametrize(("text", "acts", "checks"), [
    ("ogre is running", apps.app_is_running, apps.app_runs),
    ('the link "l" is healthy', links.healthy, links.check_healthy),
    ('the link "l" is cut', links.cut, links.check_cut),
    ('the link "l" is restored', links.restore, links.check_restored),
])
def test_a_condition_acts_under_given_and_when_and_checks_under_then(text, acts, checks):
    assert found("given", text) is acts and found("when", text) is acts
    assert found("then", text) is checks


def test_a_phrase_that_is_no_condition_works_under_every_keyword():
    for keyword in ("given", "when", "then"):
        assert found(keyword, 'the link "l" stalls') is links.stall


@pytest.fixture
def link():
    listener = socket.create_server(("127.0.0.1", 0))
    made = Link("l", "127.0.0.1", listener.getsockname()[1])
    yield made
    made.close()
    listener.close()


def test_a_links_checks_say_how_it_is_and_change_nothing(link):
    checks = ExpectsLink(link)
    checks.is_healthy()
    checks.is_restored()
    with pytest.raises(ProseError, match=r'the link "l" \(.*, healthy\) is not cut'):
        checks.is_cut()
    link.stall()
    with pytest.raises(ProseError, match=r'the link "l" is not healthy: it stalls \(tcp://127.0.0.1:\d+ -> '):
        checks.is_healthy()
    assert link.stalled  # the check healed nothing
    link.heal()
    link.delay_by(0.2)
    with pytest.raises(ProseError, match='the link "l" is not healthy: it delays by 200 ms'):
        checks.is_healthy()
    link.heal()
    link.cut_off()
    checks.is_cut()
    checks.is_healthy()  # a cut is apart: 'is restored' ends it
    with pytest.raises(ProseError, match=r'the link "l" \(.*, cut\) is cut'):
        checks.is_restored()
    assert link.cut


def test_a_failed_check_under_then_says_what_to_write():
    with pytest.raises(AppError) as failed, only_checks("ogre is running", "Given ogre is running", "start it"):
        raise AppError("ogre is not running: no step started it in this run")
    assert str(failed.value) == ("ogre is not running: no step started it in this run; under Then, 'ogre is "
                                 "running' only checks: to start it, write 'Given ogre is running'")
    with pytest.raises(AppError) as failed, only_checks("ogre is running", "Given ogre is running", "start it"):
        raise AppError("ogre is not running: ogre (pid 7) exited with code 1; last lines of ogre.log:\nboom")
    assert str(failed.value).splitlines() == [
        "ogre is not running: ogre (pid 7) exited with code 1; last lines of ogre.log:", "boom",
        "under Then, 'ogre is running' only checks: to start it, write 'Given ogre is running'"]


def test_is_running_checks_an_app_zmqprose_does_not_start_as_given_does_starting_nothing():
    from zmqprose import Prose, Settings

    listener = socket.create_server(("127.0.0.1", 0))
    settings = Settings({"outside": {"request_port": listener.getsockname()[1]}, "played": {"request_port": 0}})
    with Prose(settings, timeout=2) as prose:
        prose.expects_app("outside").is_running()  # its port listens: it runs, though no step started it
        listener.close()
        with pytest.raises(AppError, match=r"outside is not listening on tcp://127\.0\.0\.1:\d+ \(request_port\)"):
            prose.expects_app("outside").is_running()
        with pytest.raises(AppError, match="the spec plays played, so nothing of it runs to be checked"):
            prose.expects_app("played").is_running()
