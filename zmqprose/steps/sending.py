"""Phrases that send (README: *Sending*)."""

from typing import Any

from behave.runner import Context

from zmqprose.steps.tables import docstring, frame_table
from zmqprose.steps.vocabulary import phrase
from zmqprose.wire.json_text import parse_json_text


def send(context: Context, socket: Any, frames: Any, without_blocking: Any) -> None:
    prose = context.prose
    frames = prose.interpolate_frames(frames)
    if without_blocking:
        prose.using_zmq().send_multi_non_blocking(socket, frames)
    else:
        prose.using_zmq().send_multi(socket, frames)


@phrase("I send {text:Text} to {socket:Socket}{without_blocking:WithoutBlocking}")
def send_text(context: Context, text: Any, socket: Any, without_blocking: Any) -> None:
    """Send one UTF-8 frame (Storyplayer: usingZmq()->send())."""
    send(context, socket, [text], without_blocking)


@phrase("I send the multipart message {frames:Frames} to {socket:Socket}{without_blocking:WithoutBlocking}")
def send_frames(context: Context, frames: Any, socket: Any, without_blocking: Any) -> None:
    """Storyplayer: usingZmq()->sendMulti()."""
    send(context, socket, frames, without_blocking)


@phrase("I send a multipart message to {socket:Socket}:")
def send_frame_table(context: Context, socket: Any) -> None:
    """Send the frames of the table below (| frame |), one row per frame."""
    send(context, socket, frame_table(context), False)


@phrase("I send the {format:Format} message to {socket:Socket}{envelope:Envelope}:")
def send_value(context: Context, format: Any, socket: Any, envelope: Any) -> None:
    """Send the docstring's value (written as JSON) in FORMAT, after the envelope's frames if given."""
    prose = context.prose
    value = parse_json_text(prose.interpolate_json(docstring(context)), f"the {format} message to send")
    prose.using_zmq().send_value(socket, value, format,
                                 None if envelope is None else prose.interpolate_frames(envelope))


@phrase("{socket:Socket} can send {text:Text} without blocking")
def can_send_text(context: Context, socket: Any, text: Any) -> None:
    """Storyplayer: expectsZmq()->canSendNonBlocking()."""
    context.prose.expects_zmq_socket(socket).can_send_multi_non_blocking(context.prose.interpolate_frames([text]))


@phrase("{socket:Socket} can send the multipart message {frames:Frames} without blocking")
def can_send_frames(context: Context, socket: Any, frames: Any) -> None:
    """Storyplayer: expectsZmq()->canSendmultiNonBlocking()."""
    context.prose.expects_zmq_socket(socket).can_send_multi_non_blocking(context.prose.interpolate_frames(frames))


@phrase("I reply {text:Text} on {socket:Socket}")
def reply_text(context: Context, text: Any, socket: Any) -> None:
    """Answer the peer of the socket's last message (REP or ROUTER) with one frame."""
    context.prose.using_zmq().reply(socket, context.prose.interpolate_frames([text]))


@phrase("I reply with the multipart message {frames:Frames} on {socket:Socket}")
def reply_frames(context: Context, frames: Any, socket: Any) -> None:
    """Answer the peer of the socket's last message (REP or ROUTER) with these frames."""
    context.prose.using_zmq().reply(socket, context.prose.interpolate_frames(frames))
