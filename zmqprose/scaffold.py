"""``zmqprose init``: the files a new project needs, with a first spec that passes at once.

It never overwrites a file that exists (a link, even a dangling one, counts),
never writes through a link (a folder of the project that is a link to
somewhere else is left alone), and says what it wrote and what it left. VS
Code's settings (where its Gherkin extensions find zmqprose's phrases) that
would go over a user's own go beside them instead, for the user to merge.
"""

from __future__ import annotations

from pathlib import Path

from zmqprose.files import LinkRefused, exists_inside, open_to_read, write_inside
from zmqprose.steps.editors import vscode_extensions, vscode_settings

FILES = {
    "steps/zmqprose_steps.py": "import zmqprose.steps  # noqa: F401  (the phrases)\n",
    "environment.py": "from zmqprose.hooks import *  # noqa: F403  (settings, apps, a fresh prose per scenario)\n",
    "behave.ini": "[behave]\npaths = features\n",
    "environments/local.json": """{
  "zmqprose": {"timeout": 5},
  "echo": {
    "start": ["python", "-m", "zmqprose.example", "tcp://127.0.0.1:${echo.request_port}"],
    "request_port": 0
  }
}
""",
    "features/echo.feature": """Feature: the echo service answers with what it was sent
  A first spec, against the example app that comes with zmqprose. Replace
  the app in environments/local.json with yours, and these steps with what
  your service should do: `zmqprose steps` lists every phrase.

  Scenario: a request comes back unchanged
    Given echo is running
    And I connect a REQ socket to echo's request port
    When I send the multipart message ["hello", "zmqprose"] to echo's request port
    Then I receive the multipart message ["hello", "zmqprose"] from echo's request port within 2 seconds
""",
}


class FolderRefused(ValueError):
    """The project's folder is not one and cannot be made: the message says which and why, in one line."""


BESIDE = {  # a user's own editor settings are left as they are; zmqprose's go beside them
    ".vscode/settings.json": ".vscode/settings.zmqprose.json",
    ".vscode/extensions.json": ".vscode/extensions.zmqprose.json",
}


def project_files(root: Path) -> dict[str, str]:
    """The files of a project in ``root``: the fixed ones, and VS Code's settings for where zmqprose is installed."""
    return {**FILES, ".vscode/settings.json": vscode_settings(root), ".vscode/extensions.json": vscode_extensions()}


def init(folder: str | Path = ".") -> list[str]:
    """Write the project's files into ``folder`` (made if it is not there); lines that say what was written and
    what was left. :class:`FolderRefused` for a path that is not a folder, or cannot be made one."""
    root = Path(folder)
    make_folder(root)
    said = []
    for name, text in project_files(root).items():
        why_not = write_new(root, name, text)
        if why_not is None:
            said.append(f"wrote {root / name}")
        elif name in BESIDE and not holds(root, name, text) and write_new(root, BESIDE[name], text) is None:
            said.append(f"left  {root / name} ({why_not}): wrote {root / BESIDE[name]}, to merge into it")
        else:
            said.append(f"left  {root / name} ({why_not})")
    said.append("now run: behave")
    return said


def make_folder(root: Path) -> None:
    """The project's folder, made with the folders above it if it is not there yet (as ``git init`` makes its)."""
    if root.exists() and not root.is_dir():
        raise FolderRefused(f"{root} is not a folder: give the folder of the project (it is made if it is not there)")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FolderRefused(f"{root} cannot be made: {error.strerror or error}") from None


def holds(root: Path, name: str, text: str) -> bool:
    """Whether the file ``root/name`` (not a link) holds ``text`` already (written by an earlier ``init``)."""
    try:
        with open_to_read(root, name) as written:
            return written.read(len(text.encode()) + 1) == text.encode()
    except OSError:
        return False


def write_new(root: Path, name: str, text: str) -> str | None:
    """Write a file that is not there yet; None, or why it was left (it exists, or the way is a link)."""
    if exists_inside(root, name):
        return "it exists"
    try:
        write_inside(root, name, text, mode="new")
    except LinkRefused as error:
        return str(error.strerror)
    except FileExistsError:
        return "it exists"
    return None
