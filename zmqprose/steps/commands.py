"""Phrases that run commands and check them (docs: reference/apps.md, *Apps and commands under
the spec's control*)."""


from behave.runner import Context

from zmqprose.steps.vocabulary import prose, step


def command(context: Context, line: str) -> list[str]:
    """A command line as a spec writes it: split as a shell would, then ``${…}`` filled in in each argument, so
    that a value with a space or a quote stays one argument."""
    api = prose(context)
    return [api.interpolate_text(word) for word in api.using_shell().split(line)]


@step("I run {line:Text}{within:Within}")
def run_command(context: Context, line: str, within: float | None) -> None:
    """Run a command to its end (default wait, or within); split like a shell would, run by none.

    Example: When I run "python tools/pump.py ${ogre.pipeline_input_port} 1000000" within 60 seconds
    """
    api = prose(context)
    api.using_shell().run(command(context, line), api.wait(within))


@step("I start {line:Text} as {name:Name}")
def start_command(context: Context, line: str, name: str) -> None:
    """Start a command in the background; it is stopped when the scenario ends.

    Example: When I start "python tools/pump.py ${ogre.pipeline_input_port} 1000000" as "pump"
    """
    prose(context).using_shell().start(command(context, line), name)


@step("the command exits with code {code:Count}")
def command_exits_with(context: Context, code: int) -> None:
    """Check that the last command run ended with this exit code.

    Example: Then the command exits with code 0
    """
    prose(context).expects_command().exits_with(code)


@step("the command's output contains {text:Text}")
def command_output_contains(context: Context, text: str) -> None:
    """Check that the last command run printed the text on its standard output.

    Example: Then the command's output contains "sleeper"
    """
    prose(context).expects_command().output_contains(prose(context).interpolate_text(text))


@step("the command's output matches {text:Text}")
def command_output_matches(context: Context, text: str) -> None:
    """Check that the last command's whole output matches: a text, or a marker such as #regex.

    Example: Then the command's output matches "#regex (?s).*sent \\d+ messages.*"
    """
    prose(context).expects_command().output_matches(prose(context).interpolate_text(text))


@step("the command's error output is empty")
def command_error_output_empty(context: Context) -> None:
    """Check that the last command run printed nothing on its error output.

    Example: Then the command's error output is empty
    """
    prose(context).expects_command().error_output_is_empty()


@step("{name:Name} exits with code {code:Count} within {duration:Duration}")
def named_command_exits_with(context: Context, name: str, code: int, duration: float) -> None:
    """Wait (bounded) for a command started as NAME to end, and check its exit code.

    Example: Then "pump" exits with code 0 within 30 seconds
    """
    prose(context).expects_command(name).exits_with(code, duration)


@step("{name:Name}'s output contains {text:Text}")
def named_command_output_contains(context: Context, name: str, text: str) -> None:
    """Check that a command started as NAME printed the text (it has the default wait to do so while it runs).

    Example: Then "pump"'s output contains "sent 1000000 messages"
    """
    prose(context).expects_command(name).output_contains(prose(context).interpolate_text(text))


@step("{name:Name}'s output contains {text:Text} within {duration:Duration}")
def named_command_output_contains_within(context: Context, name: str, text: str, duration: float) -> None:
    """Check that a command started as NAME printed the text, or does within the duration while it runs.

    Example: Then "pump"'s output contains "connected" within 10 seconds
    """
    prose(context).expects_command(name).output_contains(prose(context).interpolate_text(text), duration)


@step("the command's output does not contain {text:Text}")
def command_output_does_not_contain(context: Context, text: str) -> None:
    """Check that the last command run did not print the text on its standard output.

    Example: Then the command's output does not contain "error"
    """
    prose(context).expects_command().output_does_not_contain(prose(context).interpolate_text(text))


@step("{name:Name}'s output does not contain {text:Text}")
def named_command_output_does_not_contain(context: Context, name: str, text: str) -> None:
    """Check that a command started as NAME has not printed the text (so far).

    Example: Then "pump"'s output does not contain "lost"
    """
    prose(context).expects_command(name).output_does_not_contain(prose(context).interpolate_text(text))


@step("the command's output is {text:Text}")
def command_output_is(context: Context, text: str) -> None:
    """The last command's whole output is the text, one trailing newline left out.

    Example: Then the command's output is "ok"
    """
    prose(context).expects_command().output_is(prose(context).interpolate_text(text))


@step("I store what the command's output matches {pattern:Text} as {key:Name}{within:Within}")
def store_command_output_value(context: Context, pattern: str, key: str, within: float | None) -> None:
    """Store the first group (or the line) of the first line of the last command's output that the #regex
    matches whole, as text in the checkpoint.

    Example: When I store what the command's output matches "#regex id=(\\d+)" as "job"
    """
    api = prose(context)
    api.checkpoint.set(key, api.expects_command().value_in_output(api.interpolate_text(pattern), within))


@step("I store what {name:Name}'s output matches {pattern:Text} as {key:Name}{within:Within}")
def store_named_command_output_value(context: Context, name: str, pattern: str, key: str,
                                     within: float | None) -> None:
    """Wait (default wait, or within, while it runs) for the first line of a named command's output that the
    #regex matches whole, and store its first group (or the line) as text in the checkpoint.

    Example: When I store what "keygen"'s output matches "#regex public: (\\S+)" as "public_key" within 5 seconds
    """
    api = prose(context)
    api.checkpoint.set(key, api.expects_command(name).value_in_output(api.interpolate_text(pattern), within))
