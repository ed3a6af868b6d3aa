"""zmqprose used the way another project uses it: two one-line files, its own settings, its own service.

Each test writes such a project into a temporary folder and runs behave there
as a separate process, so nothing can lean on this repository's folder.
"""

import subprocess
import sys
import textwrap
import time

import pytest

ECHO_SERVICE = '''
import sys
import zmq

socket = zmq.Context.instance().socket(zmq.REP)
socket.bind(sys.argv[1])
print("echo listening on", sys.argv[1], flush=True)
while True:
    socket.send_multipart(socket.recv_multipart())
'''

SETTINGS = '''
{
  "echo": {
    "start": ["python", "services/echo.py", "tcp://127.0.0.1:${echo.request_port}"],
    "request_port": 0
  },
  "zmqprose": {"timeout": 3}
}
'''

PASSING = '''
Feature: the echo service answers with what it was sent
  Scenario: a request comes back unchanged
    Given echo is running
    And I connect a REQ socket to echo's request port
    When I send the multipart message ["hello", "${echo.request_port}"] to echo's request port
    Then I receive the multipart message ["hello", "#regex \\\\d+"] from echo's request port
    When I store the last message from echo's request port in the checkpoint as "answer"
    Then the checkpoint "answer" is ["hello", "#ignore"]
'''

FAILING = '''
Feature: a spec that expects the wrong answer
  Scenario: the answer differs
    Given echo is running
    And I connect a REQ socket to echo's request port
    When I send "hello" to echo's request port
    Then I receive "goodbye" from echo's request port within 1 second
'''


@pytest.fixture
def project(tmp_path):
    """A project folder with zmqprose's two one-line files, settings and an echo service."""
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "zmq_steps.py").write_text("from zmqprose.steps import *  # noqa: F403\n")
    (tmp_path / "environment.py").write_text("from zmqprose.hooks import *  # noqa: F403\n")
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "local.json").write_text(SETTINGS)
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "echo.py").write_text(ECHO_SERVICE)
    (tmp_path / "features").mkdir()
    return tmp_path


def behave(folder, *arguments):
    """Run behave in ``folder``; its exit code, its output and how long it took."""
    began = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", *arguments],
        cwd=folder, capture_output=True, text=True, timeout=120,
    )
    return result.returncode, result.stdout + result.stderr, time.monotonic() - began


def write_feature(project, name, text):
    (project / "features" / f"{name}.feature").write_text(textwrap.dedent(text))


def test_a_project_runs_its_specs_against_its_own_service(project):
    write_feature(project, "echo", PASSING)
    code, output, _ = behave(project)
    assert code == 0, output
    assert "1 scenario passed, 0 failed" in output


def test_a_failing_spec_fails_the_run_with_a_readable_message_and_its_action_log(project):
    write_feature(project, "echo", FAILING)
    code, output, took = behave(project)
    assert code != 0
    assert "ASSERT FAILED: the message from echo's request port (REQ, tcp://127.0.0.1:" in output
    assert "Expected: ['goodbye']" in output
    assert "but: ['hello']" in output
    assert "send_multi -> tcp://127.0.0.1:" in output  # the action log comes with the failure
    assert "Traceback" not in output
    assert took < 30


def test_an_unknown_environment_is_one_clear_message(project):
    write_feature(project, "echo", PASSING)
    code, output, _ = behave(project, "-D", "env=staging")
    assert code != 0
    assert "unknown environment 'staging'" in output
    assert "environments there: local" in output
    assert "Traceback" not in output


def test_the_started_service_is_stopped_when_the_run_ends(project):
    write_feature(project, "echo", PASSING)
    code, output, _ = behave(project)
    assert code == 0, output  # the service ran, answered, and then...
    leftovers = subprocess.run(["pgrep", "-f", f"{project}/services/echo.py|services/echo.py tcp"],
                               capture_output=True, text=True)
    assert leftovers.stdout.strip() == ""


FORM_FORMAT = '''
from urllib.parse import parse_qsl, urlencode

import zmqprose.formats
from zmqprose.hooks import *  # noqa: F403

zmqprose.formats.register(
    "form",
    encode=lambda value: urlencode(value).encode(),
    decode=lambda frame: dict(parse_qsl(frame.decode(), strict_parsing=True)),
)
'''

FORM_FEATURE = '''
Feature: a format of the project's own
  Scenario: a form-encoded request comes back, read as a form
    Given echo is running
    And I connect a REQ socket to echo's request port
    When I send the form message to echo's request port:
      """
      {"name": "Storyplayer", "port": "${echo.request_port}"}
      """
    Then I receive the multipart message ["#regex name=Storyplayer&port=\\\\d+"] from echo's request port
    When I send the form message to echo's request port:
      """
      {"name": "zmqprose"}
      """
    Then I receive a form message from echo's request port matching:
      """
      {"name": "zmqprose"}
      """
'''


def test_a_project_adds_a_format_of_its_own_in_environment_py(project):
    (project / "environment.py").write_text(FORM_FORMAT)
    write_feature(project, "form", FORM_FEATURE)
    code, output, _ = behave(project)
    assert code == 0, output
    assert "1 scenario passed, 0 failed" in output


def test_init_writes_a_project_whose_first_spec_passes_and_never_overwrites(tmp_path):
    made = subprocess.run([sys.executable, "-m", "zmqprose", "init"], cwd=tmp_path, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    assert "wrote features/echo.feature" in made.stdout and "now run: behave" in made.stdout
    (tmp_path / "environment.py").write_text("from zmqprose.hooks import *  # noqa: F403\n# mine\n")
    again = subprocess.run([sys.executable, "-m", "zmqprose", "init"], cwd=tmp_path, capture_output=True, text=True)
    assert "left  environment.py (it exists)" in again.stdout
    assert (tmp_path / "environment.py").read_text().endswith("# mine\n")
    code, output, _ = behave(tmp_path)
    assert code == 0, output
    assert "1 scenario passed, 0 failed" in output


PYTEST_FILE = '''
import pytest


@pytest.mark.parametrize("word", ["one", "two", "three", "four"])
def test_the_echo_answers(prose, word):
    prose.apps.ensure_running("echo")
    client = prose.using_zmq().connect("echo's request port", "REQ")
    prose.using_zmq().send_multi(client, prose.interpolate_frames([word, "${echo.request_port}"]))
    prose.expects_zmq_socket(client).receives([word, "#regex \\\\d+"], timeout=5)


def test_a_failure_carries_the_action_log(prose):
    prose.apps.ensure_running("echo")
    client = prose.using_zmq().connect("echo's request port", "REQ")
    prose.using_zmq().send(client, "hello")
    prose.expects_zmq_socket(client).receives(["goodbye"], timeout=5)
'''


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one process", "two xdist workers"])
def test_a_project_tests_with_the_pytest_plugin(tmp_path, workers):
    subprocess.run([sys.executable, "-m", "zmqprose", "init"], cwd=tmp_path, capture_output=True, check=True)
    (tmp_path / "test_echo.py").write_text(PYTEST_FILE)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *workers],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert "4 passed" in output and "1 failed" in output, output
    assert "zmqprose action log" in output and "send_multi -> tcp://127.0.0.1:" in output, output
    assert "the message from echo's request port (REQ, tcp://127.0.0.1:" in output
