"""A run's secrets are its own: masked while the run lives, forgotten once it is gone.

Every secret was kept for the life of the process: each behave run (behavex
runs one per scenario in reused workers) and each ``Prose`` of a pytest
session added its settings' secrets and its CURVE pairs (a generated pair, a
client pair, a server pair per CURVE bind: ~25 forms a run), and the regular
expression was made again from all of them each time, so that a long-lived
worker grew without limit and each run started slower (after 100 runs, one
more secret took 0.7 s). Each value here is new to the process.
"""

from __future__ import annotations

import gc
import itertools

import pytest

from zmqprose import Prose, Settings
from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.security.curve import CurveRequest
from zmqprose.sockets.socket import ProseSocket
from zmqprose.wire.masking import MASK, PROCESS_SECRETS, Masker, mask_text

_unique = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_unique)}-{id(_unique)}"


class Owner:
    """Something a secret may belong to."""


def masked_forms() -> int:
    """How many forms of secrets the process masks now, the runs that are gone forgotten."""
    gc.collect()
    return PROCESS_SECRETS.size()


def one_run(seen: dict[str, str]) -> None:
    """A run as behave makes it (settings, apps, a scenario with CURVE sockets); its secrets, as it lives, into
    ``seen``, each checked masked while the run lives."""
    servers: list[str] = []
    secure = ProseSocket.secure_as_server
    ProseSocket.secure_as_server = lambda sock, public, secret, domain: (  # type: ignore[method-assign]
        servers.append(secret), secure(sock, public, secret, domain))[-1]
    try:
        run_with_curve(seen, servers)
    finally:
        ProseSocket.secure_as_server = secure  # type: ignore[method-assign]


def run_with_curve(seen: dict[str, str], servers: list[str]) -> None:
    settings = Settings({"vault": {"token": unique("tok"), "curve": "generate"}})
    apps = AppSupervisor(settings)
    with Prose(apps.settings, apps) as prose:
        prose.using_zmq().bind("tcp://127.0.0.1:*", "REP", name="server", curve=CurveRequest())
        prose.using_zmq().connect('the endpoint of "server"', "REQ", curve=CurveRequest(client="c"))
        seen.update(token=settings.lookup("vault.token"), generated=apps.settings.lookup("vault.curve.secret_key"),
                    client=apps.keys.client("c").secret_key, server=servers[0])
        gc.collect()  # nothing of a run that lives is forgotten, whenever Python reclaims what is gone
        assert all(mask_text(f"<{secret}>") == f"<{MASK}>" for secret in seen.values()), seen
    apps.stop_all()


def test_a_run_s_secrets_are_masked_while_it_lives_and_forgotten_once_it_is_gone():
    seen: dict[str, str] = {}
    one_run(seen)
    gc.collect()
    assert [name for name, secret in seen.items() if mask_text(secret) != secret] == []


def test_many_runs_in_one_process_mask_no_more_than_the_runs_that_live():
    before = masked_forms()
    for _ in range(20):
        one_run({})
    assert masked_forms() == before


def test_a_secret_is_masked_while_any_of_its_owners_lives():
    masker = Masker()
    first, second = Owner(), Owner()
    masker.remember(["shared-secret"], owner=first)
    masker.remember(["shared-secret", "second-own"], owner=second)
    del first
    gc.collect()
    assert masker.text("shared-secret second-own") == f"{MASK} {MASK}"
    del second
    gc.collect()
    assert masker.text("shared-secret second-own") == "shared-secret second-own"
    assert masker.size() == 0


def test_a_new_owner_in_the_place_of_one_that_is_gone_keeps_its_own_secrets():
    """An object may take the very id of one that is gone before the gone one's secrets are forgotten."""
    masker = Masker()
    for round_ in range(50):
        owner = Owner()
        masker.remember([f"round-{round_}-secret"], owner=owner)
        assert masker.text(f"round-{round_}-secret") == MASK
        del owner  # the next Owner() likely takes its id
    assert masker.size() == 0


def test_a_secret_without_an_owner_is_kept_for_the_process():
    masker = Masker()
    masker.remember(["process-secret"])
    masker.remember(["owned-secret"], owner=Owner())
    gc.collect()
    assert masker.text("process-secret owned-secret") == f"{MASK} owned-secret"


def test_the_recorder_masks_the_secrets_of_its_settings_while_it_records(tmp_path):
    """``zmqprose record --app`` read the settings and dropped them: their secrets would show in its picture."""
    import argparse

    from zmqprose.recording.command import service_of

    token = unique("recorder-token")
    (tmp_path / "local.json").write_text(f'{{"svc": {{"request_port": 5599, "token": "{token}"}}}}')
    arguments = argparse.Namespace(to="tcp://127.0.0.1:5599", app="svc", settings=str(tmp_path), env="local")
    service = service_of(arguments, ("127.0.0.1", 5599))
    gc.collect()
    assert mask_text(token) == MASK
    assert service.secrets == {token: "${svc.token}"}


@pytest.mark.parametrize("how", ["copy", "deepcopy"])  # settings are not pickled: their frozen data refuses it
def test_a_copy_of_settings_masks_their_secrets_while_the_copy_lives(how):
    import copy
    import gc

    from zmqprose.settings import Settings
    from zmqprose.wire.masking import mask_text

    original = Settings({"vault": {"token": "s3cr3t-token-of-a-copy"}})
    made = {"copy": copy.copy, "deepcopy": copy.deepcopy}[how]
    kept = made(original)
    del original
    gc.collect()
    assert "s3cr3t-token-of-a-copy" not in mask_text("token=s3cr3t-token-of-a-copy")
    assert kept.lookup("vault.token") == "s3cr3t-token-of-a-copy"
