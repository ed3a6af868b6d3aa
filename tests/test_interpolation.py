"""${checkpoint.KEY} and ${APP.SETTING} in a spec's strings."""

import pytest

from zmqprose import Prose, ProseError, Settings, SettingsError


@pytest.fixture
def prose():
    with Prose(Settings({"ogre": {"command_port": 5555, "limits": {"max": 3}}})) as prose:
        yield prose


def test_checkpoint_and_settings_are_filled_in(prose):
    prose.checkpoint.request_id = "abc-123"
    assert prose.interpolate("id=${checkpoint.request_id} port=${ogre.command_port}") == "id=abc-123 port=5555"
    assert prose.interpolate("${ogre.limits.max}") == "3"


def test_lists_and_dicts_are_filled_in_everywhere(prose):
    prose.checkpoint.set("n", 7)
    assert prose.interpolate(["GET", "${checkpoint.n}"]) == ["GET", "7"]
    assert prose.interpolate({"id": "${checkpoint.n}"}) == {"id": "7"}


def test_stored_messages_read_as_text(prose):
    prose.checkpoint.one = [b"PONG"]
    prose.checkpoint.two = [b"PONG", b"42"]
    assert prose.interpolate("${checkpoint.one}") == "PONG"
    assert prose.interpolate("${checkpoint.two}") == '["PONG", "42"]'


def test_unknown_names_are_errors_never_empty_strings(prose):
    with pytest.raises(ProseError, match="the checkpoint has no 'missing'"):
        prose.interpolate("${checkpoint.missing}")
    with pytest.raises(SettingsError, match="no setting 'ogre.comand_port'"):
        prose.interpolate("${ogre.comand_port}")
    with pytest.raises(SettingsError, match="no app 'troll'"):
        prose.interpolate("${troll.port}")


def test_malformed_placeholders_are_errors(prose):
    with pytest.raises(ProseError, match="unclosed"):
        prose.interpolate("${checkpoint.x")
    with pytest.raises(ProseError, match="empty"):
        prose.interpolate("${}")


def test_text_without_placeholders_is_left_alone(prose):
    assert prose.interpolate("costs $5 {not a placeholder}") == "costs $5 {not a placeholder}"
