"""The links of a scenario, found by name, and what ``${link.NAME.…}`` says of one."""

from __future__ import annotations

from typing import Any

from zmqprose.errors import ProseError
from zmqprose.links.relay import Link


class LinkTable(dict[str, Link]):
    """A scenario's links by name (closed when it ends): a dict, and the two questions a spec asks of it."""

    def named(self, name: str) -> Link:
        """A link by its name; an unknown one lists those there are."""
        found = self.get(name)
        if found is None:
            known = ", ".join(f'"{known}"' for known in self) or "none yet"
            raise ProseError(f'no link named "{name}" in this scenario (links: {known}): make one with '
                             f"'a link to ENDPOINT as \"{name}\"'")
        return found

    def value(self, dotted: str) -> Any:
        """``${link.NAME.port}`` and ``${link.NAME.endpoint}``: where a link of the scenario listens."""
        name, _, what = dotted.rpartition(".")
        if what not in ("port", "endpoint") or not name:
            raise ProseError(f"${{link.{dotted}}}: write ${{link.NAME.port}} or ${{link.NAME.endpoint}}")
        link = self.named(name)
        return link.listen_port if what == "port" else link.endpoint
