"""Phrases that pump volume through a pipeline and check it (README: *Pipelines*)."""

from zmqprose.steps.vocabulary import phrase


@phrase("I push {count:Count} messages of {size:Count} bytes to {socket:Socket}{pushers:Pushers}")
def push(context, count, size, socket, pushers):
    """Start pushing in the background (from K pushers: K sockets, K pushes); returns at once."""
    context.prose.using_zmq().push(socket, count, size, pushers)


@phrase("I pull {count:Count} messages from {socket:Socket} within {duration:Duration}")
def pull(context, count, socket, duration):
    prose = context.prose
    tally = prose.from_zmq_socket(socket).pull(count, duration)
    rate, seconds = prose.scenario.pipeline.rate()
    print(f"pulled: {tally.summary()}; {rate:,.0f} messages per second ({seconds:.3f} s from the push's start)")


@phrase("no pushed message was lost")
def nothing_lost(context):
    context.prose.expects_pipeline().lost_nothing()


@phrase("the pulled messages arrived in order")
def arrived_in_order(context):
    context.prose.expects_pipeline().in_order()


@phrase("the pipeline moved at least {rate:Count} messages per second")
def moved_at_least(context, rate):
    measured = context.prose.expects_pipeline().moved_at_least(rate)
    print(f"the pipeline moved {measured:,.0f} messages per second")
