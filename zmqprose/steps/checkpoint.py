"""Phrases that keep and check values between steps (README: *The checkpoint*)."""

from typing import Any

from behave.runner import Context

from zmqprose.steps.vocabulary import phrase


@phrase("I store {text:Text} in the checkpoint as {key:Name}")
def store_text(context: Context, text: Any, key: Any) -> None:
    """Store a text (${…} filled in) in the checkpoint under a name."""
    context.prose.store_text(key, text)


@phrase("I store the last message from {socket:Socket} in the checkpoint as {key:Name}")
def store_last_message(context: Context, socket: Any, key: Any) -> None:
    """Store the socket's last message (its frames) in the checkpoint."""
    context.checkpoint.set(key, context.prose.from_zmq_socket(socket).get_last_message())


@phrase("I store the last {format:Format} message from {socket:Socket} in the checkpoint as {key:Name}")
def store_last_value(context: Context, format: Any, socket: Any, key: Any) -> None:
    """Store the last message's value in FORMAT; ${checkpoint.KEY.path} reaches into it."""
    context.checkpoint.set(key, context.prose.from_zmq_socket(socket).get_last_value(format))


@phrase("the checkpoint has {key:Name}")
def checkpoint_has(context: Context, key: Any) -> None:
    """The checkpoint holds a value under this name."""
    context.prose.expects_checkpoint().has(key)


@phrase("the checkpoint has no {key:Name}")
def checkpoint_lacks(context: Context, key: Any) -> None:
    """The checkpoint holds nothing under this name."""
    context.prose.expects_checkpoint().lacks(key)


@phrase("the checkpoint {key:Name} is {text:Text}")
def checkpoint_is_text(context: Context, key: Any, text: Any) -> None:
    """The stored value is this text (markers allowed)."""
    context.prose.expects_checkpoint().holds(key, context.prose.interpolate_frames([text]))


@phrase("the checkpoint {key:Name} is {frames:Frames}")
def checkpoint_is_frames(context: Context, key: Any, frames: Any) -> None:
    """The stored message is these frames (markers allowed)."""
    context.prose.expects_checkpoint().holds(key, context.prose.interpolate_frames(frames))
