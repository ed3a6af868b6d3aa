"""Phrases that keep and check values between steps (README: *The checkpoint*)."""

from zmqprose.steps.vocabulary import phrase


@phrase("I store {text:Text} in the checkpoint as {key:Name}")
def store_text(context, text, key):
    context.prose.store_text(key, text)


@phrase("I store the last message from {socket:Socket} in the checkpoint as {key:Name}")
def store_last_message(context, socket, key):
    context.checkpoint.set(key, context.prose.from_zmq_socket(socket).get_last_message())


@phrase("I store the last {format:Format} message from {socket:Socket} in the checkpoint as {key:Name}")
def store_last_value(context, format, socket, key):
    """Store the last message's value in FORMAT; ${checkpoint.KEY.path} reaches into it."""
    context.checkpoint.set(key, context.prose.from_zmq_socket(socket).get_last_value(format))


@phrase("the checkpoint has {key:Name}")
def checkpoint_has(context, key):
    context.prose.expects_checkpoint().has(key)


@phrase("the checkpoint has no {key:Name}")
def checkpoint_lacks(context, key):
    context.prose.expects_checkpoint().lacks(key)


@phrase("the checkpoint {key:Name} is {text:Text}")
def checkpoint_is_text(context, key, text):
    context.prose.expects_checkpoint().holds(key, context.prose.interpolate_frames([text]))


@phrase("the checkpoint {key:Name} is {frames:Frames}")
def checkpoint_is_frames(context, key, frames):
    context.prose.expects_checkpoint().holds(key, context.prose.interpolate_frames(frames))
