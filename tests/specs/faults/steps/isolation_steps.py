"""Steps the fault suite needs to look behind the scenes."""

import threading

from behave import step


@step("no background thread of zmqprose is running")
def no_zmqprose_threads(context):
    names = [thread.name for thread in threading.enumerate() if thread.name.startswith("zmqprose")]
    assert not names, f"threads left behind: {names}"
