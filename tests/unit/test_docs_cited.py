"""What the source says of the docs holds. The README is a short front page now and the manual is the site
(docs/**/*.md, built by MkDocs), so the source cites the site's page and section as a user reads them::

    docs: reference/settings.md, *Ports, and free ports*
    docs: reference/sockets.md, *Receiving*, *Eventually*

(the page relative to docs/; each section a heading or a bold lead of that page). A citation of the README
("README: *Sending*", from when the README held every section) must name a section of README.md itself, and a
mention of the README that no reader below understands fails: it would cite nothing a user can find. A package
that lists its modules lists all of them."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "zmqprose"
DOCS = ROOT / "docs"
SOURCES = sorted(PACKAGE.rglob("*.py"))
# README: *Sending*, README *Your own steps*, the README gives (*Resolving an app reference*), README, *X*
STARRED = re.compile(r"README\b[^*\n]{0,12}?\*([^*]+)\*")
# in a message: (README: Playing a service), (README, Playing a service)
PLAIN = re.compile(r"\(README[:,] ([^)*]+)\)")
# any other mention of the README, but a file's name (README.md, bench/README.md)
STRAY = re.compile(r"\bREADME\b(?!\.md)")
# docs: reference/sockets.md, *Receiving*, *Eventually* (the sections joined by ", " or " and ")
CITED_PAGE = re.compile(r"\bdocs: ([\w./-]+\.md)((?:(?:,| and) \*[^*]+\*)*)")
# documents of the project's design, which live outside the repository (a user never has them)
ELSEWHERE = re.compile(r"\b(STEPS|DESIGN|STYLE)\.md\b")


# Modules other engineers were editing when the README's sections moved to docs/, left for them to point at the
# site as the rest do (strict: once they do, these pass and the mark must go)
@cache
def places_of(page: Path) -> set[str]:
    """What a citation of ``page`` may name: its headings, and the bold lead of a paragraph or item
    (``- **Your own steps.** …``), the docs' own way of naming a part of a section."""
    text = re.sub(r"^( *)```.*?^\1```", "", page.read_text(), flags=re.MULTILINE | re.DOTALL)  # a block's "# x"
    headings = {line.lstrip("#").strip() for line in text.splitlines() if re.match(r"#{1,6} ", line)}
    leads = set(re.findall(r"^(?:- )?\*\*([^*]+?)\.?\*\*", text, re.MULTILINE))
    return headings | leads


def readme_places() -> set[str]:
    """What a citation of the README may name: the README's own headings and bold leads (not the site's)."""
    return places_of(ROOT / "README.md")


def texts_of(path: Path) -> list[tuple[int, str]]:
    """The strings (adjacent literals joined, as Python joins them; f-strings' literal parts) and comments of a
    module, each with its line and its runs of white space made one space."""
    source = path.read_text()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):
            found.append((node.lineno, "".join(part.value for part in node.values
                                               if isinstance(part, ast.Constant) and isinstance(part.value, str))))
    found += [(token.start[0], token.string) for token in tokenize.generate_tokens(io.StringIO(source).readline)
              if token.type == tokenize.COMMENT]
    return [(line, " ".join(text.split())) for line, text in found]


def citations(path: Path) -> list[tuple[int, str]]:
    """The README's sections the module cites."""
    return [(line, name.strip()) for line, text in texts_of(path) for pattern in (STARRED, PLAIN)
            for name in pattern.findall(text)]


def stray_mentions(path: Path) -> list[tuple[int, str]]:
    """The mentions of the README that are no citation the readers above understand."""
    return [(line, text) for line, text in texts_of(path)
            if STRAY.search(PLAIN.sub("", STARRED.sub("", text)))]


def page_citations(path: Path) -> list[tuple[int, str, list[str]]]:
    """The site's pages the module cites, each with the sections it names of the page."""
    return [(line, page, re.findall(r"\*([^*]+)\*", sections)) for line, text in texts_of(path)
            for page, sections in CITED_PAGE.findall(text)]


def unfound_in_docs(page: str, sections: list[str]) -> str | None:
    """What is wrong with citing ``sections`` of docs/``page``, or None."""
    path = DOCS / page
    if not path.is_file():
        return f"no page docs/{page}"
    unfound = [section for section in sections if section not in places_of(path)]
    return f"docs/{page} has no section {unfound}" if unfound else None


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_readme_section_the_source_cites_is_in_the_readme(path: Path) -> None:
    places = readme_places()
    missing = [f"{path.relative_to(ROOT)}:{line}: README *{name}*" for line, name in citations(path)
               if name not in places]
    missing += [f"{path.relative_to(ROOT)}:{line}: {text!r}" for line, text in stray_mentions(path)]
    assert not missing, ("no such section in README.md (the manual is docs/: cite it as "
                         "'docs: reference/settings.md, *Ports, and free ports*'): " + "; ".join(missing))


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_docs_page_and_section_the_source_cites_is_there(path: Path) -> None:
    wrong = [f"{path.relative_to(ROOT)}:{line}: {problem}" for line, page, sections in page_citations(path)
             if (problem := unfound_in_docs(page, sections)) is not None]
    assert not wrong, "cites what the site does not have (a heading or a bold lead of the page): " + "; ".join(wrong)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_source_cites_no_document_a_user_does_not_have(path: Path) -> None:
    elsewhere = [f"{path.relative_to(ROOT)}:{line}: {match}" for line, text in texts_of(path)
                 for match in ELSEWHERE.findall(text)]
    assert not elsewhere, ("cites a document that is not in the repository (cite the site's page and section "
                           "instead): " + "; ".join(f"{cited}.md" for cited in elsewhere))


def test_the_citations_are_found_where_they_are_written() -> None:
    """The readers above find each way a citation is written (else the tests above pass by finding none), and
    tell a wrong one from a right one."""
    assert STARRED.findall("(README: *Sending*)") == ["Sending"]
    assert PLAIN.findall("(README, Playing a service)") == ["Playing a service"]
    assert STRAY.search("how the README writes it") and not STRAY.search("bench/README.md")
    assert CITED_PAGE.findall("(docs: reference/sockets.md, *Receiving*, *Eventually*)") == [
        ("reference/sockets.md", ", *Receiving*, *Eventually*")]
    assert unfound_in_docs("reference/sockets.md", ["Receiving", "Eventually"]) is None
    assert unfound_in_docs("reference/sockets.md", ["Free ports"]) is not None
    assert unfound_in_docs("reference/no-such-page.md", []) is not None
    assert "Install" in readme_places() and "Sending" not in readme_places()
    found = {page for path in SOURCES for _, page, _ in page_citations(path)}
    assert {"reference/sockets.md", "reference/apps.md", "how-to/play-a-service.md"} <= found


def test_the_checks_package_names_each_of_its_modules() -> None:
    """``checks/`` is one module per subject: its docstring says which, all of them."""
    docstring = ast.get_docstring(ast.parse((PACKAGE / "checks" / "__init__.py").read_text())) or ""
    modules = sorted(path.stem for path in (PACKAGE / "checks").glob("*.py") if path.stem != "__init__")
    unnamed = [module for module in modules if not re.search(rf"\b{module}\b", docstring)]
    assert not unnamed, f"zmqprose/checks/__init__.py does not name {unnamed}"
