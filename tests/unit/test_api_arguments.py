"""The Python API as a user meets it (issue 28, item 11): a wrong argument is one readable error naming it and
what it takes (an ArgumentError: a ProseError, and a TypeError as Python's own would be), never an
AttributeError deep inside; every public method has type hints and a docstring with one example."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import zmqprose
from zmqprose import ArgumentError, Prose, ProseError, Settings
from zmqprose.actions.from_environment import FromEnvironment
from zmqprose.actions.receiving import FromZmqSocket
from zmqprose.actions.using import UsingZmq
from zmqprose.checks.app import ExpectsApp
from zmqprose.checks.checkpoint import ExpectsCheckpoint
from zmqprose.checks.command import ExpectsCommand
from zmqprose.checks.file import ExpectsFile
from zmqprose.checks.link import ExpectsLink
from zmqprose.checks.load import ExpectsLoad
from zmqprose.checks.pipeline import ExpectsPipeline
from zmqprose.checks.socket import ExpectsZmqSocket
from zmqprose.checks.stub import ExpectsStub
from zmqprose.stubs.stub import Stub

FREE = "tcp://127.0.0.1:*"
CHECKED = [Prose, UsingZmq, FromZmqSocket, FromEnvironment, ExpectsZmqSocket, ExpectsStub, ExpectsCheckpoint,
           ExpectsPipeline, ExpectsApp, ExpectsCommand, ExpectsFile, ExpectsLink, ExpectsLoad, Stub]


@pytest.fixture
def pair(prose):
    return prose.using_zmq().bind(FREE, "PAIR", name="pair")


def test_a_value_and_its_format_the_wrong_way_round_name_the_argument_and_the_call(prose, pair):
    """It was AttributeError: 'dict' object has no attribute 'lower', deep in wire/format_registry.py."""
    with pytest.raises(ArgumentError) as failure:
        prose.expects_zmq_socket(pair).receives_value("JSON", {"status": "ok"})
    said = str(failure.value)
    assert said.startswith("ExpectsZmqSocket.receives_value: format takes a format's name: text such as \"JSON\"")
    assert "not dict ({'status': 'ok'})" in said and "it is called receives_value(expected, format='JSON'" in said
    assert isinstance(failure.value, ProseError) and isinstance(failure.value, TypeError)


def test_receives_json_takes_eventually_and_an_argument_it_does_not_take_is_named(prose, pair):
    """``receives_json(..., eventually=True)`` was a TypeError of Python's."""
    sender = prose.using_zmq().connect('the endpoint of "pair"', "PAIR")
    prose.using_zmq().send_json(sender, {"n": 1})
    prose.using_zmq().send_json(sender, {"n": 2})
    assert prose.expects_zmq_socket(pair).receives_json({"n": 2}, eventually=True, timeout=2) == {"n": 2}
    with pytest.raises(ArgumentError, match=r"^ExpectsZmqSocket.receives_json takes no argument 'within'; it is "
                                            r"called receives_json\(expected, subset=False, timeout=None, "
                                            r"eventually=False\)"):
        prose.expects_zmq_socket(pair).receives_json({"n": 2}, within=2)


@pytest.mark.parametrize(("call", "says"), [
    (lambda prose, pair: prose.expects_zmq_socket(pair).receives("PONG"),
     "ExpectsZmqSocket.receives: expected takes frames: a list of text or bytes"),  # four frames, read as one
    (lambda prose, pair: prose.using_zmq().send_multi(pair, "PING"),
     "UsingZmq.send_multi: frames takes frames: a list of text or bytes"),  # it sent "P", "I", "N", "G"
    (lambda prose, pair: prose.using_zmq().send(pair, 42),
     "UsingZmq.send: frame takes a frame: text or bytes, such as \"PING\", not int (42)"),
    (lambda prose, pair: prose.expects_zmq_socket(pair).receives(["x"], timeout="2"),
     "ExpectsZmqSocket.receives: timeout takes a number of seconds, or None for the default wait, not str"),
    (lambda prose, pair: prose.expects_zmq_socket(pair).receives(),
     "ExpectsZmqSocket.receives needs expected"),
    (lambda prose, pair: prose.from_zmq_socket(pair).recv(1, 2),
     "FromZmqSocket.recv takes at most 1 arguments, not 2"),
    (lambda prose, pair: prose.expects_zmq_socket(42),
     "Prose.expects_zmq_socket: socket takes a socket (as bind or connect returned it), its name, or an endpoint"),
    (lambda prose, pair: Prose({"ogre": {}}),
     "Prose.__init__: settings takes settings, as load_settings(\"environments\", \"local\") reads them"),
    (lambda prose, pair: prose.from_environment().get_app_setting("ogre", ["port"]),
     "FromEnvironment.get_app_setting: key takes text, not list"),
    (lambda prose, pair: prose.using_zmq().stub(FREE, "REP").answers("OK", after="1"),
     "Stub.answers: after takes a number, not str ('1')"),
    (lambda prose, pair: prose.expects_app(["ogre"]),
     "Prose.expects_app: name takes text, not list"),
])
def test_a_wrong_argument_is_one_line_naming_it_and_what_it_takes(prose, pair, call, says):
    with pytest.raises(ArgumentError) as failure:
        call(prose, pair)
    assert str(failure.value).startswith(says), str(failure.value)
    assert "\n" not in str(failure.value)


def test_checking_a_right_call_leaves_it_as_it_was(prose, pair):
    """The wrapper keeps the method's name, signature and docstring (for the reference), and what it returns."""
    method = ExpectsZmqSocket.receives_value
    assert method.__name__ == "receives_value" and "Example:" in (method.__doc__ or "")
    assert list(inspect.signature(method).parameters)[:3] == ["self", "expected", "format"]
    assert prose.from_zmq_socket(pair).get_endpoints() == list(prose.socket("pair").addresses)


@pytest.mark.parametrize("cls", CHECKED, ids=lambda cls: cls.__name__)
def test_every_public_method_has_type_hints_and_a_docstring_with_one_example(cls):
    for name, method in vars(cls).items():
        if name.startswith("_") or not inspect.isfunction(method):
            continue
        signature = inspect.signature(method)
        unhinted = [p.name for p in list(signature.parameters.values())[1:] if p.annotation is p.empty]
        assert not unhinted and signature.return_annotation is not signature.empty, f"{cls.__name__}.{name}"
        assert re.search(r"^\s*Example: ``.+``", method.__doc__ or "", re.M), f"{cls.__name__}.{name} has no example"


def test_every_checked_class_of_the_api_is_among_those_checked_here():
    """A class the API checks the arguments of (``@checked``) is public: the test above looks at each of them."""
    package = Path(zmqprose.__file__).parent
    decorated = {match for source in package.rglob("*.py")
                 for match in re.findall(r"^@checked\nclass (\w+)", source.read_text(encoding="utf-8"), re.M)}
    assert decorated and decorated == {cls.__name__ for cls in CHECKED}


def _prose_settings() -> Settings:
    return Settings({"ogre": {"command_port": 5555}})


def test_the_settings_a_prose_object_takes_are_checked_too():
    with Prose(_prose_settings(), timeout=1) as prose:
        assert prose.from_environment().get_app_setting("ogre", "command_port") == 5555
    with pytest.raises(ArgumentError, match=r"Prose.__init__: timeout takes a number of seconds"):
        Prose(_prose_settings(), timeout="5")


def test_a_methods_checking_is_written_at_its_first_call_and_checks_that_call_too():
    """Writing every wrapper as the classes were made was a quarter of ``import zmqprose.steps``."""
    from zmqprose.errors import checked

    @checked
    class Door:
        def open(self, frames: list[str], timeout: float | None = None) -> int:
            return len(frames)

    def written_by_checked(function: object) -> bool:
        return getattr(function, "__code__", None) is not None and function.__code__.co_filename == "<string>"

    assert not written_by_checked(vars(Door)["open"])
    with pytest.raises(ArgumentError, match="frames"):
        Door().open("PONG")  # text where a list is taken: told at the first call as at any other
    assert written_by_checked(vars(Door)["open"])
    assert Door().open(["PONG"]) == 1


def test_a_bound_method_taken_before_the_first_call_writes_its_checking_once(monkeypatch):
    """``send = using.send`` before any call keeps the first-call function: it must not write the wrapper again
    at every call (an exec each time)."""
    from zmqprose import errors

    @errors.checked
    class Door:
        def open(self, frames: list[str]) -> int:
            return len(frames)

    written = []
    real = errors._checking
    monkeypatch.setattr(errors, "_checking", lambda *arguments: written.append(1) or real(*arguments))
    open_door = Door().open
    assert [open_door(["A"]), open_door(["A", "B"]), Door().open(["C"])] == [1, 2, 1]
    assert len(written) == 1
