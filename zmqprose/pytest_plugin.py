"""The pytest plugin, for teams that write their ZeroMQ tests in pytest rather than behave.

Installed with the package (entry point ``pytest11``). Fixtures:

- ``zmq_settings`` (session): the environment's settings, from ``--zmq-environments DIR``
  (default ``environments``) and ``--zmq-env NAME`` (default ``local``);
- ``zmq_apps`` (session): the apps under test, started when a test asks and stopped at the end;
- ``zmq_run_options``: the test's :class:`~zmqprose.actionlog.RunOptions` (a project may override it);
- ``prose``: a fresh :class:`~zmqprose.Prose` per test, its sockets closed after it.

A failed test's report carries the action log (a section of its own), and
under pytest-xdist each worker is a session of its own: its own apps, on
their own free ports.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Any

import pytest

from zmqprose.actionlog import RunOptions
from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.pictures.reports import Pictures
from zmqprose.prose import Prose
from zmqprose.settings import Settings, load_settings
from zmqprose.wire.masking import mask_text

PROSE_KEY = pytest.StashKey[Prose]()
PICTURES_KEY = pytest.StashKey[Pictures]()  # the session's pictures: one file per test


class PictureNotWritten(pytest.PytestWarning):
    """A failed test's picture could not be written (``--zmq-diagrams DIR``); the session goes on."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("zmqprose", "zmqprose: ZeroMQ acceptance tests")
    group.addoption("--zmq-env", default="local", help="the environment whose settings to load (default: local)")
    group.addoption("--zmq-environments", default="environments",
                    help="the folder of the settings files (default: environments)")
    group.addoption("--zmq-diagrams", default=None, metavar="DIR",
                    help="draw each failed test as a message sequence diagram into DIR (and attach it to its report)")


@pytest.fixture(scope="session")
def zmq_settings(request: pytest.FixtureRequest) -> Settings:
    """The environment's settings (read-only)."""
    return load_settings(request.config.getoption("--zmq-environments"), request.config.getoption("--zmq-env"))


@pytest.fixture(scope="session")
def zmq_apps(zmq_settings: Settings) -> Iterator[AppSupervisor]:
    """The apps under test of this session (of this xdist worker); stopped when it ends."""
    with AppSupervisor(zmq_settings) as apps:
        yield apps


@pytest.fixture
def zmq_run_options(request: pytest.FixtureRequest) -> RunOptions:
    """The options of this test's run (stories kept for ``--zmq-diagrams``): the test's own, never a module's;
    a project overrides this fixture for others (``RunOptions(frames_in_full=True)``)."""
    return RunOptions(keep_stories=bool(request.config.getoption("--zmq-diagrams")))


@pytest.fixture
def prose(request: pytest.FixtureRequest, zmq_apps: AppSupervisor, zmq_run_options: RunOptions) -> Iterator[Prose]:
    """A fresh prose object: the test's sockets and checkpoint, closed and forgotten after it."""
    fresh = Prose(zmq_apps.settings, zmq_apps, options=zmq_run_options)
    request.node.stash[PROSE_KEY] = fresh
    yield fresh
    fresh.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Generator[None, Any, Any]:
    """A failed test's report gets the action log, and its run keeps its folder; every secret of the
    settings is masked in the whole report (the failure's message and traceback, and every section)."""
    report = yield
    used = item.stash.get(PROSE_KEY, None)
    if report.failed and used is not None:
        story = used.action_log()
        if story:
            report.sections.append(("zmqprose action log", story))
        used.failed()
        attach_picture(item, report, used)
    if report.failed:
        mask_report(report)
    return report


def attach_picture(item: pytest.Item, report: pytest.TestReport, prose: Prose) -> None:
    """With ``--zmq-diagrams DIR``: the failed test's picture, written to DIR (a file of its own, named after its
    node id: safe and bounded) and attached to its report as an extra that pytest-html shows (an SVG image), and
    named in a section of the report; one that cannot be written is a warning, and the session goes on."""
    folder = item.config.getoption("--zmq-diagrams")
    if not folder:
        return
    pictures = item.config.stash.setdefault(PICTURES_KEY, Pictures(folder))
    path = pictures.path_for_test(item.nodeid)
    svg = prose.diagram(item.nodeid, failed=True)
    if warning := pictures.write_or_say_why_not(path, svg):
        item.warn(PictureNotWritten(warning))
        report.sections.append(("zmqprose picture", warning))
    else:
        report.sections.append(("zmqprose picture", str(path)))
    extras = getattr(report, "extras", [])
    extras.append({"name": "zmqprose picture", "format_type": "image", "content": svg, "mime_type": "image/svg+xml",
                   "extension": "svg"})
    report.extras = extras  # type: ignore[attr-defined]  # what pytest-html reads


def mask_report(report: pytest.TestReport) -> None:
    """Secrets out of a failed test's report: its long representation becomes masked text."""
    if report.longrepr is not None:
        shown = str(report.longrepr)
        masked = mask_text(shown)
        if masked != shown:
            report.longrepr = masked
    report.sections = [(title, mask_text(text)) for title, text in report.sections]
