"""Phrases that pump volume through a pipeline and check it (docs: how-to/pipelines-and-load.md, *Pipelines*)."""


from behave.runner import Context

from zmqprose.sockets.references import SocketRef
from zmqprose.steps.vocabulary import prose, step


@step("I push {count:Messages} of {size:Bytes} to {socket:Socket}{pushers:Pushers}")
def push(context: Context, count: int, size: int, socket: SocketRef, pushers: int) -> None:
    """Start pushing numbered messages in the background (from K pushers: K sockets, K pushes); returns at once.

    Example: When I push 100000 messages of 100 bytes to ogre's pipeline input port
    """
    prose(context).using_zmq().push(socket, count, size, pushers)


@step("I pull {count:Messages} from {socket:Socket} within {duration:Duration}")
def pull(context: Context, count: int, socket: SocketRef, duration: float) -> None:
    """Drain the pipeline until the count arrived (bounded); prints what arrived and the rate.

    Example: Then I pull 100000 messages from ogre's pipeline output port within 30 seconds
    """
    api = prose(context)
    tally = api.from_zmq_socket(socket).pull(count, duration)
    rate, seconds = api.pipeline_rate()
    print(f"pulled: {tally.summary()}; {rate:,.0f} messages per second ({seconds:.3f} s from the push's start)")


@step("no pushed message was lost")
def nothing_lost(context: Context) -> None:
    """Check that every pushed message was pulled, none twice (each push checked).

    Example: Then no pushed message was lost
    """
    prose(context).expects_pipeline().lost_nothing()


@step("the pulled messages arrived in order")
def arrived_in_order(context: Context) -> None:
    """Check that the pulled messages of each push came in the order they were pushed.

    Example: Then the pulled messages arrived in order
    """
    prose(context).expects_pipeline().in_order()


@step("the pipeline moved at least {rate:Count} messages per second")
def moved_at_least(context: Context, rate: int) -> None:
    """Check the rate from the push's start to the pull's end: at least this many messages per second.

    Example: Then the pipeline moved at least 50000 messages per second
    """
    measured = prose(context).expects_pipeline().moved_at_least(rate)
    print(f"the pipeline moved {measured:,.0f} messages per second")
