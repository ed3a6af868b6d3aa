"""Phrases about links: network faults between the spec and an app (README: *Network faults*)."""

from behave.runner import Context

from zmqprose.sockets.references import Endpoint
from zmqprose.steps.vocabulary import phrase, prose


@phrase("a link to {endpoint:Endpoint} as {name:Name}")
def make_link(context: Context, endpoint: Endpoint, name: str) -> None:
    """A relay on a free port of 127.0.0.1 in front of a tcp endpoint: connect to 'the endpoint of "NAME"'."""
    prose(context).link(endpoint, name)


@phrase("the link {name:Name} is cut")
def cut(context: Context, name: str) -> None:
    """Close every connection through the link, and refuse new ones until it is restored."""
    prose(context).the_link(name).cut_off()


@phrase("the link {name:Name} is restored")
def restore(context: Context, name: str) -> None:
    """Let connections through the link again."""
    prose(context).the_link(name).restore()


@phrase("the link {name:Name} is cut for {duration:Duration}")
def cut_for(context: Context, name: str, duration: float) -> None:
    """Cut the link, and restore it by itself after the duration (in the background)."""
    prose(context).the_link(name).cut_off(duration)


@phrase("the link {name:Name} delays by {duration:Duration}")
def delay(context: Context, name: str, duration: float) -> None:
    """Hold every chunk that long, in each direction."""
    prose(context).the_link(name).delay_by(duration)


@phrase("the link {name:Name} stalls")
def stall(context: Context, name: str) -> None:
    """Keep connections open, but let no byte pass: a peer that hangs."""
    prose(context).the_link(name).stall()


@phrase("the link {name:Name} is healthy")
def healthy(context: Context, name: str) -> None:
    """No stall, no delay."""
    prose(context).the_link(name).heal()


@phrase("the link {name:Name} has a connection within {duration:Duration}")
def has_connection(context: Context, name: str, duration: float) -> None:
    """Wait until a peer is connected through the link."""
    prose(context).the_link(name).has_connection(duration)


@phrase("the link {name:Name} has no connection within {duration:Duration}")
def has_no_connection(context: Context, name: str, duration: float) -> None:
    """Wait until no peer is connected through the link."""
    prose(context).the_link(name).has_no_connection(duration)
