"""What a release needs from the source tree: one version, said in the changelog, and metadata PyPI takes.

The package itself (sdist and wheel built, ``twine check --strict``, the wheel installed alone into a fresh
virtual environment, ``zmqprose init`` and ``behave`` there) is checked by ``.ci/run``'s ``check_package``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

import zmqprose

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}  # Keep a Changelog 1.1.0's own
RELEASED = re.compile(r"^## \[(?P<version>[^\]]+)\] - \d{4}-\d{2}-\d{2}( \[YANKED\])?$")


def changelog() -> str:
    return (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def sections(text: str) -> list[tuple[str, str]]:
    """The changelog's ``## `` sections: (heading, body), in order."""
    parts = re.split(r"^(## .*)$", text, flags=re.MULTILINE)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def test_the_version_is_read_from_the_package_alone() -> None:
    assert "version" not in PROJECT, "pyproject.toml states a version: it is read from zmqprose.__version__"
    assert PROJECT["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "zmqprose.__version__"}


def test_no_other_file_states_the_version() -> None:
    """The docs, the scaffold and the tests say no version number of zmqprose's (they would go stale)."""
    version = re.compile(rf"(?<![\w.]){re.escape(zmqprose.__version__)}(?![\w.])")
    places = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "zmqprose").rglob("*.py"),
              *(ROOT / "tests").rglob("*.py"), *(ROOT / "environments").rglob("*.json")]
    stating = [str(path.relative_to(ROOT)) for path in places
               if path.name != "test_release.py" and path != ROOT / "zmqprose" / "__init__.py"
               and version.search(path.read_text(encoding="utf-8", errors="replace"))]
    assert stating == []


def test_the_changelog_keeps_a_changelog() -> None:
    text = changelog()
    assert text.startswith("# Changelog\n")
    headings = [heading for heading, _ in sections(text)]
    assert headings[0] == "## [Unreleased]", "the first section is Unreleased (Keep a Changelog)"
    for heading in headings[1:]:
        assert RELEASED.match(heading), f"{heading!r} is not '## [VERSION] - YYYY-MM-DD'"
    for heading, body in sections(text):
        kinds = re.findall(r"^### (.*)$", body, flags=re.MULTILINE)
        assert set(kinds) <= KINDS, f"{heading}: {sorted(set(kinds) - KINDS)} are not Keep a Changelog's kinds"
        assert len(kinds) == len(set(kinds)), f"{heading}: a kind twice"


def test_the_changelog_says_which_version_comes_next() -> None:
    """The version of the package is the newest released one, or the one Unreleased says it will be."""
    (_, unreleased), *released = sections(changelog())
    coming = re.search(r"To be released as \*\*(?P<version>[^*]+)\*\*", unreleased)
    newest = RELEASED.match(released[0][0]) if released else None
    said = coming["version"] if coming else newest["version"] if newest else None
    assert said == zmqprose.__version__, (
        f"zmqprose.__version__ is {zmqprose.__version__}; CHANGELOG.md says {said}: write the decision there")


def test_the_classifiers_are_pypis_own() -> None:
    trove = pytest.importorskip("trove_classifiers", reason="trove-classifiers comes with the release group")
    classifiers = PROJECT["classifiers"]
    assert [name for name in classifiers if name not in trove.classifiers] == []
    assert [name for name in classifiers if name in trove.deprecated_classifiers] == []
    assert not [name for name in classifiers if name.startswith("License ::")], (
        "the licence is the SPDX expression in 'license' (PEP 639): no licence classifier beside it")


def test_the_python_versions_agree() -> None:
    """requires-python's lowest version is the lowest classifier's, and ruff's target."""
    lowest = re.fullmatch(r">=3\.(\d+)", PROJECT["requires-python"])
    assert lowest, PROJECT["requires-python"]
    minors = sorted(int(name.rpartition(".")[2]) for name in PROJECT["classifiers"]
                    if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", name))
    assert minors[0] == int(lowest[1])
    assert PYPROJECT["tool"]["ruff"]["target-version"] == f"py3{lowest[1]}"


def test_every_extra_that_is_named_exists() -> None:
    """Every ``zmqprose[EXTRA]`` a message, a docstring or a document names, and every extra a format needs."""
    extras = set(PROJECT["optional-dependencies"])
    places = [ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").rglob("*.md"),
              *(ROOT / "zmqprose").rglob("*.py")]
    named = {(str(path.relative_to(ROOT)), extra) for path in places
             for found in re.findall(r"zmqprose\[([\w,\s-]+)\]", path.read_text(encoding="utf-8"))
             for extra in found.split(",")}
    needed = {(str(path.relative_to(ROOT)), extra) for path in (ROOT / "zmqprose").rglob("*.py")
              for extra in re.findall(r"needs\(\"[\w.]+\", \"(\w+)\"\)", path.read_text(encoding="utf-8"))}
    assert named, "no extra is named anywhere: the pattern is wrong"
    assert sorted((where, extra) for where, extra in named | needed if extra.strip() not in extras) == []


def test_the_tools_a_release_needs_are_in_the_dev_group() -> None:
    groups = PYPROJECT["dependency-groups"]
    release = {re.split(r"[<>=!~ ;\[]", requirement)[0] for requirement in groups["release"]}
    assert {"build", "twine", "trove-classifiers"} <= release
    assert {"include-group": "release"} in groups["dev"]
