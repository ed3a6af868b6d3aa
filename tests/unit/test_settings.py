"""Loading and merging environment settings, and the errors for every way they go wrong."""

import re

import pytest

from zmqprose import SettingsError, load_settings
from zmqprose.settings import Settings, deep_merge


def test_deep_merge_merges_nested_objects_key_by_key():
    base = {"ogre": {"host": "127.0.0.1", "limits": {"max": 1, "min": 0}}, "zmqprose": {"timeout": 5}}
    override = {"ogre": {"command_port": 5555, "limits": {"max": 9}}}
    assert deep_merge(base, override) == {
        "ogre": {"host": "127.0.0.1", "command_port": 5555, "limits": {"max": 9, "min": 0}},
        "zmqprose": {"timeout": 5},
    }


def test_deep_merge_replaces_what_is_not_an_object():
    assert deep_merge({"a": {"b": 1}}, {"a": [1, 2]}) == {"a": [1, 2]}
    assert deep_merge({"a": [1]}, {"a": {"b": 1}}) == {"a": {"b": 1}}


def test_env_file_is_laid_over_defaults(write_settings):
    folder = write_settings(
        defaults={"zmqprose": {"timeout": 5}, "ogre": {"host": "10.1.1.1", "command_port": 1}},
        ci={"ogre": {"command_port": 2}},
    )
    settings = load_settings(folder, "ci")
    assert settings.app("ogre") == {"host": "10.1.1.1", "command_port": 2}
    assert settings.timeout == 5.0
    assert settings.env == "ci"


def test_defaults_file_is_optional(write_settings):
    settings = load_settings(write_settings(local={"ogre": {"command_port": 5555}}))
    assert settings.apps == ["ogre"]
    assert settings.timeout == 5.0


def test_unknown_env_lists_the_environments_there_are(write_settings):
    folder = write_settings(defaults={}, local={}, ci={})
    with pytest.raises(SettingsError, match=r"unknown environment 'prod'.*environments there: ci, local"):
        load_settings(folder, "prod")


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(SettingsError, match=r"no settings folder '.*nowhere'"):
        load_settings(tmp_path / "nowhere")


def test_bad_json_names_file_line_and_column(write_settings):
    folder = write_settings(local='{\n  "ogre": {\n    "command_port": 5555,\n  }\n}')
    with pytest.raises(SettingsError, match=r"local\.json:4:3: bad JSON"):
        load_settings(folder)


def test_settings_must_be_an_object_of_objects(write_settings):
    with pytest.raises(SettingsError, match="must be a JSON object of apps"):
        load_settings(write_settings(local="[1, 2]"))
    with pytest.raises(SettingsError, match="setting 'ogre' must be a JSON object"):
        load_settings(write_settings(local={"ogre": 5555}))


def test_unknown_app_lists_the_apps():
    settings = Settings({"ogre": {}, "keeper": {}, "zmqprose": {}}, env="local")
    with pytest.raises(SettingsError, match=r"no app 'troll' in environment 'local'.*apps there: keeper, ogre"):
        settings.app("troll")
    with pytest.raises(SettingsError, match="no app 'zmqprose'"):
        settings.app("zmqprose")


def test_lookup_follows_dotted_paths_and_lists_keys_when_lost():
    settings = Settings({"ogre": {"limits": {"max": 7}, "host": "h"}})
    assert settings.lookup("ogre.limits.max") == 7
    assert settings.lookup("ogre.host") == "h"
    with pytest.raises(SettingsError, match=r"no setting 'ogre.limits.min'.*'ogre.limits' has: max"):
        settings.lookup("ogre.limits.min")


@pytest.mark.parametrize("timeout", [0, -1, "5", True, None])
def test_a_bad_timeout_is_refused(timeout):
    with pytest.raises(SettingsError, match="zmqprose.timeout must be a positive number"):
        Settings({"zmqprose": {"timeout": timeout}}).timeout  # noqa: B018


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_numbers_that_are_not_finite_are_refused_with_the_file(write_settings, number):
    folder = write_settings(local=f'{{"app": {{"start": ["x"], "start_timeout": {number}}}}}')
    with pytest.raises(SettingsError, match=rf"local\.json: {number.lstrip('-')}|local\.json: -Infinity"):
        load_settings(folder)


def test_a_whole_number_past_pythons_digit_limit_is_refused_with_the_file(write_settings):
    """Settings are read as every JSON is (wire/one_reading.strict_loads): such a number was a ValueError's
    traceback, from deep inside Python's reader."""
    folder = write_settings(local=f'{{"app": {{"start": ["x"], "count": {"9" * 5000}}}}}')
    with pytest.raises(SettingsError, match=r"local\.json: it holds a whole number over Python's limit of \d+ digits"):
        load_settings(folder)


def test_a_non_finite_number_made_in_python_is_refused_too():
    with pytest.raises(SettingsError, match="zmqprose.timeout must be a positive number"):
        Settings({"zmqprose": {"timeout": float("nan")}})
    with pytest.raises(SettingsError, match=r"app\.limits\.max is inf"):
        Settings({"app": {"limits": {"max": float("inf")}}})


def test_a_timeout_of_more_than_a_day_is_refused():
    with pytest.raises(SettingsError, match="at most 86400"):
        Settings({"zmqprose": {"timeout": 1e12}})


def test_a_mistake_in_defaults_is_named_as_being_in_defaults(write_settings):
    folder = write_settings(defaults={"zmqprose": {"timeout": -1}}, local={"ogre": {}})
    with pytest.raises(SettingsError, match=r"defaults\.json: zmqprose\.timeout"):
        load_settings(folder)
    folder = write_settings(defaults={"ogre": {"command_port": 70000}}, local={"ogre": {}})
    with pytest.raises(SettingsError, match=r"defaults\.json: ogre\.command_port = 70000"):
        load_settings(folder)


@pytest.mark.parametrize("env", ["../elsewhere", "../../etc/passwd", "/tmp/local", "a/b", ".hidden", ""])
def test_an_environment_name_cannot_reach_outside_the_settings_folder(write_settings, env, tmp_path):
    (tmp_path.parent / "elsewhere.json").write_text("{}")
    with pytest.raises(SettingsError, match="is not an environment name"):
        load_settings(write_settings(local={}), env)


def test_a_setting_may_refer_to_another_and_a_cycle_is_named():
    settings = Settings({"ogre": {"port": 5555, "address": "tcp://127.0.0.1:${ogre.port}",
                                  "start": ["ogre", "--bind", "${ogre.address}"]},
                         "loop": {"a": "${loop.b}", "b": "x${loop.a}"}})
    assert settings.lookup("ogre.address") == "tcp://127.0.0.1:5555"
    assert settings.lookup("ogre.start.2") == "tcp://127.0.0.1:5555"
    with pytest.raises(SettingsError, match=r"cycle: loop\.a -> loop\.b -> loop\.a"):
        settings.lookup("loop.a")


def test_loaded_settings_are_read_only():
    settings = Settings({"ogre": {"limits": {"max": 1}, "start": ["ogre"]}})
    with pytest.raises(TypeError, match="read-only"):
        settings.app("ogre")["limits"]["max"] = 2
    with pytest.raises(TypeError, match="read-only"):
        settings.data["troll"] = {}
    assert settings.lookup("ogre.limits.max") == 1


@pytest.mark.parametrize(("setting", "value", "words"), [
    ("env", ["LOG=1"], "app.env must be an object of environment variables"),
    ("env", {"LOG": {"level": 1}}, "app.env.LOG is an object (keys: level): a variable's value is text or a number"),
    ("env", {"A=B": "1"}, "app.env has a variable named 'A=B': a name is not empty and holds no '='"),
    ("env", {"": "1"}, "app.env has a variable named ''"),
    ("env", {"TOKEN": "ab\0cd"}, "app.env.TOKEN holds a NUL character"),
    ("start", ["app", "a\0b"], "app.start.1 holds a NUL character"),
    ("start", ["app", True], "app.start.1 is true or false: each argument of start is text or a whole number"),
    ("files", {"app.ini": 5}, "app.files.app.ini is a number: write the path of its template"),
    ("files", ["app.ini"], "app.files must be an object of file names and templates"),
    ("files", {"../escape.ini": "t.ini"}, "a relative path to a file, without '..'"),
    ("files", {"/etc/app.ini": "t.ini"}, "a relative path to a file, without '..'"),
    ("files", {".": "t.ini"}, "a relative path to a file, without '..'"),
    ("files", {"": "t.ini"}, "a relative path to a file, without '..'"),
    ("ready", {"log": "listening", "delay": 1}, "app.ready must be one of"),
    ("ready", {"delay": -1}, "app.ready must be one of"),
    ("ready", {"none": False}, "app.ready must be one of"),
    ("ready", {"port": 5555}, "app.ready must be one of"),
    ("ready", {"log": "([a"}, "app.ready.log is not a pattern"),
    ("stop_timeout", 0, "app.stop_timeout must be a positive number of seconds"),
])
def test_what_an_app_gets_at_its_start_is_checked_when_the_settings_load(setting, value, words):
    with pytest.raises(SettingsError, match=re.escape(words)):
        Settings({"app": {"start": ["app"], setting: value}})


@pytest.mark.parametrize(("data", "words"), [
    ({"vault": {"curve": "make one"}}, 'vault.curve must be "generate" or {"public_key": "…", "secret_key": "…"}'),
    ({"vault": {"curve": {"public_key": "short", "secret_key": "x" * 40}}},
     "vault.curve.public_key is not a CURVE key: it must be 40 characters of Z85"),
    ({"zmqprose": {"curve_clients": {"alice": "generate"}}}, "zmqprose.curve_clients.alice must be {"),
    ({"zmqprose": {"curve_clients": ["alice"]}}, "zmqprose.curve_clients must be an object of named keypairs"),
])
def test_curve_keys_in_the_settings_are_checked_when_they_load(data, words):
    with pytest.raises(SettingsError, match=re.escape(words)):
        Settings(data)


def test_secret_looking_settings_are_secrets_but_a_public_key_is_not():
    settings = Settings({
        "vault": {"api_token": "s3cr3t-t0ken", "curve": {"public_key": "P" * 40, "secret_key": "S" * 40}},
        "ogre": {"serverPublicKey": "Q" * 40, "db_password": "hunter22", "cache_key": "k3y-value"}})
    assert settings.secrets == {"s3cr3t-t0ken", "S" * 40, "hunter22", "k3y-value"}


def test_a_setting_that_is_only_a_reference_takes_the_referred_value_with_its_type():
    """"request_port": "${echo.request_port}" is a port where it is used, as the README says."""
    from zmqprose.sockets.references import parse_endpoint, resolve_app_endpoint

    settings = Settings({"echo": {"request_port": 5555, "limits": {"max": 3}},
                         "client": {"request_port": "${echo.request_port}", "max": "${echo.limits.max}",
                                    "label": "port ${echo.request_port}"}})
    assert settings.lookup("client.request_port") == 5555
    assert settings.lookup("client.max") == 3
    assert settings.lookup("client.label") == "port 5555"  # inside text: text
    reference = parse_endpoint("client's request port")
    assert resolve_app_endpoint(settings, reference) == "tcp://127.0.0.1:5555"  # type: ignore[arg-type]


def test_a_key_twice_in_one_object_of_a_settings_file_is_refused_naming_the_file_line_and_key(write_settings):
    """It kept the last one silently: a port written twice ran against the second without a word."""
    folder = write_settings(local='{"ogre": {"start": ["ogre"],\n'
                                  '          "command_port": 5555,\n'
                                  '          "limits": {"command_port": 1},\n'
                                  '          "command_port": 5556}}')
    with pytest.raises(SettingsError) as failure:
        load_settings(folder, "local")
    assert str(failure.value) == (f"{folder / 'local.json'}:4:11: the key \"command_port\" appears twice in one "
                                  f"object (JSON's readers keep the last, silently): keep one")
    folder = write_settings(local='{"ogre": {}}', defaults='{"zmqprose": {"timeout": 5}, "zmqprose": {}}')
    with pytest.raises(SettingsError, match=r"defaults.json:1:30: the key \"zmqprose\" appears twice"):
        load_settings(folder, "local")
