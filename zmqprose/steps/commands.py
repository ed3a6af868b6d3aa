"""Phrases that run commands and check them (README: *Apps and commands under the spec's control*)."""


from behave.runner import Context

from zmqprose.steps.vocabulary import phrase, prose


@phrase("I run {line:Text}{within:Within}")
def run_command(context: Context, line: str, within: float | None) -> None:
    """Run a command to its end (default wait, or within); split like a shell would, run by none."""
    api = prose(context)
    api.using_shell().run(line, api.wait(within))


@phrase("I start {line:Text} as {name:Name}")
def start_command(context: Context, line: str, name: str) -> None:
    """Start a command in the background; it is stopped when the scenario ends."""
    prose(context).using_shell().start(line, name)


@phrase("the command exits with code {code:Count}")
def command_exits_with(context: Context, code: int) -> None:
    """The last command run ended with this exit code."""
    prose(context).expects_command().exits_with(code)


@phrase("the command's output contains {text:Text}")
def command_output_contains(context: Context, text: str) -> None:
    """The last command run printed the text on its standard output."""
    prose(context).expects_command().output_contains(prose(context).interpolate(text))


@phrase("the command's output matches {text:Text}")
def command_output_matches(context: Context, text: str) -> None:
    """The last command's whole output matches: a text, or a marker such as #regex."""
    prose(context).expects_command().output_matches(prose(context).interpolate(text))


@phrase("the command's error output is empty")
def command_error_output_empty(context: Context) -> None:
    """The last command run printed nothing on its error output."""
    prose(context).expects_command().error_output_is_empty()


@phrase("{name:Name} exits with code {code:Count} within {duration:Duration}")
def named_command_exits_with(context: Context, name: str, code: int, duration: float) -> None:
    """A command started as NAME ends (bounded wait) with this exit code."""
    prose(context).expects_command(name).exits_with(code, duration)


@phrase("{name:Name}'s output contains {text:Text}")
def named_command_output_contains(context: Context, name: str, text: str) -> None:
    """A command started as NAME printed the text (it has the default wait to do so while it runs)."""
    prose(context).expects_command(name).output_contains(prose(context).interpolate(text))


@phrase("{name:Name}'s output contains {text:Text} within {duration:Duration}")
def named_command_output_contains_within(context: Context, name: str, text: str, duration: float) -> None:
    """A command started as NAME printed the text, or does within the duration while it runs."""
    prose(context).expects_command(name).output_contains(prose(context).interpolate(text), duration)


@phrase("the command's output does not contain {text:Text}")
def command_output_does_not_contain(context: Context, text: str) -> None:
    """The last command run did not print the text on its standard output."""
    prose(context).expects_command().output_does_not_contain(prose(context).interpolate(text))


@phrase("{name:Name}'s output does not contain {text:Text}")
def named_command_output_does_not_contain(context: Context, name: str, text: str) -> None:
    """A command started as NAME has not printed the text (so far)."""
    prose(context).expects_command(name).output_does_not_contain(prose(context).interpolate(text))


@phrase("the command's output is {text:Text}")
def command_output_is(context: Context, text: str) -> None:
    """The last command's whole output is the text, one trailing newline left out.

    Example: Then the command's output is "ok"
    """
    prose(context).expects_command().output_is(prose(context).interpolate(text))


@phrase("I store what the command's output matches {pattern:Text} as {key:Name}{within:Within}")
def store_command_output_value(context: Context, pattern: str, key: str, within: float | None) -> None:
    """Store the first group (or the line) of the first line of the last command's output that the #regex
    matches whole, as text in the checkpoint.

    Example: When I store what the command's output matches "#regex id=(\\d+)" as "job"
    """
    api = prose(context)
    api.checkpoint.set(key, api.expects_command().value_in_output(api.interpolate(pattern), within))


@phrase("I store what {name:Name}'s output matches {pattern:Text} as {key:Name}{within:Within}")
def store_named_command_output_value(context: Context, name: str, pattern: str, key: str,
                                     within: float | None) -> None:
    """Wait (default wait, or within, while it runs) for the first line of a named command's output that the
    #regex matches whole, and store its first group (or the line) as text in the checkpoint.

    Example: When I store what "keygen"'s output matches "#regex public: (\\S+)" as "public_key" within 5 seconds
    """
    api = prose(context)
    api.checkpoint.set(key, api.expects_command(name).value_in_output(api.interpolate(pattern), within))
