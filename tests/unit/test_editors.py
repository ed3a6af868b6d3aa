"""What editors are told (zmqprose/steps/editors.py): VS Code's settings that ``zmqprose init`` writes, with
a parameter type for every placeholder of the phrases, whose JavaScript regular expression reads the samples
below as Python reads them (checked in node, as the Cucumber Language Service compiles them)."""

from __future__ import annotations

import glob
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import zmqprose.steps  # registers the phrases
from zmqprose.scaffold import init
from zmqprose.steps import editors
from zmqprose.steps.arguments import PHRASE_TYPES

STEPS = Path(zmqprose.steps.__file__).resolve().parent

SAMPLES = {  # texts an argument type takes, and texts it does not (both sides must agree on each)
    "Text": ['"PONG"', '""', r'"say \"hi\""', r'"#regex ^\d+$"', "PONG", '"a" "b"', '"open'],
    "Name": ['"worker"', '"fresh asker"', "worker", '"a"b"'],
    "Frames": ['["PING", "42"]', "[]", '["a"] and ["b"]', "PING"],
    "Duration": ["2 seconds", "1.5 seconds", "500 ms", "-1 second", "2", "two seconds", "2 Seconds"],
    "Within": ["", " within 2 seconds", " within 500 ms", "within 2 seconds", " within 2"],
    "After": ["", " after 500 ms", " after 2", "after 500 ms"],
    "InlineJson": ['{"command": "status"}', '["add"]', "status", '{"a": 1'],
    "Format": ["JSON", "msgpack", "my-format", "multipart", "multipartly", "9lives", "two words"],
    "Envelope": ["", ' with the envelope [""]', ' with the envelope ["#ignore", "x"]', " with the envelope"],
    "Eventually": ["", "eventually ", "eventually", "finally "],
    "Pushers": ["", " from 4 pushers", " from 1 pusher", " from four pushers"],
    "Curve": ["", " with CURVE", ' with CURVE as client "mallory"', " with CURVE and the wrong server key",
              ' with CURVE allowing only "alice", "bob"', " with curve", ' with CURVE as client mallory'],
    "Count": ["3", "100000", "-1", "3.5", ""],
    "Messages": ["1 message", "3 messages", "1 messages", "3 message", "messages", "-1 messages", "3  messages"],
    "Requests": ["1 request", "100 requests", "1 requests", "requests", "-1 requests"],
    "Users": ["1 user", "50 users", "users", "1.5 users"],
    "Workers": ["1 Locust worker", "2 Locust workers", "2 workers", "2 locust workers"],
    "Bytes": ["1 byte", "100 bytes", "100bytes", "bytes", "1.5 bytes"],
    "SocketType": ["PUSH", "DEALER", "PUSHY", "PUSH PULL", ""],
    "Endpoint": ["ogre's command port", "zlock's port", "vault's control port", '"tcp://127.0.0.1:5555"',
                 'the endpoint of "router"', "ogre's pipeline input port", "ogre's command", "ogre command port"],
    "Socket": ['"listener"', "ogre's response port", 'the endpoint of "ogre-link"', "listener"],
    "AsName": ["", ' as "router"', " as router", 'as "router"'],
    "Subscription": ["", ' subscribed to "alerts."', " subscribed to everything", " subscribed to alerts"],
    "WithOptions": ["", " with options:", " with options"],
    "WithoutBlocking": ["", " without blocking", " without"],
    "App": ["ogre", "locust_worker", "pyre_node", "my.app-2", "2ogre", "ogre's"],
}


def test_every_placeholder_of_the_phrases_is_a_parameter_type_of_its_own():
    written = {found for phrase in zmqprose.steps.vocabulary.REGISTERED
               for found in re.findall(r"\{([^{}]*)\}", phrase.pattern)}
    declared = editors.parameter_types()
    assert sorted(kind["name"] for kind in declared) == sorted(written)
    for kind in declared:  # Cucumber refuses these characters in a name, and then indexes nothing at all
        assert not re.search(r"[\[\]()$.|?*+]", kind["name"]), kind["name"]


def test_every_argument_type_has_samples():
    assert set(SAMPLES) == set(PHRASE_TYPES)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed: the JavaScript side is not checked")
def test_the_javascript_regexps_read_the_samples_as_python_does():
    cases = [{"type": kind, "python": PHRASE_TYPES[kind].pattern, "js": editors.js_regexp(PHRASE_TYPES[kind].pattern),
              "text": text} for kind, texts in SAMPLES.items() for text in texts]
    script = ("const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "console.log(JSON.stringify(cases.map(c => new RegExp('^(?:' + c.js + ')$').test(c.text))))")
    ran = subprocess.run(["node", "-e", script], input=json.dumps(cases), capture_output=True, text=True, timeout=30)
    assert ran.returncode == 0, ran.stderr
    for case, javascript in zip(cases, json.loads(ran.stdout), strict=True):
        python = re.fullmatch(case["python"], case["text"]) is not None
        assert javascript == python, f"{case['type']}: {case['text']!r} is {python} in Python, {javascript} in node"
    assert {case["type"] for case, took in zip(cases, json.loads(ran.stdout), strict=True) if took} == set(SAMPLES)


@pytest.mark.parametrize(("pattern", "what"), [
    (r"(?P<x>a)", "a named group"), (r"(a|b)", "a capturing group"), (r"(?i)a", "an inline flag"),
    (r"a\Z", "\\A or \\Z"), (r"a*+", "a possessive quantifier"),
])
def test_python_only_syntax_is_refused_rather_than_read_otherwise(pattern, what):
    with pytest.raises(ValueError, match=re.escape(what)):
        editors.js_regexp(pattern)


def test_a_quote_loses_its_needless_backslash_and_a_backslash_stays():
    assert editors.js_regexp(r'the endpoint of \"[^\"]*\"') == 'the endpoint of "[^"]*"'
    assert editors.js_regexp(r'"(?:[^"\\]|\\.)*"') == r'"(?:[^"\\]|\\.)*"'


def test_init_writes_the_settings_an_editor_needs_to_find_every_phrase(tmp_path):
    said = init(tmp_path)
    assert f"wrote {tmp_path}/.vscode/settings.json" in said
    settings = editors.read_jsonc((tmp_path / ".vscode" / "settings.json").read_text())
    assert settings["cucumber.features"] == ["features/**/*.feature"]
    assert glob.glob("features/**/*.feature", root_dir=tmp_path, recursive=True) == ["features/echo.feature"]
    own, ours = settings["cucumber.glue"]
    assert own == "steps/**/*.py"
    assert sorted(glob.glob(ours)) == sorted(str(path) for path in STEPS.glob("*.py"))  # the installed modules
    assert settings["cucumber.parameterTypes"] == editors.parameter_types()
    extensions = json.loads((tmp_path / ".vscode" / "extensions.json").read_text())
    assert extensions["recommendations"] == ["CucumberOpen.cucumber-official", "jimasp.behave-vsc"]


def test_zmqprose_installed_outside_the_project_is_named_as_out_of_vs_codes_reach(tmp_path):
    written = editors.vscode_settings(tmp_path, steps=STEPS)
    assert f"installed outside this folder ({STEPS})" in written and "python -m venv .venv" in written
    settings = editors.read_jsonc(written)
    assert settings["cucumber.glue"][1] == f"{STEPS.as_posix()}/*.py"
    assert "behave-vsc.importedSteps" not in settings  # it takes only a folder inside the project


def test_zmqprose_in_a_project_local_virtual_environment_is_found_by_a_relative_glob(tmp_path):
    steps = tmp_path / ".venv" / "lib" / "python3.12" / "site-packages" / "zmqprose" / "steps"
    steps.mkdir(parents=True)
    written = editors.vscode_settings(tmp_path, steps=steps)
    settings = editors.read_jsonc(written)
    assert settings["cucumber.glue"] == ["steps/**/*.py", ".venv/lib/python3*/site-packages/zmqprose/steps/*.py"]
    assert settings["behave-vsc.importedSteps"] == {".venv/lib/python3.12/site-packages/zmqprose/steps": ".*/steps/.*"}
    assert "outside" not in written


def test_an_editable_install_in_the_project_is_found_in_its_source_tree(tmp_path):
    steps = tmp_path / "zmqprose" / "steps"
    steps.mkdir(parents=True)
    assert editors.glue_glob(tmp_path, steps) == "zmqprose/steps/*.py"


def test_a_users_own_settings_are_left_and_zmqproses_written_beside_them(tmp_path):
    (tmp_path / ".vscode").mkdir()
    (tmp_path / ".vscode" / "settings.json").write_text('{"editor.rulers": [120]}\n')
    said = init(tmp_path)
    assert (tmp_path / ".vscode" / "settings.json").read_text() == '{"editor.rulers": [120]}\n'
    beside = tmp_path / ".vscode" / "settings.zmqprose.json"
    assert f"left  {tmp_path}/.vscode/settings.json (it exists): wrote {beside}, to merge into it" in said
    assert editors.read_jsonc(beside.read_text())["cucumber.parameterTypes"] == editors.parameter_types()
    again = init(tmp_path)
    assert f"left  {tmp_path}/.vscode/settings.json (it exists)" in again  # and the one beside is left too
    assert f"left  {tmp_path}/.vscode/extensions.json (it exists)" in again  # the same as init wrote: no copy


def test_zmqprose_steps_vscode_prints_the_settings_for_the_folder_it_runs_in(tmp_path, monkeypatch, capsys):
    from zmqprose.__main__ import main

    monkeypatch.chdir(tmp_path)
    assert main(["steps", "--vscode"]) == 0
    assert editors.read_jsonc(capsys.readouterr().out) == editors.read_jsonc(editors.vscode_settings(tmp_path))
