"""The errors zmqprose raises for a spec's or a user's mistake.

They derive from ``AssertionError`` on purpose: behave reports an
AssertionError as a failed step with its message alone ("ASSERT FAILED: …"),
and pytest shows it as a test failure, not as a crash. A user's mistake (a
typo in a phrase, a missing setting, a message that did not arrive) is a
failure of the spec; a traceback is kept for zmqprose's own bugs.

A wrong argument at the public API is one too (:class:`ArgumentError`): the
public classes check their methods' arguments against their type hints
(:func:`checked`), so that a newcomer's natural guess fails naming what the
argument takes, not deep inside.
"""

from __future__ import annotations

import functools
import inspect
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence


class ProseError(AssertionError):
    """A spec failed or was written wrongly; the message says what to fix."""


class SettingsError(ProseError):
    """The environment settings are missing, malformed or lack a key."""


class ResolveError(ProseError):
    """A socket, app or endpoint reference does not resolve."""


class WaitTimeout(ProseError, TimeoutError):
    """A bounded wait ran out before the expected thing happened (also a ``TimeoutError``)."""


class AppError(ProseError):
    """An app under test could not be started, or is not there."""


def describe_error(error: BaseException) -> str:
    """An error in words, for one that has none of its own (``MemoryError()`` says nothing)."""
    return str(error) or type(error).__name__


class ArgumentError(ProseError, TypeError):
    """A public method was called with an argument it does not take: names the argument and what it takes
    (also a ``TypeError``, as Python's own would be)."""


# -- the arguments of the public API, checked against their type hints ---------------------------------------------


WORDS = {  # how a type hint of the public API reads for a person, where its own words would not say enough
    "SocketLike": 'a socket (as bind or connect returned it), its name, or an endpoint such as "ogre\'s command port"',
    "EndpointLike": 'an endpoint: text such as "tcp://127.0.0.1:5555", "ogre\'s command port" or '
                    "'the endpoint of \"NAME\"'",
    "Frame": 'a frame: text or bytes, such as "PING"',
    "Sequence[Frame]": 'frames: a list of text or bytes, such as ["PING", "42"]',
    "Sequence[Frame] | None": 'frames (a list of text or bytes, such as [""]) or None',
    "Iterable[Frame]": 'a list of frames (text or bytes), such as ["alerts."]',
    "float | None": "a number of seconds, or None for the default wait",
    "Settings | None": 'settings, as load_settings("environments", "local") reads them (or Settings({...})), or None',
    "format": 'a format\'s name: text such as "JSON", "msgpack" or "Jupyter"',
}


Class = typing.TypeVar("Class", bound=type)
MISSING = object()  # a required argument that was not given


def checked(cls: Class) -> Class:
    """Check the arguments of every public method of ``cls`` (and of its ``__init__``) against their type
    hints: a wrong one is an :class:`ArgumentError` naming it, what it takes, and how the method is called,
    instead of an ``AttributeError`` deep inside (``receives_value("JSON", {…})``: the value first, then its
    format) or a ``TypeError`` of Python's (``receives_json(…, eventually=True)``).

    Checking costs next to nothing where the call is right: an argument too many, too few or unknown is told
    at once, and so is text where a list is taken (``receives("PONG")`` would compare four frames); the
    others are looked at only when the method fails with an error that is not a :class:`ProseError`. A hint
    that names a type known only to type checkers is not checked, nor is ``Any``.

    Each method's checking wrapper is written at its first call, not as the class is made: writing them all
    was a quarter of ``import zmqprose.steps``, for methods most runs never call."""
    for name, function in list(vars(cls).items()):
        if (name == "__init__" or not name.startswith("_")) and inspect.isfunction(function):
            setattr(cls, name, _checking_from_first_call(cls, name, function))
    return cls


def _checking_from_first_call(cls: type, name: str, function: Callable[..., typing.Any]) -> Callable[..., typing.Any]:
    """``function``, which at its first call puts its checking wrapper (:func:`_checking`) in its place on
    ``cls`` and goes through it (written once: a bound method taken before the first call keeps coming here)."""
    written: list[Callable[..., typing.Any]] = []

    @functools.wraps(function)
    def first_call(*arguments: typing.Any, **keywords: typing.Any) -> typing.Any:
        if not written:
            written.append(_checking(function, cls.__name__))
            setattr(cls, name, written[0])
        return written[0](*arguments, **keywords)

    return first_call


def _checking(function: Callable[..., typing.Any], owner: str) -> Callable[..., typing.Any]:
    """``function`` in a wrapper of the same parameters (written out, so that a call costs one call more)."""
    parameters = list(inspect.signature(function).parameters.values())
    kinds = {name: kind for name, kind, _ in _checks_of(function)}
    names: dict[str, typing.Any] = {"__f": function, "__MISSING": MISSING, "__wrong": _wrong_arguments,
                                    "__owner": owner, "__type": type}
    head, passed, given, checks = [parameters[0].name], [parameters[0].name], [], []
    star = more = ""
    for index, parameter in enumerate(parameters[1:]):
        name = parameter.name
        if parameter.kind is parameter.VAR_POSITIONAL:
            star = name
            head.append(f"*{name}")
            passed.append(f"*{name}")
        elif parameter.kind is parameter.VAR_KEYWORD:
            more = name
        else:
            if parameter.kind is parameter.KEYWORD_ONLY and not star:
                star = "__extra"
                head.append("*__extra")
            names[f"__d{index}"] = MISSING if parameter.default is parameter.empty else parameter.default
            head.append(f"{name}=__d{index}")
            passed.append(name if parameter.kind is parameter.POSITIONAL_OR_KEYWORD else f"{name}={name}")
            given.append(f"{name!r}: {name}")
            if parameter.default is parameter.empty:
                checks.append(f"{name} is __MISSING")
            kind = kinds.get(name)
            if kind is not None and kind.collections and not kind.takes(""):  # text would be read as a list
                checks.append(f"__type({name}) is str or __type({name}) is bytes")
    if not star:
        star = "__extra"
        head.append("*__extra")
        checks.append("__extra")
    head.append(f"**{more or '__more'}")
    if more:
        passed.append(f"**{more}")
    else:
        checks.append("__more")
    call_names = f"__f, __owner, {{{', '.join(given)}}}"
    extra = "__extra" if star == "__extra" else "()"
    source = (f"def {function.__name__}({', '.join(head)}):\n"
              + (f"    if {' or '.join(checks)}:\n"
                 f"        __wrong({call_names}, {extra}, {'{}' if more else '__more'})\n" if checks else "")
              + "    try:\n"
              f"        return __f({', '.join(passed)})\n"
              "    except Exception as error:\n"
              f"        __wrong({call_names}, (), {{}}, error)\n"
              "        raise\n")
    exec(source, names)  # our own source, of our own parameters' names (as dataclasses write __init__)
    wrapper: Callable[..., typing.Any] = names[function.__name__]
    return functools.wraps(function)(wrapper)


def _wrong_arguments(function: Callable[..., typing.Any], owner: str, given: dict[str, object],
                     extra: tuple[object, ...], unknown: dict[str, object], error: Exception | None = None) -> None:
    """Raise an :class:`ArgumentError` for the first argument of a call that ``function`` does not take (one
    too many, one unknown, one missing, one of a wrong type); return if there is none. ``error``: what the
    call raised, if it was made (the cause of the ArgumentError, kept for a traceback)."""
    if extra or unknown or any(value is MISSING for value in given.values()):
        _refuse_call(function, owner, extra, unknown, [name for name, value in given.items() if value is MISSING])
    for name, kind, words in _checks_of(function):
        if name in given and kind is not None and not kind.takes(given[name]):
            _refuse(function, owner, name, words, given[name], error)


@functools.lru_cache(maxsize=1024)
def _checks_of(function: Callable[..., typing.Any]) -> list[tuple[str, Kind | None, str]]:
    """For each parameter after ``self``: its name, what it takes (None: anything), and that in words."""
    found = []
    for parameter in list(inspect.signature(function).parameters.values())[1:]:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        text = parameter.annotation if isinstance(parameter.annotation, str) else ""
        try:
            hint = eval(text, function.__globals__) if text else parameter.annotation  # our own hints, as written
        except NameError:  # a type known only to type checkers
            hint = typing.Any
        found.append((parameter.name, _kind(hint), WORDS.get(parameter.name if parameter.name == "format" else text)
                      or _words(hint)))
    return found


class Kind:
    """What a parameter takes, as fast checks: a value of one of ``plain`` types, or (not text) a collection of
    one of ``collections`` whose items (of a list or a tuple) are of ``items`` types (None: not looked at)."""

    __slots__ = ("collections", "items", "lists", "plain", "tuples")

    def __init__(self, plain: tuple[type, ...], collections: tuple[type, ...] = (),
                 items: tuple[type, ...] | None = None) -> None:
        self.plain, self.collections, self.items = plain, collections, items
        self.lists = any(issubclass(list, kind) for kind in collections)  # the usual collections, told at once
        self.tuples = any(issubclass(tuple, kind) for kind in collections)

    def takes(self, value: object) -> bool:
        """Whether ``value`` is of this kind (the usual value: one ``isinstance``)."""
        if isinstance(value, self.plain):
            return True
        kind = type(value)
        if kind is list:
            fits = self.lists
        elif kind is tuple:
            fits = self.tuples
        else:
            return (bool(self.collections) and isinstance(value, self.collections)
                    and not isinstance(value, (str, bytes)))
        items = self.items
        if not fits or items is None:
            return fits
        return all(isinstance(item, items) for item in value)  # type: ignore[attr-defined]  # a list or a tuple


COLLECTIONS = {Sequence: Sequence, list: list, tuple: tuple, Iterable: Iterable, set: set, frozenset: frozenset,
               Mapping: Mapping, dict: Mapping}


def _kind(hint: object) -> Kind | None:
    """What ``hint`` takes, as a :class:`Kind`; None when anything goes (``Any``, or a hint not read here)."""
    parts = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    plain: list[type] = []
    collections: list[type] = []
    items: list[type] | None = []
    for part in parts:
        origin, inner = typing.get_origin(part), typing.get_args(part)
        if part is None:
            plain.append(type(None))
        elif part is float:
            plain.extend((int, float))
        elif origin in COLLECTIONS:
            collections.append(COLLECTIONS[origin])
            alike = origin is not tuple or inner[-1:] == (...,)  # tuple[X, Y] is not looked inside
            item_kind = _kind(inner[0]) if inner and alike and origin not in (Mapping, dict) else None
            if item_kind is None or item_kind.collections or items is None:
                items = None
            else:
                items.extend(item_kind.plain)
        elif isinstance(part, type) and origin is None and part is not typing.Any:
            plain.append(part)
        else:
            return None  # Any, a Literal, a Callable, a TypeVar: anything goes
    return Kind(tuple(plain), tuple(collections), None if items is None or not collections else tuple(items))


def _words(hint: object) -> str:
    """A type hint as a person reads it: ``float | None`` is "a number or None"."""
    origin, inner = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_words(part) for part in inner)
    if origin in (Sequence, list, tuple, Iterable, set, frozenset):
        return f"a list of {_words(inner[0])}" if inner else "a list"
    if origin in (Mapping, dict):
        return "a dict"
    if origin is typing.Literal:
        return " or ".join(repr(value) for value in inner)
    plain = {str: "text", bytes: "bytes", bool: "True or False", int: "a whole number", float: "a number",
             type(None): "None"}
    if hint in plain:
        return plain[hint]
    name = getattr(hint, "__name__", str(hint))
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _shown(value: object) -> str:
    """A wrong value, short: its type, and the start of its repr."""
    text = repr(value)
    return f"{type(value).__name__} ({text if len(text) <= 60 else text[:50] + '…'})"


def _calling(function: Callable[..., typing.Any]) -> str:
    """How a method is called: ``receives_value(expected, format='JSON', …)``."""
    parameters = list(inspect.signature(function).parameters.values())[1:]
    written = [parameter.name if parameter.default is parameter.empty else f"{parameter.name}={parameter.default!r}"
               for parameter in parameters]
    name = function.__qualname__.partition(".")[0] if function.__name__ == "__init__" else function.__name__
    return f"{name}({', '.join(written)})"


def _refuse(function: Callable[..., typing.Any], owner: str, name: str, words: str, value: object,
            cause: Exception | None = None) -> typing.NoReturn:
    raise ArgumentError(f"{owner}.{function.__name__}: {name} takes {words}, not {_shown(value)}; "
                        f"it is called {_calling(function)}") from cause


def _refuse_call(function: Callable[..., typing.Any], owner: str, extra: tuple[object, ...],
                 unknown: Mapping[str, object], missing: list[str]) -> typing.NoReturn:
    if unknown:
        what = f"takes no argument {next(iter(unknown))!r}"
    elif missing:
        what = f"needs {' and '.join(missing)}"
    else:
        taken = len(inspect.signature(function).parameters) - 1
        what = f"takes at most {taken} arguments, not {taken + len(extra)}"
    raise ArgumentError(f"{owner}.{function.__name__} {what}; it is called {_calling(function)}")
