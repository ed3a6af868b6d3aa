"""Phrases that send (docs: reference/sockets.md, *Sending*)."""

from collections.abc import Sequence

from behave.runner import Context

from zmqprose.sockets.references import SocketRef
from zmqprose.steps.tables import docstring, frame_table
from zmqprose.steps.vocabulary import prose, step
from zmqprose.wire.frames import Frame
from zmqprose.wire.json_text import parse_json_text


def send(context: Context, socket: SocketRef, frames: Sequence[Frame], without_blocking: bool) -> None:
    api = prose(context)
    frames = api.interpolate_frames(frames)
    if without_blocking:
        api.using_zmq().send_multi_non_blocking(socket, frames)
    else:
        api.using_zmq().send_multi(socket, frames)


@step("I send {text:Text} to {socket:Socket}{without_blocking:WithoutBlocking}")
def send_text(context: Context, text: str, socket: SocketRef, without_blocking: bool) -> None:
    """Send one UTF-8 frame, waiting for ZeroMQ to take it unless without blocking (Storyplayer: usingZmq()->send()).

    Example: When I send "PING" to ogre's command port
    """
    send(context, socket, [text], without_blocking)


@step("I send the multipart message {frames:Frames} to {socket:Socket}{without_blocking:WithoutBlocking}")
def send_frames(context: Context, frames: list[str], socket: SocketRef, without_blocking: bool) -> None:
    """Send one message of these frames (Storyplayer: usingZmq()->sendMulti()).

    Example: When I send the multipart message ["PING", "42"] to ogre's command port
    """
    send(context, socket, frames, without_blocking)


@step("I send a multipart message to {socket:Socket}:")
def send_frame_table(context: Context, socket: SocketRef) -> None:
    """Send the frames of the table below (| frame |), one row per frame.

    Example: When I send a multipart message to ogre's command port:
    """
    send(context, socket, frame_table(context), False)


@step("I send the {format:Format} message to {socket:Socket}{envelope:Envelope}:")
def send_value(context: Context, format: str, socket: SocketRef, envelope: list[str] | None) -> None:
    """Send the docstring's value (written as JSON) in FORMAT, after the envelope's frames if given.

    Example: When I send the JSON message to keeper's control endpoint:
    """
    api = prose(context)
    value = parse_json_text(api.interpolate_json(docstring(context)), f"the {format} message to send")
    api.using_zmq().send_value(socket, value, format,
                                 None if envelope is None else api.interpolate_frames(envelope))


@step("{socket:Socket} can send {text:Text} without blocking")
def can_send_text(context: Context, socket: SocketRef, text: str) -> None:
    """Check that ZeroMQ takes this one-frame message at once, and send it (Storyplayer: canSendNonBlocking()).

    Example: Then ogre's command port can send "PING" without blocking
    """
    prose(context).expects_zmq_socket(socket).can_send_multi_non_blocking(prose(context).interpolate_frames([text]))


@step("{socket:Socket} can send the multipart message {frames:Frames} without blocking")
def can_send_frames(context: Context, socket: SocketRef, frames: list[str]) -> None:
    """Check that ZeroMQ takes a message of these frames at once, and send it (Storyplayer: canSendmultiNonBlocking()).

    Example: Then ogre's command port can send the multipart message ["a", "b"] without blocking
    """
    prose(context).expects_zmq_socket(socket).can_send_multi_non_blocking(prose(context).interpolate_frames(frames))


@step("I reply {text:Text} on {socket:Socket}")
def reply_text(context: Context, text: str, socket: SocketRef) -> None:
    """Answer the peer of the socket's last message (REP or ROUTER) with one frame.

    Example: When I reply "PONG" on "server"
    """
    prose(context).using_zmq().reply(socket, prose(context).interpolate_frames([text]))


@step("I reply with the multipart message {frames:Frames} on {socket:Socket}")
def reply_frames(context: Context, frames: list[str], socket: SocketRef) -> None:
    """Answer the peer of the socket's last message (REP or ROUTER) with these frames.

    Example: When I reply with the multipart message ["PONG", "42"] on "server"
    """
    prose(context).using_zmq().reply(socket, prose(context).interpolate_frames(frames))
