"""A griffe extension (mkdocs.yml, mkdocstrings' ``extensions``): zmqprose's docstrings, written for Python's
``help()`` and Sphinx's habits, read as Markdown on the site.

- A role, ``:class:`~zmqprose.prose.Prose``` or ``:meth:`interpolate_text```, becomes the name as code
  (```Prose```, ```interpolate_text```): the name a reader looks for, never a link that could fail to resolve.
- A paragraph that ends with ``::`` before an indented block (reST's literal block) ends with ``:``; the
  block stays indented, which Markdown shows as code.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension, Object

ROLE = re.compile(r":(?:class|func|meth|mod|attr|data|exc|obj|const):`(?P<target>[^`]+)`")
LITERAL_BLOCK = re.compile(r"::\n(?=\n)")


def readable(docstring: str) -> str:
    """The docstring with its roles as code and its ``::`` blocks introduced by ``:``."""
    def name(found: re.Match[str]) -> str:
        target = found["target"]
        shown = target.removeprefix("~").rsplit(".", 1)[-1] if target.startswith("~") else target
        return f"`{shown}`"

    return LITERAL_BLOCK.sub(":\n", ROLE.sub(name, docstring))


class ReadableRoles(Extension):
    """Rewrites every docstring griffe loads (see the module's docstring)."""

    def on_instance(self, *, obj: Object, **_: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = readable(obj.docstring.value)
