"""Phrases about the apps under test (README: *Apps under test*, *Apps and commands under the spec's control*)."""


from behave.runner import Context

from zmqprose.steps.vocabulary import phrase, prose


@phrase("{app:App} is running")
def app_is_running(context: Context, app: str) -> None:
    """Make sure the app runs: start it if its settings say how (same ports after a stop), and wait until ready."""
    prose(context).apps.ensure_running(app)


@phrase("I stop {app:App}")
def stop_app(context: Context, app: str) -> None:
    """Stop the app's whole process group: SIGTERM, then SIGKILL after its stop_timeout."""
    prose(context).apps.stop(app)


@phrase("I kill {app:App}")
def kill_app(context: Context, app: str) -> None:
    """Kill the app's whole process group with SIGKILL."""
    prose(context).apps.kill(app)


@phrase("I restart {app:App}")
def restart_app(context: Context, app: str) -> None:
    """Stop the app and start it again on the same ports; the scenario's sockets reconnect."""
    prose(context).apps.restart(app)


@phrase("{app:App} is still running")
def app_still_running(context: Context, app: str) -> None:
    """Check that the app runs (e.g. it survived a malformed message); starts nothing."""
    prose(context).expects_app(app).is_running()


@phrase("{app:App} is not running")
def app_not_running(context: Context, app: str) -> None:
    """Check that the app does not run; starts and stops nothing."""
    prose(context).expects_app(app).is_not_running()


@phrase("{app:App} exits with code {code:Count} within {duration:Duration}")
def app_exits_with(context: Context, app: str, code: int, duration: float) -> None:
    """Wait (bounded) for the app to end by itself, and check its exit code."""
    prose(context).expects_app(app).exits_with(code, duration)


@phrase("{app:App}'s output contains {text:Text}")
def app_output_contains(context: Context, app: str, text: str) -> None:
    """The app's output (stdout and stderr) holds the text, now or within the default wait."""
    prose(context).expects_app(app).output_contains(prose(context).interpolate(text))


@phrase("{app:App}'s output contains {text:Text} within {duration:Duration}")
def app_output_contains_within(context: Context, app: str, text: str, duration: float) -> None:
    """The app's output (its current process, this scenario) holds the text within the wait."""
    prose(context).expects_app(app).output_contains(prose(context).interpolate(text), duration)


@phrase("{app:App}'s output does not contain {text:Text}")
def app_output_does_not_contain(context: Context, app: str, text: str) -> None:
    """The app's output (its current process, this scenario) does not hold the text now."""
    prose(context).expects_app(app).output_does_not_contain(prose(context).interpolate(text))


@phrase("{app:App}'s output matches {text:Text}")
def app_output_matches(context: Context, app: str, text: str) -> None:
    """The app's whole output (its current process, this scenario) matches: a text, or #regex (full match)."""
    prose(context).expects_app(app).output_matches(prose(context).interpolate(text))


@phrase("I store what {app:App}'s output matches {pattern:Text} as {key:Name}{within:Within}")
def store_app_output_value(context: Context, app: str, pattern: str, key: str, within: float | None) -> None:
    """Wait (default wait, or within) for the first line of the app's output (its current process, this scenario)
    that the #regex matches whole, and store its first group (or the line) as text in the checkpoint.

    Example: When I store what pyre_node's output matches "#regex .*endpoint (tcp://\\S+).*" as "peer"
    """
    api = prose(context)
    api.checkpoint.set(key, api.expects_app(app).value_in_output(api.interpolate(pattern), within))


@phrase("{app:App} still answers{within:Within}")
def app_still_answers(context: Context, app: str, within: float | None) -> None:
    """Send the app's probe (its settings' "probe") on a fresh socket and check the answer as `matching` does;
    catches a service whose workers died while the process zmqprose started lives.

    Example: Then master still answers within 5 seconds
    """
    prose(context).expects_app(app).still_answers(within)
