"""The action log: one line when an action starts and one when it ends.

Lines go to the ``zmqprose`` logger; behave captures them and shows them
with a failed scenario, so that the failure comes with the story of what
the scenario did. Arguments are rendered lazily: a run that logs nothing
pays nothing for shortening payloads.
"""

import logging

log = logging.getLogger("zmqprose")


def started(action: str, *details: object) -> None:
    """Log that an action starts: ``recv_multi <- tcp://127.0.0.1:5556  up to 5 s``."""
    if log.isEnabledFor(logging.INFO):
        log.info("%s %s", action, "  ".join(str(d) for d in details))


def ended(action: str, *details: object) -> None:
    """Log how an action ended: what it waited, what came back."""
    if log.isEnabledFor(logging.INFO):
        log.info("%s done  %s", action, "  ".join(str(d) for d in details))
