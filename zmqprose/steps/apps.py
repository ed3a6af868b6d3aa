"""Phrases about the apps under test (docs: reference/apps.md, *Apps and commands under the
spec's control*).

``APP is running`` states a condition: under Given and When it makes it so
(starts the app), under Then it only checks (docs: reference/steps.md, *Keywords*).
"""


from behave.runner import Context

from zmqprose.steps.vocabulary import given, only_checks, prose, step, then, when


@given("{app:App} is running")
@when("{app:App} is running")
def app_is_running(context: Context, app: str) -> None:
    """Make sure the app runs: start it if its settings say how (same ports after a stop), and wait until ready.

    Example: Given ogre is running
    """
    prose(context).apps.ensure_running(app)


@then("{app:App} is running")
def app_runs(context: Context, app: str) -> None:
    """Check that the app runs now (an app zmqprose does not start: that its ports listen); starts nothing.

    Example: Then ogre is running
    """
    checks = prose(context).expects_app(app)
    with only_checks(f"{app} is running", f"Given {app} is running", "start it"):
        checks.is_running()


@step("I stop {app:App}")
def stop_app(context: Context, app: str) -> None:
    """Stop the app's whole process group: SIGTERM, then SIGKILL after its stop_timeout.

    Example: When I stop ogre
    """
    prose(context).apps.stop(app)


@step("I kill {app:App}")
def kill_app(context: Context, app: str) -> None:
    """Kill the app's whole process group with SIGKILL.

    Example: When I kill ogre
    """
    prose(context).apps.kill(app)


@step("I restart {app:App}")
def restart_app(context: Context, app: str) -> None:
    """Stop the app and start it again on the same ports; the scenario's sockets reconnect.

    Example: When I restart ogre
    """
    prose(context).apps.restart(app)


@step("{app:App} is still running")
def app_still_running(context: Context, app: str) -> None:
    """Check that the app runs (e.g. it survived a malformed message); starts nothing.

    Example: Then ogre is still running
    """
    prose(context).expects_app(app).is_running()


@step("{app:App} is not running")
def app_not_running(context: Context, app: str) -> None:
    """Check that the app does not run; starts and stops nothing.

    Example: Then ogre is not running
    """
    prose(context).expects_app(app).is_not_running()


@step("{app:App} exits with code {code:Count} within {duration:Duration}")
def app_exits_with(context: Context, app: str, code: int, duration: float) -> None:
    """Wait (bounded) for the app to end by itself, and check its exit code.

    Example: Then ogre exits with code 0 within 5 seconds
    """
    prose(context).expects_app(app).exits_with(code, duration)


@step("{app:App}'s output contains {text:Text}")
def app_output_contains(context: Context, app: str, text: str) -> None:
    """Check that the app's output (stdout and stderr) holds the text, now or within the default wait.

    Example: Then ogre's output contains "listening"
    """
    prose(context).expects_app(app).output_contains(prose(context).interpolate_text(text))


@step("{app:App}'s output contains {text:Text} within {duration:Duration}")
def app_output_contains_within(context: Context, app: str, text: str, duration: float) -> None:
    """Check that the app's output (its current process, this scenario) holds the text within the wait.

    Example: Then ogre's output contains "reloaded" within 5 seconds
    """
    prose(context).expects_app(app).output_contains(prose(context).interpolate_text(text), duration)


@step("{app:App}'s output does not contain {text:Text}")
def app_output_does_not_contain(context: Context, app: str, text: str) -> None:
    """Check that the app's output (its current process, this scenario) does not hold the text now.

    Example: Then ogre's output does not contain "Traceback"
    """
    prose(context).expects_app(app).output_does_not_contain(prose(context).interpolate_text(text))


@step("{app:App}'s output matches {text:Text}")
def app_output_matches(context: Context, app: str, text: str) -> None:
    """Check that the app's whole output (its current process, this scenario) matches: a text, or #regex (in full).

    Example: Then ogre's output matches "#regex (?s).*listening.*"
    """
    prose(context).expects_app(app).output_matches(prose(context).interpolate_text(text))


@step("I store what {app:App}'s output matches {pattern:Text} as {key:Name}{within:Within}")
def store_app_output_value(context: Context, app: str, pattern: str, key: str, within: float | None) -> None:
    """Wait (default wait, or within) for the first line of the app's output (its current process, this scenario)
    that the #regex matches whole, and store its first group (or the line) as text in the checkpoint.

    Example: When I store what pyre_node's output matches "#regex .*endpoint (tcp://\\S+).*" as "peer"
    """
    api = prose(context)
    api.checkpoint.set(key, api.expects_app(app).value_in_output(api.interpolate_text(pattern), within))


@step("{app:App} still answers{within:Within}")
def app_still_answers(context: Context, app: str, within: float | None) -> None:
    """Send the app's probe (its settings' "probe") on a fresh socket and check the answer as `matching` does;
    catches a service whose workers died while the process zmqprose started lives.

    Example: Then master still answers within 5 seconds
    """
    prose(context).expects_app(app).still_answers(within)
