"""Phrases about links: network faults between the spec and an app (docs: how-to/network-faults.md, *Network faults*).

A link's state is a condition: ``the link "NAME" is cut``, ``is restored`` and
``is healthy`` make it so under Given and When, and only check it under Then
(as ``APP is running`` does); ``is cut for``, ``delays by`` and ``stalls`` are
things that happen, under any keyword.
"""

from behave.runner import Context

from zmqprose.sockets.references import Endpoint
from zmqprose.steps.vocabulary import given, only_checks, prose, step, then, when


@step("a link to {endpoint:Endpoint} as {name:Name}")
def make_link(context: Context, endpoint: Endpoint, name: str) -> None:
    """Make a relay on a free port of 127.0.0.1 in front of a tcp endpoint: connect to 'the endpoint of "NAME"'.

    Example: Given a link to ogre's command port as "ogre-link"
    """
    prose(context).link(endpoint, name)


@given("the link {name:Name} is cut")
@when("the link {name:Name} is cut")
def cut(context: Context, name: str) -> None:
    """Close every connection through the link, and refuse new ones until it is restored.

    Example: When the link "ogre-link" is cut
    """
    prose(context).the_link(name).cut_off()


@then("the link {name:Name} is cut")
def check_cut(context: Context, name: str) -> None:
    """Check that the link is cut; cuts nothing.

    Example: Then the link "ogre-link" is cut
    """
    checks = prose(context).expects_link(name)
    with only_checks(f'the link "{name}" is cut', f'When the link "{name}" is cut', "cut it"):
        checks.is_cut()


@given("the link {name:Name} is restored")
@when("the link {name:Name} is restored")
def restore(context: Context, name: str) -> None:
    """Let connections through the link again.

    Example: When the link "ogre-link" is restored
    """
    prose(context).the_link(name).restore()


@then("the link {name:Name} is restored")
def check_restored(context: Context, name: str) -> None:
    """Check that the link is not cut; restores nothing.

    Example: Then the link "ogre-link" is restored
    """
    checks = prose(context).expects_link(name)
    with only_checks(f'the link "{name}" is restored', f'When the link "{name}" is restored', "restore it"):
        checks.is_restored()


@step("the link {name:Name} is cut for {duration:Duration}")
def cut_for(context: Context, name: str, duration: float) -> None:
    """Cut the link, and restore it by itself after the duration (in the background).

    Example: When the link "ogre-link" is cut for 2 seconds
    """
    prose(context).the_link(name).cut_off(duration)


@step("the link {name:Name} delays by {duration:Duration}")
def delay(context: Context, name: str, duration: float) -> None:
    """Hold every chunk that long, in each direction.

    Example: When the link "ogre-link" delays by 200 ms
    """
    prose(context).the_link(name).delay_by(duration)


@step("the link {name:Name} stalls")
def stall(context: Context, name: str) -> None:
    """Keep connections open, but let no byte pass: a peer that hangs.

    Example: When the link "ogre-link" stalls
    """
    prose(context).the_link(name).stall()


@given("the link {name:Name} is healthy")
@when("the link {name:Name} is healthy")
def healthy(context: Context, name: str) -> None:
    """End the link's stall and delay: what it holds goes on at once (a cut is ended by 'is restored').

    Example: When the link "ogre-link" is healthy
    """
    prose(context).the_link(name).heal()


@then("the link {name:Name} is healthy")
def check_healthy(context: Context, name: str) -> None:
    """Check that the link neither stalls nor delays; heals nothing.

    Example: Then the link "ogre-link" is healthy
    """
    checks = prose(context).expects_link(name)
    with only_checks(f'the link "{name}" is healthy', f'When the link "{name}" is healthy', "heal it"):
        checks.is_healthy()


@step("the link {name:Name} has a connection within {duration:Duration}")
def has_connection(context: Context, name: str, duration: float) -> None:
    """Wait until a peer is connected through the link.

    Example: Then the link "ogre-link" has a connection within 5 seconds
    """
    prose(context).the_link(name).has_connection(duration)


@step("the link {name:Name} has no connection within {duration:Duration}")
def has_no_connection(context: Context, name: str, duration: float) -> None:
    """Wait until no peer is connected through the link.

    Example: Then the link "ogre-link" has no connection within 2 seconds
    """
    prose(context).the_link(name).has_no_connection(duration)
