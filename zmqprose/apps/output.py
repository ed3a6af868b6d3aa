"""What a process printed: a log file read from an offset, in pieces, never whole.

An app's log is appended to by every process of the app (a restart writes
after the one before), so what *this* process printed starts at an offset:
the size of the log when it started, or when the scenario began, whichever
is later (docs: reference/apps.md, *Apps and commands under the spec's control*). A line that an earlier process or
an earlier scenario printed never satisfies a check.

Every read here is bounded, however much a process prints: a search keeps
its place and reads only what is new, a tail reads the end of the file, a
``ready`` pattern (and ``store what … matches``) runs on one line at a time
(none kept; a line longer than 64 KiB in pieces) with the time bound of
every ``#regex``, and a check over the whole output reads at most 8 MiB.

An app's log and a command's output are read as zmqprose wrote them: the
process may swap the file, or its folder, for a link to another file, and a
link is never read through (:func:`open_own`). A file an app writes (``the
file "PATH" contains``) is read the same way, in pieces, but only inside the
run's folder and never through a link (:func:`file_in`,
:func:`zmqprose.files.open_to_read`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, BinaryIO

from zmqprose.errors import ProseError
from zmqprose.files import LinkRefused, NotAFile, open_to_read
from zmqprose.wire.masking import mask_text

if TYPE_CHECKING:
    import regex

CHUNK = 1 << 16  # bytes read at a time
TAIL_BYTES = 1 << 16  # the end of a log that a tail reads
LONGEST_LINE = 1 << 16  # a longer line is looked at in pieces of this size
WHOLE_OUTPUT_LIMIT = 8 << 20  # what a check over the whole output (``matches``) may read
REGEX_SECONDS = 1.0  # the time one line may take a ``ready`` pattern


def open_own(path: Path) -> BinaryIO:
    """A file zmqprose writes a process's output into (an app's log, a command's output), opened to read as
    zmqprose made it: neither the file nor its folder may be a link (the process may have swapped either for
    one, to another file). A link, or what is not a file, is a :class:`ProseError` that says so;
    :class:`FileNotFoundError` while it is not there."""
    try:
        return open_to_read(path.parent.parent, PurePath(path.parent.name, path.name))
    except (LinkRefused, NotAFile) as error:
        raise ProseError(f"{path} is not read: {error.strerror}; the process put it in place of the file "
                         f"zmqprose keeps its output in") from None
    except PermissionError:
        raise ProseError(f"{path} cannot be read: permission denied; the process changed the file zmqprose "
                         f"keeps its output in") from None


@contextlib.contextmanager
def opened_by(opener: Callable[[], BinaryIO]) -> Iterator[BinaryIO | None]:
    """What ``opener`` opens, or None while it is not there; any other error is the opener's to say."""
    try:
        log = opener()
    except (FileNotFoundError, NotADirectoryError):
        yield None
        return
    with log:
        yield log


def file_in(root: Path, path: str) -> Output:
    """A file that an app writes, to be read in pieces: ``path`` (absolute, as ``${APP.folder}/…`` makes it)
    must lie inside the run's folder ``root``, and is read only through folders that are not links.

    A path outside it is a :class:`ProseError` now; a link on the way, or something that is not a file,
    when it is read.
    """
    written = PurePath(path)
    relative = inside(root, written)
    if relative is None:
        why = ("is not a whole path" if not written.is_absolute() else "goes up with '..'" if ".." in written.parts
               else "is not a file inside the run's folder")
        raise ProseError(f"the file {path!r} {why}: zmqprose reads only files inside the run's folder {root}; "
                         f"write the path from an app's folder, e.g. \"${{APP.folder}}/{written.name}\"")

    def open_inside() -> BinaryIO:
        try:
            return open_to_read(root, relative)
        except LinkRefused as error:
            raise ProseError(f"the file {path!r} is not read: {error.strerror} (a file is read only inside the "
                             f"run's folder {root}, never through a link)") from None
        except NotAFile as error:
            raise ProseError(f"the file {path!r} is not read: {error.strerror}") from None
        except PermissionError:
            raise ProseError(f"the file {path!r} cannot be read: permission denied") from None

    return Output(root / relative, opener=open_inside)


def inside(root: Path, path: PurePath) -> PurePath | None:
    """``path`` relative to ``root`` (or to ``root`` with its links resolved), if it names something inside
    it, without ``..``; else None."""
    if not path.is_absolute() or ".." in path.parts:
        return None
    for base in dict.fromkeys((PurePath(root), PurePath(os.path.realpath(root)))):
        with contextlib.suppress(ValueError):
            relative = path.relative_to(base)
            return relative if relative.parts else None
    return None


def file_size(path: Path) -> int:
    """The size of a file now (of a link, not of what it points to); 0 if it is not there."""
    try:
        return path.lstat().st_size
    except OSError:
        return 0


class Output:
    """What one process printed into ``path`` from byte ``start`` on (or what ``opener`` opens, which raises
    :class:`FileNotFoundError` while there is nothing to read yet). ``path`` is read as zmqprose wrote it,
    never through a link (:func:`open_own`)."""

    def __init__(self, path: Path, start: int = 0, opener: Callable[[], BinaryIO] | None = None) -> None:
        self.path = path
        self.start = start
        self._opener = opener
        self._searched = start  # where an incremental search goes on from
        self._overlap = b""  # the end of what was searched: a text may straddle two reads
        self._lines_at = start  # where the line scan goes on from
        self._partial = b""  # a line not yet ended

    def since(self, offset: int) -> Output:
        """The same output, from the later of its start and ``offset`` (a scenario's start)."""
        return self if offset <= self.start else Output(self.path, offset, self._opener)

    def exists(self) -> bool:
        """Whether there is anything to read yet (the file is there)."""
        with self._opened() as log:
            return log is not None

    def size(self) -> int:
        """How many bytes this process has printed (into this log) so far."""
        return max(file_size(self.path) - self.start, 0)

    def contains(self, text: str) -> bool:
        """Whether ``text`` is in the output: reads only what is new since the last look."""
        wanted = text.encode("utf-8")
        if not wanted:
            return True
        for chunk in self._read_from(self._searched):
            self._searched += len(chunk)
            window = self._overlap + chunk
            if wanted in window:
                return True
            self._overlap = window[-(len(wanted) - 1):] if len(wanted) > 1 else b""
        return False

    __contains__ = contains

    def new_lines(self) -> Generator[str, None, None]:
        """The lines printed since the last look, one at a time (none kept): a line longer than
        :data:`LONGEST_LINE` comes in pieces of that size. Its place is kept line by line, so a look that
        stops early (a ready line found) leaves the lines after it new."""
        for at, chunk in self._chunks_from(self._lines_at):
            begin = 0
            while True:
                newline = chunk.find(b"\n", begin)
                end = len(chunk) if newline == -1 else newline
                room = LONGEST_LINE - len(self._partial)
                if end - begin > room:  # the line grows past the bound: the next piece of it
                    piece, self._partial = self._partial + chunk[begin:begin + room], b""
                    begin += room
                    self._lines_at = at + begin
                    yield piece.decode("utf-8", errors="replace")
                elif newline == -1:  # the rest is a line not yet ended
                    self._partial += chunk[begin:]
                    self._lines_at = at + len(chunk)
                    break
                else:
                    line, self._partial = self._partial + chunk[begin:newline], b""
                    begin = newline + 1
                    self._lines_at = at + begin
                    yield line.decode("utf-8", errors="replace")

    def first_line_match(self, pattern: regex.Pattern[str], deadline: float,
                         ended: bool = False) -> regex.Match[str] | None:
        """The first new line that ``pattern`` matches whole (as every ``#regex``), or None; the time of every
        line's match is bounded by ``deadline`` (monotonic), past which it is a :class:`TimeoutError`.

        Only ended lines count while the process may still be writing (a value half printed is not one
        to keep); with ``ended`` (it has stopped printing), the last line without a newline counts too.
        """
        with contextlib.closing(self.new_lines()) as lines:
            for line in lines:
                if (match := pattern.fullmatch(line, timeout=max(deadline - time.monotonic(), 0.01))) is not None:
                    return match
        if ended and self._partial:
            line = self._partial.decode("utf-8", errors="replace")
            return pattern.fullmatch(line, timeout=max(deadline - time.monotonic(), 0.01))
        return None

    def first_line_matching(self, pattern: regex.Pattern[str]) -> str | None:
        """The first new line that ``pattern`` finds something in (each line bounded in time), or the line
        still being written; read one line at a time, so that what an app printed before it costs no memory.

        A pattern that takes longer than a second on one line is a
        :class:`TimeoutError` (the caller says which setting it is).
        """
        with contextlib.closing(self.new_lines()) as lines:
            for line in lines:
                if pattern.search(line, timeout=REGEX_SECONDS) is not None:
                    return line
        if self._partial:  # a line still being written may already match
            line = self._partial.decode("utf-8", errors="replace")
            if pattern.search(line, timeout=REGEX_SECONDS) is not None:
                return line
        return None

    def data(self, limit: int = WHOLE_OUTPUT_LIMIT) -> bytes:
        """The whole output as it was printed; more than ``limit`` bytes is a :class:`ValueError`."""
        size = self.size()
        if size > limit:
            raise ValueError(f"{size} bytes, more than the {limit >> 20} MiB a check over the whole output reads")
        with self._opened() as log:
            if log is None:
                return b""
            log.seek(self.start)
            return log.read(limit)

    def text(self, limit: int = WHOLE_OUTPUT_LIMIT) -> str:
        """The whole output as text; more than ``limit`` bytes is a :class:`ValueError`."""
        return self.data(limit).decode("utf-8", errors="replace")

    def tail(self, lines: int = 15) -> str:
        """The last lines, indented for a failure message, secrets masked (reads the end of the file only); a
        file that cannot be read (a link) says why instead."""
        try:
            with self._opened() as log:
                if log is None:
                    return "    (no output)"
                end = log.seek(0, os.SEEK_END)
                begin = max(self.start, end - TAIL_BYTES)
                log.seek(begin)
                data = log.read(end - begin)
        except ProseError as error:
            return f"    (not shown: {error})"
        last = mask_text(data.decode("utf-8", errors="replace")).splitlines()
        if begin > self.start and last:
            last = last[1:]  # the first line read from the middle is a piece of one
        return "\n".join(f"    {line}" for line in last[-lines:]) or "    (no output)"

    def _read_from(self, offset: int) -> Iterator[bytes]:
        for _, chunk in self._chunks_from(offset):
            yield chunk

    def _opened(self) -> contextlib.AbstractContextManager[BinaryIO | None]:
        return opened_by(self._opener or functools.partial(open_own, self.path))

    def _chunks_from(self, offset: int) -> Iterator[tuple[int, bytes]]:
        """The file from ``offset`` on, in pieces of :data:`CHUNK` bytes, each with where it begins."""
        with self._opened() as log:
            if log is None:
                return
            log.seek(offset)
            while chunk := log.read(CHUNK):
                yield offset, chunk
                offset += len(chunk)
