"""Phrases that make stubs, give them rules and check what they received
(README: *Stubbing the services your app talks to*)."""

from collections.abc import Sequence

from behave.runner import Context

from zmqprose.security.curve import CurveRequest
from zmqprose.sockets.references import Endpoint, SocketRef
from zmqprose.steps.tables import docstring, option_table
from zmqprose.steps.vocabulary import phrase, prose
from zmqprose.stubs.rules import REQUEST
from zmqprose.wire.frames import Frame
from zmqprose.wire.json_text import parse_json_text

KEEP = (REQUEST,)  # ${request.…} is filled in when the stub answers


def make_stub(context: Context, how: str, type: str, endpoint: Endpoint, name: str | None, curve: CurveRequest | None,
              options: bool) -> None:
    api = prose(context)
    api.using_zmq().stub(endpoint, type, how, name=name, curve=curve,
                         options=api.interpolate(option_table(context)) if options else None)


@phrase("a stub {type:SocketType} socket bound to {endpoint:Endpoint}{name:AsName}{curve:Curve}{options:WithOptions}")
def stub_bound(context: Context, type: str, endpoint: Endpoint, name: str | None, curve: CurveRequest | None,
               options: bool) -> None:
    """A stand-in service bound here (with CURVE: a secured one), receiving in the background."""
    make_stub(context, "bind", type, endpoint, name, curve, options)


@phrase("a stub {type:SocketType} socket connected to {endpoint:Endpoint}{name:AsName}{curve:Curve}"
        "{options:WithOptions}")
def stub_connected(context: Context, type: str, endpoint: Endpoint, name: str | None, curve: CurveRequest | None,
                   options: bool) -> None:
    """A stand-in service connected here (a worker of a broker, say), receiving in the background."""
    make_stub(context, "connect", type, endpoint, name, curve, options)


def add_rule(context: Context, stub: SocketRef, answer: Sequence[Frame], delay: float | None,
             to: Sequence[Frame] | None = None) -> None:
    api = prose(context)
    api.the_stub(stub).answers(api.interpolate_frames(answer, keep=KEEP),
                               to=None if to is None else api.interpolate_frames(to), after=delay or 0.0)


@phrase("the stub {stub:Socket} answers {answer:Text} to {request:Text}{delay:After}")
def answers_text(context: Context, stub: SocketRef, answer: str, request: str, delay: float | None) -> None:
    """Add a rule: answer this text to this request (after a delay, if given)."""
    add_rule(context, stub, [answer], delay, to=[request])


@phrase("the stub {stub:Socket} answers with the multipart message {answer:Frames} "
        "to the multipart message {request:Frames}{delay:After}")
def answers_frames(context: Context, stub: SocketRef, answer: list[str], request: list[str],
                   delay: float | None) -> None:
    """Add a rule: answer these frames to a request of those frames (markers allowed)."""
    add_rule(context, stub, answer, delay, to=request)


@phrase("the stub {stub:Socket} answers {format:Format} requests containing {request:InlineJson} with:")
def answers_value(context: Context, stub: SocketRef, format: str, request: str) -> None:
    """Answer requests whose value in FORMAT contains the pattern with the docstring's value, in FORMAT."""
    api = prose(context)
    pattern = parse_json_text(api.interpolate_json(request), f"the {format} request pattern")
    api.the_stub(stub).answers(api.interpolate_json(docstring(context), keep=KEEP), to_value=pattern,
                                 format=format)


@phrase("the stub {stub:Socket} answers anything else with {answer:Text}")
def answers_anything(context: Context, stub: SocketRef, answer: str) -> None:
    """Add a rule: answer this text to any request no earlier rule answers."""
    add_rule(context, stub, [answer], None)


@phrase("the stub {stub:Socket} stops answering")
def stops_answering(context: Context, stub: SocketRef) -> None:
    """The stub keeps receiving and recording, but answers nothing more."""
    prose(context).the_stub(stub).stop_answering()


@phrase("the stub {stub:Socket} received {text:Text}{within:Within}")
def received_text(context: Context, stub: SocketRef, text: str, within: float | None) -> None:
    """Among the stub's requests is this text (with within: wait for it)."""
    prose(context).expects_stub(stub).received(prose(context).interpolate_frames([text]), within)


@phrase("the stub {stub:Socket} received the multipart message {frames:Frames}{within:Within}")
def received_frames(context: Context, stub: SocketRef, frames: list[str], within: float | None) -> None:
    """Among the stub's requests is a message of these frames (markers allowed)."""
    prose(context).expects_stub(stub).received(prose(context).interpolate_frames(frames), within)


@phrase("the stub {stub:Socket} received {count:Count} messages{within:Within}")
def received_count(context: Context, stub: SocketRef, count: int, within: float | None) -> None:
    """The stub received exactly this many messages (with within: wait until it did)."""
    prose(context).expects_stub(stub).received_count(count, within)


@phrase("the stub {stub:Socket} received a {format:Format} message{within:Within} containing:")
def received_value(context: Context, stub: SocketRef, format: str, within: float | None) -> None:
    """Among the stub's requests is one whose value in FORMAT contains the docstring's."""
    expected = parse_json_text(prose(context).interpolate_json(docstring(context)), f"the expected {format} value")
    prose(context).expects_stub(stub).received_value(expected, format, within)


@phrase("the stub {stub:Socket} received nothing")
def received_nothing(context: Context, stub: SocketRef) -> None:
    """The stub received nothing at all."""
    prose(context).expects_stub(stub).received_nothing()
