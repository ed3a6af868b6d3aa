"""Phrases that send (README: *Sending*)."""

from zmqprose.steps.tables import docstring, frame_table
from zmqprose.steps.vocabulary import phrase


def send(context, socket, frames, without_blocking):
    prose = context.prose
    frames = prose.interpolate_frames(frames)
    if without_blocking:
        prose.using_zmq().send_multi_non_blocking(socket, frames)
    else:
        prose.using_zmq().send_multi(socket, frames)


@phrase("I send {text:Text} to {socket:Socket}{without_blocking:WithoutBlocking}")
def send_text(context, text, socket, without_blocking):
    """Send one UTF-8 frame (Storyplayer: usingZmq()->send())."""
    send(context, socket, [text], without_blocking)


@phrase("I send the multipart message {frames:Frames} to {socket:Socket}{without_blocking:WithoutBlocking}")
def send_frames(context, frames, socket, without_blocking):
    """Storyplayer: usingZmq()->sendMulti()."""
    send(context, socket, frames, without_blocking)


@phrase("I send a multipart message to {socket:Socket}:")
def send_frame_table(context, socket):
    send(context, socket, frame_table(context), False)


@phrase("I send the JSON message to {socket:Socket}:")
def send_json(context, socket):
    prose = context.prose
    prose.using_zmq().send_json(socket, prose.interpolate_json(docstring(context)))


@phrase("{socket:Socket} can send {text:Text} without blocking")
def can_send_text(context, socket, text):
    """Storyplayer: expectsZmq()->canSendNonBlocking()."""
    context.prose.expects_zmq_socket(socket).can_send_multi_non_blocking(context.prose.interpolate_frames([text]))


@phrase("{socket:Socket} can send the multipart message {frames:Frames} without blocking")
def can_send_frames(context, socket, frames):
    """Storyplayer: expectsZmq()->canSendmultiNonBlocking()."""
    context.prose.expects_zmq_socket(socket).can_send_multi_non_blocking(context.prose.interpolate_frames(frames))


@phrase("I reply {text:Text} on {socket:Socket}")
def reply_text(context, text, socket):
    context.prose.using_zmq().reply(socket, context.prose.interpolate_frames([text]))


@phrase("I reply with the multipart message {frames:Frames} on {socket:Socket}")
def reply_frames(context, frames, socket):
    context.prose.using_zmq().reply(socket, context.prose.interpolate_frames(frames))
