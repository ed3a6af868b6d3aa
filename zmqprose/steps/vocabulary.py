"""How step phrases are registered: behave's parse matcher, with zmqprose's own argument types.

Phrases are registered for every Gherkin keyword (Given / When / Then / And /
But). The argument types live in a registry of zmqprose's own, so that a
project's ``use_step_matcher`` or ``register_type`` calls neither break nor
see them. A phrase argument that is written wrongly (an unknown socket
type, bad JSON frames) fails the step with zmqprose's message, not with a
parse traceback.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import behave
from behave.matchers import (
    Match,
    MatchWithError,
    ParseMatcher,
    TypeRegistry,
    get_step_matcher_factory,
    has_registered_step_matcher_class,
    register_step_matcher_class,
)
from behave.runner import Context

from zmqprose.errors import ProseError
from zmqprose.steps.arguments import PHRASE_TYPES
from zmqprose.steps.near_miss import PHRASES

StepFunction = Callable[..., Any]


class FailingMatch(Match):  # type: ignore[misc]  # behave has no type hints
    """A phrase that matched, but whose argument was wrong: running it reports why."""

    def __init__(self, func: StepFunction, error: ProseError) -> None:
        super().__init__(func)
        self.error = error

    def run(self, context: Context) -> None:
        raise self.error


class ProseMatcher(ParseMatcher):  # type: ignore[misc]  # behave has no type hints
    """behave's parse matcher with zmqprose's argument types and clean argument errors."""

    NAME = "zmqprose"
    TYPE_REGISTRY = TypeRegistry(PHRASE_TYPES)

    @classmethod
    def clear_registered_types(cls) -> None:
        """Keep zmqprose's types when behave resets the user's ones."""

    @functools.cached_property
    def literal(self) -> str:
        """The longest piece of the phrase's own words: a step text without it cannot match."""
        return max(re.split(r"\{[^{}]*\}", self.pattern), key=len).strip()

    def match(self, step_text: str) -> Match | None:
        if self.literal not in step_text:  # most phrases are ruled out without a regular expression
            return None
        try:
            arguments = self.check_match(step_text)
        except ProseError as error:
            return FailingMatch(self.func, error)
        except Exception as error:  # a bug in an argument type: behave shows its traceback
            return MatchWithError(self.func, error)
        return None if arguments is None else PhraseMatch(self.func, arguments)


class PhraseMatch(Match):  # type: ignore[misc]  # behave has no type hints
    """A phrase that matched: runs its step function, and when that fails, tells the prose object,
    which writes the action log (behave shows it with the failure) and masks secrets in the message.

    It calls the step function without behave's switch to "user mode", which only tracks attributes
    that a step sets on the context; zmqprose's steps set none. (A step is a few microseconds of
    work: that switch and a wrapper around each step function would be a tenth of it.)
    """

    def __init__(self, func: StepFunction, arguments: list[Any]) -> None:
        super().__init__(func, arguments)
        self.kwargs = {argument.name: argument.value for argument in arguments}  # every phrase field is named

    def with_arguments(self, arguments: list[Any]) -> PhraseMatch:
        return PhraseMatch(self.func, arguments)

    def run(self, context: Context) -> None:
        try:
            self.func(context, **self.kwargs)
        except BaseException as error:
            prose = getattr(context, "prose", None)
            if prose is not None:
                prose.tell_failure(error)
            raise


def phrase(pattern: str) -> Callable[[StepFunction], StepFunction]:
    """Register a step function for ``pattern`` under every Gherkin keyword.

    It goes through ``behave.step``, the decorator bound to the registry that
    behave's runner reads (behave swaps ``step_registry.registry`` at start-up,
    but not the registry its runner and decorators hold).
    """

    def register(func: StepFunction) -> StepFunction:
        PHRASES.append(pattern)
        if not has_registered_step_matcher_class(ProseMatcher.NAME):
            register_step_matcher_class(ProseMatcher.NAME, ProseMatcher)
        factory = get_step_matcher_factory()
        previous = factory.current_matcher
        factory.use_step_matcher(ProseMatcher.NAME)
        try:
            behave.step(pattern)(func)
        finally:
            factory.use_step_matcher(previous.NAME)
        return func

    return register
