"""Phrases that receive and check what arrived (README: *Receiving*, *Message formats*, *Eventually*)."""


from behave.runner import Context

from zmqprose.sockets.references import SocketRef
from zmqprose.steps.tables import docstring, frame_table
from zmqprose.steps.vocabulary import phrase, prose
from zmqprose.wire.json_text import parse_json_text

RECEIVE = "I {eventually:Eventually}receive"


@phrase(RECEIVE + " {text:Text} from {socket:Socket}{within:Within}")
def receive_text(context: Context, eventually: bool, text: str, socket: SocketRef, within: float | None) -> None:
    """Receive one frame of text (with eventually: skipping messages that are not it)."""
    api = prose(context)
    api.expects_zmq_socket(socket).receives(api.interpolate_frames([text]), within, eventually)


@phrase(RECEIVE + " the multipart message {frames:Frames} from {socket:Socket}{within:Within}")
def receive_frames(context: Context, eventually: bool, frames: list[str], socket: SocketRef,
                   within: float | None) -> None:
    """Receive a message of these frames (markers allowed)."""
    prose(context).expects_zmq_socket(socket).receives(prose(context).interpolate_frames(frames), within, eventually)


@phrase(RECEIVE + " a multipart message from {socket:Socket}{within:Within}:")
def receive_frame_table(context: Context, eventually: bool, socket: SocketRef, within: float | None) -> None:
    """Receive a message of the frames in the table below (| frame |)."""
    api = prose(context)
    api.expects_zmq_socket(socket).receives(api.interpolate_frames(frame_table(context)), within, eventually)


@phrase("I receive a message from {socket:Socket}{within:Within}")
def receive_any(context: Context, socket: SocketRef, within: float | None) -> None:
    """Receive any message (it becomes the socket's last message)."""
    prose(context).expects_zmq_socket(socket).receives_message(within)


def receive_value(context: Context, eventually: bool, format: str, socket: SocketRef, within: float | None,
                  envelope: list[str] | None, subset: bool, any_order: bool = False) -> None:
    api = prose(context)
    expected = parse_json_text(api.interpolate_json(docstring(context)), f"the expected {format} value")
    api.expects_zmq_socket(socket).receives_value(
        expected, format, subset, within, None if envelope is None else api.interpolate_frames(envelope),
        eventually, any_order)


@phrase(RECEIVE + " a {format:Format} message from {socket:Socket}{within:Within}{envelope:Envelope} matching:")
def receive_value_matching(context: Context, eventually: bool, format: str, socket: SocketRef, within: float | None,
                           envelope: list[str] | None) -> None:
    """Receive a message whose value in FORMAT matches the docstring (JSON; markers allowed)."""
    receive_value(context, eventually, format, socket, within, envelope, subset=False)


@phrase(RECEIVE + " a {format:Format} message from {socket:Socket}{within:Within}{envelope:Envelope} containing:")
def receive_value_containing(context: Context, eventually: bool, format: str, socket: SocketRef, within: float | None,
                             envelope: list[str] | None) -> None:
    """Receive a message whose value in FORMAT contains the docstring's keys and elements."""
    receive_value(context, eventually, format, socket, within, envelope, subset=True)


@phrase(RECEIVE + " a {format:Format} message from {socket:Socket}{within:Within}{envelope:Envelope}"
        " containing only:")
def receive_value_containing_only(context: Context, eventually: bool, format: str, socket: SocketRef,
                                  within: float | None, envelope: list[str] | None) -> None:
    """Receive a message whose value in FORMAT is the docstring's, every array in any order (each element once)."""
    receive_value(context, eventually, format, socket, within, envelope, subset=False, any_order=True)


@phrase("I receive {count:Count} messages from {socket:Socket}{within:Within}")
def receive_count(context: Context, count: int, socket: SocketRef, within: float | None) -> None:
    """Receive this many messages, all within the wait."""
    prose(context).expects_zmq_socket(socket).receives_count(count, within)


@phrase("I receive nothing from {socket:Socket} within {duration:Duration}")
def receive_nothing(context: Context, socket: SocketRef, duration: float) -> None:
    """Nothing arrives for the whole duration."""
    prose(context).expects_zmq_socket(socket).receives_nothing(duration)


@phrase("a message is waiting on {socket:Socket}")
def message_waiting(context: Context, socket: SocketRef) -> None:
    """Storyplayer: fromZmqSocket()->recvNonBlocking(), as a check that leaves the message queued."""
    prose(context).expects_zmq_socket(socket).has_message_waiting()


@phrase("nothing is waiting on {socket:Socket}")
def nothing_waiting(context: Context, socket: SocketRef) -> None:
    """No message is waiting now; never waits."""
    prose(context).expects_zmq_socket(socket).has_nothing_waiting()
