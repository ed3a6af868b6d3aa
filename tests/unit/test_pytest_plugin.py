"""The pytest plugin, run in-process by pytester: its fixture, the action log of a failed test, and masking."""

from __future__ import annotations

import json
import re

import pytest

pytest_plugins = ["pytester"]

SECRET = "hunter2-very-secret"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    environments = pytester.mkdir("environments")
    (environments / "local.json").write_text(json.dumps({"zmqprose": {"timeout": 0.2},
                                                          "vault": {"password": SECRET, "start": ["true"]}}))
    pytester.makepyfile(test_zmq='''
        def test_a_pair_talks(prose):
            server = prose.using_zmq().bind("tcp://127.0.0.1:*", "PAIR", name="server")
            client = prose.using_zmq().connect('the endpoint of "server"', "PAIR")
            prose.using_zmq().send(client, "hello")
            prose.expects_zmq_socket(server).receives(["hello"])

        def test_nothing_arrives(prose):
            server = prose.using_zmq().bind("tcp://127.0.0.1:*", "PAIR", name="server")
            assert prose.from_environment().get_app_setting("vault", "password")
            prose.from_zmq_socket(server).recv()

        def test_a_secret_in_a_failure_is_masked(prose):
            password = prose.from_environment().get_app_setting("vault", "password")
            assert password == "something else"
    ''')
    return pytester


def test_a_failed_tests_picture_is_written_and_attached_for_pytest_html(project):
    pictures = project.path / "pictures"
    result = project.runpytest_inprocess(f"--zmq-diagrams={pictures}", "-k", "nothing_arrives")
    result.assert_outcomes(failed=1, deselected=2)
    drawn = list(pictures.iterdir())
    assert len(drawn) == 1 and drawn[0].read_text().startswith("<svg")
    assert re.search(r"waited 0\.2\d* s: nothing", drawn[0].read_text())  # the receive that timed out
    assert "zmqprose picture" in result.stdout.str()
    reports = [report for report in result.reprec.getreports("pytest_runtest_logreport") if report.failed]
    assert reports[0].extras[0]["mime_type"] == "image/svg+xml"


def test_the_plugins_fixture_gives_each_test_a_prose_object_and_a_failure_its_action_log(project):
    result = project.runpytest_inprocess()  # the plugin comes by its entry point, as in any project
    result.assert_outcomes(passed=1, failed=2)
    text = result.stdout.str()
    assert "zmqprose action log" in text
    assert "recv_multi <- tcp://127.0.0.1:" in text and "nothing arrived" in text
    assert SECRET not in text


def test_a_test_with_a_very_long_node_id_gets_a_bounded_picture_and_the_session_goes_on(pytester):
    (pytester.mkdir("environments") / "local.json").write_text(json.dumps({"zmqprose": {"timeout": 0.2}}))
    pytester.makepyfile(test_long='''
        import pytest

        @pytest.mark.parametrize("case", ["x", "y"], ids=["x" * 300, "y" * 300])
        def test_nothing_arrives(prose, case):
            server = prose.using_zmq().bind("tcp://127.0.0.1:*", "PAIR", name="server")
            prose.from_zmq_socket(server).recv()

        def test_after(prose):
            pass
    ''')
    pictures = pytester.path / "pictures"
    result = pytester.runpytest_inprocess(f"--zmq-diagrams={pictures}")
    result.assert_outcomes(failed=2, passed=1)
    assert "INTERNALERROR" not in result.stdout.str()
    drawn = sorted(path.name for path in pictures.iterdir())
    assert len(drawn) == 2 and all(len(name.encode()) <= 200 for name in drawn), drawn
    assert all(name.startswith("test_long.test_nothing_arrives_") for name in drawn), drawn


def test_a_picture_that_cannot_be_written_is_a_warning_and_the_session_goes_on(project):
    in_the_way = project.path / "pictures"
    in_the_way.write_text("a file where the folder of pictures should be")
    result = project.runpytest_inprocess(f"--zmq-diagrams={in_the_way}")
    result.assert_outcomes(passed=1, failed=2, warnings=2)
    text = result.stdout.str()
    assert "INTERNALERROR" not in text
    assert re.search(r"zmqprose: a picture was not written to .*pictures", text), text
