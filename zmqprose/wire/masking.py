"""Secrets stay out of every output: the action log, failures, reports.

The secret values come from the settings when they are loaded (values
whose key says ``key``, ``secret``, ``password`` or ``token``, each leaf of
a list or an object under such a key, numbers as their text, and what a
secret refers to as filled in) and from the CURVE pairs a run makes. Each
belongs to its owner, the object whose life it lasts: the settings that
hold it, the run whose keys it is, the socket that is secured with it. A
secret is masked while its owner lives, and forgotten once the owner is
gone (reclaimed by Python), so that a process that runs many runs one after
another (behavex's workers, a pytest session) masks the secrets of the runs
that live, not of every run it ever ran. Output is masked as it is made, so
a secret shows nowhere while its run lives; a run whose objects are still
held (a failed test's traceback) keeps its secrets masked.

Masking a line costs one regular expression search, however large the
settings; the expression is made again only when the secrets masked change.
Masking happens on the raw text or bytes, before anything is shortened or
shown as hex, so that no part of a secret survives a cut or an encoding.

A secret is also masked in every encoding zmqprose itself produces: as a
JSON string's content (escaped, with and without ``ensure_ascii``), as
Python's ``repr`` writes it, as hex (``hex:…``), and in base64 at any
alignment (the characters that only the secret's bytes decide).
"""

from __future__ import annotations

import base64
import builtins
import itertools
import json
import re
import threading
import weakref
from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

MASK = "••••"
SHORTEST_SECRET = 4  # shorter values would mask ordinary text everywhere
SHORTEST_BASE64 = 6  # the part of a secret's base64 that is masked must be at least this long
FOR_THE_PROCESS = 0  # the holding of secrets remembered without an owner: kept while the process lives


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


class Compiled(NamedTuple):
    """The secrets masked now, as patterns: of text, of UTF-8 bytes; and the bytes of the longest."""

    text: re.Pattern[str] | None
    bytes: re.Pattern[builtins.bytes] | None
    longest: int


NOTHING_MASKED = Compiled(None, None, 0)


class Masker:
    """Remembers secrets, each while its owner lives, and replaces them by ``••••`` in text and bytes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: dict[int, set[str]] = {FOR_THE_PROCESS: set()}  # a holding (one owner's) -> its forms
        self._owners: dict[int, tuple[weakref.ref[Any], int]] = {}  # id of an owner -> (the owner, its holding)
        self._holdings = itertools.count(FOR_THE_PROCESS + 1)
        self._ended: list[tuple[int, int]] = []  # (id of an owner that is gone, its holding): told by a finalizer
        self._counts: Counter[str] = Counter()  # a form -> how many holdings hold it
        self._compiled = NOTHING_MASKED  # read at once by those who mask: never one part new and one old

    def remember(self, values: Iterable[str], owner: object | None = None) -> None:
        """Mask these values from now on: while ``owner`` lives (an object that can be weakly referred to), or,
        without one, for the life of the process."""
        new = {form for value in values if len(value) >= SHORTEST_SECRET for form in encodings(value)}
        with self._lock:
            changed = self._forget_ended()
            if new:
                held = self._held[self._holding_of(owner)]
                added = new - held
                held.update(added)
                self._counts.update(added)
                changed = changed or any(self._counts[form] == 1 for form in added)
            if changed:
                self._compile()

    def size(self) -> int:
        """How many forms of secrets are masked now (those of owners that live; the gone ones forgotten)."""
        self._settle()
        return len(self._counts)

    def _settle(self) -> None:
        """Forget the secrets of owners that are gone, if there are any (a finalizer only tells of them)."""
        with self._lock:
            if self._forget_ended():
                self._compile()

    def _holding_of(self, owner: object | None) -> int:
        """The holding of ``owner``'s secrets, made when it first has one, ended (by a finalizer) when it is gone."""
        if owner is None:
            return FOR_THE_PROCESS
        known = self._owners.get(id(owner))
        if known is not None and known[0]() is owner:
            return known[1]
        holding = next(self._holdings)
        self._held[holding] = set()
        self._owners[id(owner)] = (weakref.ref(owner), holding)
        ends = weakref.finalize(owner, self._ended.append, (id(owner), holding))  # no lock: it may run in the GC
        ends.atexit = False
        return holding

    def _forget_ended(self) -> bool:
        """Forget the secrets of owners that are gone (under the lock); True if a form is no longer masked."""
        changed = False
        while self._ended:
            owner, holding = self._ended.pop()
            if self._owners.get(owner, (None, None))[1] == holding:  # not yet the id of a new owner
                del self._owners[owner]
            for form in self._held.pop(holding, ()):
                self._counts[form] -= 1
                if not self._counts[form]:
                    del self._counts[form]
                    changed = True
        return changed

    def _compile(self) -> None:
        longest_first = sorted(self._counts, key=len, reverse=True)
        if not longest_first:
            self._compiled = NOTHING_MASKED
            return
        self._compiled = Compiled(re.compile("|".join(map(re.escape, longest_first))),
                                  re.compile(b"|".join(re.escape(s.encode("utf-8")) for s in longest_first)),
                                  max(len(form.encode("utf-8")) for form in longest_first))

    def text(self, text: str) -> str:
        """``text`` with every secret replaced by ``••••``."""
        if self._ended:
            self._settle()
        pattern = self._compiled.text
        return text if pattern is None else pattern.sub(MASK, text)

    def bytes(self, data: bytes) -> bytes:
        """``data`` with every secret's UTF-8 bytes replaced by ``••••``."""
        if self._ended:
            self._settle()
        pattern = self._compiled.bytes
        return data if pattern is None else pattern.sub(MASK.encode("utf-8"), data)

    def safe_cut(self, data: str | builtins.bytes, at: int) -> int:
        """Where to cut ``data`` so as to keep at most ``at`` of it and no part of a secret: ``at``, or the start
        of a secret that runs across it. What is kept is masked when it is shown; a part of a secret would not be.

        Only the secrets that could run across ``at`` are looked for, so a cut costs the same however long
        ``data`` is.
        """
        if self._ended:
            self._settle()
        compiled = self._compiled
        pattern: re.Pattern[Any] | None = compiled.bytes if isinstance(data, builtins.bytes) else compiled.text
        longest = compiled.longest
        if pattern is None or at >= len(data):
            return at
        position = max(at - longest + 1, 0)
        while (found := pattern.search(data, position, at + longest)) is not None and found.start() < at:
            if found.end() > at:
                return found.start()
            position = found.start() + 1  # one that starts inside this one may still run across
        return at


PROCESS_SECRETS = Masker()  # the secrets of every run (settings, keys, sockets) that lives in this process
remember_secrets = PROCESS_SECRETS.remember
mask_text = PROCESS_SECRETS.text
mask_bytes = PROCESS_SECRETS.bytes
safe_cut = PROCESS_SECRETS.safe_cut
