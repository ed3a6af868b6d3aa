"""Phrases that make stubs, give them rules and check what they received
(docs: how-to/stubs.md, *Stubbing the services your app talks to*)."""

from collections.abc import Sequence

from behave.runner import Context

from zmqprose.security.curve import CurveRequest
from zmqprose.sockets.references import Endpoint, SocketRef
from zmqprose.steps.tables import docstring, option_table
from zmqprose.steps.vocabulary import prose, step
from zmqprose.stubs.rules import REQUEST
from zmqprose.wire.frames import Frame
from zmqprose.wire.json_text import parse_json_text

KEEP = (REQUEST,)  # ${request.…} is filled in when the stub answers


def make_stub(context: Context, how: str, type: str, endpoint: Endpoint, name: str | None, curve: CurveRequest | None,
              options: bool) -> None:
    api = prose(context)
    api.using_zmq().stub(endpoint, type, how, name=name, curve=curve,
                         options=api.interpolate(option_table(context)) if options else None)


@step("a stub {type:SocketType} socket bound to {endpoint:Endpoint}{name:AsName}{curve:Curve}{options:WithOptions}")
def stub_bound(context: Context, type: str, endpoint: Endpoint, name: str | None, curve: CurveRequest | None,
               options: bool) -> None:
    """Make a stand-in service bound here (with CURVE: a secured one), receiving in the background.

    Example: Given a stub REP socket bound to billing's request port
    """
    make_stub(context, "bind", type, endpoint, name, curve, options)


@step("a stub {type:SocketType} socket connected to {endpoint:Endpoint}{name:AsName}{curve:Curve}{options:WithOptions}")
def stub_connected(context: Context, type: str, endpoint: Endpoint, name: str | None, curve: CurveRequest | None,
                   options: bool) -> None:
    """Make a stand-in service connected here (a worker of a broker, say), receiving in the background.

    Example: Given a stub REP socket connected to broker's backend port as "worker"
    """
    make_stub(context, "connect", type, endpoint, name, curve, options)


def add_rule(context: Context, stub: SocketRef, answer: Sequence[Frame], delay: float | None,
             to: Sequence[Frame] | None = None) -> None:
    api = prose(context)
    api.the_stub(stub).answers(api.interpolate_frames(answer, keep=KEEP),
                               to=None if to is None else api.interpolate_frames(to), after=delay or 0.0)


@step("the stub {stub:Socket} answers {answer:Text} to {request:Text}{delay:After}")
def answers_text(context: Context, stub: SocketRef, answer: str, request: str, delay: float | None) -> None:
    """Add a rule: answer this text to this request (after a delay, if given).

    Example: Given the stub "worker" answers "PONG" to "PING" after 500 ms
    """
    add_rule(context, stub, [answer], delay, to=[request])


@step("the stub {stub:Socket} answers with the multipart message {answer:Frames} to the multipart message {request:Frames}{delay:After}")  # noqa: E501
def answers_frames(context: Context, stub: SocketRef, answer: list[str], request: list[str],
                   delay: float | None) -> None:
    """Add a rule: answer these frames to a request of those frames (markers allowed).

    Example: Given the stub "worker" answers with the multipart message ["OK", "42"] to the multipart message ["GET"]
    """
    add_rule(context, stub, answer, delay, to=request)


@step("the stub {stub:Socket} answers {format:Format} requests containing {request:InlineJson} with:")
def answers_value(context: Context, stub: SocketRef, format: str, request: str) -> None:
    """Add a rule: answer requests whose value in FORMAT contains the pattern with the docstring's value.

    Example: Given the stub "worker" answers JSON requests containing {"command": "status"} with:
    """
    api = prose(context)
    pattern = parse_json_text(api.interpolate_json(request), f"the {format} request pattern")
    api.the_stub(stub).answers(api.interpolate_json(docstring(context), keep=KEEP), to_value=pattern,
                                 format=format)


@step("the stub {stub:Socket} answers anything else with {answer:Text}")
def answers_anything(context: Context, stub: SocketRef, answer: str) -> None:
    """Add a rule: answer this text to any request no earlier rule answers.

    Example: Given the stub "worker" answers anything else with "ERR unknown"
    """
    add_rule(context, stub, [answer], None)


@step("the stub {stub:Socket} stops answering")
def stops_answering(context: Context, stub: SocketRef) -> None:
    """Make the stub answer nothing more; it keeps receiving and recording.

    Example: When the stub "worker" stops answering
    """
    prose(context).the_stub(stub).stop_answering()


@step("the stub {stub:Socket} received {text:Text}{within:Within}")
def received_text(context: Context, stub: SocketRef, text: str, within: float | None) -> None:
    """Check that among the stub's requests is this text (with within: wait for it).

    Example: Then the stub "worker" received "PING" within 2 seconds
    """
    prose(context).expects_stub(stub).received(prose(context).interpolate_frames([text]), within)


@step("the stub {stub:Socket} received the multipart message {frames:Frames}{within:Within}")
def received_frames(context: Context, stub: SocketRef, frames: list[str], within: float | None) -> None:
    """Check that among the stub's requests is a message of these frames (markers allowed).

    Example: Then the stub "worker" received the multipart message ["GET", "42"]
    """
    prose(context).expects_stub(stub).received(prose(context).interpolate_frames(frames), within)


@step("the stub {stub:Socket} received {count:Messages}{within:Within}")
def received_count(context: Context, stub: SocketRef, count: int, within: float | None) -> None:
    """Check that the stub received exactly this many messages (with within: wait until it did).

    Example: Then the stub "worker" received 3 messages
    """
    prose(context).expects_stub(stub).received_count(count, within)


@step("the stub {stub:Socket} received a {format:Format} message{within:Within} containing:")
def received_value(context: Context, stub: SocketRef, format: str, within: float | None) -> None:
    """Check that among the stub's requests is one whose value in FORMAT contains the docstring's.

    Example: Then the stub "worker" received a JSON message containing:
    """
    expected = parse_json_text(prose(context).interpolate_json(docstring(context)), f"the expected {format} value")
    prose(context).expects_stub(stub).received_value(expected, format, within)


@step("the stub {stub:Socket} received nothing")
def received_nothing(context: Context, stub: SocketRef) -> None:
    """Check that the stub received nothing at all.

    Example: Then the stub "worker" received nothing
    """
    prose(context).expects_stub(stub).received_nothing()
