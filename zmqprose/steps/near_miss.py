"""Help for a step that no phrase matches: the closest phrases of zmqprose's vocabulary.

behave reports such a step as undefined and offers a snippet to write; a
spec's author more often meant one of zmqprose's phrases and wrote it a
little differently (``I send a JSON message`` for ``I send the JSON message``,
single quotes for double, ``ogre is started`` for ``ogre is running``). The
step's text and every phrase are read in the same rough form (quoted texts,
frames, durations, numbers and app references as words like TEXT, FRAMES,
DURATION, SOCKET) and compared with difflib: each phrase with its optional
parts left out and written in, and the step as written and with the words
that no phrase has (an app's name) read as APP. When the step has the very
parts of the closest phrase in another order, the help says so; a wish that
no phrase has on purpose (a plain wait) is told where it goes instead.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections import Counter

from zmqprose.sockets.references import APP_REFERENCE_TEXT
from zmqprose.steps.arguments import READABLE

PLACEHOLDER = re.compile(r"\{(\w+):(\w+)\}")
DURATION_TEXT = r"\b\d+(?:\.\d+)? (?:seconds?|ms|milliseconds?|minutes?)\b"
SOCKET_TYPES = r"\b(?:PAIR|PUB|SUB|REQ|REP|DEALER|ROUTER|PULL|PUSH|XPUB|XSUB|STREAM|XREQ|XREP)\b"
FORMATS = r"\b(?:JSON|msgpack|Jupyter)\b"
ROUGH = [  # how a written step reads roughly: what a phrase's argument stands for
    (re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\''), "TEXT"),
    (re.compile(r"\[.*\]|\{.*\}"), "FRAMES"),
    (re.compile(DURATION_TEXT), "DURATION"),
    (re.compile(rf"\b{APP_REFERENCE_TEXT}\b"), "SOCKET"),
    (re.compile(r"\b\d+(?:\.\d+)?%?"), "N"),
    (re.compile(SOCKET_TYPES), "TYPE"),
    (re.compile(FORMATS), "FORMAT"),
]
SAME_WORD = {"endpoint": "socket", "json": "frames", "k": "n", "…": ""}  # a phrase's words as a step's read
SAME_STATE = {"started": "running", "up": "running", "launched": "running", "stopped": "not running",
              "down": "not running", "dead": "not running"}  # a state a step may name for one a phrase names
ARGUMENTS = {"text", "frames", "duration", "socket", "n", "type", "format", "app"}
OPTIONAL = re.compile(r"\[([^\]]*)\]")  # an optional part of a readable phrase: left out, or written in
MOST_OPTIONAL = 4  # a phrase with more optional parts is compared with none, one, or all of them written in
CUTOFF = 0.55  # how alike a step and a phrase must read (difflib's ratio) for the phrase to be offered
PHRASES: list[str] = []  # every phrase zmqprose registers, as written in its step definition
WISHES = [  # what a step may ask for that no phrase does, on purpose, and where it goes instead
    (re.compile(r"^(?:I |we )?(?:wait|sleep|pause)\b", re.IGNORECASE),
     "zmqprose has no phrase that only waits: a wait goes with what it waits for, and ends as soon as that "
     "happens, e.g.\n"
     "    I receive TEXT from SOCKET [within DURATION]\n"
     "    I eventually receive TEXT from SOCKET [within DURATION]\n"
     "    I receive nothing from SOCKET within DURATION\n"
     "    SOCKET becomes connected within DURATION\n"
     "    APP's output contains TEXT within DURATION"),
]


def readable(pattern: str) -> str:
    """A phrase as a person reads it: ``I send TEXT to SOCKET [without blocking]``."""
    return PLACEHOLDER.sub(lambda match: READABLE.get(match[2], match[2].upper()), pattern)


def rough(text: str) -> str:
    """A text with its arguments replaced by the words that stand for them."""
    for pattern, word in ROUGH:
        text = pattern.sub(word, text)
    return re.sub(r"\s+", " ", text).strip().lower()


def rough_phrase(text: str) -> str:
    """A readable phrase (or one way of writing it) in the rough form of a step that is written so."""
    return " ".join(SAME_WORD.get(word, word) for word in rough(text).split()).strip()


def ways_of_writing(phrase: str) -> list[str]:
    """A readable phrase as it may be written: its optional parts left out and written in (every choice, or
    for a phrase with many: none, each one, and all)."""
    parts = OPTIONAL.findall(phrase)
    if len(parts) <= MOST_OPTIONAL:
        choices: list[tuple[bool, ...]] = list(itertools.product((False, True), repeat=len(parts)))
    else:
        choices = [(False,) * len(parts), (True,) * len(parts),
                   *(tuple(at == one for at in range(len(parts))) for one in range(len(parts)))]
    pieces = OPTIONAL.split(phrase)  # the phrase's own words, then each optional part, in turn
    return ["".join(f" {piece} " if at % 2 and choice[at // 2] else " " if at % 2 else piece
                    for at, piece in enumerate(pieces)) for choice in choices]


@functools.lru_cache(maxsize=4)
def vocabulary(phrases: tuple[str, ...]) -> tuple[dict[str, list[str]], frozenset[str]]:
    """Each readable phrase with the rough forms of its ways of writing, and every word the phrases have."""
    ways = {}
    for pattern in phrases:
        phrase = readable(pattern)
        ways[phrase] = list(dict.fromkeys(rough_phrase(way) for way in ways_of_writing(phrase)))
    words = frozenset(word.removesuffix("'s") for forms in ways.values() for form in forms for word in form.split())
    return ways, words


def readings(step_text: str, words: frozenset[str]) -> list[str]:
    """A step's text in rough form: as written, and with one of the words no phrase has (an app's name, most
    likely) read as APP, each in turn."""
    written = rough(step_text).split()
    readings = [" ".join(written)]
    if any(word in SAME_STATE for word in written):
        written = " ".join(SAME_STATE.get(word, word) for word in written).split()
        readings.append(" ".join(written))
    for at, word in enumerate(written):
        name = word.removesuffix("'s")
        if name not in words and re.fullmatch(r"[a-z_][\w.-]*", name):
            readings.append(" ".join([*written[:at], "app" + word[len(name):], *written[at + 1:]]))
    return readings


def likeness(step_forms: list[str], phrase_forms: list[str]) -> float:
    """How alike a step and a phrase read at best (difflib's ratio), any reading of the step with any way of
    writing the phrase."""
    best = 0.0
    for step_form in step_forms:
        matcher = difflib.SequenceMatcher(b=step_form)
        for phrase_form in phrase_forms:
            matcher.set_seq1(phrase_form)
            bar = max(best, CUTOFF)  # what cannot reach it is not worth difflib's full comparison
            if matcher.real_quick_ratio() >= bar and matcher.quick_ratio() >= bar:
                best = max(best, matcher.ratio())
    return best


def closest(step_text: str, count: int = 3) -> list[str]:
    """The phrases closest to a step's text, readable, best first."""
    ways, words = vocabulary(tuple(PHRASES))
    step_forms = readings(step_text, words)
    scored = [(score, phrase) for phrase, forms in ways.items() if (score := likeness(step_forms, forms)) >= CUTOFF]
    scored.sort(key=lambda found: -found[0])
    return [phrase for _, phrase in scored[:count]]


def in_another_order(step_text: str, phrase: str) -> bool:
    """Whether a step has the words and arguments of a phrase (written one of its ways), in another order."""
    ways, words = vocabulary(tuple(PHRASES))
    for step_form in readings(step_text, words):
        step_words = arguments_alike(step_form)
        for phrase_form in ways[phrase]:
            phrase_words = arguments_alike(phrase_form)
            if step_words != phrase_words and Counter(step_words) == Counter(phrase_words):
                return True
    return False


def arguments_alike(form: str) -> list[str]:
    """A rough form's words, every argument the same word: a quoted socket name reads as TEXT in a step."""
    return ["ARG" if word.removesuffix("'s").removesuffix(":") in ARGUMENTS else word for word in form.split()]


@functools.lru_cache(maxsize=1024)  # a suite repeats its steps, and an undefined one in every scenario
def advice(step_text: str) -> str | None:
    """What to tell the author of a step that matched nothing; None if nothing is close."""
    for wish, told in WISHES:
        if wish.search(step_text.strip()):
            return f"zmqprose: no phrase matches '{step_text}'; {told}"
    near = closest(step_text)
    if not near:
        return None
    if in_another_order(step_text, near[0]):
        return (f"zmqprose: no phrase matches '{step_text}'; it has the parts of this phrase, in another order:\n"
                f"    {near[0]}")
    lines = "\n".join(f"    {phrase}" for phrase in near)
    return f"zmqprose: no phrase matches '{step_text}'; the closest of zmqprose's:\n{lines}"
