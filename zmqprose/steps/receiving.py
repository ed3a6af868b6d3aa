"""Phrases that receive and check what arrived (docs: reference/sockets.md, *Receiving*,
*Eventually*; docs: how-to/formats.md, *Sending and receiving in a format*)."""


from behave.runner import Context

from zmqprose.sockets.references import SocketRef
from zmqprose.steps.tables import docstring, frame_table
from zmqprose.steps.vocabulary import prose, step
from zmqprose.wire.json_text import parse_json_text


@step("I {eventually:Eventually}receive {text:Text} from {socket:Socket}{within:Within}")
def receive_text(context: Context, eventually: bool, text: str, socket: SocketRef, within: float | None) -> None:
    """Receive a message of one frame, this text (with eventually: skipping messages that are not it).

    Example: Then I receive "PONG" from ogre's response port within 2 seconds
    """
    api = prose(context)
    api.expects_zmq_socket(socket).receives(api.interpolate_frames([text]), within, eventually)


@step("I {eventually:Eventually}receive the multipart message {frames:Frames} from {socket:Socket}{within:Within}")
def receive_frames(context: Context, eventually: bool, frames: list[str], socket: SocketRef,
                   within: float | None) -> None:
    """Receive a message of these frames (markers allowed).

    Example: Then I receive the multipart message ["PONG", "42"] from ogre's response port
    """
    prose(context).expects_zmq_socket(socket).receives(prose(context).interpolate_frames(frames), within, eventually)


@step("I {eventually:Eventually}receive a multipart message from {socket:Socket}{within:Within}:")
def receive_frame_table(context: Context, eventually: bool, socket: SocketRef, within: float | None) -> None:
    """Receive a message of the frames in the table below (| frame |).

    Example: Then I receive a multipart message from ogre's response port within 1 second:
    """
    api = prose(context)
    api.expects_zmq_socket(socket).receives(api.interpolate_frames(frame_table(context)), within, eventually)


@step("I receive a message from {socket:Socket}{within:Within}")
def receive_any(context: Context, socket: SocketRef, within: float | None) -> None:
    """Receive any message (it becomes the socket's last message).

    Example: Then I receive a message from ogre's response port
    """
    prose(context).expects_zmq_socket(socket).receives_message(within)


def receive_value(context: Context, eventually: bool, format: str, socket: SocketRef, within: float | None,
                  envelope: list[str] | None, subset: bool, any_order: bool = False) -> None:
    api = prose(context)
    expected = parse_json_text(api.interpolate_json(docstring(context)), f"the expected {format} value")
    api.expects_zmq_socket(socket).receives_value(
        expected, format, subset, within, None if envelope is None else api.interpolate_frames(envelope),
        eventually, any_order)


@step("I {eventually:Eventually}receive a {format:Format} message from {socket:Socket}{within:Within}{envelope:Envelope} matching:")  # noqa: E501
def receive_value_matching(context: Context, eventually: bool, format: str, socket: SocketRef, within: float | None,
                           envelope: list[str] | None) -> None:
    """Receive a message whose value in FORMAT matches the docstring (JSON; markers allowed).

    Example: Then I receive a JSON message from keeper's control endpoint matching:
    """
    receive_value(context, eventually, format, socket, within, envelope, subset=False)


@step("I {eventually:Eventually}receive a {format:Format} message from {socket:Socket}{within:Within}{envelope:Envelope} containing:")  # noqa: E501
def receive_value_containing(context: Context, eventually: bool, format: str, socket: SocketRef, within: float | None,
                             envelope: list[str] | None) -> None:
    """Receive a message whose value in FORMAT contains the docstring's keys and elements.

    Example: Then I receive a JSON message from keeper's control endpoint containing:
    """
    receive_value(context, eventually, format, socket, within, envelope, subset=True)


@step("I {eventually:Eventually}receive a {format:Format} message from {socket:Socket}{within:Within}{envelope:Envelope} containing only:")  # noqa: E501
def receive_value_containing_only(context: Context, eventually: bool, format: str, socket: SocketRef,
                                  within: float | None, envelope: list[str] | None) -> None:
    """Receive a message whose value in FORMAT is the docstring's, every array in any order (each element once).

    Example: Then I receive a JSON message from tinyrpc's rpc port containing only:
    """
    receive_value(context, eventually, format, socket, within, envelope, subset=False, any_order=True)


@step("I receive {count:Messages} from {socket:Socket}{within:Within}")
def receive_count(context: Context, count: int, socket: SocketRef, within: float | None) -> None:
    """Receive this many messages, all within the wait.

    Example: Then I receive 3 messages from ogre's response port within 2 seconds
    """
    prose(context).expects_zmq_socket(socket).receives_count(count, within)


@step("I receive nothing from {socket:Socket} within {duration:Duration}")
def receive_nothing(context: Context, socket: SocketRef, duration: float) -> None:
    """Check that nothing arrives for the whole duration.

    Example: Then I receive nothing from ogre's response port within 500 ms
    """
    prose(context).expects_zmq_socket(socket).receives_nothing(duration)


@step("a message is waiting on {socket:Socket}")
def message_waiting(context: Context, socket: SocketRef) -> None:
    """Check that a message is waiting now, and leave it queued; never waits (Storyplayer: recvNonBlocking()).

    Example: Then a message is waiting on ogre's response port
    """
    prose(context).expects_zmq_socket(socket).has_message_waiting()


@step("nothing is waiting on {socket:Socket}")
def nothing_waiting(context: Context, socket: SocketRef) -> None:
    """Check that no message is waiting now; never waits.

    Example: Then nothing is waiting on ogre's response port
    """
    prose(context).expects_zmq_socket(socket).has_nothing_waiting()
