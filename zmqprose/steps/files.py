"""Phrases about files that apps write (docs: reference/apps.md, *Files an app writes*)."""


from behave.runner import Context

from zmqprose.steps.vocabulary import prose, step


@step("the file {path:Text} contains {text:Text}{within:Within}")
def file_contains(context: Context, path: str, text: str, within: float | None) -> None:
    """A file inside the run's folder (${APP.folder}/…) holds the text, now or within the wait (default wait);
    a file not there yet is waited for.

    Example: Then the file "${zlog.folder}/shot-46.log" contains "frame 12" within 5 seconds
    """
    api = prose(context)
    api.expects_file(api.interpolate_text(path)).contains(api.interpolate_text(text), within)


@step("the file {path:Text} does not contain {text:Text}")
def file_does_not_contain(context: Context, path: str, text: str) -> None:
    """A file inside the run's folder is there and does not hold the text now.

    Example: Then the file "${zlog.folder}/shot-46.log" does not contain "ERROR"
    """
    api = prose(context)
    api.expects_file(api.interpolate_text(path)).does_not_contain(api.interpolate_text(text))
