"""Writing and reading files inside a folder, never through a link out of it.

An app's folder is the app's to change: it may leave a symbolic link where
zmqprose writes a template or appends to its log on the next start, and a
project folder may hold a link to somewhere else where ``zmqprose init``
writes. Every folder on the way is opened without following links
(``O_NOFOLLOW``, one component at a time), and so is the file itself: a link
is never written through. A file a spec checks (``the file "PATH" contains``)
is opened the same way to be read: a link on the way is never read through.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import BinaryIO

FILE_MODE = 0o644


class LinkRefused(OSError):
    """A link stood where a file or folder was to be written."""


class NotAFile(OSError):
    """What a path names to be read is not a regular file (a folder, a pipe, a device)."""


@contextlib.contextmanager
def folder_fd(root: Path, parts: tuple[str, ...], make: bool, verb: str = "write") -> Iterator[int]:
    """A descriptor of ``root/parts…``, each part opened without following a link (made if ``make``);
    ``verb``: what a refused link would have been used for, for its message."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts:
            if make:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, dir_fd=fd)
            if is_link(part, fd):
                raise LinkRefused(errno.ELOOP, f"{part} is a link, and zmqprose does not {verb} through one")
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        yield fd
    finally:
        os.close(fd)


def is_link(name: str, folder: int) -> bool:
    """Whether ``name`` in the open folder ``folder`` is a symbolic link."""
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return False


def exists_inside(root: Path, relative: str | PurePath) -> bool:
    """Whether anything, a link (even a dangling one) included, is at ``root/relative``."""
    return os.path.lexists(root / relative)


def open_inside(root: Path, relative: str | PurePath, mode: str) -> BinaryIO:
    """Open ``root/relative`` for writing without following a link on the way or at the end.

    ``mode``: ``"new"`` (the file must not exist; a dangling link counts as
    existing), ``"replace"`` (a link there is removed, never followed, and a
    new file made), ``"append"`` (a link there is refused). Folders on the way
    are made; a link among them is a :class:`LinkRefused`.
    """
    path = PurePath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"{relative!s} is not a file name inside {root}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    flags |= {"new": os.O_EXCL, "replace": os.O_EXCL, "append": os.O_APPEND}[mode]
    with folder_fd(root, path.parts[:-1], make=True) as parent:
        name = path.parts[-1]
        if mode == "replace":
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name, dir_fd=parent)  # a file, or a link: the link goes, not what it points to
        try:
            fd = os.open(name, flags, FILE_MODE, dir_fd=parent)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise LinkRefused(errno.ELOOP, f"{relative!s} is a link, and zmqprose does not write through one") \
                    from None
            raise
    return os.fdopen(fd, "ab" if mode == "append" else "wb")


def write_inside(root: Path, relative: str | PurePath, text: str, mode: str = "replace") -> None:
    """Write ``text`` (UTF-8) to ``root/relative``, as :func:`open_inside` opens it."""
    with open_inside(root, relative, mode) as out:
        out.write(text.encode("utf-8"))


def open_to_read(root: Path, relative: str | PurePath) -> BinaryIO:
    """Open the regular file ``root/relative`` to read, without following a link on the way or at the end.

    A link among the folders or at the file is a :class:`LinkRefused` (even one that points back inside:
    what it points to may change under the check); a folder, a pipe or a device a :class:`NotAFile`
    (opened without waiting, so that a pipe nobody writes to cannot hold the step); a file or folder that
    is not there, :class:`FileNotFoundError` (or :class:`NotADirectoryError`).
    """
    path = PurePath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"{relative!s} is not a file name inside {root}")
    with folder_fd(root, path.parts[:-1], make=False, verb="read") as parent:
        try:
            fd = os.open(path.parts[-1], os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=parent)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise LinkRefused(errno.ELOOP, f"{path.parts[-1]} is a link, and zmqprose does not read "
                                               f"through one") from None
            raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotAFile(errno.EINVAL, f"{relative!s} is not a file (a folder, a pipe or a device)")
    return os.fdopen(fd, "rb")
