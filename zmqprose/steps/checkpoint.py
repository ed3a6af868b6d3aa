"""Phrases that keep and check values between steps (README: *The checkpoint*)."""


from behave.runner import Context

from zmqprose.sockets.references import SocketRef
from zmqprose.steps.vocabulary import phrase, prose


@phrase("I store {text:Text} in the checkpoint as {key:Name}")
def store_text(context: Context, text: str, key: str) -> None:
    """Store a text (${…} filled in) in the checkpoint under a name."""
    prose(context).store_text(key, text)


@phrase("I store the last message from {socket:Socket} in the checkpoint as {key:Name}")
def store_last_message(context: Context, socket: SocketRef, key: str) -> None:
    """Store the socket's last message (its frames) in the checkpoint."""
    context.checkpoint.set(key, prose(context).from_zmq_socket(socket).get_last_message())


@phrase("I store the last {format:Format} message from {socket:Socket} in the checkpoint as {key:Name}")
def store_last_value(context: Context, format: str, socket: SocketRef, key: str) -> None:
    """Store the last message's value in FORMAT; ${checkpoint.KEY.path} reaches into it."""
    context.checkpoint.set(key, prose(context).from_zmq_socket(socket).get_last_value(format))


@phrase("the checkpoint has {key:Name}")
def checkpoint_has(context: Context, key: str) -> None:
    """The checkpoint holds a value under this name."""
    prose(context).expects_checkpoint().has(key)


@phrase("the checkpoint has no {key:Name}")
def checkpoint_lacks(context: Context, key: str) -> None:
    """The checkpoint holds nothing under this name."""
    prose(context).expects_checkpoint().lacks(key)


@phrase("the checkpoint {key:Name} is {text:Text}")
def checkpoint_is_text(context: Context, key: str, text: str) -> None:
    """The stored value is this text (markers allowed)."""
    prose(context).expects_checkpoint().holds(key, prose(context).interpolate_frames([text]))


@phrase("the checkpoint {key:Name} is {frames:Frames}")
def checkpoint_is_frames(context: Context, key: str, frames: list[str]) -> None:
    """The stored message is these frames (markers allowed)."""
    prose(context).expects_checkpoint().holds(key, prose(context).interpolate_frames(frames))
