"""Pictures as a person looks at them: behave draws every scenario of this repo's specs (request/reply with
Ogre, a stub, a pipeline, an app restart) and a failing one, and headless Chromium shows them.

The project is written into a temporary folder, with this repo's features and settings (its apps started
from this repo's folder) and one failing feature. Chromium (Debian's ``chromium``) loads each picture in a
page whose script counts the arrows and lifelines: the DOM it dumps must have the counts the SVG has, the
page must load without a script error, and no secret of the settings may be in the SVG. The screenshots go
to ``$ZMQPROSE_PICTURES_OUT`` when CI sets it (its artefacts), else to pytest's temporary folder. Where
Chromium is not installed the Chromium part is skipped, saying so.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest

REPO = Path(__file__).resolve().parents[2]
SECRET = "picture-test-token-8c1f"
FEATURES = ["sending_and_receiving", "stubs", "pipelines", "control"]
FAILING = '''
Feature: a spec that expects the wrong answer from Ogre
  Scenario: the pong carries another id
    Given ogre is running
    And I connect a PUSH socket to ogre's command port
    And I connect a PULL socket to ogre's response port
    When I send the multipart message ["PING", "${ogre.api_token}"] to ogre's command port
    Then I receive the multipart message ["PONG", "43"] from ogre's response port within 2 seconds
'''
WHO_SPOKE = '''
Feature: pictures that show who spoke
  Scenario: a worker handed the master's port says it is ready
    Given I bind a ROUTER socket to "tcp://127.0.0.1:*" as "master"
    And worker is running
    Then I receive a msgpack message from "master" within 10 seconds containing:
      """
      ["client_ready"]
      """

  Scenario: ogre answers three pings
    Given ogre is running
    And I connect a PUSH socket to ogre's command port
    And I connect a PULL socket to ogre's response port
    When I send the multipart message ["PING", "42"] to ogre's command port
    And I send the multipart message ["PING", "42"] to ogre's command port
    And I send the multipart message ["PING", "42"] to ogre's command port
    Then I receive 3 messages from ogre's response port within 5 seconds

  Scenario: the noise before the answer is skipped
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "outbox"
    When I send "noise" to "outbox"
    And I send "more noise" to "outbox"
    And I send "wanted" to "outbox"
    Then I eventually receive "wanted" from "inbox" within 2 seconds

  Scenario: a job's result under a long topic is not the one expected
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "jobs"
    And I connect a PUSH socket to the endpoint of "jobs" as "producer"
    When I send the multipart message ["TOPIC", "{\\"status\\": \\"failed\\", \\"job\\": 7}"] to "producer"
    Then I receive the multipart message ["TOPIC", "{\\"status\\": \\"done\\", \\"job\\": 7}"] from "jobs"
'''.replace("TOPIC", "jobs.1398c26e-5f1d-4c4e-9a1b-0123456789ab.results.eu-west-1")  # a long topic
WORKER = ("import sys, time, zmq, msgpack\n"  # a Locust worker: it connects to the master port it is handed
          "dealer = zmq.Context().socket(zmq.DEALER)\n"
          "dealer.setsockopt(zmq.IDENTITY, b'worker-7f3a9c1e2b4d5f60718293a4b5c6d7e8')\n"
          "dealer.connect('tcp://127.0.0.1:' + sys.argv[1])\n"
          "dealer.send(msgpack.packb(['client_ready', {'version': '2.32'}, 'worker-7f3a9c1e']))\n"
          "time.sleep(60)\n")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]
COUNTING_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0">{svg}
<script>
document.body.setAttribute("data-arrows", document.querySelectorAll("g.arrow").length);
document.body.setAttribute("data-lifelines", document.querySelectorAll("line.lifeline").length);
document.body.setAttribute("data-loaded", "yes");
</script></body></html>"""


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict[str, object]:
    """Run behave over the project with -D diagrams; the pictures, the JSON report and the output."""
    project = tmp_path_factory.mktemp("pictures-project")
    (project / "steps").mkdir()
    (project / "steps" / "zmq_steps.py").write_text("from zmqprose.steps import *  # noqa: F403\n")
    (project / "environment.py").write_text("from zmqprose.hooks import *  # noqa: F403\n")
    settings = json.loads((REPO / "environments" / "local.json").read_text())
    for app in settings.values():
        if isinstance(app, dict) and "cwd" in app:
            app["cwd"] = str(REPO / app["cwd"])
    settings["ogre"]["api_token"] = SECRET
    settings["worker"] = {"scope": "scenario", "ready": {"none": True},
                          "start": ["python", "-c", WORKER, "${socket.master.port}"]}
    (project / "environments").mkdir()
    (project / "environments" / "local.json").write_text(json.dumps(settings))
    shutil.copytree(REPO / "environments" / "templates", project / "environments" / "templates")
    (project / "features").mkdir()
    for name in FEATURES:
        shutil.copy(REPO / "features" / f"{name}.feature", project / "features")
    (project / "features" / "failing.feature").write_text(FAILING)
    (project / "features" / "who_spoke.feature").write_text(WHO_SPOKE)
    pictures = project / "pictures"
    result = subprocess.run([sys.executable, "-m", "behave", "--no-color", "-D", f"diagrams={pictures}",
                             "-f", "json", "-o", "report.json",
                             "-f", "behave_html_pretty_formatter:PrettyHTMLFormatter", "-o", "report.html",
                             "-f", "allure_behave.formatter:AllureFormatter", "-o", "allure",
                             "-f", "plain"], cwd=project, capture_output=True, text=True, timeout=300)
    return {"project": project, "pictures": pictures, "output": result.stdout + result.stderr,
            "code": result.returncode, "report": json.loads((project / "report.json").read_text())}


def test_the_pictures_are_in_the_html_report_and_in_allures_results(drawn):
    """behave-html-pretty-formatter shows each picture inline; allure-behave keeps each as an SVG attachment
    of its scenario's result (both are the optional extra zmqprose[reports])."""
    scenarios = sum(1 for feature in drawn["report"] for element in feature["elements"]
                    if element["type"] == "scenario")
    html = (drawn["project"] / "report.html").read_text()
    assert html.count('<span mime="text/html"><svg xmlns="http://www.w3.org/2000/svg"') == scenarios  # inline
    attachments = list((drawn["project"] / "allure").glob("*-attachment.svg"))
    assert len(attachments) == scenarios
    assert all(path.read_text().startswith("<svg") for path in attachments)
    results = [json.loads(path.read_text()) for path in (drawn["project"] / "allure").glob("*-result.json")]
    named = [attachment for result in results for step in result.get("steps", [])
             for attachment in step.get("attachments", []) if attachment["name"] == "zmqprose picture"]
    assert len(named) == scenarios


def test_every_scenario_is_drawn_and_a_failure_names_its_picture(drawn):
    assert drawn["code"] == 1, drawn["output"]  # the one failing scenario
    pictures = drawn["pictures"]
    report = drawn["report"]
    scenarios = [element for feature in report for element in feature["elements"] if element["type"] == "scenario"]
    files = sorted(path.name for path in pictures.iterdir())
    assert len(files) == len(scenarios) and "failing-3.svg" in files
    assert f"picture of the scenario: {pictures / 'failing-3.svg'}" in drawn["output"]
    for svg in pictures.iterdir():
        text = svg.read_text()
        assert text.startswith("<svg") and "<script" not in text
        assert SECRET not in text and SECRET.encode().hex() not in text
    embedded = [embedding for element in scenarios for step in element["steps"]
                for embedding in step.get("embeddings", [])]
    assert len(embedded) == len(scenarios) and {e["mime_type"] for e in embedded} == {"image/svg+xml"}
    assert base64.b64decode(embedded[0]["data"]).startswith(b"<svg")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("Chromium is not installed here (Debian: apt-get install chromium); .ci/run installs it")
    return found


@pytest.mark.parametrize("picture", ["failing-3.svg", "sending_and_receiving-10.svg", "stubs-6.svg",
                                     "pipelines-12.svg", "control-7.svg"])
def test_chromium_shows_a_picture_with_its_arrows_and_lifelines(drawn, picture, tmp_path):
    browser = chromium()
    svg = (drawn["pictures"] / picture).read_text()
    page = tmp_path / "page.html"
    page.write_text(COUNTING_PAGE.format(svg=svg))
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dumped = subprocess.run([browser, *CHROMIUM_FLAGS, *profile, "--enable-logging=stderr", "--dump-dom",
                             page.as_uri()], capture_output=True, text=True, timeout=120)
    assert 'data-loaded="yes"' in dumped.stdout, dumped.stderr[-2000:]
    assert "Uncaught" not in dumped.stderr
    arrows = int(re.search(r'data-arrows="(\d+)"', dumped.stdout)[1])
    lifelines = int(re.search(r'data-lifelines="(\d+)"', dumped.stdout)[1])
    assert arrows == len(re.findall(r'<g class="arrow', svg)) and arrows > 0
    assert lifelines == len(re.findall(r'<line class="lifeline"', svg)) and lifelines >= 2
    out = Path(os.environ.get("ZMQPROSE_PICTURES_OUT") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    shot = out / picture.replace(".svg", ".png")
    subprocess.run([browser, *CHROMIUM_FLAGS, *profile, "--window-size=1200,800", f"--screenshot={shot}",
                    page.as_uri()], capture_output=True, timeout=120)
    assert shot.stat().st_size > 5_000  # a picture, not an empty page


def test_only_failed_scenarios_are_drawn_when_asked_and_a_story_file_is_drawn_later(drawn, tmp_path):
    project = drawn["project"]
    pictures, story_file = tmp_path / "failed-only", tmp_path / "story.jsonl"
    subprocess.run([sys.executable, "-m", "behave", "--no-color", "-D", f"diagrams={pictures}",
                    "-D", "diagrams_for=failed", "-D", f"action_log={story_file}", "-f", "null",
                    "features/failing.feature", "features/stubs.feature"], cwd=project, capture_output=True,
                   timeout=300)
    assert sorted(path.name for path in pictures.iterdir()) == ["failing-3.svg"]
    lines = story_file.read_text().splitlines()
    scenarios = 1 + (REPO / "features" / "stubs.feature").read_text().count("Scenario:")
    assert len(lines) == scenarios and json.loads(lines[0])["status"] == "failed"
    drawn_later = subprocess.run([sys.executable, "-m", "zmqprose", "diagram", str(story_file), "--scenario",
                                  "another id"], capture_output=True, text=True, timeout=60)
    assert drawn_later.returncode == 0 and "the pong carries another id — failed" in drawn_later.stdout
    assert SECRET not in story_file.read_text() and SECRET not in drawn_later.stdout


# -- issue 27: pictures are always valid and never lie (a small project: no app to start) -------------

API_LOGIN = '''Feature: logging in through the API
  Scenario: the API says so in colour
    When I run "printf '\\033[31mred\\033[0m and \\001 more\\n'"
    Then the command's output contains "green"
'''
UI_LOGIN = '''Feature: logging in through the UI
  Scenario: the UI binds a socket
    Given I bind a PAIR socket to "tcp://127.0.0.1:*"
'''


@pytest.fixture(scope="module")
def logins(tmp_path_factory) -> Path:
    """Two features of the same name at the same line, in two folders: one fails with coloured output."""
    project = tmp_path_factory.mktemp("logins")
    (project / "steps").mkdir()
    (project / "steps" / "zmq_steps.py").write_text("from zmqprose.steps import *  # noqa: F403\n")
    (project / "environment.py").write_text("from zmqprose.hooks import *  # noqa: F403\n")
    (project / "environments").mkdir()
    (project / "environments" / "local.json").write_text("{}")
    for folder, text in (("api", API_LOGIN), ("ui", UI_LOGIN)):
        (project / "features" / folder).mkdir(parents=True)
        (project / "features" / folder / "login.feature").write_text(text)
    return project


def run_behave(project: Path, *options: str) -> tuple[int, str, list[dict[str, object]]]:
    """behave over the project with these options and a JSON report: its code, its output, its scenarios."""
    result = subprocess.run([sys.executable, "-m", "behave", "--no-color", *options, "-f", "json", "-o", "report.json",
                             "-f", "plain"], cwd=project, capture_output=True, text=True, timeout=120)
    report = json.loads((project / "report.json").read_text())
    scenarios = [element for feature in report for element in feature["elements"] if element["type"] == "scenario"]
    return result.returncode, result.stdout + result.stderr, scenarios


def embedded(scenario: dict[str, object]) -> int:
    return sum(len(step.get("embeddings", [])) for step in scenario["steps"])  # type: ignore[union-attr]


def test_features_of_the_same_name_each_have_their_picture_and_coloured_output_leaves_it_valid(logins, tmp_path):
    code, output, _ = run_behave(logins, "-D", f"diagrams={tmp_path}")
    assert code == 1, output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["api.login-2.svg", "ui.login-2.svg"]
    assert f"picture of the scenario: {tmp_path / 'api.login-2.svg'}" in output
    api = ElementTree.parse(tmp_path / "api.login-2.svg").getroot()  # the app's ESC bytes did not break it
    shown = "".join(api.itertext())
    assert "the API says so in colour — failed" in shown and "\\x1b[31mred\\x1b[0m and \\x01 more" in shown
    assert "the UI binds a socket" in "".join(ElementTree.parse(tmp_path / "ui.login-2.svg").getroot().itertext())


def test_with_diagrams_for_failed_a_passing_scenario_is_neither_written_nor_attached(logins, tmp_path):
    code, output, scenarios = run_behave(logins, "-D", f"diagrams={tmp_path}", "-D", "diagrams_for=failed")
    assert code == 1, output
    assert [path.name for path in tmp_path.iterdir()] == ["api.login-2.svg"]
    assert {scenario["name"]: embedded(scenario) for scenario in scenarios} == {
        "the API says so in colour": 1, "the UI binds a socket": 0}


def test_a_picture_that_cannot_be_written_is_a_warning_and_the_run_goes_on(logins, tmp_path):
    in_the_way = tmp_path / "pictures"
    in_the_way.write_text("a file where the folder of pictures should be")
    code, output, scenarios = run_behave(logins, "-D", f"diagrams={in_the_way}")
    assert code == 1 and "HOOK-ERROR" not in output, output
    assert {scenario["name"]: scenario["status"] for scenario in scenarios} == {
        "the API says so in colour": "failed", "the UI binds a socket": "passed"}
    assert output.count(f"zmqprose: a picture was not written to {in_the_way}") == 2, output
    assert "did not end within" not in output  # the scenarios' sockets were closed all the same


# -- issue 28: pictures that show who spoke -----------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def picture(drawn: dict[str, object], name: str) -> ElementTree.Element:
    return ElementTree.parse(drawn["pictures"] / name).getroot()  # type: ignore[operator]


def heads(root: ElementTree.Element) -> dict[str, tuple[int, str]]:
    """Each lifeline's whole name (its head's tooltip): where it is, and what its head says under the name."""
    found = {}
    for head in root.iter(f"{SVG}g"):
        if head.get("class") == "head":
            name = head.findtext(f"{SVG}title", "").split("\n")[0]
            found[name] = (int(head.find(f"{SVG}text").get("x")), "".join(head.find(f"{SVG}text[@class='kind']")
                                                                           .itertext()))
    return found


def arrows(root: ElementTree.Element) -> list[tuple[int, int, str, str, str]]:
    """Each arrow: where it starts and ends, its label as drawn, its bold lead, the time under it."""
    found = []
    for arrow in root.iter(f"{SVG}g"):
        if (arrow.get("class") or "").startswith("arrow"):
            line, (label, time) = arrow.find(f"{SVG}line"), arrow.findall(f"{SVG}text")
            lead = label.find(f"{SVG}tspan")
            found.append((int(line.get("x1")), int(line.get("x2")), "".join(label.itertext()),
                          "" if lead is None else "".join(lead.itertext()), "".join(time.itertext())))
    return found


def test_the_worker_handed_the_masters_port_is_its_peer_and_the_label_leads_with_its_type(drawn):
    root = picture(drawn, "who_spoke-3.svg")
    lines = heads(root)
    assert list(lines) == ['"master"', "worker"], lines  # no "peers of tcp://…"
    ((start, end, label, lead, _),) = arrows(root)
    assert (start, end) == (lines["worker"][0], lines['"master"'][0])
    assert lead == "client_ready" and label.startswith("client_ready ") and "msgpack" in label


def test_an_apps_head_names_its_ports_and_the_picture_names_what_it_folded(drawn):
    root = picture(drawn, "who_spoke-11.svg")
    assert re.fullmatch(r"app · command \d+, response \d+", heads(root)["ogre"][1])
    said = "".join(root.find(f"{SVG}text[@class='said']").itertext())
    assert said == ("3 × send ['PING', '42'] to ogre's command port folded; "
                    "3 × receive ['PONG', '42'] from ogre's response port folded"), said


def test_the_messages_an_eventually_skipped_say_when_the_first_and_the_last_came(drawn):
    root = picture(drawn, "who_spoke-20.svg")
    skipped = [arrow for arrow in arrows(root) if arrow[2].startswith("2 skipped by eventually")]
    assert len(skipped) == 1 and re.fullmatch(r"first \+\d\.\d{3} s, last \+\d\.\d{3} s", skipped[0][4])


def test_a_long_topic_leaves_the_body_in_the_label_and_in_the_failure_box(drawn):
    root = picture(drawn, "who_spoke-28.svg")
    ((_, _, label, lead, _),) = arrows(root)
    assert lead == "status: failed" and len(label) <= 40 and '{"status"' in label, label
    box = root.find(f"{SVG}g[@class='failure']")
    lines = ["".join(line.itertext()) for line in box.findall(f"{SVG}text")]
    assert any('{"status": "failed", "job": 7}' in line for line in lines), lines
