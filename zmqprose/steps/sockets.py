"""Phrases that make, subscribe, check and close sockets (README: *Sockets*)."""

from zmqprose.steps.tables import option_table
from zmqprose.steps.vocabulary import phrase

MAKE = ("{type:SocketType} socket to {endpoint:Endpoint}{name:AsName}{subscribe:Subscription}{curve:Curve}"
        "{options:WithOptions}")


def make_socket(context, how, type, endpoint, name, subscribe, curve, options):
    prose = context.prose
    attach = prose.using_zmq().connect if how == "connect" else prose.using_zmq().bind
    attach(endpoint, type, name=name, subscribe=prose.interpolate_frames(subscribe), curve=curve,
           options=prose.interpolate(option_table(context)) if options else None)


@phrase(f"I connect a {MAKE}")
def connect(context, type, endpoint, name, subscribe, curve, options):
    """Storyplayer: usingZmq()->connect(); with CURVE, a client of the endpoint's server key."""
    make_socket(context, "connect", type, endpoint, name, subscribe, curve, options)


@phrase(f"I bind a {MAKE}")
def bind(context, type, endpoint, name, subscribe, curve, options):
    """Storyplayer: usingZmq()->bind(); with CURVE, a server with a keypair of its own."""
    make_socket(context, "bind", type, endpoint, name, subscribe, curve, options)


@phrase("I subscribe {socket:Socket} to {prefix:Text}")
def subscribe(context, socket, prefix):
    context.prose.using_zmq().subscribe(socket, context.prose.interpolate_frames([prefix])[0])


@phrase("I unsubscribe {socket:Socket} from {prefix:Text}")
def unsubscribe(context, socket, prefix):
    context.prose.using_zmq().unsubscribe(socket, context.prose.interpolate_frames([prefix])[0])


@phrase("I disconnect {endpoint:Endpoint}")
def disconnect(context, endpoint):
    context.prose.using_zmq().disconnect(endpoint)


@phrase("I unbind {endpoint:Endpoint}")
def unbind(context, endpoint):
    context.prose.using_zmq().unbind(endpoint)


@phrase("I close {socket:Socket}")
def close(context, socket):
    context.prose.using_zmq().close(socket)


@phrase("{socket:Socket} is connected to {endpoint:Endpoint}")
def is_connected_to(context, socket, endpoint):
    """Storyplayer: expectsZmqSocket()->isConnectedToHost()."""
    context.prose.expects_zmq_socket(socket).is_connected_to(endpoint)


@phrase("{socket:Socket} is not connected to {endpoint:Endpoint}")
def is_not_connected_to(context, socket, endpoint):
    context.prose.expects_zmq_socket(socket).is_not_connected_to(endpoint)


@phrase("{socket:Socket} is bound to {endpoint:Endpoint}")
def is_bound_to(context, socket, endpoint):
    """The socket was bound to the endpoint (being connected there is not enough)."""
    context.prose.expects_zmq_socket(socket).is_bound_to(endpoint)


@phrase("{socket:Socket} is not bound to {endpoint:Endpoint}")
def is_not_bound_to(context, socket, endpoint):
    """The socket is no longer bound to the endpoint (after an unbind)."""
    context.prose.expects_zmq_socket(socket).is_not_bound_to(endpoint)


@phrase("{socket:Socket} has a subscriber to {prefix:Text} within {duration:Duration}")
def has_subscriber_to(context, socket, prefix, duration):
    """A PUB socket's peer has subscribed to a prefix that takes this topic (the publisher's side)."""
    context.prose.expects_zmq_socket(socket).has_subscriber(context.prose.interpolate_frames([prefix])[0], duration)


@phrase("{socket:Socket} has a subscriber within {duration:Duration}")
def has_subscriber(context, socket, duration):
    """A PUB socket has a subscriber at all."""
    context.prose.expects_zmq_socket(socket).has_subscriber(None, duration)


@phrase("{socket:Socket} refuses the handshake within {duration:Duration}")
def refuses_handshake(context, socket, duration):
    """A CURVE handshake of this (client) socket fails: a wrong server key, a client not allowed."""
    context.prose.expects_zmq_socket(socket).refuses_handshake(duration)


@phrase("{socket:Socket} refused a handshake within {duration:Duration}")
def refused_handshake(context, socket, duration):
    """A CURVE server socket refused a client's handshake (others may have passed)."""
    context.prose.expects_zmq_socket(socket).refused_a_handshake(duration)


@phrase("{socket:Socket} becomes connected within {duration:Duration}")
def becomes_connected(context, socket, duration):
    """Wait for a completed handshake, so that no early message is lost (the slow-joiner problem)."""
    context.prose.expects_zmq_socket(socket).becomes_connected(duration)
