"""Phrases about the apps under test (README: *Apps under test*)."""

from zmqprose.steps.vocabulary import phrase


@phrase("{app:App} is running")
def app_is_running(context, app):
    """Start the app once per run if its settings say how, then wait until it listens."""
    context.prose.apps.ensure_running(app)
