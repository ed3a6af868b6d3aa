"""Phrases that receive and check what arrived (README: *Receiving*)."""

from zmqprose.steps.tables import docstring, frame_table
from zmqprose.steps.vocabulary import phrase
from zmqprose.wire.json_text import parse_json_text


@phrase("I receive {text:Text} from {socket:Socket}{within:Within}")
def receive_text(context, text, socket, within):
    prose = context.prose
    prose.expects_zmq_socket(socket).receives(prose.interpolate_frames([text]), within)


@phrase("I receive the multipart message {frames:Frames} from {socket:Socket}{within:Within}")
def receive_frames(context, frames, socket, within):
    context.prose.expects_zmq_socket(socket).receives(context.prose.interpolate_frames(frames), within)


@phrase("I receive a multipart message from {socket:Socket}{within:Within}:")
def receive_frame_table(context, socket, within):
    context.prose.expects_zmq_socket(socket).receives(context.prose.interpolate_frames(frame_table(context)), within)


@phrase("I receive a message from {socket:Socket}{within:Within}")
def receive_any(context, socket, within):
    context.prose.expects_zmq_socket(socket).receives_message(within)


@phrase("I receive a JSON message from {socket:Socket}{within:Within} matching:")
def receive_json_matching(context, socket, within):
    expected = parse_json_text(context.prose.interpolate_json(docstring(context)), "the expected JSON")
    context.prose.expects_zmq_socket(socket).receives_json(expected, subset=False, timeout=within)


@phrase("I receive a JSON message from {socket:Socket}{within:Within} containing:")
def receive_json_containing(context, socket, within):
    expected = parse_json_text(context.prose.interpolate_json(docstring(context)), "the expected JSON")
    context.prose.expects_zmq_socket(socket).receives_json(expected, subset=True, timeout=within)


@phrase("I receive {count:Count} messages from {socket:Socket}{within:Within}")
def receive_count(context, count, socket, within):
    context.prose.expects_zmq_socket(socket).receives_count(count, within)


@phrase("I receive nothing from {socket:Socket} within {duration:Duration}")
def receive_nothing(context, socket, duration):
    context.prose.expects_zmq_socket(socket).receives_nothing(duration)


@phrase("a message is waiting on {socket:Socket}")
def message_waiting(context, socket):
    """Storyplayer: fromZmqSocket()->recvNonBlocking(), as a check that leaves the message queued."""
    context.prose.expects_zmq_socket(socket).has_message_waiting()


@phrase("nothing is waiting on {socket:Socket}")
def nothing_waiting(context, socket):
    context.prose.expects_zmq_socket(socket).has_nothing_waiting()
