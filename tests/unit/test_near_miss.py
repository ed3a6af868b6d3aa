"""The help for a step that no phrase matches (issue 28, item 13): the phrase it meant, for a step written with an
app's name, with optional parts, with its parts in another order, and for a wish that no phrase has (a plain wait).
"""

from __future__ import annotations

import pytest

import zmqprose.steps  # noqa: F401  (registers the phrases)
from zmqprose.steps import catalog
from zmqprose.steps.near_miss import advice


def told(written: str) -> str:
    found = advice(written)
    assert found is not None, f"no advice for {written!r}"
    return found


def offered(written: str) -> list[str]:
    """The phrases the help offers for a step, as the README writes them."""
    return [line.strip() for line in told(written).splitlines()[1:]]


@pytest.mark.parametrize(("written", "meant"), [
    ("ogre is started", "APP is running"),
    ("ogre is stopped", "APP is not running"),
    ("ogre is up", "APP is running"),
    ("master still asnwers within 5 seconds", "APP still answers [within DURATION]"),
    ('I run "python tools/pump.py" within 60 sceonds', "I run TEXT [within DURATION]"),
    ("I recieve a JSON message from keeper's control endpoint within 2 seconds with the envelope [\"\"] containing:",
     "I [eventually ]receive a FORMAT message from SOCKET [within DURATION] [with the envelope FRAMES] containing:"),
    ('the stub "worker" recieved a JSON message within 2 seconds containing:',
     "the stub SOCKET received a FORMAT message [within DURATION] containing:"),
    ("kernel's output contians \"ready\" within 2 seconds", "APP's output contains TEXT within DURATION"),
])
def test_a_step_with_an_apps_name_or_optional_parts_is_shown_the_phrase_it_meant(written, meant):
    assert meant in offered(written), told(written)


@pytest.mark.parametrize(("written", "meant"), [
    ("I send to ogre's command port \"PING\"", "I send TEXT to SOCKET [without blocking]"),
    ("I receive a JSON message from keeper's control endpoint with the envelope [\"\"] within 2 seconds containing:",
     "I [eventually ]receive a FORMAT message from SOCKET [within DURATION] [with the envelope FRAMES] containing:"),
    ("I receive from ogre's response port \"PONG\"", "I [eventually ]receive TEXT from SOCKET [within DURATION]"),
])
def test_a_step_whose_parts_are_in_another_order_is_told_so(written, meant):
    lines = told(written).splitlines()
    assert "in another order" in lines[0] and lines[1].strip() == meant, lines


def test_a_step_in_the_phrases_order_is_not_told_of_another_order():
    assert "order" not in told("I send a JSON message to keeper's control endpoint:")


@pytest.mark.parametrize("written", ["I wait 1 second", "I wait for 2 seconds", "I sleep 500 ms", "wait 1 second"])
def test_a_plain_wait_is_told_where_a_wait_goes(written):
    found = told(written)
    assert "no phrase that only waits" in found and "within DURATION" in found, found


def test_every_phrase_written_with_a_typo_is_shown_the_phrase():
    """Every phrase's example, with a letter pair swapped in its longest word, finds that phrase among three."""
    for entry in catalog.entries():
        words = entry.example.split(" ")[1:]
        plain = [at for at, word in enumerate(words) if word.isalpha() and word.islower() and len(word) > 3]
        if not plain:
            continue
        at = max(plain, key=lambda index: len(words[index]))
        words[at] = words[at][0] + words[at][2] + words[at][1] + words[at][3:]
        written = " ".join(words)
        assert entry.phrase in offered(written), (written, told(written))


def test_a_step_far_from_every_phrase_still_gets_no_advice():
    assert advice("the moon is made of cheese and nothing else at all") is None
    assert advice("a user named bob exists") is None
