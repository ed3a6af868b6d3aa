"""The run's folder: every app's and command's folder is in it, with their logs and their files.

It is made in the temporary folder (``zmqprose-run-…``) when first needed,
and removed when the run ends, unless the run failed: then it is kept and
its path shown, for a person to read the logs. Nothing is ever written
through a link out of it (:mod:`zmqprose.files`).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePath
from typing import IO, Any

from zmqprose.errors import AppError, ProseError
from zmqprose.files import open_inside, write_inside
from zmqprose.wire.interpolation import fill_template

FOLDER_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
FOLDER_NAME_KEPT = 64  # characters of a name kept in its folder's name; a longer one is cut, a hash of it added
RUN_PREFIX = "zmqprose-run-"
LOG_SUFFIX = ".zmqprose.log"  # zmqprose's log of what an app prints: a name the app's own log would not take


class RunFolder:
    """The folder of one run, and the folders made in it."""

    def __init__(self, given: Path | None = None) -> None:
        self._given = given  # a folder the caller chose: it is never removed
        self._path: Path | None = None
        self._keep = False
        self._made: dict[str, int] = {}  # how many folders of each name the run made

    @property
    def path(self) -> Path:
        """The run's folder, made when first asked for."""
        if self._path is None:
            self._path = self._given or Path(tempfile.mkdtemp(prefix=RUN_PREFIX))
            self._path.mkdir(parents=True, exist_ok=True)
        return self._path

    def new_folder(self, name: str, purpose: str = "") -> Path:
        """A new folder in the run's folder, for an app or a command: ``NAME``, then ``NAME-2``, ``NAME-3``, …
        (a count per name, so that the ten-thousandth costs what the first did). A name is made safe
        for a folder first (:func:`folder_name`): ``as "../x"`` or ``as "a/b"`` stays inside the run's folder, and a
        long one is cut (a file name has at most 255 bytes). If the run's
        folder was removed meanwhile, an :class:`AppError` says so, after ``purpose`` ("cannot start ogre")."""
        name = folder_name(name)
        number = self._made[name] = self._made.get(name, 0) + 1
        while True:
            path = self.path / (name if number == 1 else f"{name}-{number}")
            try:
                path.mkdir()
            except FileExistsError:  # made by somebody else in a folder given to the run: the next number
                number = self._made[name] = number + 1
                continue
            except FileNotFoundError:
                raise removed(purpose or f"cannot make a folder for {name}", path) from None
            return path

    def keep(self) -> None:
        """Something failed: the folder is kept when the run ends, and its path shown."""
        self._keep = True

    def remove(self) -> None:
        """The run ends: remove the folder, unless it is to be kept (then say where it is, once)."""
        if self._path is None or self._given is not None:
            return
        if self._keep:
            kept = (f"its apps' and commands' output is kept in {self._path}" if self._path.is_dir() else
                    f"its folder {self._path}, with its apps' and commands' output, was removed by something else "
                    f"while the run was going")
            print(f"zmqprose: the run failed; {kept}", file=sys.stderr, flush=True)
            self._path = None
            return
        shutil.rmtree(self._path, ignore_errors=True)
        self._path = None


def folder_name(name: str) -> str:
    """A folder's name for an app or a command named ``name``: only letters, digits, ``_``, ``.`` and ``-``,
    not hidden, and at most :data:`FOLDER_NAME_KEPT` characters (with ``-2``, ``-3``, … after it, well within
    the 255 bytes a file name may have): a longer name keeps its start and a short hash of the whole, so
    that two long names that begin alike stay apart."""
    safe = FOLDER_UNSAFE.sub("_", name).lstrip(".") or "_"
    if len(safe) <= FOLDER_NAME_KEPT:
        return safe
    digest = hashlib.sha256(name.encode("utf-8", errors="surrogatepass")).hexdigest()[:12]
    return f"{safe[:FOLDER_NAME_KEPT - len(digest) - 1]}-{digest}"


def log_name(app: str) -> str:
    """The name of the file in an app's folder that zmqprose keeps what the app prints in (its standard and
    error output): ``APP.zmqprose.log``, the app's name made safe and bounded as its folder's is
    (:func:`folder_name`), so that an app that writes its own log as ``${APP.folder}/APP.log`` keeps it apart."""
    return folder_name(app) + LOG_SUFFIX


def check_not_the_log(name: str, log_path: Path, files: Mapping[str, str], texts: Iterable[str]) -> None:
    """Refuse, before an app starts, a ``files`` entry, or an argument or variable of its start (filled in), that
    names zmqprose's log of it: the app would write into the file zmqprose reads its output from."""
    for target in files:
        if PurePath(target) == PurePath(log_path.name):
            raise AppError(f"cannot start {name}: {name}.files names {target}, the file zmqprose keeps {name}'s "
                           f"output in: give the file another name")
    if any(str(log_path) in text for text in texts):
        raise AppError(f"cannot start {name}: its start names {log_path}, {not_the_log(name)}")


def not_the_log(name: str) -> str:
    return (f"the file zmqprose keeps {name}'s output in: let {name} write its own log under another name, e.g. "
            f"${{{name}.folder}}/{name}.log")


def removed(purpose: str, path: Path) -> AppError:
    """The error for a path of the run that is not there because something removed it (a cleaner of the
    temporary folder, under a running suite): one line naming the outermost folder that is gone."""
    gone = path
    while gone.parent != gone and not gone.parent.exists():
        gone = gone.parent
    what = f"the run's folder {gone}" if gone.name.startswith(RUN_PREFIX) else str(gone)
    return AppError(f"{purpose}: {what} is gone: something removed it while the run was going (a cleaner of the "
                    f"temporary folder?); keep such tools away from {RUN_PREFIX}* folders while a suite runs, or "
                    f"give the run a temporary folder of its own (TMPDIR)")


def check_there(purpose: str, path: Path) -> None:
    """Fail with :func:`removed` if ``path`` (a folder or file the run made) is not there any more (a link left
    in its place is there: reading it says it is a link)."""
    if not os.path.lexists(path):
        raise removed(purpose, path)


def open_log(name: str, folder: Path, log_path: Path) -> IO[bytes]:
    """An app's log, opened to append (never through a link the app left in its folder)."""
    try:
        return open_inside(folder, log_path.name, "append")
    except OSError as error:
        raise AppError(f"cannot start {name}: its log {log_path} cannot be written: {error.strerror}") from None


def write_files(name: str, files: Mapping[str, str], templates: Path, folder: Path,
                lookup: Callable[[str], Any], log_path: Path | None = None) -> None:
    """Write each of an app's ``files`` from its template (in ``templates``), ``${…}`` filled in (``$${`` is a
    literal ``${``), into its folder; never through a link the app may have left there. A file that, filled in,
    names ``log_path`` (zmqprose's log of the app) is refused: the app would write its own log into it."""
    for target, template in files.items():
        source = templates / template
        where = f"its template {source} ({name}.files.{target})"
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise AppError(f"cannot start {name}: {where} cannot be read: "
                           f"{getattr(error, 'strerror', None) or error}") from None
        try:
            filled = fill_template(text, lookup)
        except ProseError as error:
            raise AppError(f"cannot start {name}: in {where}: {error}") from None
        if log_path is not None and str(log_path) in filled:
            raise AppError(f"cannot start {name}: {target} ({name}.files.{target}), filled in, names {log_path}, "
                           f"{not_the_log(name)}")
        try:
            write_inside(folder, target, filled, mode="replace")
        except OSError as error:
            raise AppError(f"cannot start {name}: {folder / target} ({name}.files.{target}) cannot be "
                           f"written: {error.strerror}") from None
