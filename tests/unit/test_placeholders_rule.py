"""One rule for ``${…}`` (issue 29, item 6): the Python API takes every value as it is given, and only
``prose.interpolate_text``, ``interpolate_frames``, ``interpolate_json`` and ``interpolate`` fill in ``${…}``; the
phrases fill in what a spec writes (a command line word by word). And what the settings cannot know yet is said,
never filled in as 0: a setting that refers to a free port before its app has started (issue 28, item 10).
"""

from __future__ import annotations

import sys
import threading
from types import SimpleNamespace

import pytest
import zmq

from zmqprose import Prose, ResolveError, Settings
from zmqprose.apps.ports import free_port
from zmqprose.steps import checkpoint as checkpoint_steps
from zmqprose.steps import commands as command_steps

PRINT_ARGUMENTS = "import sys; print(repr(sys.argv[1:]))"


@pytest.fixture
def prose():
    settings = Settings({"ogre": {"command_port": 5555}})
    with Prose(settings, timeout=2) as prose:
        yield prose


def printed(prose: Prose) -> str:
    return prose.expects_command().value_in_output("#regex (.*)")


def test_the_api_stores_a_text_as_it_is_given(prose):
    prose.store_text("note", "${checkpoint.nothing} costs ${5}")
    assert prose.checkpoint.note == "${checkpoint.nothing} costs ${5}"


def test_the_api_runs_a_command_as_it_is_given(prose):
    prose.using_shell().run(f"{sys.executable} -c '{PRINT_ARGUMENTS}' '${{checkpoint.nothing}}'", 10)
    assert printed(prose) == "['${checkpoint.nothing}']"
    prose.using_shell().start([sys.executable, "-c", PRINT_ARGUMENTS, "${ogre.command_port}", "a b"], "listed")
    prose.expects_command("listed").exits_with(0)
    assert prose.expects_command("listed").value_in_output("#regex (.*)") == "['${ogre.command_port}', 'a b']"


def test_the_api_sends_a_frame_as_it_is_given(prose):
    inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")
    outbox = prose.using_zmq().connect('the endpoint of "inbox"', "PUSH")
    prose.using_zmq().send_multi(outbox, ["${checkpoint.nothing}"])
    assert prose.from_zmq_socket(inbox).recv_multi() == [b"${checkpoint.nothing}"]


def test_interpolate_text_fills_in_as_text(prose):
    prose.checkpoint.frame = [b"\xff\x02"]
    prose.checkpoint.word = "two words"
    filled = prose.interpolate_text("port ${ogre.command_port}, ${checkpoint.word}, ${checkpoint.frame}")
    assert filled == "port 5555, two words, hex:ff02"
    assert type(filled) is str
    assert prose.interpolate_text("#regex ^${checkpoint.word}.$") == "#regex ^two\\ words.$"  # a pattern: escaped


def test_the_phrase_stores_a_text_filled_in_a_binary_frame_kept_as_bytes(prose):
    context = SimpleNamespace(prose=prose)
    prose.checkpoint.frame = [b"\xff\x02"]
    checkpoint_steps.store_text(context, "${checkpoint.frame}", "copy")
    checkpoint_steps.store_text(context, "id-${ogre.command_port}", "id")
    checkpoint_steps.store_text(context, "hex:00ff", "binary")
    stored = (prose.checkpoint.copy, prose.checkpoint.id, prose.checkpoint.binary)
    assert stored == (b"\xff\x02", "id-5555", b"\x00\xff")


def test_the_phrase_runs_a_command_filled_in_word_by_word(prose):
    context = SimpleNamespace(prose=prose)
    prose.checkpoint.word = "two words; 'quoted'"
    command_steps.run_command(context, f"{sys.executable} -c '{PRINT_ARGUMENTS}' ${{checkpoint.word}} x", 10)
    assert printed(prose) == "[\"two words; 'quoted'\", 'x']"
    command_steps.start_command(context, f"{sys.executable} -c '{PRINT_ARGUMENTS}' ${{ogre.command_port}}", "bg")
    prose.expects_command("bg").exits_with(0)
    assert prose.expects_command("bg").value_in_output("#regex (.*)") == "['5555']"


# -- a setting that refers to a free port, before its app has started ----------------------------------------------


LISTEN = "import sys, time, zmq\nsink = zmq.Context().socket(zmq.PULL)\nsink.bind(sys.argv[1])\ntime.sleep(60)\n"
FREE = {
    "server": {"start": ["python", "-c", LISTEN, "${server.url}"], "command_port": 0,
               "url": "tcp://127.0.0.1:${server.command_port}", "note": "port ${server.command_port}"},
    "client": {"start": [sys.executable, "-c", "pass"], "server_url": "${server.url}",
               "server_endpoint": "tcp://127.0.0.1:${server.command_port}"},
    "played": {"shell_port": 0, "connection": "tcp://127.0.0.1:${played.shell_port}"},
}


@pytest.mark.parametrize(("written", "said"), [
    ("${server.url}", r"\$\{server.url\} is not known yet: it refers to \$\{server.command_port\}, and \"server's "
                      r"command port\" \(server.command_port = 0\) is a free port chosen when server starts: add "
                      r"'Given server is running' before this step"),
    ("${server.note}", r"\$\{server.note\} is not known yet: it refers to \$\{server.command_port\}"),
    ("${client.server_url}", r"\$\{client.server_url\} is not known yet: it refers to \$\{server.command_port\}"),
    ("${played.connection}", r"\$\{played.connection\} is not known yet: it refers to \$\{played.shell_port\}, and "
                             r".* is a free port that the spec chooses when it binds it: played has no 'start'"),
])
def test_a_setting_that_refers_to_a_free_port_not_chosen_yet_says_so(written, said):
    with Prose(Settings(FREE)) as prose:
        with pytest.raises(ResolveError, match=said):
            prose.interpolate(written)
        prose.checkpoint.url = "${server.url}"  # stored as it is: it is filled in where it is used
        with pytest.raises(ResolveError, match="is not known yet"):
            prose.store_text("stored", prose.interpolate_frames([written])[0])


def test_an_endpoint_that_refers_to_a_free_port_not_chosen_yet_names_the_app_that_chooses_it():
    """A sibling: the advice named the app of the endpoint (start client) and its value as 'tcp://127.0.0.1:0'."""
    said = (r"^\"client's server endpoint\" \(client.server_endpoint = 'tcp://127.0.0.1:\$\{server.command_port\}'\) "
            r"refers to \$\{server.command_port\}, and \"server's command port\" \(server.command_port = 0\) is a free "
            r"port chosen when server starts: add 'Given server is running' before this step$")
    with Prose(Settings(FREE)) as prose, pytest.raises(ResolveError, match=said):
        prose.using_zmq().connect("client's server endpoint", "PUSH")


def test_a_setting_that_refers_to_a_free_port_is_filled_in_once_its_app_has_started():
    with Prose(Settings(FREE), timeout=5) as prose:
        prose.apps.ensure_running("server")
        port = prose.settings.setting("server", "command_port")
        assert port != 0
        assert prose.interpolate("${client.server_url}") == f"tcp://127.0.0.1:{port}"


# -- where ${…} is filled in: the places the rule names, and no others -----------------------------------------------

FILLING = {"interpolate", "interpolate_all", "interpolate_frame", "interpolate_frames", "interpolate_json",
           "interpolate_struct_frame", "fill_template"}
FILLS_IN = {  # the modules that fill in ${…}, and what of
    "zmqprose/scenario/values.py": "the prose object's interpolate… methods",
    "zmqprose/scenario/places.py": "an endpoint where it is used",
    "zmqprose/apps/supervisor.py": "the settings: an app's start and env",
    "zmqprose/apps/run_folder.py": "the settings: an app's template files",
    "zmqprose/settings/environment.py": "a setting that names what a scenario fills in, with the scenario's lookup",
    "zmqprose/stubs/rules.py": "a stub's answers: ${request.…} when a request comes",
}


def test_only_the_places_the_rule_names_fill_in():
    """No method that sends, checks, stores or runs fills in ${…}: a module that does is one the rule names."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    filling = set()
    for path in sorted((root / "zmqprose").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module == "zmqprose.wire.interpolation" \
                    and FILLING & {alias.name for alias in node.names}:
                filling.add(path.relative_to(root).as_posix())
    assert filling == set(FILLS_IN)
    prose_source = (root / "zmqprose" / "prose.py").read_text()
    for node in ast.walk(ast.parse(prose_source)):
        if isinstance(node, ast.FunctionDef) and "self._scenario.values.interpolate" in ast.unparse(node):
            assert node.name.startswith("interpolate"), f"Prose.{node.name} fills in ${{…}}"


# -- an app's endpoint: its setting filled in once, what it brings in is data -----------------------------------------

def odd_folder(tmp_path) -> str:
    """A folder whose name holds ``${uuid}``, and the setting that leads to it: "…/a${" (a ``${`` in a value)."""
    (tmp_path / "a${uuid}").mkdir()
    return f"{tmp_path}/a${{"


def test_an_endpoint_filled_in_by_the_settings_is_not_read_for_placeholders_again(tmp_path):
    """A setting's value that holds ``${`` is data once filled in: ``${ogre.prefix}uuid}`` is the folder a${uuid}."""
    settings = Settings({"ogre": {"prefix": odd_folder(tmp_path), "command_endpoint": "ipc://${ogre.prefix}uuid}/s"}})
    with Prose(settings, timeout=2) as prose:
        sock = prose.using_zmq().bind("ogre's command endpoint", "PULL")
        assert prose.from_zmq_socket(sock).get_endpoints() == [f"ipc://{tmp_path}/a${{uuid}}/s"]


def test_an_endpoint_the_scenario_fills_in_is_filled_in_once_with_the_settings_it_names(tmp_path):
    """A setting with ``${checkpoint.…}`` is filled in by the scenario, its ``${APP.SETTING}`` too, in one pass."""
    settings = Settings({"ogre": {"prefix": odd_folder(tmp_path),
                                  "command_endpoint": "ipc://${ogre.prefix}${checkpoint.name}}/s"}})
    with Prose(settings, timeout=2) as prose:
        prose.checkpoint.name = "uuid"
        sock = prose.using_zmq().bind("ogre's command endpoint", "PULL")
        assert prose.from_zmq_socket(sock).get_endpoints() == [f"ipc://{tmp_path}/a${{uuid}}/s"]


def test_a_port_setting_the_scenario_fills_in_is_a_port():
    settings = Settings({"ogre": {"command_port": "${checkpoint.port}"}})
    with Prose(settings, timeout=2) as prose:
        prose.checkpoint.port = free_port()
        sock = prose.using_zmq().bind("ogre's command port", "PULL")
        assert prose.from_zmq_socket(sock).get_endpoints() == [f"tcp://127.0.0.1:{prose.checkpoint.port}"]


def test_a_probes_port_filled_in_by_the_settings_is_not_read_for_placeholders_again(tmp_path):
    prefix = odd_folder(tmp_path)
    address = f"ipc://{tmp_path}/a${{uuid}}/probe"
    answering = zmq.Context.instance().socket(zmq.REP)
    answering.linger = 0
    answering.bind(address)

    def answer() -> None:
        if answering.poll(5000):
            answering.recv_multipart()
            answering.send_multipart([b"PONG"])

    probe = {"port": "probe_endpoint", "type": "REQ", "send": ["PING"], "expect": ["PONG"]}
    settings = Settings({"outside": {"prefix": prefix, "probe_endpoint": "ipc://${outside.prefix}uuid}/probe",
                                     "probe": probe}})
    worker = threading.Thread(target=answer)
    worker.start()
    try:
        with Prose(settings, timeout=2) as prose:
            prose.expects_app("outside").still_answers(timeout=2)
    finally:
        worker.join()
        answering.close()


def test_an_apps_host_that_refers_to_another_setting_is_filled_in_where_its_endpoint_is_used():
    """``"host": "${gateway.address}"``: the address of an app's port is on its host, filled in as every
    setting of the endpoint is (it was left as ``tcp://${gateway.address}:5555`` for a while)."""
    from zmqprose.sockets.references import parse_endpoint

    settings = Settings({"server": {"host": "${gateway.address}", "bind_host": "${gateway.address}",
                                    "command_port": 5555},
                         "gateway": {"address": "127.0.0.2"}})
    with Prose(settings) as prose:
        places = prose._scenario.places
        assert places.resolve(parse_endpoint("server's command port")) == "tcp://127.0.0.2:5555"
        assert places.resolve(parse_endpoint("server's command port"), for_bind=True) == "tcp://127.0.0.2:5555"
