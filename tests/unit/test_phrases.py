"""The phrases as editors, readers and behave see them: declared where editors look, each once in the
catalog with what it does and an example, the step reference made from them, every step the README, the
site's pages (docs/**/*.md, as the site shows them) and features/ write matched by exactly one phrase, and
a condition only checked under Then."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from behave.parser import parse_feature
from behave.step_registry import registry

import zmqprose.steps  # registers the phrases
from zmqprose.__main__ import main
from zmqprose.steps import catalog
from zmqprose.steps.near_miss import PHRASES
from zmqprose.steps.vocabulary import KEYWORDS, REGISTERED, FailingMatch, ProseMatcher, step

REPO = Path(__file__).resolve().parents[2]
STEP_MODULES = sorted(Path(zmqprose.steps.__file__).parent.glob("*.py"))
DECORATORS = {"step", "given", "when", "then"}
PHRASE_DECORATOR = re.compile(r"given|when|then|step|phrase", re.IGNORECASE)  # an alias or attribute too
# behave's VS Code extensions' rule for a step definition (Behave VSC's README and source): one line, case-insensitive
BEHAVE_VSC_RULE = re.compile(r"""^\s*@(behave\.)?(step|given|when|then)\(u?("|')(.+)("|').*\).*$""", re.IGNORECASE)
# the Cucumber Language Service reads a pattern with one of these as a regular expression, not as an expression
CUCUMBER_REGEXP = re.compile(r"^/|\?P|[().*\\|]")


def decorator_calls(path: Path) -> list[tuple[ast.Call, str]]:
    """Every call decorating a function of a step module, with its source text."""
    source = path.read_text()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef):
            found += [(decorator, ast.get_source_segment(source, decorator) or "")
                      for decorator in node.decorator_list if isinstance(decorator, ast.Call)
                      and PHRASE_DECORATOR.search(ast.unparse(decorator.func))]
    return found


def test_every_phrase_is_declared_with_a_step_decorator_and_a_literal_one_line_pattern():
    declared = []
    for path in STEP_MODULES:
        for call, text in decorator_calls(path):
            assert isinstance(call.func, ast.Name) and call.func.id in DECORATORS, f"{path.name}: @{text}"
            assert len(call.args) == 1 and not call.keywords, f"{path.name}: @{text}"
            pattern = call.args[0]
            assert isinstance(pattern, ast.Constant) and isinstance(pattern.value, str), f"{path.name}: @{text}"
            assert pattern.lineno == pattern.end_lineno, f"{path.name}: @{text} spreads over lines"
            assert text.split("(", 1)[1][0] == '"', f"{path.name}: @{text}: a plain string (no r, f, u, b)"
            declared.append((call.func.id, pattern.value))
    assert sorted(declared) == sorted((phrase.keyword, phrase.pattern) for phrase in REGISTERED)


def test_the_behave_extensions_rule_finds_every_phrase():
    found = [match[4] for path in STEP_MODULES for line in path.read_text().splitlines()
             if (match := BEHAVE_VSC_RULE.match(line))]
    assert sorted(found) == sorted(phrase.pattern for phrase in REGISTERED)
    for phrase in REGISTERED:  # its {…} read as .*, the rest literally: the phrase's own example is found
        if example := catalog.example(phrase.func):
            rule = ".*".join(re.escape(part) for part in re.split(r"\{[^}]*\}", phrase.pattern))
            assert re.fullmatch(rule, example.split(" ", 1)[1]), (phrase.pattern, example)


def test_the_cucumber_service_reads_every_pattern_as_a_cucumber_expression():
    for phrase in REGISTERED:
        assert not CUCUMBER_REGEXP.search(re.sub(r"\{[^}]*\}", "", phrase.pattern)), phrase.pattern


def test_a_condition_makes_it_so_under_given_and_when_and_only_checks_under_then():
    conditions = {"{app:App} is running", "the link {name:Name} is healthy", "the link {name:Name} is cut",
                  "the link {name:Name} is restored"}
    for pattern in conditions:
        under = {phrase.keyword: phrase.func for phrase in REGISTERED if phrase.pattern == pattern}
        assert set(under) == {"given", "when", "then"}, pattern
        assert under["given"] is under["when"] is not under["then"], pattern
    assert {phrase.pattern for phrase in REGISTERED if phrase.keyword != "step"} == conditions


def steps_of(text: str, where: str) -> list[tuple[str, str, str]]:
    """Every step of Gherkin text (a whole feature, or the lines of a block of the docs): its type, text, place."""
    lines = [line for line in text.rstrip("\n").split("\n") if line.strip() not in ("...", "…")]  # left out
    heads = [line.strip().split(":")[0] for line in lines]
    if "Feature" not in heads:
        lines = ["Feature: the docs", *([] if {"Scenario", "Background"} & set(heads) else ["Scenario: a block"]),
                 *lines]
    feature = parse_feature("\n".join(lines) + "\n", filename=where)
    return [(step.step_type, step.name, f"{where}:{step.line}")
            for scenario in feature.walk_scenarios(with_rules=True) for step in scenario.all_steps]


def docs_hooks() -> ModuleType:
    """docs/hooks.py, the site's own reader of pages (mkdocs loads it by path: it is no package's)."""
    spec = importlib.util.spec_from_file_location("zmqprose_docs_hooks", REPO / "docs" / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def docs_steps() -> list[tuple[str, str, str]]:
    """The steps of every Gherkin block of the README and the site's pages, as the site shows them (the list of
    every phrase made, the snippets put in), and the examples of the list of every phrase."""
    hooks = docs_hooks()
    found = []
    for page in hooks.pages():
        text, where = hooks.page_text(page), page.relative_to(REPO)
        for block in re.finditer(r"^([ \t]*)```gherkin[^\n]*\n(.*?)^\1```", text, flags=re.S | re.M):
            found += steps_of(textwrap.dedent(block[2]), f"{where}:{text[:block.start()].count(chr(10)) + 2}")
        for row in re.finditer(r"^\| `.*` \| .* \| `+(.+?)`+ \|$", text, flags=re.M):
            found += steps_of(row[1].replace("\\|", "|"), f"{where}:{text[:row.start()].count(chr(10)) + 1}")
    return found


def feature_steps() -> list[tuple[str, str, str]]:
    return [found for path in sorted((REPO / "features").glob("*.feature"))
            for found in steps_of(path.read_text(), str(path.relative_to(REPO)))]


def example_steps() -> list[tuple[str, str, str]]:
    return [found for entry in catalog.entries() for found in steps_of(entry.example, entry.function)]


def phrases_matching(step_type: str, text: str) -> list[object]:
    """zmqprose's phrases that match a step's text under its keyword (as behave tries them)."""
    candidates = [*registry.steps[step_type], *registry.steps["step"]]
    return [found for found in candidates if isinstance(found, ProseMatcher) and found.match(text)]


@pytest.mark.parametrize("source", [docs_steps, feature_steps, example_steps],
                         ids=["the README and the docs", "features", "the catalog's examples"])
def test_every_step_written_matches_exactly_one_phrase(source):
    steps = source()
    assert steps
    for step_type, text, where in steps:
        found = phrases_matching(step_type, text)
        assert len(found) == 1, f"{where}: {step_type.title()} {text} matches {len(found)} phrases: {found}"
        assert not isinstance(found[0].match(text), FailingMatch), f"{where}: {text}: an argument is wrong"


def test_every_phrase_says_what_it_does_and_has_an_example_of_itself():
    for entry in catalog.entries():
        assert entry.purpose and not entry.purpose.startswith("Storyplayer"), entry.function
        assert entry.example, f"{entry.function} has no 'Example:' line in its docstring"
        ((step_type, text, _),) = steps_of(entry.example, entry.function)
        assert step_type in entry.keywords.lower() or entry.keywords == catalog.ANY_KEYWORD, entry.example
        (found,) = phrases_matching(step_type, text)
        assert found.pattern == entry.pattern, f"{entry.function}'s example is another phrase's: {entry.example}"


def test_every_phrase_has_its_example_in_the_step_reference():
    """The site's step reference shows every phrase's example (it is made from the catalog when the site is
    built: tests/unit/test_docs.py holds it to the catalog)."""
    examples = {text for _, text, where in docs_steps() if where.startswith("docs/reference/steps.md:")}
    for entry in catalog.entries():
        assert entry.example.split(" ", 1)[1] in examples, entry.phrase


def test_zmqprose_steps_shows_each_phrase_once_readably(capsys):
    assert main(["steps"]) == 0
    shown = capsys.readouterr().out
    for entry in catalog.entries():
        assert shown.count(f"  {entry.phrase}    [{entry.keywords}]\n") == 1, entry.phrase
        assert entry.purpose in shown and entry.example in shown
    assert "I connect a TYPE socket to ENDPOINT [as \"NAME\"] [subscribed to TEXT]" in shown
    assert "{" not in "".join(line for line in shown.splitlines() if line.startswith("  I "))


def test_zmqprose_steps_json_lists_every_phrase_with_where_it_is_defined(capsys):
    assert main(["steps", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == len(catalog.entries()) == len({(p.func, p.pattern) for p in REGISTERED})
    connect = next(entry for entry in listed if entry["function"] == "zmqprose.steps.sockets.connect")
    assert connect["file"] == "zmqprose/steps/sockets.py" and connect["line"] > 1
    assert connect["keywords"] == "Given/When/Then"
    running = [entry["keywords"] for entry in listed if entry["phrase"] == "APP is running"]
    assert sorted(running) == ["Given/When", "Then"]


def test_keywords_are_behaves_step_types():
    assert set(KEYWORDS) == set(registry.steps)


@pytest.mark.parametrize(("step_type", "text", "arguments"), [
    ("then", "the load made at least 1 request", {"count": 1}),
    ("then", "the load made at least 1 requests", {"count": 1}),
    ("when", 'I run a load of 1 user from 1 Locust worker with "ping.py" for 1 second', {"users": 1, "workers": 1}),
    ("when", 'I run a load of 50 users from 2 Locust workers with "ping.py" for 10 seconds',
     {"users": 50, "workers": 2}),
])
def test_a_count_of_one_reads_in_the_singular_in_a_phrase(step_type, text, arguments):
    """As ``1 message`` and ``1 second`` do: a count of things in a phrase takes its noun in the singular for
    one (and the plural too, as written before)."""
    found = phrases_matching(step_type, text)
    assert len(found) == 1, f"{text} matches {len(found)} phrases"
    match = found[0].match(text)
    assert not isinstance(match, FailingMatch)
    assert {argument.name: argument.value for argument in match.arguments if argument.name in arguments} == arguments


def arguments_of(found: list[object] | None) -> list[tuple[object, ...]] | None:
    return None if found is None else [(a.start, a.end, a.original, a.value, a.name) for a in found]  # type: ignore[attr-defined]


@pytest.mark.parametrize("source", [docs_steps, feature_steps, example_steps],
                         ids=["the README and the docs", "features", "the catalog's examples"])
def test_a_phrase_reads_every_step_written_as_behaves_parse_matcher_does(source):
    """A phrase reads a step text by parse's regular expression and its fields (ProseMatcher.check_match, a new
    text in every scenario costs less): the same arguments, converted, in the same places, as behave's own."""
    from behave.matchers import ParseMatcher

    read = 0
    for step_type, text, where in source():
        for phrase in [*registry.steps[step_type], *registry.steps["step"]]:
            if isinstance(phrase, ProseMatcher) and phrase.literal in text:
                try:
                    behaves = arguments_of(ParseMatcher.check_match(phrase, text))
                except Exception as error:  # the same error, then
                    with pytest.raises(type(error)):
                        phrase.check_match(text)
                    continue
                assert arguments_of(phrase.check_match(text)) == behaves, f"{where}: {text}"
                read += phrase.fields is not None
    assert read


def test_no_phrase_compiles_its_regular_expression_at_import():
    """behave's check that a phrase registered is not matched by an earlier one read every zmqprose pattern that
    held an earlier phrase's words, compiling a quarter of the vocabulary's regular expressions at import."""
    code = ("import behave.runner, zmqprose.steps\nfrom behave.step_registry import registry\n"
            "from zmqprose.steps.vocabulary import ProseMatcher\n"
            "print(sum(m.parser._Parser__match_re is not None for kind in registry.steps.values() for m in kind "
            "if isinstance(m, ProseMatcher)))")
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert ran.stdout.strip() == "0"


def test_a_projects_phrase_that_an_earlier_phrase_matches_is_still_ambiguous():
    from behave.step_registry import AmbiguousStep

    def own(context):  # a project's step function: behave runs step files without a module name
        raise AssertionError("never run")

    own.__module__ = "steps.own"
    registered, phrases = list(REGISTERED), list(PHRASES)
    try:
        with pytest.raises(AmbiguousStep):
            step('I send "PING" to "client"')(own)
        assert registered == REGISTERED  # a phrase behave refused is in no list: not in the catalog,
        assert phrases == PHRASES  # nor among the near misses
        assert 'I send "PING" to "client"' not in catalog.as_text()
    finally:  # the lists the catalog reads, as they were, whatever happened
        REGISTERED[:], PHRASES[:] = registered, phrases
