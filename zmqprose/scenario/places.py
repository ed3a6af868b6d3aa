"""Where a spec's words point in one scenario: which socket a reference names, which ZeroMQ address an
endpoint reference stands for (docs: reference/sockets.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zmqprose.errors import ProseError, ResolveError
from zmqprose.sockets.references import Address, AppEndpoint, Endpoint, EndpointOf, resolve_app_endpoint
from zmqprose.sockets.table import Places
from zmqprose.wire.interpolation import interpolate

if TYPE_CHECKING:
    from zmqprose.apps.supervisor import AppSupervisor
    from zmqprose.links.table import LinkTable
    from zmqprose.sockets.socket import ProseSocket, SocketLike
    from zmqprose.sockets.table import SocketTable


class ScenarioPlaces(Places):
    """The scenario's answers to "which socket?" and "which address?".

    An app's endpoint is looked up in the settings (its app checked alive first), filled in once, and kept for
    the scenario when the scenario filled nothing in it; ``the endpoint of "NAME"`` is a link's endpoint or a
    named socket's last bind; an address a spec wrote has its ``${…}`` filled in (``lookup``)."""

    def __init__(self, apps: AppSupervisor, sockets: SocketTable, links: LinkTable,
                 lookup: Callable[[str], Any]) -> None:
        self._apps, self._sockets, self._links, self._lookup = apps, sockets, links, lookup
        self._resolved: dict[tuple[AppEndpoint, bool], str] = {}

    def socket(self, ref: SocketLike, role: str | None = None, lent: bool = False) -> ProseSocket:
        """A socket of this scenario, by the socket itself, its name, or an endpoint it used (``role``: only one
        that bound, or connected, there; ``lent``: one a background worker owns, too)."""
        if isinstance(ref, AppEndpoint):
            self._apps.check_alive(ref.app)
        return self._sockets.find(ref, self.addresses, role=role, lent=lent)

    def resolve(self, endpoint: Endpoint, for_bind: bool = False) -> str:
        """The ZeroMQ address an endpoint reference stands for (``for_bind``: as a socket binds it)."""
        if isinstance(endpoint, AppEndpoint):
            return self._app_address(endpoint, for_bind)
        if isinstance(endpoint, EndpointOf):
            if endpoint.name in self._links:
                return self._links[endpoint.name].endpoint
            sock = self._sockets.named(endpoint.name)
            if not sock.bound:
                raise ResolveError(
                    f'"{endpoint.name}" is not bound, so it has no endpoint to connect to: {sock.describe()}'
                )
            return list(sock.bound.values())[-1]
        if isinstance(endpoint, Address):
            return interpolate(endpoint.text, self._lookup)
        raise ProseError(f"not an endpoint: {endpoint!r}")

    def addresses(self, endpoint: Endpoint) -> set[str]:
        """Every address an endpoint may stand for: as a socket connects to it, and as one binds it."""
        return {self.resolve(endpoint, for_bind=False), self.resolve(endpoint, for_bind=True)}

    def _app_address(self, endpoint: AppEndpoint, for_bind: bool) -> str:
        self._apps.check_alive(endpoint.app)
        address = self._resolved.get((endpoint, for_bind))
        if address is None:
            asked: list[str] = []

            def lookup(name: str) -> Any:
                asked.append(name)
                return self._lookup(name)

            address = resolve_app_endpoint(self._apps.settings, endpoint, for_bind, lookup)  # filled in once
            if not asked:  # nothing the scenario fills in: it cannot change during the scenario
                self._resolved[(endpoint, for_bind)] = address
        return address
