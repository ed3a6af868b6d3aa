"""Phrases that pump volume through a pipeline and check it (README: *Pipelines*)."""


from behave.runner import Context

from zmqprose.sockets.references import SocketRef
from zmqprose.steps.vocabulary import phrase, prose


@phrase("I push {count:Count} messages of {size:Count} bytes to {socket:Socket}{pushers:Pushers}")
def push(context: Context, count: int, size: int, socket: SocketRef, pushers: int) -> None:
    """Start pushing in the background (from K pushers: K sockets, K pushes); returns at once."""
    prose(context).using_zmq().push(socket, count, size, pushers)


@phrase("I pull {count:Count} messages from {socket:Socket} within {duration:Duration}")
def pull(context: Context, count: int, socket: SocketRef, duration: float) -> None:
    """Drain the pipeline until the count arrived (bounded); prints what arrived and the rate."""
    api = prose(context)
    tally = api.from_zmq_socket(socket).pull(count, duration)
    rate, seconds = api.pipeline_rate()
    print(f"pulled: {tally.summary()}; {rate:,.0f} messages per second ({seconds:.3f} s from the push's start)")


@phrase("no pushed message was lost")
def nothing_lost(context: Context) -> None:
    """Every pushed message was pulled, none twice (each push checked)."""
    prose(context).expects_pipeline().lost_nothing()


@phrase("the pulled messages arrived in order")
def arrived_in_order(context: Context) -> None:
    """The pulled messages of each push came in the order they were pushed."""
    prose(context).expects_pipeline().in_order()


@phrase("the pipeline moved at least {rate:Count} messages per second")
def moved_at_least(context: Context, rate: int) -> None:
    """From the push's start to the pull's end, at least this many messages per second."""
    measured = prose(context).expects_pipeline().moved_at_least(rate)
    print(f"the pipeline moved {measured:,.0f} messages per second")
