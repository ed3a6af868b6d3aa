"""What one scenario knows of its peers, the apps and commands it started or found: whether they still live (a
wait on a socket looks, to fail at once instead of at its end), and why a socket may be silent."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zmqprose.apps.supervisor import AppSupervisor
    from zmqprose.commands.shell import Commands
    from zmqprose.sockets.socket import ProseSocket


class Peers:
    """The scenario's apps and commands, as its sockets' waits see them."""

    def __init__(self, apps: AppSupervisor, commands: Commands, started_at: float) -> None:
        """``started_at``: when the scenario began (monotonic): what ended before it is not its news."""
        self._apps, self._commands, self._started_at = apps, commands, started_at

    def check_waiting(self, app: str | None) -> None:
        """What a wait on a socket of the scenario looks at, to fail at once instead of at its end: the app
        whose endpoint the socket was made for (``app``, if it was), every app the scenario started or found
        running, and the commands it started in the background; raises naming the one that ended."""
        if app is not None:
            self._apps.check_alive(app)
        self._apps.check_scenario_apps()
        self._commands.check_background()

    def why_silent(self, sock: ProseSocket) -> str | None:
        """Why nothing may have arrived on a socket, when that can be known: an app not started (or ended), no
        peer, a one-shot client of the scenario's that ended with code 0 (:meth:`ended_peers`)."""
        if sock.app is not None and (reason := self._apps.why_not_answering(sock.app)):
            return reason
        connected = [e for e in sock.addresses if e.startswith("tcp://") and e not in sock.bound.values()]
        no_peer = (f"no peer has ever connected with it: is anything listening on {', '.join(connected)}?"
                   if connected and not sock.watch.ever_connected() else None)
        return "; ".join(filter(None, [no_peer, self.ended_peers(sock)])) or None

    def ended_peers(self, sock: ProseSocket) -> str | None:
        """For a socket of the spec's own that waited in vain: the apps and commands of the scenario that ended
        with code 0 meanwhile (a one-shot client that is done) and were handed its port or address (or none at
        all): ``client ended with code 0 at +1.2 s: it will not send more``. None if none did (a socket made for
        an app's endpoint has :meth:`AppSupervisor.why_not_answering` instead)."""
        if sock.app is not None:
            return None
        addresses = list(sock.addresses)
        notes = [*self._apps.ended_cleanly(addresses, self._started_at),
                 *self._commands.ended_cleanly(addresses, self._started_at)]
        return "; ".join(notes) or None
