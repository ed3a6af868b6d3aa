"""Which settings are secret: decided by their names, once, for the masking of every output.

A setting is secret when the nearest key on its way that says something
says ``key``, ``secret``, ``password`` or ``token``, and not ``public``
(a CURVE ``public_key`` is meant to be seen). Each leaf of a list or an
object under a secret name is secret; an app's name says nothing (an app
may be called ``public_api``). Numbers are secrets as their text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from zmqprose.settings.app import FRAMEWORK_KEY

SECRET_KEY = re.compile(r"key|secret|password|token", re.IGNORECASE)
PUBLIC_KEY = re.compile(r"public", re.IGNORECASE)  # a CURVE public key is meant to be seen: no secret


def says_secret(key: str, around: bool) -> bool:
    """Whether a value under ``key`` is secret: a key that says ``public`` names what is meant to be seen (a
    CURVE ``public_key``); one that says ``key``, ``secret``, ``password`` or ``token`` names a secret; any
    other key leaves it as the keys around it say."""
    if PUBLIC_KEY.search(key):
        return False
    return around or SECRET_KEY.search(key) is not None


def is_secret_path(dotted: str) -> bool:
    """Whether the setting at ``app.a.b`` is secret: the nearest key on its way that names a secret or a
    public value says; the app's name says nothing (an app may be called ``public_api``)."""
    secret = False
    for key in dotted.split(".")[1:]:
        secret = says_secret(key, secret)
    return secret


def secret_leaves(value: Any, secret: bool) -> Iterator[Any]:
    """The leaves of ``value`` that are secret, given whether ``value`` is (each leaf of a list or an object
    under a secret name is, unless a key on its way says ``public``); true, false and null are no secret."""
    return (leaf for _, leaf in secret_leaves_at(value, "", secret))


def secret_leaves_at(value: Any, path: str, secret: bool) -> Iterator[tuple[str, Any]]:
    """:func:`secret_leaves`, each with its dotted path, given ``value``'s (``vault.curve`` →
    ``vault.curve.secret_key``; ``.0`` and on in a list)."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from secret_leaves_at(inner, f"{path}.{key}", says_secret(str(key), secret))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from secret_leaves_at(item, f"{path}.{index}", secret)
    elif secret and not isinstance(value, bool) and value is not None:
        yield path, value


def secret_values(data: Any) -> set[str]:
    """The values of secret-named settings (``*key*``, ``*secret*``, ``*password*``, ``*token*``, but not
    ``*public*``) at any depth, as text (a number as it is written): each leaf of a list or an object under
    such a name. Apps' names (the top-level keys) say nothing."""
    return {str(leaf) for app in data.values() for leaf in secret_leaves(app, secret=False)}


def secret_paths(data: Mapping[str, Any]) -> list[str]:
    """The dotted paths of the secret settings whose value refers to other settings."""
    found: list[str] = []

    def walk(value: Any, path: str, secret: bool) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(inner, f"{path}.{key}", says_secret(str(key), secret))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, f"{path}.{index}", secret)
        elif secret and isinstance(value, str) and "${" in value:
            found.append(path)

    for name, app in data.items():
        if name != FRAMEWORK_KEY:
            walk(app, str(name), False)
    return found
