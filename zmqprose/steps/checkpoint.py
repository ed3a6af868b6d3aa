"""Phrases that keep and check values between steps (docs: reference/sockets.md, *The checkpoint*)."""


from behave.runner import Context

from zmqprose.sockets.references import SocketRef
from zmqprose.steps.vocabulary import prose, step


@step("I store {text:Text} in the checkpoint as {key:Name}")
def store_text(context: Context, text: str, key: str) -> None:
    """Store a text (${…} filled in) in the checkpoint under a name.

    Example: Given I store "abc-123" in the checkpoint as "request_id"
    """
    api = prose(context)
    api.store_text(key, api.interpolate_frames([text])[0])  # a binary frame brought in stays bytes


@step("I store the last message from {socket:Socket} in the checkpoint as {key:Name}")
def store_last_message(context: Context, socket: SocketRef, key: str) -> None:
    """Store the socket's last message (its frames) in the checkpoint.

    Example: When I store the last message from ogre's response port in the checkpoint as "response"
    """
    context.checkpoint.set(key, prose(context).from_zmq_socket(socket).get_last_message())


@step("I store the last {format:Format} message from {socket:Socket} in the checkpoint as {key:Name}")
def store_last_value(context: Context, format: str, socket: SocketRef, key: str) -> None:
    """Store the last message's value in FORMAT; ${checkpoint.KEY.path} reaches into it.

    Example: When I store the last JSON message from keeper's control endpoint in the checkpoint as "status"
    """
    context.checkpoint.set(key, prose(context).from_zmq_socket(socket).get_last_value(format))


@step("the checkpoint has {key:Name}")
def checkpoint_has(context: Context, key: str) -> None:
    """Check that the checkpoint holds a value under this name.

    Example: Then the checkpoint has "response"
    """
    prose(context).expects_checkpoint().has(key)


@step("the checkpoint has no {key:Name}")
def checkpoint_lacks(context: Context, key: str) -> None:
    """Check that the checkpoint holds nothing under this name.

    Example: Then the checkpoint has no "response"
    """
    prose(context).expects_checkpoint().lacks(key)


@step("the checkpoint {key:Name} is {text:Text}")
def checkpoint_is_text(context: Context, key: str, text: str) -> None:
    """Check that the stored value is this text (markers allowed).

    Example: Then the checkpoint "request_id" is "abc-123"
    """
    prose(context).expects_checkpoint().holds(key, prose(context).interpolate_frames([text]))


@step("the checkpoint {key:Name} is {frames:Frames}")
def checkpoint_is_frames(context: Context, key: str, frames: list[str]) -> None:
    """Check that the stored message is these frames (markers allowed).

    Example: Then the checkpoint "response" is ["PONG", "42"]
    """
    prose(context).expects_checkpoint().holds(key, prose(context).interpolate_frames(frames))
