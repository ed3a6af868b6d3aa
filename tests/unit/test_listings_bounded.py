"""What an error lists of what there is (an app's settings, the apps, the environments, a value's parts) is bounded,
in count and in bytes, as the matching's 'the object has: …' is (zmqprose.wire.paths.listed).

Each listed every name however many and however long (settings of 100,000 keys made a line of megabytes), and a
value's parts were all walked, however many and however deep, before the list was cut.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from zmqprose import ProseError, Settings, SettingsError
from zmqprose.checkpoint import Checkpoint
from zmqprose.settings import load_settings
from zmqprose.sockets.references import parse_endpoint, setting_key

MANY = 100_000


def bounded(message: str) -> None:
    assert len(message.encode()) < 1200, message[:300]
    assert " more" in message, message[:600]


def many_settings() -> dict[str, Any]:
    return {f"setting_{index:06}_" + "s" * 50: index for index in range(MANY)}


def test_a_missing_setting_lists_what_its_object_has_bounded():
    settings = Settings({"big": {"inner": many_settings()}})
    with pytest.raises(SettingsError) as failed:
        settings.lookup("big.inner.wanted")
    bounded(str(failed.value))
    assert "'big.inner' has: setting_000000_" in str(failed.value)


def test_an_app_reference_that_names_no_setting_lists_the_app_s_settings_bounded():
    settings = Settings({"big": many_settings()})
    with pytest.raises(ProseError) as failed:
        setting_key(settings, parse_endpoint("big's wanted port"))
    bounded(str(failed.value))
    assert "(tried wanted_port" in str(failed.value)


def test_an_unknown_app_lists_the_apps_bounded():
    settings = Settings({f"app_{index:05}_" + "a" * 50: {} for index in range(20_000)})
    with pytest.raises(SettingsError) as failed:
        settings.app("wanted")
    bounded(str(failed.value))
    assert "apps there: app_00000_" in str(failed.value)


def test_an_unknown_environment_lists_the_environments_bounded(tmp_path):
    for index in range(2_000):
        (tmp_path / f"env_{index:04}_{'e' * 60}.json").write_text("{}")
    with pytest.raises(SettingsError) as failed:
        load_settings(tmp_path, "wanted")
    bounded(str(failed.value))
    assert "environments there: env_0000_" in str(failed.value)


class Endless(Mapping[str, Any]):
    """An object of more parts than anyone could walk: reading past ``allowed`` of them fails the test."""

    def __init__(self, allowed: int) -> None:
        self.allowed, self.read = allowed, 0

    def __getitem__(self, key: str) -> Any:
        return 1

    def __iter__(self) -> Iterator[str]:
        index = 0
        while True:
            self.read += 1
            assert self.read <= self.allowed, "the whole value was walked"
            yield f"part{index}"
            index += 1

    def __len__(self) -> int:
        return 10**12


def test_a_value_s_parts_are_walked_no_further_than_what_is_listed():
    checkpoint = Checkpoint()
    checkpoint.set("reply", Endless(allowed=100_000))
    with pytest.raises(ProseError) as failed:
        checkpoint.reach("reply.wanted.x")
    assert "it has: part0, part1" in str(failed.value)
    assert len(str(failed.value).encode()) < 1200


def test_a_deep_value_s_parts_are_listed_without_recursion():
    deep: list[Any] = []
    inner = deep
    for _ in range(200_000):  # deeper than Python recurses, and than the walk goes
        inner.append([])
        inner = inner[0]
    inner.append("leaf")
    checkpoint = Checkpoint()
    checkpoint.set("deep", deep)
    with pytest.raises(ProseError) as failed:
        checkpoint.reach("deep.wanted")
    assert str(failed.value).endswith("it has: … (more parts than are read)"), str(failed.value)[:300]
    assert len(str(failed.value).encode()) < 1200


def test_a_value_s_parts_are_listed_as_before_when_they_are_few():
    checkpoint = Checkpoint()
    checkpoint.set("reply", {"header": {"id": 1, "tags": []}, "items": [1, {"name": "a"}], "empty": {}})
    with pytest.raises(ProseError) as failed:
        checkpoint.reach("reply.wanted")
    assert str(failed.value).endswith("it has: header.id, header.tags, items.0, items.1.name, empty")
    with pytest.raises(ProseError) as failed:
        checkpoint.reach("reply.header.id.x")
    assert "it has: header.id" in str(failed.value)
