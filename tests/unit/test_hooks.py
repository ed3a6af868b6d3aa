"""zmqprose.hooks, piece by piece, in this process: behave's own Configuration, Runner, Context and model, no
behave run (the whole runs are tests/specs/). Each test leaves the process as it found it (after_all)."""

from __future__ import annotations

import json
import signal
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from behave.configuration import Configuration
from behave.model import Scenario, Step
from behave.model_core import Status
from behave.runner import Context, Runner

from zmqprose import AppSupervisor, SettingsError, hooks
from zmqprose.steps import near_miss

FREE = "tcp://127.0.0.1:*"


@pytest.fixture
def environments(tmp_path: Path) -> Path:
    folder = tmp_path / "environments"
    folder.mkdir()
    (folder / "defaults.json").write_text(json.dumps({"zmqprose": {"timeout": 2}, "ogre": {"colour": "green"}}))
    (folder / "local.json").write_text(json.dumps({"ogre": {"size": "big"}}))
    return folder


@pytest.fixture
def behave_context(environments: Path) -> Iterator[Callable[..., Context]]:
    """Makes the context of a behave run with ``-D NAME=VALUE`` for each keyword (the settings folder above
    unless given), as behave makes it before its first hook; every run made is ended by after_all."""
    sigterm = signal.getsignal(signal.SIGTERM)
    made: list[tuple[Runner, Context]] = []  # the runner too: a context holds its runner by a weak reference

    def make(**userdata: str) -> Context:
        userdata.setdefault("environments", str(environments))
        arguments = [part for name, value in userdata.items() for part in ("-D", f"{name}={value}")]
        runner = Runner(Configuration([*arguments, "-f", "null"], load_config=False))
        made.append((runner, Context(runner)))
        return made[-1][1]

    yield make
    for _, context in made:
        hooks.after_all(context)
    signal.signal(signal.SIGTERM, sigterm)


def scenario(*step_texts: str, filename: str = "features/pairs.feature") -> Scenario:
    steps = [Step(filename, 3 + number, "Given", "given", text) for number, text in enumerate(step_texts)]
    return Scenario(filename, 2, "Scenario", "a pair talks", steps=steps)


# -- before_all ----------------------------------------------------------------------------------------------------

def test_before_all_loads_the_environment_the_run_names_merged_over_the_defaults(behave_context):
    context = behave_context()
    hooks.before_all(context)
    assert dict(context.zmqprose_settings.app("ogre")) == {"colour": "green", "size": "big"}
    assert isinstance(context.zmqprose_apps, AppSupervisor)
    assert context.zmqprose_options == hooks.RunOptions()  # nothing asked: nothing shown live, nothing kept


def test_before_all_turns_the_runs_userdata_into_its_options(behave_context, tmp_path):
    context = behave_context(action_log="live", show_frames="full", diagrams=str(tmp_path / "pictures"))
    hooks.before_all(context)
    options = context.zmqprose_options
    assert (options.live_log, options.frames_in_full, options.keep_stories) == (True, True, True)


def test_before_all_with_an_unknown_environment_says_which_and_what_there_is(behave_context):
    context = behave_context(env="staging")
    with pytest.raises(SettingsError, match=r"unknown environment 'staging'.*environments there: local"):
        hooks.before_all(context)


def test_before_all_makes_sigterm_an_orderly_exit_until_after_all(behave_context):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    context = behave_context()
    hooks.before_all(context)
    assert signal.getsignal(signal.SIGTERM) is hooks.exit_on_signal
    with pytest.raises(SystemExit) as leaving:
        hooks.exit_on_signal(signal.SIGTERM, None)
    assert leaving.value.code == 128 + signal.SIGTERM
    hooks.after_all(context)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_before_all_leaves_a_sigterm_handler_of_someone_elses_alone(behave_context):
    def theirs(number: int, frame: Any) -> None:
        """Someone else's."""

    signal.signal(signal.SIGTERM, theirs)
    context = behave_context()
    hooks.before_all(context)
    hooks.after_all(context)
    assert signal.getsignal(signal.SIGTERM) is theirs


# -- ask_for_pictures ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("userdata", "story_file"), [
    ({}, None), ({"action_log": "live"}, None), ({"action_log": ""}, None),
    ({"action_log": "stories.jsonl"}, "stories.jsonl"),
])
def test_no_picture_is_asked_for_without_diagrams_and_no_hook_costs_the_steps(behave_context, userdata, story_file):
    context = behave_context(**userdata)
    hooks.ask_for_pictures(context, context.config.userdata)
    assert context.zmqprose_pictures is None and context.zmqprose_story_file == story_file
    assert "after_step" not in context._runner.hooks


@pytest.mark.parametrize(("diagrams_for", "only_failed"), [(None, False), ("failed", True), ("all", False)])
def test_diagrams_ask_for_a_picture_of_each_scenario_or_of_the_failed_ones(behave_context, tmp_path, diagrams_for,
                                                                             only_failed):
    userdata = {"diagrams": str(tmp_path / "pictures")} | ({"diagrams_for": diagrams_for} if diagrams_for else {})
    context = behave_context(**userdata)
    hooks.ask_for_pictures(context, context.config.userdata)
    pictures = context.zmqprose_pictures
    assert pictures.folder == tmp_path / "pictures" and pictures.only_failed is only_failed
    assert context._runner.hooks["after_step"] is hooks.after_step


def test_the_picture_hook_runs_after_a_projects_own_after_step(behave_context, tmp_path):
    calls = []
    context = behave_context(diagrams=str(tmp_path / "pictures"))
    context._runner.hooks["after_step"] = lambda context, step: calls.append("theirs")
    hooks.ask_for_pictures(context, context.config.userdata)
    context._runner.hooks["after_step"](context, Step("x.feature", 1, "Given", "given", "a thing"))  # no prose yet
    assert calls == ["theirs"]


# -- status_name ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "name"), [
    (Status.passed, "passed"), (Status.failed, "failed"), (Status.undefined, "undefined"),
    (Status.untested, "untested"), ("failed", "failed"),  # older behave: a string
])
def test_status_name_is_behaves_name_for_it(status, name):
    assert hooks.status_name(status) == name


# -- a scenario's life: before_scenario, after_step, after_scenario, keep_story ------------------------------------

def test_each_scenario_gets_a_fresh_prose_and_checkpoint_and_its_sockets_end_with_it(behave_context):
    context = behave_context()
    hooks.before_all(context)
    first_scenario = scenario("a step")
    hooks.before_scenario(context, first_scenario)
    first = context.prose
    assert context.checkpoint is first.checkpoint and first.diagram_file is None
    sock = first.using_zmq().bind(FREE, "PAIR", name="server")
    first.checkpoint.seen = True
    hooks.after_scenario(context, first_scenario)
    assert sock.closed and sock.zmq.closed
    hooks.before_scenario(context, scenario("a step"))
    assert context.prose is not first and not hasattr(context.checkpoint, "seen")
    hooks.after_scenario(context, scenario("a step"))


def test_a_step_no_phrase_matches_is_shown_the_closest_phrases(behave_context, capfd):
    context = behave_context()
    hooks.before_all(context)
    written = 'I sends "hello" to "client"'
    undefined = scenario(written)
    undefined.steps[0].status = Status.undefined
    hooks.before_scenario(context, undefined)
    hooks.after_scenario(context, undefined)
    advice = near_miss.advice(written)
    assert advice is not None and advice in capfd.readouterr().err


def test_a_scenarios_picture_is_drawn_on_its_last_step_and_written_when_it_ends(behave_context, tmp_path):
    context = behave_context(diagrams=str(tmp_path / "pictures"))
    hooks.before_all(context)
    pair = scenario("a step", "the last step")
    hooks.before_scenario(context, pair)
    context.scenario = pair  # as behave sets it
    assert context.prose.diagram_file == tmp_path / "pictures" / "pairs-2.svg"
    context.prose.using_zmq().bind(FREE, "PAIR", name="server")
    hooks.after_step(context, pair.steps[0])
    assert getattr(context, "zmqprose_picture", None) is None  # not its last step, and it passed
    hooks.after_step(context, pair.steps[1])
    drawn = context.zmqprose_picture
    ET.fromstring(drawn)  # an SVG that parses
    hooks.after_scenario(context, pair)
    assert (tmp_path / "pictures" / "pairs-2.svg").read_text() == drawn
    assert context.zmqprose_picture is None  # the next scenario draws its own


def test_with_pictures_of_failed_scenarios_only_a_passing_one_is_neither_drawn_nor_written(behave_context,
                                                                                         tmp_path):
    context = behave_context(diagrams=str(tmp_path / "pictures"), diagrams_for="failed")
    hooks.before_all(context)
    passing = scenario("the only step")
    passing.steps[0].status = Status.passed
    hooks.before_scenario(context, passing)
    context.scenario = passing
    hooks.after_step(context, passing.steps[0])
    assert getattr(context, "zmqprose_picture", None) is None
    hooks.after_scenario(context, passing)
    assert not (tmp_path / "pictures").exists() or not any((tmp_path / "pictures").iterdir())


def test_keep_story_appends_each_scenarios_story_as_one_json_line(behave_context, tmp_path):
    stories = tmp_path / "out" / "stories.jsonl"
    context = behave_context(action_log=str(stories))
    hooks.before_all(context)
    for number in range(2):
        played = scenario(f"step {number}")
        played.steps[0].status = Status.failed if number else Status.passed
        hooks.before_scenario(context, played)
        context.prose.using_zmq().bind(FREE, "PAIR", name=f"server {number}")
        hooks.keep_story(context, played, context.prose)
        context.prose.close()
    lines = [json.loads(line) for line in stories.read_text().splitlines()]
    assert [(line["feature"], line["line"], line["status"]) for line in lines] == [
        ("features/pairs.feature", 2, "passed"), ("features/pairs.feature", 2, "failed")]
    assert all(line["story"]["events"] for line in lines)


def test_a_story_that_cannot_be_written_is_a_warning_not_an_error(behave_context, tmp_path, capfd):
    (tmp_path / "a folder").mkdir()
    context = behave_context(action_log=str(tmp_path / "a folder"))  # a folder is no story file
    hooks.before_all(context)
    played = scenario("a step")
    hooks.before_scenario(context, played)
    hooks.keep_story(context, played, context.prose)
    context.prose.close()
    warning = capfd.readouterr().err
    assert warning.startswith("zmqprose: the story of a scenario was not written to ") and "a folder" in warning
    assert len(warning.strip().splitlines()) == 1


# -- with_zmqprose -------------------------------------------------------------------------------------------------

def test_with_zmqprose_refuses_a_function_that_is_not_a_behave_hook_naming_the_hooks():
    def before_everything(context):
        """Not a hook."""

    with pytest.raises(ValueError, match=r"'before_everything' is not the name of a behave hook \(before_all, "):
        hooks.with_zmqprose(before_everything)


def test_with_zmqprose_runs_zmqproses_before_all_first_so_that_a_projects_hook_finds_the_settings(behave_context):
    found = []

    def before_all(context):
        found.append(context.zmqprose_settings.app("ogre")["size"])

    context = behave_context()
    hooks.with_zmqprose(before_all)(context)
    assert found == ["big"]
