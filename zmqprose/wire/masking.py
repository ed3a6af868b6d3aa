"""Secrets stay out of every output: the action log, failures, reports.

The secret values are collected once, when settings are loaded (values
whose key says ``key``, ``secret``, ``password`` or ``token``, each leaf of
a list or an object under such a key, numbers as their text, and what a
secret refers to as filled in), and kept for the whole process: masking a
line then costs one regular expression search, however large the settings. Masking happens on the raw text or
bytes, before anything is shortened or shown as hex, so that no part of a
secret survives a cut or an encoding.

A secret is also masked in every encoding zmqprose itself produces: as a
JSON string's content (escaped, with and without ``ensure_ascii``), as
Python's ``repr`` writes it, as hex (``hex:…``), and in base64 at any
alignment (the characters that only the secret's bytes decide).
"""

from __future__ import annotations

import base64
import builtins
import json
import re
import threading
from collections.abc import Iterable
from typing import Any

MASK = "••••"
SHORTEST_SECRET = 4  # shorter values would mask ordinary text everywhere
SHORTEST_BASE64 = 6  # the part of a secret's base64 that is masked must be at least this long


def encodings(secret: str) -> set[str]:
    """``secret`` as each encoding zmqprose produces writes it."""
    raw = secret.encode("utf-8")
    written = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1],
               repr(secret)[1:-1], raw.hex(), raw.hex().upper()}
    for shift, first in ((0, 0), (1, 2), (2, 3)):  # the secret starting 0, 1 or 2 bytes into a group of 3
        padded = b"\0" * shift + raw
        whole_groups = len(padded) // 3 * 4  # characters decided by these bytes alone
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            core = encode(padded).decode("ascii")[first:whole_groups]
            if len(core) >= SHORTEST_BASE64:
                written.add(core)
    return {form for form in written if len(form) >= SHORTEST_SECRET}


class Masker:
    """Remembers secrets and replaces them by ``••••`` in text and bytes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._secrets: set[str] = set()
        self._text: re.Pattern[str] | None = None
        self._bytes: re.Pattern[bytes] | None = None
        self._longest = 0  # bytes of the longest form of a secret (its characters are no more)

    def remember(self, values: Iterable[str]) -> None:
        """Mask these values from now on."""
        new = {form for value in values if len(value) >= SHORTEST_SECRET for form in encodings(value)} - self._secrets
        if not new:
            return
        with self._lock:
            self._secrets.update(new)
            longest_first = sorted(self._secrets, key=len, reverse=True)
            self._text = re.compile("|".join(map(re.escape, longest_first)))
            self._bytes = re.compile(b"|".join(re.escape(s.encode("utf-8")) for s in longest_first))
            self._longest = max(len(form.encode("utf-8")) for form in self._secrets)

    def text(self, text: str) -> str:
        """``text`` with every secret replaced by ``••••``."""
        pattern = self._text
        return text if pattern is None else pattern.sub(MASK, text)

    def bytes(self, data: bytes) -> bytes:
        """``data`` with every secret's UTF-8 bytes replaced by ``••••``."""
        pattern = self._bytes
        return data if pattern is None else pattern.sub(MASK.encode("utf-8"), data)

    def safe_cut(self, data: str | builtins.bytes, at: int) -> int:
        """Where to cut ``data`` so as to keep at most ``at`` of it and no part of a secret: ``at``, or the start
        of a secret that runs across it. What is kept is masked when it is shown; a part of a secret would not be.

        Only the secrets that could run across ``at`` are looked for, so a cut costs the same however long
        ``data`` is.
        """
        pattern: re.Pattern[Any] | None = self._bytes if isinstance(data, builtins.bytes) else self._text
        longest = self._longest
        if pattern is None or at >= len(data):
            return at
        position = max(at - longest + 1, 0)
        while (found := pattern.search(data, position, at + longest)) is not None and found.start() < at:
            if found.end() > at:
                return found.start()
            position = found.start() + 1  # one that starts inside this one may still run across
        return at


PROCESS_SECRETS = Masker()  # every secret of every settings loaded in this process
remember_secrets = PROCESS_SECRETS.remember
mask_text = PROCESS_SECRETS.text
mask_bytes = PROCESS_SECRETS.bytes
safe_cut = PROCESS_SECRETS.safe_cut
