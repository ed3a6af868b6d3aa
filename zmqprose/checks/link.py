"""``expects_link(name)``: checks of a link of the scenario (network faults); none of them changes the link."""

from __future__ import annotations

from zmqprose.errors import ProseError, checked
from zmqprose.links.relay import Link


@checked
class ExpectsLink:
    """Expectations about one link: whether it is cut, and whether bytes pass as they come."""

    def __init__(self, link: Link) -> None:
        self._link = link

    def is_healthy(self) -> None:
        """Bytes pass as they come: the link neither stalls nor delays.

        Example: ``prose.expects_link("flaky").is_healthy()``
        """
        link = self._link
        if not link.is_healthy():
            how = "it stalls" if link.stalled else f"it delays by {link.delay * 1000:g} ms"
            raise ProseError(f'the link "{link.name}" is not healthy: {how} ({link.endpoint} -> {link.target})')

    def is_cut(self) -> None:
        """The link refuses connections (until it is restored).

        Example: ``prose.expects_link("flaky").is_cut()``
        """
        if not self._link.cut:
            raise ProseError(f"{self._link.describe()} is not cut")

    def is_restored(self) -> None:
        """The link lets connections through: it is not cut.

        Example: ``prose.expects_link("flaky").is_restored()``
        """
        if self._link.cut:
            raise ProseError(f"{self._link.describe()} is cut")
