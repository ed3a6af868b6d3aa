"""The settings of one environment: frozen once loaded, with lookups that fail helpfully.

Free ports chosen when an app starts make a new :class:`Settings`
(:meth:`Settings.with_values`, checked as a loaded file is); whoever holds
the old one still sees the old values. ``${APP.SETTING}`` in a setting is
filled in when it is read, each setting once, within bounds; the values of
secret-named settings are masked wherever zmqprose shows text. A CURVE key
(``APP.curve.public_key``, ``APP.curve.secret_key``) is taken as written:
Z85 has ``$``, ``{`` and ``}`` among its letters, and about one generated
pair in 180 holds ``${``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn

from zmqprose.errors import SettingsError
from zmqprose.settings.app import FRAMEWORK_KEY, SCENARIO_NAMES, AppSettings
from zmqprose.settings.secrets import is_secret_path, secret_leaves_at, secret_paths, secret_values
from zmqprose.settings.validation import check_app, check_settings, framework_timeout
from zmqprose.wire.interpolation import PLACEHOLDER, Lookup, interpolate
from zmqprose.wire.masking import remember_secrets
from zmqprose.wire.paths import PathMissing, listed, walk

NOT_SETTINGS = (*SCENARIO_NAMES, "curve.")  # ${…} that the scenario (or the run's keys) fills in, not the settings
MAX_REFERENCE_DEPTH = 50  # settings that refer to settings, that deep at most
MAX_EXPANDED = 1 << 20  # characters one expanded setting may have
CURVE_PARTS = ("public_key", "secret_key")  # of APP.curve: 40 characters of Z85 each, checked when loaded


class FrozenDict(dict[str, Any]):
    """A dict that refuses changes: settings are shared by every scenario of a run.

    A deep copy is an ordinary, changeable dict (and lists), for a user who
    wants to edit one.
    """

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("settings are read-only once loaded; copy them (copy.deepcopy) to change a copy")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        thawed: dict[str, Any] = thaw(self)
        return thawed


def freeze(value: Any) -> Any:
    """A settings value that cannot change: objects become FrozenDicts, arrays tuples."""
    if isinstance(value, Mapping):
        return FrozenDict({key: freeze(inner) for key, inner in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """A changeable copy of a frozen settings value: dicts and lists again."""
    if isinstance(value, Mapping):
        return {key: thaw(inner) for key, inner in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(item) for item in value]
    return value


class Settings:
    """The merged settings of one environment, read-only, with lookups that fail helpfully."""

    def __init__(self, data: Mapping[str, Any], env: str = "local", source: str = "(in memory)",
                 folder: str | Path = ".") -> None:
        self.env = env
        self.source = source
        self.folder = Path(folder)  # where the settings files are: an app's ``files`` templates are found there
        check_settings(data, source)
        self.data: FrozenDict = freeze(data)
        self.timeout = framework_timeout(self.data, source)
        secrets = secret_values(self.data)
        self._mask(secrets)
        self.secrets = frozenset(secrets | self._referred_secrets())

    def _mask(self, values: Iterable[str]) -> None:
        """Mask these secrets while these settings live (and the settings made from them: :meth:`with_values`):
        a run's secrets are its own, and a process that runs many runs keeps only those of the runs that live."""
        masked: set[str] = self.__dict__.setdefault("_masked", set())
        masked.update(values)
        remember_secrets(values, owner=self)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A copy (``copy.copy``, ``deepcopy``) masks the secrets as its own, for as long as it lives:
        the settings it was copied from may be gone before it."""
        state = dict(state)  # copy.copy hands over the original's own dict
        masked = state.pop("_masked", set())
        state.pop("_expanded", None)  # filled in anew, and remembered as secret when a secret is
        self.__dict__.update(state)
        self._mask(masked)

    def _referred_secrets(self) -> set[str]:
        """A secret setting that is a reference (``"token": "${vault.token}"``): its value, filled in, is
        masked too (and returned); one that cannot be filled in yet (a free port) is masked when it is."""
        found: set[str] = set()
        for path in secret_paths(self.data):
            with contextlib.suppress(SettingsError):
                found.update(self._remember_secret(self.lookup(path), (path,)))
        return found

    def with_values(self, app: str, values: Mapping[str, Any]) -> Settings:
        """New settings in which ``app`` has these values (free ports chosen at its start), checked as a
        loaded file is; a chosen value that is secret, or that a secret refers to, is masked from now on."""
        merged = {**self.app(app), **values}
        check_app(app, merged, f"{self.source} (with the values chosen for {app})")
        changed = Settings.__new__(Settings)
        changed.env, changed.source, changed.folder = self.env, self.source, self.folder
        changed.timeout = self.timeout
        changed.data = freeze({**self.data, app: merged})
        chosen = secret_values({app: values})
        changed._mask(self.__dict__.get("_masked", set()) | chosen)  # its own, whether these settings live or not
        changed.secrets = self.secrets | chosen | changed._referred_secrets()
        return changed

    @property
    def apps(self) -> list[str]:
        """The names of the apps these settings describe."""
        return sorted(name for name in self.data if name != FRAMEWORK_KEY)

    def app(self, name: str) -> FrozenDict:
        """The settings of one app (read-only); an unknown app lists the apps there are."""
        if name == FRAMEWORK_KEY or name not in self.data:
            known = listed(self.apps, "(none)")
            raise SettingsError(
                f"no app '{name}' in environment '{self.env}' ({self.source}); "
                f"apps there: {known}"
            )
        found: FrozenDict = self.data[name]
        return found

    def app_settings(self, name: str) -> AppSettings:
        """The settings of one app that zmqprose reads, defaults filled in; an unknown app lists the apps."""
        views: dict[str, AppSettings] = self.__dict__.setdefault("_views", {})
        view = views.get(name)
        if view is None:
            view = views[name] = AppSettings.of(name, self.app(name))
        return view

    def lookup(self, dotted: str) -> Any:
        """A setting by dotted path, ``ogre.command_port`` or ``ogre.limits.max``.

        A text value that holds ``${APP.SETTING}`` is returned with those
        filled in; a value that is only a reference takes the referred value
        with its type (a port stays a port). Each setting is expanded once
        (settings that refer to each other cost what they hold, not
        exponentially), at most :data:`MAX_REFERENCE_DEPTH` references deep
        and :data:`MAX_EXPANDED` characters long; a cycle is named. The
        value of a secret-named setting is masked as it is filled in.
        """
        return self._expand(dotted, ())

    def setting(self, app: str, key: str, lookup: Lookup | None = None) -> Any:
        """One setting of an app as zmqprose uses it: ``${APP.SETTING}`` filled in (one that is only a
        reference takes the referred value with its type: a port stays a port). What a scenario fills in
        (``${checkpoint.…}``, ``${socket.…}``, ``${uuid}``, …) stays as written, unless ``lookup`` (the
        scenario's) is given: then the whole value is filled in with it, settings too, in one pass. Either way,
        what is filled in is data: never read for ``${…}`` again (a value may hold ``${``)."""
        value = self.app(app)[key]
        if not isinstance(value, str) or "${" not in value:
            return value
        if not scenario_fills(value):
            return self.lookup(f"{app}.{key}")
        return value if lookup is None else interpolate(value, lookup)

    def references(self, dotted: str) -> tuple[str, ...]:
        """The settings that ``${…}`` in a setting's text refers to, and those that they refer to in turn: each
        once, in the order met (what a scenario fills in, ``${checkpoint.…}`` and the like, is no setting). A
        caller that fills in ``${dotted}`` can say which of them is not known yet (a free port not chosen)."""
        cache: dict[str, tuple[str, ...]] = self.__dict__.setdefault("_references", {})
        found = cache.get(dotted)
        if found is None:
            gathered: list[str] = []
            self._gather_references(dotted, gathered, 0)
            found = cache[dotted] = tuple(gathered)
        return found

    def _gather_references(self, dotted: str, found: list[str], depth: int) -> None:
        if depth >= MAX_REFERENCE_DEPTH:
            return  # the lookup itself names a chain that deep
        try:
            value = walk_path(self.app(dotted.partition(".")[0]), dotted, f"environment '{self.env}'")
        except SettingsError:
            return  # the lookup itself names what is missing
        if not isinstance(value, str) or "${" not in value or is_curve_key(dotted):
            return
        for match in PLACEHOLDER.finditer(value):
            name = match[1].strip()
            if name.startswith(NOT_SETTINGS) or "." not in name or name in found:
                continue
            found.append(name)
            self._gather_references(name, found, depth + 1)

    def _expand(self, dotted: str, chain: tuple[str, ...]) -> Any:
        cache: dict[str, Any] = self.__dict__.setdefault("_expanded", {})
        if dotted in cache:
            return cache[dotted]
        if dotted in chain:
            cycle = " -> ".join((*chain[chain.index(dotted):], dotted))
            raise SettingsError(f"settings refer to each other in a cycle: {cycle} (environment '{self.env}')")
        if len(chain) >= MAX_REFERENCE_DEPTH:
            raise SettingsError(f"settings refer to each other more than {MAX_REFERENCE_DEPTH} deep, from "
                                f"{chain[0]} through {dotted} (environment '{self.env}'): shorten the chain")
        value = walk_path(self.app(dotted.partition(".")[0]), dotted, f"environment '{self.env}'")
        if isinstance(value, str) and "${" in value and not is_curve_key(dotted):
            value = self._fill_in(value, (*chain, dotted))
        if is_secret_path(dotted):
            self._remember_secret(value, (*chain, dotted))
        cache[dotted] = value
        return value

    def _remember_secret(self, value: Any, chain: tuple[str, ...]) -> set[str]:
        """Mask the value of a secret setting (``chain[-1]``) as filled in: text, a number as its text, each leaf
        of a list or an object, and what a leaf refers to (:meth:`_referred_by`); the texts masked."""
        found: set[str] = set()
        for path, leaf in secret_leaves_at(value, chain[-1], secret=True):
            if isinstance(leaf, str) and not is_curve_key(path) and PLACEHOLDER.search(leaf):
                with contextlib.suppress(SettingsError):
                    found.update(self._referred_by(leaf, chain))
            found.add(str(leaf))
        self._mask(found)
        return found

    def _referred_by(self, text: str, chain: tuple[str, ...]) -> set[str]:
        """What a secret's leaf that holds ``${…}`` brings in, to mask: text filled in is the text the setting
        reads, never read again; an object (a list, a number) that the leaf is only a reference to, each of its
        leaves in turn, once (objects that refer to each other end where the chain comes round)."""
        whole = PLACEHOLDER.fullmatch(text)
        if whole is None:
            return {str(self._fill_in(text, chain))}
        name = whole[1].strip()
        if name in chain:
            return set()
        value = self._expand(name, chain)
        return {value} if isinstance(value, str) else self._remember_secret(value, (*chain, name))

    def _fill_in(self, text: str, chain: tuple[str, ...]) -> Any:
        whole = PLACEHOLDER.fullmatch(text)
        if whole is not None:
            return self._expand(whole[1].strip(), chain)
        expanded = PLACEHOLDER.sub(lambda match: str(self._expand(match[1].strip(), chain)), text)
        if len(expanded) > MAX_EXPANDED:
            raise SettingsError(f"the setting {chain[-1]} expands to {len(expanded):,} characters, more than "
                                f"{MAX_EXPANDED:,} (environment '{self.env}'): settings that refer to each "
                                f"other repeat what they hold")
        return expanded


def scenario_fills(text: str) -> bool:
    """Whether a setting's text names what only a scenario (or the run's keys) fills in: ``${checkpoint.…}``,
    ``${socket.…}``, ``${uuid}``, …; the settings then leave the whole text to the scenario."""
    return any(name.strip().startswith(NOT_SETTINGS) or "." not in name for name in PLACEHOLDER.findall(text))


def is_curve_key(dotted: str) -> bool:
    """Whether ``APP.curve.public_key`` or ``APP.curve.secret_key``: a key, 40 characters of Z85 (checked when
    the settings load, so never a reference), in which ``$``, ``{`` and ``}`` are letters like any other."""
    parts = dotted.split(".")
    return len(parts) == 3 and parts[1] == "curve" and parts[2] in CURVE_PARTS


def walk_path(app: Any, dotted: str, where: str) -> Any:
    """The value at a dotted path (``ogre.limits.max``, ``ogre.start.2``) inside an app's settings."""
    app_name, _, path = dotted.partition(".")
    try:
        return walk(app, path.split(".") if path else [])
    except PathMissing as missing:
        walked = ".".join([app_name, *missing.walked])
        value = missing.value
        keys = listed(value, "(nothing)", ordered=True) if isinstance(value, Mapping) else "(not an object)"
        raise SettingsError(f"no setting '{walked}.{missing.step}' in {where}; '{walked}' has: {keys}") from None
