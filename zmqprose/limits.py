"""The bounds on what a spec may ask for, checked where the value comes in.

A wait, a count or a size beyond these would overflow a ZeroMQ option or a
buffer deep inside, and fail with a traceback instead of a sentence. The
bounds are far past anything a test needs.
"""

from __future__ import annotations

import math

from zmqprose.errors import ProseError

MAX_WAIT = 86_400.0  # seconds: a day
MAX_COUNT = 1_000_000_000  # messages in one push or pull: the pull's tally is one bit each (125 MB)
MAX_MESSAGE_SIZE = 256 * 1024 * 1024  # bytes of one pushed message
NAMES_SHOWN = 20  # names a message lists of what a value has (an object's keys): past them, how many more
NAMES_BYTES = 400  # bytes (UTF-8) those names take at most in a message
NAME_SHOWN = 60  # characters of one such name: a longer one is cut
PARTS_WALKED = 10_000  # parts of a value walked to list its paths (the rest is "more not read")


def seconds(value: float) -> str:
    """A wait as a person reads it: to the millisecond, no trailing zeros (``5``, ``0.25``, never ``4.99998``)."""
    return f"{round(value, 3):g}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """A count of things as a message says it: ``1 request``, ``2 requests``, ``1,000 requests``; ``plural`` for
    words that are not the noun and an s (``counted(n, "connection was", "connections were")``). Not for the
    text of a phrase, which a step reads back (``1,000`` is no count there)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def check_wait(seconds: object, what: str = "a wait") -> float:
    """``seconds`` as a float, if it is a finite number from 0 (do not wait) to :data:`MAX_WAIT`."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not math.isfinite(seconds):
        raise ProseError(f"{what} must be a number of seconds, not {seconds!r}")
    if not 0 <= seconds <= MAX_WAIT:
        raise ProseError(f"{what} must be from 0 to {MAX_WAIT:g} seconds (a day), not {seconds:g}")
    return float(seconds)


def check_count(count: int, what: str, limit: int = MAX_COUNT, least: int = 1) -> int:
    """``count`` if it is a whole number from ``least`` to ``limit``; else a clear error that says the limit."""
    if isinstance(count, bool) or not isinstance(count, int) or not least <= count <= limit:
        raise ProseError(f"{what} must be a whole number from {least:,} to {limit:,}, not {count!r}")
    return count
