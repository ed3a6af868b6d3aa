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


class Masker:
    """Remembers secrets and replaces them by ``••••`` in text and bytes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._text: re.Pattern[str] | None = None
        self._bytes: re.Pattern[bytes] | None = None

    def remember(self, values: Iterable[str]) -> None:
        """Mask these values from now on."""
        new = {value for value in values if len(value) >= SHORTEST_SECRET} - self._secrets
        if not new:
            return
        with self._lock:
            self._secrets.update(new)
            longest_first = sorted(self._secrets, key=len, reverse=True)
            self._text = re.compile("|".join(map(re.escape, longest_first)))
            self._bytes = re.compile(b"|".join(re.escape(s.encode("utf-8")) for s in longest_first))

    def text(self, text: str) -> str:
        """``text`` with every secret replaced by ``••••``."""
        pattern = self._text
        return text if pattern is None else pattern.sub(MASK, text)

    def bytes(self, data: bytes) -> bytes:
        """``data`` with every secret's UTF-8 bytes replaced by ``••••``."""
        pattern = self._bytes
        return data if pattern is None else pattern.sub(MASK.encode("utf-8"), data)


PROCESS_SECRETS = Masker()  # every secret of every settings loaded in this process
remember_secrets = PROCESS_SECRETS.remember
mask_text = PROCESS_SECRETS.text
mask_bytes = PROCESS_SECRETS.bytes
