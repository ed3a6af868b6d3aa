"""Help for a step that no phrase matches: the closest phrases of zmqprose's vocabulary.

behave reports such a step as undefined and offers a snippet to write; a
spec's author more often meant one of zmqprose's phrases and wrote it a
little differently (``I send a JSON message`` for ``I send the JSON message``,
single quotes for double). The step's text and every phrase are read in the
same rough form (quoted texts, frames, JSON and app references as words
like TEXT, FRAMES, SOCKET) and compared with difflib.
"""

from __future__ import annotations

import difflib
import re

from zmqprose.sockets.references import APP_REFERENCE_TEXT
from zmqprose.steps.arguments import READABLE

PLACEHOLDER = re.compile(r"\{(\w+):(\w+)\}")
ROUGH = [  # how a written step reads roughly: what a phrase's argument stands for
    (re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''), "TEXT"),
    (re.compile(r"\[.*\]|\{.*\}"), "FRAMES"),
    (re.compile(rf"\b{APP_REFERENCE_TEXT}\b"), "SOCKET"),
    (re.compile(r"\b\d+(?:\.\d+)?\b"), "N"),
]
OPTIONAL = re.compile(r"\[[^\]]*\]")  # the optional parts of a readable phrase, left out to compare
PHRASES: list[str] = []  # every phrase zmqprose registers, as written in its step definition


def readable(pattern: str) -> str:
    """A phrase as a person reads it: ``I send TEXT to SOCKET [without blocking]``."""
    return PLACEHOLDER.sub(lambda match: READABLE.get(match[2], match[2].upper()), pattern)


def rough(text: str) -> str:
    """A text with its arguments replaced by the words that stand for them."""
    for pattern, word in ROUGH:
        text = pattern.sub(word, text)
    return re.sub(r"\s+", " ", text).strip().lower()


def closest(step_text: str, count: int = 3) -> list[str]:
    """The phrases closest to a step's text, readable, best first."""
    phrases = {rough(OPTIONAL.sub("", readable(pattern))): readable(pattern) for pattern in PHRASES}
    found = difflib.get_close_matches(rough(step_text), list(phrases), n=count, cutoff=0.55)
    return [phrases[key] for key in found]


def advice(step_text: str) -> str | None:
    """What to tell the author of a step that matched nothing; None if nothing is close."""
    near = closest(step_text)
    if not near:
        return None
    lines = "\n".join(f"    {phrase}" for phrase in near)
    return f"zmqprose: no phrase matches '{step_text}'; the closest of zmqprose's:\n{lines}"
