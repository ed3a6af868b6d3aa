"""How step phrases are registered: behave's parse matcher, with zmqprose's own argument types.

A phrase is declared the way editors look for one (behave's VS Code
extensions, the Cucumber extension, PyCharm): a decorator named ``step``,
``given``, ``when`` or ``then`` over a literal one-line pattern, as in
``@step("I send {text:Text} to {socket:Socket}…")``. ``step`` is every keyword
(Given / When / Then / And / But); ``given``, ``when`` and ``then`` one each
(and an And or But after it): a phrase that states a condition (``APP is
running``) makes it so under Given and When and only checks it under Then,
with a step function for each. The argument types live in a registry of
zmqprose's own, so that a project's ``use_step_matcher`` or ``register_type``
calls neither break nor see them. A phrase argument that is written wrongly
(an unknown socket type, bad JSON frames) fails the step with zmqprose's
message, not with a parse traceback.

A project's own steps use the same decorators (``from zmqprose.steps import
step``), and get the same: zmqprose's argument types in their patterns,
clean argument errors, and the action log in a failure's message.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import behave
from behave.model_type import Argument
from behave.runner import Context

from zmqprose.compat import (
    Match,
    MatchWithError,
    ParseMatcher,
    TypeRegistry,
    get_step_matcher_factory,
    has_registered_step_matcher_class,
    register_step_matcher_class,
)
from zmqprose.errors import ProseError
from zmqprose.prose import Prose
from zmqprose.steps.arguments import PHRASE_TYPES
from zmqprose.steps.near_miss import PHRASES

StepFunction = Callable[..., Any]


def prose(context: Context) -> Prose:
    """The scenario's prose object, which the hooks made (typed: mypy checks each step's calls into it)."""
    found = getattr(context, "prose", None)
    if not isinstance(found, Prose):
        raise ProseError("this scenario has no prose object: the project's environment.py must call zmqprose's "
                         "hooks (from zmqprose.hooks import *), or its before_scenario must call "
                         "hooks.before_scenario(context, scenario)")
    return found


@contextmanager
def only_checks(written: str, instead: str, to: str = "make it so") -> Iterator[None]:
    """Around the check of a condition under Then (``written``: the step's text): its failure tells a spec
    that relied on the phrase acting under Then, as every phrase once did, what to write ``instead``."""
    try:
        yield
    except ProseError as error:
        told = str(error)
        advice = f"under Then, '{written}' only checks: to {to}, write '{instead}'"
        raise type(error)(f"{told}\n{advice}" if "\n" in told else f"{told}; {advice}") from None


MAX_CONVERTED = 10_000  # step texts a phrase keeps the arguments of (a suite's outlines may make many)


class FailingMatch(Match):  # type: ignore[misc]  # behave has no type hints
    """A phrase that matched, but whose argument was wrong: running it reports why."""

    def __init__(self, func: StepFunction, error: ProseError) -> None:
        super().__init__(func)
        self.error = error

    def run(self, context: Context) -> None:
        raise self.error


class ProseMatcher(ParseMatcher):  # type: ignore[misc]  # behave has no type hints
    """behave's parse matcher with zmqprose's argument types and clean argument errors.

    A project's own phrase (declared with :func:`step` and the rest outside zmqprose) may use the types the
    project registered with behave's ``register_type`` too, and parse's own (``{count:d}``).
    """

    NAME = "zmqprose"
    TYPE_REGISTRY = TypeRegistry(PHRASE_TYPES)
    registering_own = False  # while one of zmqprose's own phrases is registered (:meth:`matches`)

    @classmethod
    def clear_registered_types(cls) -> None:
        """Keep zmqprose's types when behave resets the user's ones."""

    def __init__(self, func: StepFunction, pattern: str, step_type: str | None = None,
                 custom_types: Any = None) -> None:
        module = getattr(func, "__module__", None) or ""  # behave runs a project's step files without a module name
        self.projects = not module.startswith("zmqprose.")
        if custom_types is None and self.projects:  # a project's phrase: its own registered types too
            custom_types = TypeRegistry({**ParseMatcher.TYPE_REGISTRY, **PHRASE_TYPES})
        super().__init__(func, pattern, step_type, custom_types)

    def compile(self) -> None:
        """Nothing at registration: behave compiles every phrase's regular expression there to check it,
        a quarter of ``import zmqprose.steps``. zmqprose's phrases are checked by its tests; each one is
        compiled when a step text first contains its words (:meth:`match`)."""

    @functools.cached_property
    def literal(self) -> str:
        """The longest piece of the phrase's own words: a step text without it cannot match."""
        return max(re.split(r"\{[^{}]*\}", self.pattern), key=len).strip()

    @functools.cached_property
    def converted(self) -> dict[str, list[Any] | None]:
        """The arguments of each step text this phrase was tried on (None: it did not match).

        A suite repeats its steps; parsing and converting one costs more than
        running it. The argument types are pure functions of the text, so a
        text converts to the same values every time (a list among them is
        copied for each step, see :class:`PhraseMatch`); a text whose argument
        is wrong is not kept, and fails each time it is used.
        """
        return {}

    @functools.cached_property
    def fields(self) -> tuple[re.Pattern[str], tuple[tuple[str, str, Callable[[str, Any], Any] | None], ...]] | None:
        """The phrase's regular expression and its fields (the group, the argument's name, its converter), for
        :meth:`check_match` to read a step text without parse's general result (positional and dotted fields,
        nested names: a text of a spec's is new in every scenario that sends what it numbers); None for a
        project's phrase, or a field parse would name otherwise: behave's own reading then."""
        parser = self.parser
        try:
            named, names, conversions = parser._named_fields, parser._group_to_name_map, parser._type_conversions
            plain = all(names[group].isidentifier() for group in named) and len(set(names.values())) == len(named)
            if self.projects or parser._fixed_fields or not plain:  # positional, nested, repeated: parse's reading
                return None
            expression = parser._match_re  # parse's own, compiled once
        except (AttributeError, KeyError):  # a parse of another make: its own reading
            return None
        return expression, tuple((group, names[group], conversions.get(group)) for group in named)

    def check_match(self, step_text: str) -> list[Any] | None:
        """The arguments of a step text, or None when the phrase does not match it: as behave's parse matcher
        finds them (each converted by its type, with its place in the text), without parse's general result."""
        fields = self.fields
        if fields is None:
            return super().check_match(step_text)  # type: ignore[no-any-return]
        expression, named = fields
        found = expression.match(step_text)
        if found is None:
            return None
        groups = found.groupdict()
        arguments = []
        for group, name, convert in named:
            start, end = found.span(group)
            value = groups[group]
            arguments.append(Argument(start, end, step_text[start:end],
                                      value if convert is None else convert(value, found), name))
        arguments.sort(key=start_of)
        return arguments

    def matches(self, step_text: str) -> bool:
        """behave's check, as a phrase is registered, that no earlier one matches its pattern's text. Among
        zmqprose's own phrases (both the earlier one and the one registered) only the same pattern counts: their
        tests hold every step written to exactly one phrase, and reading each pattern's text compiled a quarter
        of the vocabulary's regular expressions at import. A project's phrase is checked against every one."""
        if ProseMatcher.registering_own and not self.projects:
            return self.pattern == step_text  # type: ignore[no-any-return]
        return super().matches(step_text)  # type: ignore[no-any-return]

    def match(self, step_text: str) -> Match | None:
        if self.literal not in step_text:  # most phrases are ruled out without a regular expression
            return None
        try:
            arguments = self.converted[step_text]
        except KeyError:
            try:
                arguments = self.check_match(step_text)
            except ProseError as error:
                return FailingMatch(self.func, error)
            except Exception as error:  # a bug in an argument type: behave shows its traceback
                return MatchWithError(self.func, error)
            if len(self.converted) < MAX_CONVERTED and not self.projects:  # a project's types may not be pure
                self.converted[step_text] = arguments
        return None if arguments is None else PhraseMatch(self.func, arguments, self.location, self.projects)


def start_of(argument: Any) -> int:
    """Where an argument starts in its step text: behave orders a step's arguments so."""
    return argument.start  # type: ignore[no-any-return]


class PhraseMatch(Match):  # type: ignore[misc]  # behave has no type hints
    """A phrase that matched: runs its step function, and when that fails, tells the prose object,
    which writes the action log (behave shows it with the failure) and masks secrets in the message.

    Every step function runs in behave's "user mode", as behave runs a step (bench/step_overhead.py shows
    no difference without it). A project's own phrase (``projects``) may have unnamed fields (``{:d}``).
    """

    def __init__(self, func: StepFunction, arguments: list[Any], location: Any, projects: bool = False) -> None:
        # what behave's Match.__init__ sets, without working out the function's location once more (kept)
        self.func, self.arguments, self.location, self.projects = func, arguments, location, projects
        kwargs = {}
        for argument in arguments:
            if argument.name is not None:
                value = argument.value
                kwargs[argument.name] = list(value) if type(value) is list else value  # a list is the step's own
        self.kwargs = kwargs
        self.args = [argument.value for argument in arguments if argument.name is None] if projects else []

    def with_arguments(self, arguments: list[Any]) -> PhraseMatch:
        return PhraseMatch(self.func, arguments, self.location, self.projects)

    def run(self, context: Context) -> None:
        try:
            with context.use_with_user_mode():
                self.func(context, *self.args, **self.kwargs)
        except BaseException as error:
            prose = getattr(context, "prose", None)
            if prose is not None:
                prose.tell_failure(error)
            raise


KEYWORDS = ("given", "when", "then", "step")  # behave's step types; "step" is any keyword


@dataclass(frozen=True)
class Phrase:
    """One registration: the keyword it is under (``step``: any), its pattern as written, its step function."""

    keyword: str
    pattern: str
    func: StepFunction


REGISTERED: list[Phrase] = []  # every phrase zmqprose registered, in order (a condition once per keyword)


def step(pattern: str) -> Callable[[StepFunction], StepFunction]:
    """Register a step function for ``pattern`` under every keyword (Given / When / Then / And / But).

    zmqprose declares its phrases with it, and a project's own steps may too (``from zmqprose.steps import
    step``): the pattern may then use zmqprose's argument types (``{socket:Socket}``, ``{frames:Frames}``,
    ``{duration:Duration}``, ``{text:Text}``: docs: how-to/own-steps.md, *Your own steps*) beside parse's
    (``{count:d}``) and the project's own ``register_type`` ones, whatever step matcher the project uses; an
    argument written wrongly fails the step with zmqprose's message, and a failure carries the scenario's action
    log. For example,
    ``step("the ogre answers {count:d} pings on {socket:Socket}")`` over a function of ``(context, count,
    socket)`` gets an ``int`` and a :data:`~zmqprose.sockets.references.SocketRef`.
    """
    return registering("step", pattern)


def given(pattern: str) -> Callable[[StepFunction], StepFunction]:
    """Register a step function for ``pattern`` under Given (and an And or But after a Given)."""
    return registering("given", pattern)


def when(pattern: str) -> Callable[[StepFunction], StepFunction]:
    """Register a step function for ``pattern`` under When (and an And or But after a When)."""
    return registering("when", pattern)


def then(pattern: str) -> Callable[[StepFunction], StepFunction]:
    """Register a step function for ``pattern`` under Then (and an And or But after a Then): a check."""
    return registering("then", pattern)


phrase = step
"""zmqprose's former decorator, the same as :func:`step`: step modules written with ``@phrase(pattern)`` keep
working, but editors find no phrase declared so (they read ``step``, ``given``, ``when`` and ``then``)."""


def registering(keyword: str, pattern: str) -> Callable[[StepFunction], StepFunction]:
    """A decorator that registers a step function for ``pattern`` under ``keyword`` with :class:`ProseMatcher`.

    It goes through behave's own ``given``/``when``/``then``/``step``, the
    decorators bound to the registry that behave's runner reads (behave swaps
    ``step_registry.registry`` at start-up, but not the registry its runner and
    decorators hold), with zmqprose's matcher for the time of the call.
    """
    behave_decorator = getattr(behave, keyword)

    def register(func: StepFunction) -> StepFunction:
        if not has_registered_step_matcher_class(ProseMatcher.NAME):
            register_step_matcher_class(ProseMatcher.NAME, ProseMatcher)
        factory = get_step_matcher_factory()
        previous = factory.current_matcher
        factory.use_step_matcher(ProseMatcher.NAME)
        ProseMatcher.registering_own = (getattr(func, "__module__", None) or "").startswith("zmqprose.")
        try:
            behave_decorator(pattern)(func)
        finally:
            ProseMatcher.registering_own = False
            factory.use_step_matcher(previous.NAME)
        if pattern not in PHRASES:  # listed once behave took it: a phrase it refused (ambiguous) is in no list
            PHRASES.append(pattern)
        REGISTERED.append(Phrase(keyword, pattern, func))
        return func

    return register
