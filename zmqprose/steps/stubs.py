"""Phrases that make stubs, give them rules and check what they received
(README: *Stubbing the services your app talks to*)."""

from zmqprose.steps.tables import docstring, option_table
from zmqprose.steps.vocabulary import phrase
from zmqprose.stubs.rules import REQUEST
from zmqprose.wire.json_text import parse_json_text

KEEP = (REQUEST,)  # ${request.…} is filled in when the stub answers


def make_stub(context, how, type, endpoint, name, curve, options):
    prose = context.prose
    prose.using_zmq().stub(endpoint, type, how, name=name, curve=curve,
                           options=prose.interpolate(option_table(context)) if options else None)


@phrase("a stub {type:SocketType} socket bound to {endpoint:Endpoint}{name:AsName}{curve:Curve}{options:WithOptions}")
def stub_bound(context, type, endpoint, name, curve, options):
    """A stand-in service bound here (with CURVE: a secured one), receiving in the background."""
    make_stub(context, "bind", type, endpoint, name, curve, options)


@phrase("a stub {type:SocketType} socket connected to {endpoint:Endpoint}{name:AsName}{curve:Curve}"
        "{options:WithOptions}")
def stub_connected(context, type, endpoint, name, curve, options):
    """A stand-in service connected here (a worker of a broker, say), receiving in the background."""
    make_stub(context, "connect", type, endpoint, name, curve, options)


def add_rule(context, stub, answer, delay, to=None):
    prose = context.prose
    prose.the_stub(stub).answers(prose.interpolate_frames(answer, keep=KEEP),
                                 to=None if to is None else prose.interpolate_frames(to), after=delay or 0.0)


@phrase("the stub {stub:Socket} answers {answer:Text} to {request:Text}{delay:After}")
def answers_text(context, stub, answer, request, delay):
    add_rule(context, stub, [answer], delay, to=[request])


@phrase("the stub {stub:Socket} answers with the multipart message {answer:Frames} "
        "to the multipart message {request:Frames}{delay:After}")
def answers_frames(context, stub, answer, request, delay):
    add_rule(context, stub, answer, delay, to=request)


@phrase("the stub {stub:Socket} answers {format:Format} requests containing {request:InlineJson} with:")
def answers_value(context, stub, format, request):
    """Answer requests whose value in FORMAT contains the pattern with the docstring's value, in FORMAT."""
    prose = context.prose
    pattern = parse_json_text(prose.interpolate_json(request), f"the {format} request pattern")
    prose.the_stub(stub).answers(prose.interpolate_json(docstring(context), keep=KEEP), to_value=pattern,
                                 format=format)


@phrase("the stub {stub:Socket} answers anything else with {answer:Text}")
def answers_anything(context, stub, answer):
    add_rule(context, stub, [answer], None)


@phrase("the stub {stub:Socket} stops answering")
def stops_answering(context, stub):
    context.prose.the_stub(stub).stop_answering()


@phrase("the stub {stub:Socket} received {text:Text}{within:Within}")
def received_text(context, stub, text, within):
    context.prose.expects_stub(stub).received(context.prose.interpolate_frames([text]), within)


@phrase("the stub {stub:Socket} received the multipart message {frames:Frames}{within:Within}")
def received_frames(context, stub, frames, within):
    context.prose.expects_stub(stub).received(context.prose.interpolate_frames(frames), within)


@phrase("the stub {stub:Socket} received {count:Count} messages{within:Within}")
def received_count(context, stub, count, within):
    context.prose.expects_stub(stub).received_count(count, within)


@phrase("the stub {stub:Socket} received a {format:Format} message{within:Within} containing:")
def received_value(context, stub, format, within):
    """Among the stub's requests is one whose value in FORMAT contains the docstring's."""
    expected = parse_json_text(context.prose.interpolate_json(docstring(context)), f"the expected {format} value")
    context.prose.expects_stub(stub).received_value(expected, format, within)


@phrase("the stub {stub:Socket} received nothing")
def received_nothing(context, stub):
    context.prose.expects_stub(stub).received_nothing()
