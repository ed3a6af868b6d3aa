"""What the source says of the docs holds: every section it cites ("README: *Sending*", from when the README held
every section) is there, by the name it gives, as a heading or a bold lead of the README or of the site's pages
(docs/**/*.md), and a package that lists its modules lists all of them."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "zmqprose"
SOURCES = sorted(PACKAGE.rglob("*.py"))

# README: *Sending*, README *Your own steps*, the README gives (*Resolving an app reference*), README, *X*
STARRED = re.compile(r"README\b[^*\n]{0,12}?\*([^*]+)\*")
# in a message: (README: Playing a service), (README, Playing a service)
PLAIN = re.compile(r"\(README[:,] ([^)*]+)\)")
# documents of the project's design, which live outside the repository (a user never has them)
ELSEWHERE = re.compile(r"\b(STEPS|DESIGN|STYLE)\.md\b")


def readme_places() -> set[str]:
    """What a citation may name: the headings of the README and of the site's pages, and the bold lead of a
    paragraph or item (``- **Your own steps.** …``), the docs' own way of naming a part of a section."""
    text = "\n".join(path.read_text() for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))])
    text = re.sub(r"^( *)```.*?^\1```", "", text, flags=re.MULTILINE | re.DOTALL)  # a "# comment" of a block is none
    headings = {line.lstrip("#").strip() for line in text.splitlines() if re.match(r"#{1,6} ", line)}
    leads = set(re.findall(r"^(?:- )?\*\*([^*]+?)\.?\*\*", text, re.MULTILINE))
    return headings | leads


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
    return [(line, name.strip()) for line, text in texts_of(path) for pattern in (STARRED, PLAIN)
            for name in pattern.findall(text)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_readme_section_the_source_cites_is_there(path: Path) -> None:
    places = readme_places()
    missing = [f"{path.relative_to(ROOT)}:{line}: README *{name}*" for line, name in citations(path)
               if name not in places]
    assert not missing, ("no such section in README.md or docs/**/*.md (a heading or a bold lead): "
                         + "; ".join(missing))


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_source_cites_no_document_a_user_does_not_have(path: Path) -> None:
    elsewhere = [f"{path.relative_to(ROOT)}:{line}: {match}" for line, text in texts_of(path)
                 for match in ELSEWHERE.findall(text)]
    assert not elsewhere, ("cites a document that is not in the repository (cite the README's section instead): "
                           + "; ".join(f"{cited}.md" for cited in elsewhere))


def test_the_citations_are_found_where_they_are_written() -> None:
    """The reader above finds each way the source cites the README (else the tests above pass by finding none)."""
    found = {name for path in SOURCES for _, name in citations(path)}
    assert {"Sending", "Resolving an app reference", "Playing a service"} <= found
    assert "Step reference" in readme_places() and "Your own steps" in readme_places()


def test_the_checks_package_names_each_of_its_modules() -> None:
    """``checks/`` is one module per subject: its docstring says which, all of them."""
    docstring = ast.get_docstring(ast.parse((PACKAGE / "checks" / "__init__.py").read_text())) or ""
    modules = sorted(path.stem for path in (PACKAGE / "checks").glob("*.py") if path.stem != "__init__")
    unnamed = [module for module in modules if not re.search(rf"\b{module}\b", docstring)]
    assert not unnamed, f"zmqprose/checks/__init__.py does not name {unnamed}"
