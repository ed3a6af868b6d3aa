"""A CURVE key in the settings is a key, and a secret's text is masked as written: neither is read again for ``${…}``.

Z85, the alphabet of CURVE keys, has ``$``, ``{`` and ``}`` among its letters:
about one key pair in 180 that ``zmq.curve_keypair`` makes holds ``${``. An
app with ``"curve": "generate"`` gets such a pair once every few hundred
runs, and behavex, which makes a behave run of every scenario, once in three
CI runs. Its secret key was read as text holding a reference; with no ``}``
after the ``${``, filling it in changed nothing, and the masking of a secret
filled it in again, for ever: ``HOOK-ERROR in before_all: RecursionError:
maximum recursion depth exceeded in comparison``. With a ``}`` after it, the
key was a reference to an app that is not there, and a setting that refers to
the key (``"OGRE_CURVE_SECRET": "${vault.curve.secret_key}"``) failed. The
pairs below are real ones that ``zmq.curve_keypair`` made.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import zmq

from zmqprose import Settings, SettingsError
from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.wire.masking import MASK, mask_text

SECRET_OPENS = ("[P>(D+rC2Ek}Evk1s=I*HtHFOa{/9^nOWTR@ylNc", "ZXE${?daeI?UAxvZoS=zwZ#POJfuYlJl$F8WdZm+")
PUBLIC_OPENS = ("jsSGObfVFt2A:QhCu5EYppi${u]NzWRg>tDa&8et", "MJ5Dq/{2Ze]%eB<<pffudf<:}RMiKKO}}5L&viQ4")
PUBLIC_REFERS = ("9rm&06]rh@eVLmc9vx%VMG${&[*r6e&h@}7DS56f", "5X*}<LmAC$&<>ZuZ#=z(w#IljS)mAvGv2Zjbu[s4")
SECRET_REFERS = ("&8/bp?{dy3SzX</ZHdz:P<=zZwY9<pgC$B:TA9C}", "{N2bVtEp752P%*/a9z%is.:g8c?E${Kf}d1m=tfz")
KEY_NAMING_A_SETTING = "000000000${ogre.port}0000000000000000000"  # 40 characters of Z85 that decode: a key

_unique = itertools.count(1)


def vault(**more: Any) -> dict[str, Any]:
    """The settings of environments/local.json's vault: a generated pair, handed to the app by reference."""
    return {"vault": {"start": ["true"], "curve": "generate", **more,
                      "env": {"OGRE_CURVE_PUBLIC": "${vault.curve.public_key}",
                              "OGRE_CURVE_SECRET": "${vault.curve.secret_key}"}}}


@pytest.fixture
def generated(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Makes the supervisor of ``vault()``'s settings, its CURVE pair the one given (as zmq.curve_keypair
    would make it); every supervisor made is stopped."""
    made: list[AppSupervisor] = []

    def supervise(pair: tuple[str, str]) -> AppSupervisor:
        monkeypatch.setattr(zmq, "curve_keypair", lambda: (pair[0].encode(), pair[1].encode()))
        made.append(AppSupervisor(Settings(vault())))
        return made[-1]

    yield supervise
    for supervisor in made:
        supervisor.stop_all()


@pytest.mark.parametrize("pair", [SECRET_OPENS, PUBLIC_OPENS, PUBLIC_REFERS, SECRET_REFERS],
                         ids=["secret-opens", "public-opens", "public-refers", "secret-refers"])
def test_a_generated_pair_whose_key_holds_a_placeholders_start_reaches_the_app_as_made(generated, pair):
    settings = generated(pair).settings
    assert settings.lookup("vault.env.OGRE_CURVE_PUBLIC") == pair[0]
    assert settings.lookup("vault.env.OGRE_CURVE_SECRET") == pair[1]
    assert settings.lookup("vault.curve.secret_key") == pair[1]
    assert settings.references("vault.env.OGRE_CURVE_SECRET") == ("vault.curve.secret_key",)
    assert mask_text(f"the key {pair[1]}.") == f"the key {MASK}."
    assert mask_text(pair[0]) == pair[0]  # a public key is meant to be seen


def test_a_key_written_in_the_settings_is_taken_as_written_even_where_it_reads_as_a_reference():
    settings = Settings({"ogre": {"port": 5555},
                         "vault": {"start": ["true"], "curve": {"public_key": KEY_NAMING_A_SETTING,
                                                                "secret_key": SECRET_REFERS[1]},
                                   "env": {"PUBLIC": "${vault.curve.public_key}"}}})
    assert settings.lookup("vault.curve.public_key") == KEY_NAMING_A_SETTING  # not 0000000005555000…
    assert settings.lookup("vault.env.PUBLIC") == KEY_NAMING_A_SETTING
    assert settings.references("vault.env.PUBLIC") == ("vault.curve.public_key",)
    assert settings.lookup("vault.curve") == {"public_key": KEY_NAMING_A_SETTING, "secret_key": SECRET_REFERS[1]}


def test_a_secret_written_with_a_placeholders_start_and_no_end_loads_and_is_masked_as_written():
    password = f"pa${{ss-{next(_unique)}-{id(_unique)}"
    settings = Settings({"db": {"password": password, "dsn": "postgres://me:${db.password}@db"}})
    assert settings.lookup("db.password") == password
    assert settings.lookup("db.dsn") == f"postgres://me:{password}@db"
    assert mask_text(f"logged in with {password}") == f"logged in with {MASK}"


def test_secret_objects_that_refer_to_each_other_load_and_each_leaf_is_masked():
    """A lookup of an object does not fill in its leaves, so objects that refer to each other are no error;
    the masking follows each reference once, and masks what each leaf refers to."""
    token, key = f"t0ken-{next(_unique)}-{id(_unique)}", f"k3y-{next(_unique)}-{id(_unique)}"
    settings = Settings({"a": {"secret": "${a.one}", "one": {"x": "${a.two}", "token": token},
                               "two": {"y": "${a.one}", "z": "${b.key}"}},
                         "b": {"key": key}})
    assert settings.lookup("a.secret") == {"x": "${a.two}", "token": token}
    assert mask_text(f"{token} {key}") == f"{MASK} {MASK}"


def test_a_reference_in_a_secret_that_goes_round_in_a_cycle_is_still_named_when_it_is_used():
    settings = Settings({"a": {"token": "${a.other}", "other": "x${a.token}"}})
    with pytest.raises(SettingsError, match="settings refer to each other in a cycle: a.token -> a.other -> a.token"):
        settings.lookup("a.token")
