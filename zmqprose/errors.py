"""The errors zmqprose raises for a spec's or a user's mistake.

They derive from ``AssertionError`` on purpose: behave reports an
AssertionError as a failed step with its message alone ("ASSERT FAILED: …"),
and pytest shows it as a test failure, not as a crash. A user's mistake (a
typo in a phrase, a missing setting, a message that did not arrive) is a
failure of the spec; a traceback is kept for zmqprose's own bugs.
"""


class ProseError(AssertionError):
    """A spec failed or was written wrongly; the message says what to fix."""


class SettingsError(ProseError):
    """The environment settings are missing, malformed or lack a key."""


class ResolveError(ProseError):
    """A socket, app or endpoint reference does not resolve."""


class WaitTimeout(ProseError, TimeoutError):
    """A bounded wait ran out before the expected thing happened (also a ``TimeoutError``)."""


class AppError(ProseError):
    """An app under test could not be started, or is not there."""


def describe_error(error: BaseException) -> str:
    """An error in words, for one that has none of its own (``MemoryError()`` says nothing)."""
    return str(error) or type(error).__name__
