"""No socket zmqprose makes is thrown away before ZeroMQ is done with it.

ZeroMQ closes every socket of the run's context in one thread of its own,
and tells each socket's watch (:mod:`zmqprose.sockets.monitor`) that the
socket is gone with a blocking send. A socket closed and thrown away at once
took its watch's receiving end with it (closed by the garbage collector,
with a ResourceWarning): that thread then waited for ever, and no socket of
the run was closed again (a later scenario's ports and inproc names stayed
held; its PULLs, never closed, kept taking their share of a PUSH's
messages). A probe's socket was so thrown away, and so was a socket whose
bind or connect failed before its scenario kept it.

Each test here fails on the ResourceWarning of a receiving end collected
unclosed, which tells of the thrown-away watch every time (the hang that
follows is a race with ZeroMQ's thread).
"""

from __future__ import annotations

import contextlib
import gc
import sys
import warnings
from collections.abc import Callable, Iterator

import pytest

from zmqprose import AppError, AppSupervisor, Prose, ProseError, Settings, WaitTimeout
from zmqprose.apps.ports import free_port
from zmqprose.checks.app import ExpectsApp
from zmqprose.security.curve import CurveRequest

PROBE = {"port": "front_port", "type": "REQ", "send": ["PING"], "expect": ["PONG"]}


@contextlib.contextmanager
def no_socket_thrown_away() -> Iterator[None]:
    """Fail if a ZeroMQ socket is collected unclosed while the test runs (pyzmq warns as it closes it)."""
    gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        yield
        gc.collect()
    unclosed = [str(w.message) for w in caught if "Unclosed socket" in str(w.message)]
    assert not unclosed, f"thrown away before ZeroMQ was done with them: {unclosed}"


def unanswered(run: Callable[[], object], error: type[Exception]) -> None:
    with no_socket_thrown_away(), pytest.raises(error):
        run()


def test_a_probe_in_a_scenario():
    settings = Settings({"outside": {"front_port": free_port(), "probe": PROBE}})  # nobody listens there
    with Prose(settings, timeout=1) as prose:
        unanswered(lambda: prose.expects_app("outside").still_answers(timeout=0.05), WaitTimeout)


def test_a_probe_with_no_scenario():
    settings = Settings({"outside": {"front_port": free_port(), "probe": PROBE}})
    with AppSupervisor(settings) as apps:
        unanswered(lambda: ExpectsApp(apps, "outside", 0.05).still_answers(), WaitTimeout)


def test_the_probes_of_an_apps_start(tmp_path):
    app = {"start": [sys.executable, "-c", "import time; time.sleep(0.3); raise SystemExit(4)"], "request_port": 0,
           "ready": {"probe": True}, "probe": {**PROBE, "port": "request_port"}, "start_timeout": 30}
    with AppSupervisor(Settings({"quitter": app}), log_dir=tmp_path) as apps:
        unanswered(lambda: apps.ensure_running("quitter"), AppError)  # probed a few times until it dies


@pytest.mark.parametrize("attach", [
    lambda zmq: zmq.bind("tcp://127.0.0.1:*", "PULL", name="inbox"),  # a name the scenario has already
    lambda zmq: zmq.connect("tcp://127.0.0.1:5555", "DEALER", options={"routing_id": "x" * 256}),  # ZeroMQ refuses
    lambda zmq: zmq.connect("tcp://127.0.0.1:5555", "PUSH", curve=CurveRequest(allowing=("a",))),  # a server's
], ids=["a name taken", "an option refused", "allowing only, on a client"])
def test_a_socket_whose_bind_or_connect_failed_before_its_scenario_kept_it(attach):
    with Prose(Settings({}), timeout=1) as prose:
        prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
        unanswered(lambda: attach(prose.using_zmq()), ProseError)
