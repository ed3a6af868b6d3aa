"""Secrets stay out of every output: the action log, failures, reports.

The secret values are collected once, when settings are loaded (values
whose key says ``key``, ``secret``, ``password`` or ``token``), and kept
for the whole process: masking a line then costs one regular expression
search, however large the settings. Masking happens on the raw text or
bytes, before anything is shortened or shown as hex, so that no part of a
secret survives a cut or an encoding.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

MASK = "••••"
SHORTEST_SECRET = 4  # shorter values would mask ordinary text everywhere

_lock = threading.Lock()
_secrets: set[str] = set()
_text_pattern: re.Pattern[str] | None = None
_bytes_pattern: re.Pattern[bytes] | None = None


def remember_secrets(values: Iterable[str]) -> None:
    """Mask these values from now on, in every output of this process."""
    global _text_pattern, _bytes_pattern
    new = {value for value in values if len(value) >= SHORTEST_SECRET} - _secrets
    if not new:
        return
    with _lock:
        _secrets.update(new)
        longest_first = sorted(_secrets, key=len, reverse=True)
        _text_pattern = re.compile("|".join(map(re.escape, longest_first)))
        _bytes_pattern = re.compile(b"|".join(re.escape(s.encode("utf-8")) for s in longest_first))


def mask_text(text: str) -> str:
    """``text`` with every secret replaced by ``••••``."""
    pattern = _text_pattern
    return text if pattern is None else pattern.sub(MASK, text)


def mask_bytes(data: bytes) -> bytes:
    """``data`` with every secret's UTF-8 bytes replaced by ``••••``."""
    pattern = _bytes_pattern
    return data if pattern is None else pattern.sub(MASK.encode("utf-8"), data)
