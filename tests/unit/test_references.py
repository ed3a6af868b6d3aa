"""Parsing endpoint references and resolving app references (README: *Resolving an app reference*)."""

import pytest

from zmqprose import ResolveError, Settings, SettingsError
from zmqprose.sockets.references import (
    Address,
    AppEndpoint,
    EndpointOf,
    SocketName,
    camel_case,
    parse_endpoint,
    parse_socket_ref,
    resolve_app_endpoint,
)


def resolve(app_settings, reference, for_bind=False):
    settings = Settings({"ogre": app_settings}, env="local")
    return resolve_app_endpoint(settings, parse_endpoint(reference), for_bind)


def test_parse_the_three_kinds_of_endpoint():
    assert parse_endpoint("ogre's command port") == AppEndpoint("ogre", ("command",), "port")
    assert parse_endpoint("ogre's pipeline input port") == AppEndpoint("ogre", ("pipeline", "input"), "port")
    assert parse_endpoint("keeper's control endpoint") == AppEndpoint("keeper", ("control",), "endpoint")
    assert parse_endpoint("tcp://127.0.0.1:5555") == Address("tcp://127.0.0.1:5555")
    assert parse_endpoint('the endpoint of "router"') == EndpointOf("router")


def test_a_python_user_names_sockets_with_plain_strings():
    assert parse_socket_ref("listener") == SocketName("listener")
    assert parse_socket_ref("ogre's command port") == AppEndpoint("ogre", ("command",), "port")


def test_text_that_is_no_endpoint_says_what_to_write():
    with pytest.raises(ResolveError, match="is not an endpoint: write an app reference"):
        parse_endpoint("somewhere over there")


def test_keys_are_tried_in_the_documented_order():
    keys = AppEndpoint("ogre", ("pipeline", "input"), "socket").candidate_keys()
    assert keys == [
        "pipeline_input_socket", "pipeline_input_port", "pipeline_input_endpoint", "pipeline_input",
        "pipelineInputSocket", "pipelineInputPort", "pipelineInputEndpoint", "pipelineInput",
    ]


def test_camel_case():
    assert camel_case("pipeline_input_port") == "pipelineInputPort"
    assert camel_case("port") == "port"


def test_the_first_matching_key_wins():
    app = {"command_socket": 1111, "command_port": 2222, "command": 3333}
    assert resolve(app, "ogre's command port") == "tcp://127.0.0.1:2222"
    assert resolve(app, "ogre's command socket") == "tcp://127.0.0.1:1111"
    assert resolve(app, "ogre's command endpoint") == "tcp://127.0.0.1:2222"


def test_camel_case_keys_are_found_last():
    assert resolve({"pipelineInputPort": 7000}, "ogre's pipeline input port") == "tcp://127.0.0.1:7000"
    assert resolve({"pipelineInputPort": 7000, "pipeline_input": 7001}, "ogre's pipeline input port") \
        == "tcp://127.0.0.1:7001"


def test_ports_use_host_to_connect_and_bind_host_to_bind():
    app = {"command_port": "5555", "host": "10.0.0.5", "bind_host": "0.0.0.0"}
    assert resolve(app, "ogre's command port") == "tcp://10.0.0.5:5555"
    assert resolve(app, "ogre's command port", for_bind=True) == "tcp://0.0.0.0:5555"
    assert resolve({"command_port": 5555, "host": "10.0.0.5"}, "ogre's command port", for_bind=True) \
        == "tcp://127.0.0.1:5555"


def test_full_addresses_are_used_as_they_are():
    assert resolve({"command_port": "ipc:///tmp/ogre.sock"}, "ogre's command port") == "ipc:///tmp/ogre.sock"


def test_a_missing_key_lists_the_apps_keys_and_what_was_tried():
    with pytest.raises(ResolveError) as failure:
        resolve({"command_socket": 1, "start": ["ogre"]}, "ogre's comand port")
    message = str(failure.value)
    assert "no setting for \"ogre's comand port\" in environment 'local'" in message
    assert "app 'ogre' has: command_socket, start" in message
    assert "tried comand_port, comand_socket, comand_endpoint, comand, comandPort" in message


@pytest.mark.parametrize("value", [True, "fast", 70000, [5555], -1])
def test_a_value_that_is_no_port_nor_address_is_refused(value):
    with pytest.raises(ResolveError, match="expected a port number or a ZeroMQ address"):
        resolve({"command": value}, "ogre's command port")  # a key that does not say it is a port


@pytest.mark.parametrize("value", [True, "fast", 70000, [5555], -1, -5, "abc", "tcp://127.0.0.1:70000", 5.5])
def test_a_setting_named_like_a_port_must_be_one_when_the_settings_load(value):
    with pytest.raises(SettingsError, match=r"ogre\.command_port"):
        Settings({"ogre": {"command_port": value}})


def test_a_free_port_not_yet_chosen_says_to_start_the_app():
    with pytest.raises(ResolveError, match="free port chosen when ogre starts: add 'Given ogre is running'"):
        resolve({"command_port": 0, "start": ["ogre"]}, "ogre's command port")


@pytest.mark.parametrize("value", [0, "tcp://127.0.0.1:*", "tcp://127.0.0.1:0"])
def test_a_free_port_of_an_app_without_start_says_the_spec_plays_it_and_binds_it_first(value):
    """It said "add 'Given ogre is running'", which an app without 'start' cannot do (issue 28, item 1)."""
    for for_bind in (False, True):
        with pytest.raises(ResolveError, match=r"is a free port that the spec chooses when it binds it: ogre has no "
                                               r"'start', so the spec plays ogre"):
            resolve({"command_port": value}, "ogre's command port", for_bind)


def test_an_app_reference_without_words_names_the_plain_port_setting():
    assert parse_endpoint("zlock's port") == AppEndpoint("zlock", (), "port")
    assert str(parse_endpoint("zlock's port")) == "zlock's port"
    assert resolve({"port": 7000}, "ogre's port") == "tcp://127.0.0.1:7000"
    assert resolve({"socket": "ipc:///tmp/x"}, "ogre's port") == "ipc:///tmp/x"
    assert AppEndpoint("zlock", (), "socket").candidate_keys() == ["socket", "port", "endpoint"]


def test_a_free_plain_port_is_chosen_when_the_app_starts():
    from zmqprose.apps.ports import choose_free_ports

    assert set(choose_free_ports({"port": 0, "start": ["x"]})) == {"port"}
