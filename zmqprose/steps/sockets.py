"""Phrases that make, subscribe, check and close sockets (README: *Sockets*)."""


from behave.runner import Context

from zmqprose.security.curve import CurveRequest
from zmqprose.sockets.references import Endpoint, SocketRef
from zmqprose.steps.tables import option_table
from zmqprose.steps.vocabulary import phrase, prose

MAKE = ("{type:SocketType} socket to {endpoint:Endpoint}{name:AsName}{subscribe:Subscription}{curve:Curve}"
        "{options:WithOptions}")


def make_socket(context: Context, how: str, type: str, endpoint: Endpoint, name: str | None, subscribe: list[str],
                curve: CurveRequest | None, options: bool) -> None:
    api = prose(context)
    attach = api.using_zmq().connect if how == "connect" else api.using_zmq().bind
    attach(endpoint, type, name=name, subscribe=api.interpolate_frames(subscribe), curve=curve,
           options=api.interpolate(option_table(context)) if options else None)


@phrase(f"I connect a {MAKE}")
def connect(context: Context, type: str, endpoint: Endpoint, name: str | None, subscribe: list[str],
            curve: CurveRequest | None, options: bool) -> None:
    """Storyplayer: usingZmq()->connect(); with CURVE, a client of the endpoint's server key."""
    make_socket(context, "connect", type, endpoint, name, subscribe, curve, options)


@phrase(f"I bind a {MAKE}")
def bind(context: Context, type: str, endpoint: Endpoint, name: str | None, subscribe: list[str],
         curve: CurveRequest | None, options: bool) -> None:
    """Storyplayer: usingZmq()->bind(); with CURVE, a server with a keypair of its own."""
    make_socket(context, "bind", type, endpoint, name, subscribe, curve, options)


@phrase("I subscribe {socket:Socket} to {prefix:Text}")
def subscribe(context: Context, socket: SocketRef, prefix: str) -> None:
    """Subscribe a SUB socket to a prefix ("" is everything)."""
    prose(context).using_zmq().subscribe(socket, prose(context).interpolate_frames([prefix])[0])


@phrase("I unsubscribe {socket:Socket} from {prefix:Text}")
def unsubscribe(context: Context, socket: SocketRef, prefix: str) -> None:
    """Drop a SUB socket's subscription to a prefix."""
    prose(context).using_zmq().unsubscribe(socket, prose(context).interpolate_frames([prefix])[0])


@phrase("I disconnect {endpoint:Endpoint}")
def disconnect(context: Context, endpoint: Endpoint) -> None:
    """Drop the connection a socket of the scenario made to the endpoint."""
    prose(context).using_zmq().disconnect(endpoint)


@phrase("I unbind {endpoint:Endpoint}")
def unbind(context: Context, endpoint: Endpoint) -> None:
    """Stop listening on an endpoint a socket of the scenario is bound to."""
    prose(context).using_zmq().unbind(endpoint)


@phrase("I close {socket:Socket}")
def close(context: Context, socket: SocketRef) -> None:
    """Close a socket now, without lingering."""
    prose(context).using_zmq().close(socket)


@phrase("{socket:Socket} is connected to {endpoint:Endpoint}")
def is_connected_to(context: Context, socket: SocketRef, endpoint: Endpoint) -> None:
    """Storyplayer: expectsZmqSocket()->isConnectedToHost()."""
    prose(context).expects_zmq_socket(socket).is_connected_to(endpoint)


@phrase("{socket:Socket} is not connected to {endpoint:Endpoint}")
def is_not_connected_to(context: Context, socket: SocketRef, endpoint: Endpoint) -> None:
    """The socket is no longer connected to the endpoint (after a disconnect)."""
    prose(context).expects_zmq_socket(socket).is_not_connected_to(endpoint)


@phrase("{socket:Socket} is bound to {endpoint:Endpoint}")
def is_bound_to(context: Context, socket: SocketRef, endpoint: Endpoint) -> None:
    """The socket was bound to the endpoint (being connected there is not enough)."""
    prose(context).expects_zmq_socket(socket).is_bound_to(endpoint)


@phrase("{socket:Socket} is not bound to {endpoint:Endpoint}")
def is_not_bound_to(context: Context, socket: SocketRef, endpoint: Endpoint) -> None:
    """The socket is no longer bound to the endpoint (after an unbind)."""
    prose(context).expects_zmq_socket(socket).is_not_bound_to(endpoint)


@phrase("{socket:Socket} has a subscriber to {prefix:Text} within {duration:Duration}")
def has_subscriber_to(context: Context, socket: SocketRef, prefix: str, duration: float) -> None:
    """A PUB socket's peer has subscribed to a prefix that takes this topic (the publisher's side)."""
    prose(context).expects_zmq_socket(socket).has_subscriber(prose(context).interpolate_frames([prefix])[0], duration)


@phrase("{socket:Socket} has a subscriber within {duration:Duration}")
def has_subscriber(context: Context, socket: SocketRef, duration: float) -> None:
    """A PUB socket has a subscriber at all."""
    prose(context).expects_zmq_socket(socket).has_subscriber(None, duration)


@phrase("{socket:Socket} refuses the handshake within {duration:Duration}")
def refuses_handshake(context: Context, socket: SocketRef, duration: float) -> None:
    """A CURVE handshake of this (client) socket fails: a wrong server key, a client not allowed."""
    prose(context).expects_zmq_socket(socket).refuses_handshake(duration)


@phrase("{socket:Socket} refused a handshake within {duration:Duration}")
def refused_handshake(context: Context, socket: SocketRef, duration: float) -> None:
    """A CURVE server socket refused a client's handshake (others may have passed)."""
    prose(context).expects_zmq_socket(socket).refused_a_handshake(duration)


@phrase("{socket:Socket} becomes connected within {duration:Duration}")
def becomes_connected(context: Context, socket: SocketRef, duration: float) -> None:
    """Wait for a completed handshake, so that no early message is lost (the slow-joiner problem)."""
    prose(context).expects_zmq_socket(socket).becomes_connected(duration)
