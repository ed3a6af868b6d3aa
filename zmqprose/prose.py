"""The prose object: one per scenario, holding its sockets, its checkpoint and its settings.

Storyplayer's modules are its methods, in snake_case::

    with Prose(load_settings("environments", "local")) as prose:
        push = prose.using_zmq().connect("ogre's command port", "PUSH")
        pull = prose.using_zmq().connect("ogre's response port", "PULL")
        prose.using_zmq().send_multi(push, ["PING", "42"])
        prose.expects_zmq_socket(pull).receives(["PONG", "42"], timeout=2)

Closing it closes every socket it made, without lingering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zmqprose.actionlog import RunOptions
from zmqprose.actions.making import SocketMaker
from zmqprose.actions.receiving import FromZmqSocket
from zmqprose.actions.using import UsingZmq
from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.checkpoint import Checkpoint
from zmqprose.checks.socket import ExpectsZmqSocket
from zmqprose.commands.shell import Commands
from zmqprose.errors import ProseError, checked
from zmqprose.links.relay import Link
from zmqprose.scenario import Scenario
from zmqprose.settings import Settings
from zmqprose.sockets.socket import EndpointLike, ProseSocket, SocketLike
from zmqprose.stubs.stub import Stub
from zmqprose.wire.frames import Frame, encode_frame, frame_text
from zmqprose.wire.masking import mask_text

if TYPE_CHECKING:  # the checks a scenario may not use load when first used (import zmqprose.steps: bench/)
    from zmqprose.actions.from_environment import FromEnvironment
    from zmqprose.checks.app import ExpectsApp
    from zmqprose.checks.checkpoint import ExpectsCheckpoint
    from zmqprose.checks.command import ExpectsCommand
    from zmqprose.checks.file import ExpectsFile
    from zmqprose.checks.link import ExpectsLink
    from zmqprose.checks.load import ExpectsLoad
    from zmqprose.checks.pipeline import ExpectsPipeline
    from zmqprose.checks.stub import ExpectsStub
    from zmqprose.load.statistics import LoadStatistics


@checked
class Prose:
    """Everything one scenario (or one Python test) does with ZeroMQ.

    One rule for ``${…}``: every value is taken as it is given (frames, texts, JSON values, command lines,
    what is stored), and ``${…}`` in it is sent, compared, run or stored as those very characters. Only the
    ``interpolate…`` methods fill it in: :meth:`interpolate_text` (text), :meth:`interpolate_frames` (frames: a
    value brought in is data), :meth:`interpolate_json` (JSON text), :meth:`interpolate` (the strings in lists
    and dicts); the phrases call them for what a spec writes. What names a place is resolved when it is used,
    ``${…}`` in it too: an endpoint (``"tcp://127.0.0.1:${ogre.command_port}"``), the settings (an app's
    ``start``, ``env``, ``files``), and a stub's answers (``${request.…}``, when a request comes).
    """

    def __init__(self, settings: Settings | None = None, apps: AppSupervisor | None = None,
                 timeout: float | None = None, live_log: bool = False, options: RunOptions | None = None) -> None:
        """``options``: the run's (:class:`~zmqprose.actionlog.RunOptions`: a live log, whole frames, stories
        kept for pictures); ``live_log=True`` is short for a live log."""
        self._owns_apps = apps is None  # then the apps it starts are stopped when it closes
        if apps is None:
            apps = AppSupervisor(settings if settings is not None else Settings({}))
        self.apps = apps
        self.options = replace(options or RunOptions(), live_log=True) if live_log else options or RunOptions()
        self._scenario = Scenario(apps, timeout if timeout is not None else apps.settings.timeout, self.options)
        scenario = self._scenario
        maker = SocketMaker(apps=apps, sockets=scenario.sockets, links=scenario.links, log=scenario.log,
                            places=scenario.places, new_socket=scenario.new_socket, allowances=scenario.allowances,
                            check_waiting=scenario.peers.check_waiting)
        self._using = UsingZmq(maker=maker, places=scenario.places, log=scenario.log,
                               listening=scenario.listening, keep_stub=scenario.keep_stub, pipeline=scenario.pipeline)
        self.diagram_file: Path | None = None  # where the scenario's picture goes, if one was asked for
        self._load: LoadStatistics | None = None  # Locust's statistics of the scenario's last load

    def __enter__(self) -> Prose:
        return self

    def __exit__(self, exc_type: object, error: BaseException | None, *exc_info: object) -> None:
        if error is not None:
            self.tell_failure(error)
        self.close()

    @property
    def settings(self) -> Settings:
        """The environment's settings, with the free ports chosen so far (read-only)."""
        return self.apps.settings

    @property
    def checkpoint(self) -> Checkpoint:
        """Values this scenario stored: ``prose.checkpoint.response``."""
        return self._scenario.checkpoint

    @property
    def timeout(self) -> float:
        """The default wait of every blocking action, in seconds."""
        return self._scenario.timeout

    def wait(self, timeout: float | None = None) -> float:
        """The wait of an action: ``timeout`` (checked: positive, finite, at most a day), or the default.

        Example: ``prose.wait(2)  # 2.0; prose.wait() is the default wait``
        """
        return self._scenario.listening.wait(timeout)

    def pipeline_rate(self) -> tuple[float, float]:
        """Messages per second the scenario's pipeline moved, and the seconds it took (from the push's start
        to the end of the last pull).

        Example: ``rate, seconds = prose.pipeline_rate()``
        """
        return self._scenario.pipeline.rate()

    def action_log(self) -> str:
        """The lines of the action log not yet shown (secrets masked); they are shown once.

        Example: ``print(prose.action_log())``
        """
        return self._scenario.log.take_text()

    def story(self) -> dict[str, Any]:
        """The scenario's events so far, as plain values (secrets masked), for a picture or a story file;
        empty unless the run keeps stories (``RunOptions(keep_stories=True)``: pictures, story files).

        Example: ``events = prose.story()["events"]``
        """
        return self._scenario.log.story()

    def diagram(self, title: str = "", failed: bool = False) -> str:
        """The scenario as a message sequence diagram: an SVG (see :mod:`zmqprose.pictures.diagram`).

        Example: ``Path("scenario.svg").write_text(prose.diagram("a ping is answered"))``
        """
        from zmqprose.pictures.diagram import draw

        return draw(self.story(), title, failed)

    def failed(self) -> None:
        """The scenario (or test) failed: the run keeps its folder (apps' and commands' output) to be read.

        Example: ``prose.failed()  # the run's folder is kept, to be read``
        """
        self.apps.keep_run_folder()

    def tell_failure(self, error: BaseException) -> None:
        """A failure is about to be reported: its message gets the action log's last lines (so that
        behave's console, JUnit and JSON reports, behavex and pytest all carry the story), secrets masked.

        Example: ``prose.tell_failure(error)  # before pytest reports it``
        """
        if getattr(error, "_zmqprose_told", False):
            return
        story = self._scenario.log.take_text()
        self._scenario.log.event("failure", "", str(error.args[0]) if error.args else type(error).__name__)
        from zmqprose.wire.xml_safe import xml_safe  # a failure's message only

        if isinstance(error, AssertionError):
            message = str(error.args[0]) if error.args else ""
            if story:
                message += f"\n\naction log of the scenario (last lines):\n{story}"
            if self.diagram_file is not None:
                message += f"\n\npicture of the scenario: {self.diagram_file}"
            error.args = (xml_safe(mask_text(message)), *error.args[1:])
        elif story:
            self._scenario.log.note("{}", story)
            self._scenario.log.write()
        error._zmqprose_told = True  # type: ignore[attr-defined]

    # -- Storyplayer's modules -------------------------------------------------

    def using_zmq(self) -> UsingZmq:
        """Make sockets, send, subscribe, close.

        Example: ``push = prose.using_zmq().connect("ogre's command port", "PUSH")``
        """
        return self._using

    def from_zmq_socket(self, socket: SocketLike) -> FromZmqSocket:
        """Receive on a socket of this scenario.

        Example: ``frames = prose.from_zmq_socket(pull).recv_multi()``
        """
        scenario = self._scenario
        return FromZmqSocket(scenario.places.socket(socket), scenario.listening, scenario.pipeline)

    def expects_zmq_socket(self, socket: SocketLike) -> ExpectsZmqSocket:
        """Check what a socket can send, where it is connected, what it receives.

        Example: ``prose.expects_zmq_socket(pull).receives(["PONG", "42"])``
        """
        scenario = self._scenario
        return ExpectsZmqSocket(scenario.places.socket(socket), scenario.listening, scenario.places.addresses)

    def expects_checkpoint(self) -> ExpectsCheckpoint:
        """Check what this scenario stored in its checkpoint.

        Example: ``prose.expects_checkpoint().has("response")``
        """
        from zmqprose.checks.checkpoint import ExpectsCheckpoint

        return ExpectsCheckpoint(self._scenario.checkpoint)

    def expects_pipeline(self) -> ExpectsPipeline:
        """Check the scenario's push and pull: nothing lost, order kept, speed reached.

        Example: ``prose.expects_pipeline().lost_nothing()``
        """
        from zmqprose.checks.pipeline import ExpectsPipeline

        return ExpectsPipeline(self._scenario.pipeline, self._scenario.timeout)

    def run_load(self, locustfile: str, users: int, workers: int, seconds: float) -> LoadStatistics:
        """Run a load of ``users`` Locust users from ``workers`` Locust workers with ``locustfile`` (a path relative
        to the working folder) for ``seconds``: Locust's master (headless) and workers, started for it on free ports
        of 127.0.0.1, handed this scenario's settings; waits (bounded) until it ends, stops them, and keeps Locust's
        statistics of it for ``expects_load()`` (docs:
        how-to/pipelines-and-load.md, *Load tests with Locust*).

        Example: ``prose.run_load("locustfiles/ping.py", users=50, workers=2, seconds=10).summary()``
        """
        from zmqprose.load.run import LoadPlan, LoadRun  # the load's room loads when a load is first run

        plan = LoadPlan(locustfile, users, workers, seconds)
        self._load = LoadRun(plan, self.apps, self._scenario.log).run()
        return self._load

    def expects_load(self) -> ExpectsLoad:
        """Check the scenario's last load, by Locust's own statistics: requests made, failure ratio, percentiles.

        Example: ``prose.expects_load().failure_ratio_at_most(1)``
        """
        from zmqprose.checks.load import ExpectsLoad

        return ExpectsLoad(self._load)

    def the_stub(self, ref: SocketLike) -> Stub:
        """A stub this scenario made, by its name or its endpoint (``using_zmq().stub()`` makes one).

        Example: ``prose.the_stub("worker").answers("OK")``
        """
        sock = self._scenario.places.socket(ref, lent=True)
        if not isinstance(sock.lent_to, Stub):
            raise ProseError(f"{sock.describe()} is not a stub: make one with 'a stub REP socket bound to …'")
        return sock.lent_to

    def link(self, endpoint: EndpointLike, name: str) -> Link:
        """A link of the scenario in front of a tcp endpoint: a relay on a free port of 127.0.0.1 that the spec
        cuts, stalls, delays and mends (``the endpoint of "NAME"`` is where it listens).

        Example: ``link = prose.link("ogre's command port", "flaky")``
        """
        return self._using.link(endpoint, name)

    def the_link(self, name: str) -> Link:
        """A link this scenario made, by its name.

        Example: ``prose.the_link("flaky").cut_off()``
        """
        return self._scenario.links.named(name)

    def expects_link(self, name: str) -> ExpectsLink:
        """Check a link this scenario made, by its name: cut or not, healthy or not. Nothing is changed.

        Example: ``prose.expects_link("flaky").is_healthy()``
        """
        from zmqprose.checks.link import ExpectsLink

        return ExpectsLink(self._scenario.links.named(name))

    def expects_stub(self, ref: SocketLike) -> ExpectsStub:
        """Check what a stub received.

        Example: ``prose.expects_stub("worker").received(["PING"])``
        """
        from zmqprose.checks.stub import ExpectsStub

        return ExpectsStub(self.the_stub(ref))

    def using_shell(self) -> Commands:
        """Run commands (``run``) and start them in the background (``start``): Storyplayer's shell module.

        Example: ``prose.using_shell().run("ogre --version", timeout=5)``
        """
        return self._scenario.commands

    def expects_command(self, name: str | None = None) -> ExpectsCommand:
        """Check a command started as ``name``, or (no name) the last one run.

        Example: ``prose.expects_command().exits_with(0)``
        """
        from zmqprose.checks.command import ExpectsCommand

        commands = self._scenario.commands
        command = commands.latest() if name is None else commands.named(name)
        return ExpectsCommand(command, self._scenario.timeout)

    def expects_app(self, name: str) -> ExpectsApp:
        """Check an app under test: running or not, how it ended, what it printed, whether it answers its probe
        (``still_answers``). Nothing is started.

        Example: ``prose.expects_app("ogre").is_running()``
        """
        from zmqprose.checks.app import ExpectsApp

        self.apps.settings.app(name)  # an unknown app lists the apps there are
        scenario = self._scenario
        return ExpectsApp(self.apps, name, scenario.timeout, lookup=scenario.values.lookup,
                          session_id=scenario.session_id,
                          new_socket=lambda kind, type_name, label: scenario.new_socket(kind, type_name, None, label))

    def expects_file(self, path: str) -> ExpectsFile:
        """Check a file an app writes, by its whole path inside the run's folder (``${APP.folder}/…`` filled in:
        ``prose.interpolate(…)``); it is read in pieces, never through a link.

        Example: ``prose.expects_file(prose.interpolate("${scribe.folder}/scribe.log")).contains("hello")``
        """
        from zmqprose.checks.file import ExpectsFile

        return ExpectsFile(self.apps.folder, path, self._scenario.timeout)

    def from_environment(self) -> FromEnvironment:
        """Read the app settings of the environment.

        Example: ``port = prose.from_environment().get_app_setting("ogre", "command_port")``
        """
        from zmqprose.actions.from_environment import FromEnvironment

        return FromEnvironment(self.apps.settings)

    # -- finding things and ${…} -----------------------------------------------

    def socket(self, ref: SocketLike) -> ProseSocket:
        """A socket of this scenario, by the socket itself, its name, or an endpoint it used.

        Example: ``prose.socket("inbox").addresses  # ["tcp://127.0.0.1:41233"]``
        """
        return self._scenario.places.socket(ref)

    def interpolate_text(self, text: str) -> str:
        """Text with ``${checkpoint.KEY}``, ``${APP.SETTING}`` and the rest filled in as text: a stored binary frame
        as ``hex:…``, a message of several frames as a JSON array of their texts; in a ``#regex`` pattern, a
        value is escaped, so that it matches as it reads. What a project's own step does with a TEXT argument.

        Example: ``prose.interpolate_text("ready on ${ogre.command_port}")  # "ready on 5555"``
        """
        if "${" not in text:
            return text
        filled: str = self._scenario.values.interpolate(text)
        return filled

    def interpolate(self, value: Any, keep: tuple[str, ...] = ()) -> Any:
        """``value`` with ``${checkpoint.KEY}`` and ``${APP.SETTING}`` filled in (strings, lists, dicts).

        Example: ``prose.interpolate({"id": "${checkpoint.call}"})``
        """
        return self._scenario.values.interpolate(value, keep)

    def interpolate_frames(self, frames: Sequence[Frame], keep: tuple[str, ...] = ()) -> Sequence[Frame]:
        """Frames with ``${…}`` filled in; a value brought in is data, sent and compared as it came.

        Example: ``frames = prose.interpolate_frames(["ECHO", "${checkpoint.id}"])``
        """
        for frame in frames:
            if type(frame) is not str or "${" in frame:
                return self._scenario.values.interpolate_frames(frames, keep)
        return frames  # the usual step: nothing to fill in

    def interpolate_json(self, text: str, keep: tuple[str, ...] = ()) -> str:
        """JSON text with ``${…}`` filled in as JSON: escaped inside strings, a JSON value outside.

        Example: ``text = prose.interpolate_json('{"id": "${checkpoint.id}"}')``
        """
        return self._scenario.values.interpolate_json(text, keep)

    def store_text(self, key: str, text: Frame) -> None:
        """Store a text (or a frame) in the checkpoint as it is given, read as a frame is (``hex:…`` is its
        bytes): kept as text, or as bytes when they are not UTF-8. Nothing is filled in: the phrase ``I store
        TEXT in the checkpoint`` passes ``prose.interpolate_frames([text])[0]``, so that a binary frame it brings
        in stays bytes.

        Example: ``prose.store_text("call", str(uuid.uuid4()))``
        """
        value = encode_frame(text)
        as_text = frame_text(value)
        self._scenario.checkpoint.set(key, value if as_text is None else as_text)

    # -- the end ---------------------------------------------------------------

    def close(self) -> None:
        """Stop background work, close every socket of this scenario without lingering, and its context.

        A prose object made without an AppSupervisor also stops the apps it started.

        Example: ``prose.close()  # or: with Prose(settings) as prose: …``
        """
        self._scenario.close()
        if self._owns_apps:
            self.apps.stop_all()
