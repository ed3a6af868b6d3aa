"""``zmqprose init``: the files a new project needs, with a first spec that passes at once.

It never overwrites a file that exists (a link, even a dangling one, counts),
never writes through a link (a folder of the project that is a link to
somewhere else is left alone), and says what it wrote and what it left.
"""

from __future__ import annotations

from pathlib import Path

from zmqprose.files import LinkRefused, exists_inside, write_inside

FILES = {
    "steps/zmqprose_steps.py": "from zmqprose.steps import *  # noqa: F403  (every phrase of zmqprose)\n",
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
  your service should do: the README's step reference lists every phrase.

  Scenario: a request comes back unchanged
    Given echo is running
    And I connect a REQ socket to echo's request port
    When I send the multipart message ["hello", "zmqprose"] to echo's request port
    Then I receive the multipart message ["hello", "zmqprose"] from echo's request port within 2 seconds
""",
}


def init(folder: str | Path = ".") -> list[str]:
    """Write the project's files into ``folder``; lines that say what was written and what was left."""
    root = Path(folder)
    said = []
    for name, text in FILES.items():
        path = root / name
        if exists_inside(root, name):
            said.append(f"left  {path} (it exists)")
            continue
        try:
            write_inside(root, name, text, mode="new")
        except LinkRefused as error:
            said.append(f"left  {path} ({error.strerror})")
            continue
        except FileExistsError:
            said.append(f"left  {path} (it exists)")
            continue
        said.append(f"wrote {path}")
    said.append("now run: behave")
    return said
