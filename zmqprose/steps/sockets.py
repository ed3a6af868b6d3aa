"""Phrases that make, subscribe, check and close sockets (docs: reference/sockets.md, *Sockets*)."""


from behave.runner import Context

from zmqprose.security.curve import CurveRequest
from zmqprose.sockets.references import Endpoint, SocketRef
from zmqprose.steps.tables import option_table
from zmqprose.steps.vocabulary import prose, step


def make_socket(context: Context, how: str, type: str, endpoint: Endpoint, name: str | None, subscribe: list[str],
                curve: CurveRequest | None, options: bool) -> None:
    api = prose(context)
    attach = api.using_zmq().connect if how == "connect" else api.using_zmq().bind
    attach(endpoint, type, name=name, subscribe=api.interpolate_frames(subscribe), curve=curve,
           options=api.interpolate(option_table(context)) if options else None)


@step("I connect a {type:SocketType} socket to {endpoint:Endpoint}{name:AsName}{subscribe:Subscription}{curve:Curve}{options:WithOptions}")  # noqa: E501
def connect(context: Context, type: str, endpoint: Endpoint, name: str | None, subscribe: list[str],
            curve: CurveRequest | None, options: bool) -> None:
    """Make a socket of the scenario and connect it (Storyplayer: usingZmq()->connect()); CURVE: a client.

    Example: Given I connect a PUSH socket to ogre's command port
    """
    make_socket(context, "connect", type, endpoint, name, subscribe, curve, options)


@step("I bind a {type:SocketType} socket to {endpoint:Endpoint}{name:AsName}{subscribe:Subscription}{curve:Curve}{options:WithOptions}")  # noqa: E501
def bind(context: Context, type: str, endpoint: Endpoint, name: str | None, subscribe: list[str],
         curve: CurveRequest | None, options: bool) -> None:
    """Make a socket of the scenario and bind it (Storyplayer: usingZmq()->bind()); CURVE: a server with its keys.

    Example: Given I bind a ROUTER socket to "tcp://127.0.0.1:*" as "router"
    """
    make_socket(context, "bind", type, endpoint, name, subscribe, curve, options)


@step("I subscribe {socket:Socket} to {prefix:Text}")
def subscribe(context: Context, socket: SocketRef, prefix: str) -> None:
    """Subscribe a SUB socket to a prefix ("" is everything).

    Example: When I subscribe "listener" to "metrics."
    """
    prose(context).using_zmq().subscribe(socket, prose(context).interpolate_frames([prefix])[0])


@step("I unsubscribe {socket:Socket} from {prefix:Text}")
def unsubscribe(context: Context, socket: SocketRef, prefix: str) -> None:
    """Drop a SUB socket's subscription to a prefix.

    Example: When I unsubscribe "listener" from "metrics."
    """
    prose(context).using_zmq().unsubscribe(socket, prose(context).interpolate_frames([prefix])[0])


@step("I disconnect {endpoint:Endpoint}")
def disconnect(context: Context, endpoint: Endpoint) -> None:
    """Drop the connection a socket of the scenario made to the endpoint.

    Example: When I disconnect ogre's command port
    """
    prose(context).using_zmq().disconnect(endpoint)


@step("I unbind {endpoint:Endpoint}")
def unbind(context: Context, endpoint: Endpoint) -> None:
    """Stop listening on an endpoint a socket of the scenario is bound to.

    Example: When I unbind ogre's response port
    """
    prose(context).using_zmq().unbind(endpoint)


@step("I close {socket:Socket}")
def close(context: Context, socket: SocketRef) -> None:
    """Close a socket now, without lingering.

    Example: When I close ogre's command port
    """
    prose(context).using_zmq().close(socket)


@step("{socket:Socket} is connected to {endpoint:Endpoint}")
def is_connected_to(context: Context, socket: SocketRef, endpoint: Endpoint) -> None:
    """Check that the socket connected to the endpoint (Storyplayer: expectsZmqSocket()->isConnectedToHost()).

    Example: Then "responses" is connected to "tcp://127.0.0.1:5556"
    """
    prose(context).expects_zmq_socket(socket).is_connected_to(endpoint)


@step("{socket:Socket} is not connected to {endpoint:Endpoint}")
def is_not_connected_to(context: Context, socket: SocketRef, endpoint: Endpoint) -> None:
    """Check that the socket is not (or no longer, after a disconnect) connected to the endpoint.

    Example: Then "responses" is not connected to "tcp://127.0.0.1:5557"
    """
    prose(context).expects_zmq_socket(socket).is_not_connected_to(endpoint)


@step("{socket:Socket} is bound to {endpoint:Endpoint}")
def is_bound_to(context: Context, socket: SocketRef, endpoint: Endpoint) -> None:
    """Check that the socket was bound to the endpoint (being connected there is not enough).

    Example: Then "router" is bound to "tcp://127.0.0.1:5557"
    """
    prose(context).expects_zmq_socket(socket).is_bound_to(endpoint)


@step("{socket:Socket} is not bound to {endpoint:Endpoint}")
def is_not_bound_to(context: Context, socket: SocketRef, endpoint: Endpoint) -> None:
    """Check that the socket is not (or no longer, after an unbind) bound to the endpoint.

    Example: Then "router" is not bound to "tcp://127.0.0.1:5557"
    """
    prose(context).expects_zmq_socket(socket).is_not_bound_to(endpoint)


@step("{socket:Socket} has a subscriber to {prefix:Text} within {duration:Duration}")
def has_subscriber_to(context: Context, socket: SocketRef, prefix: str, duration: float) -> None:
    """Wait until a PUB socket's peer has subscribed to a prefix that takes this topic (the publisher's side).

    Example: Then "feed" has a subscriber to "weather." within 2 seconds
    """
    prose(context).expects_zmq_socket(socket).has_subscriber(prose(context).interpolate_frames([prefix])[0], duration)


@step("{socket:Socket} has a subscriber within {duration:Duration}")
def has_subscriber(context: Context, socket: SocketRef, duration: float) -> None:
    """Wait until a PUB socket has a subscriber at all.

    Example: Then "feed" has a subscriber within 2 seconds
    """
    prose(context).expects_zmq_socket(socket).has_subscriber(None, duration)


@step("{socket:Socket} refuses the handshake within {duration:Duration}")
def refuses_handshake(context: Context, socket: SocketRef, duration: float) -> None:
    """Wait until a CURVE handshake of this (client) socket fails: a wrong server key, a client not allowed.

    Example: Then vault's control port refuses the handshake within 2 seconds
    """
    prose(context).expects_zmq_socket(socket).refuses_handshake(duration)


@step("{socket:Socket} refused a handshake within {duration:Duration}")
def refused_handshake(context: Context, socket: SocketRef, duration: float) -> None:
    """Wait until a CURVE server socket has refused a client's handshake (others may have passed).

    Example: Then "secure" refused a handshake within 2 seconds
    """
    prose(context).expects_zmq_socket(socket).refused_a_handshake(duration)


@step("{socket:Socket} becomes connected within {duration:Duration}")
def becomes_connected(context: Context, socket: SocketRef, duration: float) -> None:
    """Wait for a completed handshake, so that no early message is lost (the slow-joiner problem).

    Example: Then ogre's command port becomes connected within 2 seconds
    """
    prose(context).expects_zmq_socket(socket).becomes_connected(duration)
