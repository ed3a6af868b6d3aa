"""Every secret-named setting is masked, whatever the names around it and whatever its type (issue 27, item 7).

A secret given by reference (``"token": "${vault.root}"``) was shown in clear
when the app's name said ``public`` (the whole dotted path was taken for a
public-key name) and when the referred value was a number (a lone ``${x}``
keeps its type, and only text was remembered). Each value here is new to
the process, so that no earlier test's secret can make a test pass.
"""

from __future__ import annotations

import itertools

import pytest

from zmqprose import Prose, Settings, SettingsError
from zmqprose.actionlog import RunOptions
from zmqprose.wire.masking import MASK, mask_text

_unique = itertools.count(1)


def unique(prefix: str) -> str:
    """A value no test of this process has registered as a secret before."""
    return f"{prefix}-{next(_unique)}-{id(_unique)}"


def unique_number() -> int:
    """A number no test of this process has registered as a secret before (eight digits or more)."""
    return 90_000_000 + next(_unique) * 7919 + id(_unique) % 1000


def unmasked_port() -> int:
    """A port number that no earlier test of this process made a secret."""
    port = 40_000 + next(_unique) * 37 % 20_000
    while mask_text(str(port)) != str(port):
        port += 1
    return port


def shown_by_a_failing_scenario(settings: Settings, app: str) -> tuple[str, str]:
    """Send ``${APP.token}`` over real sockets and fail on it: the failure with its action log, and the picture."""
    with Prose(settings, timeout=1, options=RunOptions(keep_stories=True)) as prose:  # kept for its picture
        server = prose.using_zmq().bind("inproc://secrets-by-reference", "PAIR", name="server")
        client = prose.using_zmq().connect("inproc://secrets-by-reference", "PAIR", name="client")
        prose.using_zmq().send_multi(client, prose.interpolate_frames([f"${{{app}.token}}"]))
        with pytest.raises(AssertionError) as failure:
            try:
                prose.expects_zmq_socket(server).receives(["wrong"])
            except AssertionError as error:
                prose.tell_failure(error)
                raise
        return str(failure.value), prose.diagram("secrets", failed=True)


@pytest.mark.parametrize("app", ["public_api", "publicsvc", "republic"])
def test_a_token_by_reference_is_masked_whatever_the_apps_name(app):
    secret = unique("root-secret")
    settings = Settings({app: {"token": "${vault.root}"}, "vault": {"root": secret}})
    assert mask_text(f"token {secret}") == f"token {MASK}"
    failure, picture = shown_by_a_failing_scenario(settings, app)
    assert secret not in failure and secret not in picture, failure
    assert f"send_multi -> inproc://secrets-by-reference  ['{MASK}']" in failure, failure
    assert f"but: ['{MASK}']" in failure, failure


@pytest.mark.parametrize("app", ["public_api", "ogre"])
def test_a_token_that_refers_to_a_number_is_masked_as_its_text(app):
    pin = unique_number()
    settings = Settings({app: {"token": "${vault.pin}"}, "vault": {"pin": pin}})
    assert settings.lookup(f"{app}.token") == pin  # still a number where it is used
    assert mask_text(f"pin {pin}.") == f"pin {MASK}."
    failure, picture = shown_by_a_failing_scenario(settings, app)
    assert str(pin) not in failure and str(pin) not in picture, failure


def test_a_token_that_refers_to_an_object_masks_each_leaf():
    text, number, listed = unique("leaf-text"), unique_number(), unique("leaf-listed")
    pi = 3.14159265358979
    settings = Settings({"public_api": {"token": "${vault.creds}"},
              "vault": {"creds": {"user_name": text, "id": number, "more": [listed, {"ratio": pi}]}}})
    shown = mask_text(f"{text} {number} {listed} {pi}")
    assert shown == " ".join([MASK] * 4), shown
    assert settings.secrets  # masked while the settings live (tests/unit/test_secrets_per_run.py)


def test_a_token_that_refers_to_an_object_whose_leaves_refer_on_masks_what_they_refer_to():
    deep = unique("deep-secret")
    settings = Settings({"api": {"token": "${vault.creds}"}, "vault": {"creds": {"inner": "${store.value}"}},
              "store": {"value": deep}})
    assert mask_text(deep) == MASK
    assert settings.secrets


def test_literal_numbers_lists_and_objects_under_a_secret_name_are_masked_leaf_by_leaf():
    number, listed, nested = unique_number(), unique("listed"), unique("nested")
    settings = Settings({"public_api": {"api_key": number, "tokens": [listed, {"github": nested}],
                                        "public": {"password": unique("pw")}}})
    assert mask_text(f"{number} {listed} {nested}") == f"{MASK} {MASK} {MASK}"
    assert {str(number), listed, nested} <= settings.secrets


def test_a_secret_under_a_key_that_says_public_is_still_masked_and_a_public_key_is_not():
    password, public = unique("under-public"), "P" * 20 + unique("pub")
    settings = Settings({"svc": {"public": {"password": password}, "curve_keys": {"public": public}}})
    assert mask_text(password) == MASK
    assert mask_text(public) == public  # a public key is meant to be seen
    assert settings.secrets


def test_a_secret_that_refers_to_a_free_port_is_masked_once_the_port_is_chosen():
    settings = Settings({"svc": {"request_port": 0, "token": "${svc.request_port}"}})
    port = unmasked_port()
    changed = settings.with_values("svc", {"request_port": port})
    assert mask_text(f"port {port}") == f"port {MASK}"
    assert str(port) in changed.secrets


def test_a_secret_named_value_chosen_at_start_is_masked():
    settings = Settings({"svc": {"keyserver_port": 0}})
    port = unmasked_port()
    changed = settings.with_values("svc", {"keyserver_port": port})
    assert mask_text(f"port {port}") == f"port {MASK}"
    assert str(port) in changed.secrets


@pytest.mark.parametrize("value", ["s3cret-not-a-port", "tcp://127.0.0.1:s3cret-not-a-port"])
def test_a_bad_secret_named_endpoint_is_refused_without_its_value(value):
    with pytest.raises(SettingsError) as refused:
        Settings({"public_api": {"token_endpoint": value}})
    assert "s3cret" not in str(refused.value)
    assert "public_api.token_endpoint = text (a secret: not shown): a port is a whole number" in str(refused.value)
