"""The Python the docs show is Python that works: every ```python block of the README and of the site's pages
(docs/**/*.md, read as the site shows them: docs/hooks.py's page_text) compiles, every import it writes
imports (in a fresh interpreter: Locust's import patches the process), and a block that is a whole file
(its fence's ``title="….py"``, or a first line ``# path/file.py``) names nothing it does not define or import
(ruff's F821). The reference's generated parts are made from the code, and the settings' reference names
every key zmqprose reads."""

from __future__ import annotations

import ast
import dataclasses
import importlib.util
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from zmqprose.settings.app import FRAMEWORK_KEY, AppSettings
from zmqprose.steps import catalog

REPO = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^(?P<indent>[ \t]*)```(?P<lang>[\w-]*)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)```",
                   re.M | re.S)
FILE_LINE = re.compile(r"^# (?P<file>[\w./-]+\.py)\b")
TITLE = re.compile(r'title="(?P<file>[^"]+\.py)"')


def docs_hooks() -> ModuleType:
    """docs/hooks.py, the site's own reader of pages (mkdocs loads it by path: it is no package's)."""
    spec = importlib.util.spec_from_file_location("zmqprose_docs_hooks", REPO / "docs" / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOOKS = docs_hooks()


@dataclasses.dataclass(frozen=True)
class Block:
    place: str  # file:line of the fence
    lang: str
    info: str
    code: str

    @property
    def whole_file(self) -> bool:
        return bool(TITLE.search(self.info) or FILE_LINE.match(self.code))


def blocks(lang: str) -> list[Block]:
    """Every fenced block of a language in the README and the site's pages, as the site shows them."""
    found = []
    for page in HOOKS.pages():
        text = HOOKS.page_text(page)
        for block in BLOCK.finditer(text):
            if block["lang"] == lang:
                line = text[:block.start()].count("\n") + 1
                found.append(Block(f"{page.relative_to(REPO)}:{line}", lang, block["info"],
                                   textwrap.dedent(block["body"])))
    return found


PYTHON = blocks("python")


def test_the_docs_have_python_blocks_and_the_reader_finds_indented_ones():
    assert len(PYTHON) > 10
    indented = "- item:\n\n  ```python\n  import zmq\n  ```\n"
    assert [found["body"] for found in BLOCK.finditer(indented)] == ["  import zmq\n"]


@pytest.mark.parametrize("block", PYTHON, ids=[block.place for block in PYTHON])
def test_every_python_block_compiles(block):
    try:
        compile(block.code, block.place, "exec", flags=ast.PyCF_ONLY_AST)
    except SyntaxError as error:
        pytest.fail(f"{block.place}: a Python block that does not compile: {error}")


def imports_of(block: Block) -> list[str]:
    """The import statements of a block, each as a line of Python."""
    return [ast.unparse(node) for node in ast.walk(ast.parse(block.code))
            if isinstance(node, ast.Import | ast.ImportFrom)]


IMPORTER = """
import json, sys
failed = []
for place, statement in json.load(sys.stdin):
    try:
        exec(statement, {})
    except Exception as error:
        failed.append(f"{place}: {statement}: {type(error).__name__}: {error}")
print(json.dumps(failed))
"""


def test_every_import_of_every_python_block_imports():
    statements = [(block.place, statement) for block in PYTHON for statement in imports_of(block)]
    assert any("zmqprose" in statement for _, statement in statements)
    result = subprocess.run([sys.executable, "-c", IMPORTER], input=json.dumps(statements), capture_output=True,
                            text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr
    failed = json.loads(result.stdout.splitlines()[-1])
    assert not failed, "imports in the docs that do not import:\n" + "\n".join(failed)


def test_an_import_that_does_not_import_is_found():
    """The check above can fail: a name the package does not have is reported, with its place."""
    statements = [("docs/x.md:3", "from zmqprose import NoSuchThing"), ("docs/x.md:9", "import zmqprose")]
    result = subprocess.run([sys.executable, "-c", IMPORTER], input=json.dumps(statements), capture_output=True,
                            text=True, timeout=120, cwd=REPO)
    (failed,) = json.loads(result.stdout.splitlines()[-1])
    assert failed.startswith("docs/x.md:3: from zmqprose import NoSuchThing: ImportError")


WHOLE_FILES = [block for block in PYTHON if block.whole_file]


@pytest.mark.parametrize("block", WHOLE_FILES, ids=[block.place for block in WHOLE_FILES])
def test_a_whole_file_names_only_what_it_defines_or_imports(block):
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--no-cache", "--select", "F821", "--output-format", "concise",
                             "--stdin-filename", "block.py", "-"], input=block.code, capture_output=True, text=True,
                            timeout=60, cwd=REPO)
    assert result.returncode == 0, f"{block.place}: a name neither defined nor imported:\n{result.stdout}"


def test_a_name_the_docs_use_without_defining_it_is_found():
    """The check above can fail: ruff finds a name a whole file uses and never imports."""
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "--no-cache", "--select", "F821", "--stdin-filename", "block.py",
                             "-"], input="# environment.py\nformats.register('x', str, str)\n",
                            capture_output=True, text=True, timeout=60, cwd=REPO)
    assert result.returncode == 1 and "formats" in result.stdout


# -- the reference's generated parts ---------------------------------------------------------------------------


def test_the_phrase_reference_is_made_from_the_step_modules_at_build_time():
    page = (REPO / "docs" / "reference" / "steps.md").read_text()
    assert HOOKS.STEPS in page
    shown = HOOKS.page_text(REPO / "docs" / "reference" / "steps.md")
    for entry in catalog.entries():
        assert f"| {catalog.code(entry.phrase)} |" in shown, entry.phrase
    assert "### Sending\n\nIn `zmqprose/steps/sending.py`." in shown


def test_the_command_line_reference_shows_each_commands_help():
    shown = HOOKS.page_text(REPO / "docs" / "reference" / "command-line.md")
    for command in HOOKS.COMMANDS:
        assert f"$ zmqprose {command} --help\nusage: zmqprose {command} " in shown, command
    assert "--listen LISTEN" in shown and "--markdown" in shown


SETTINGS_KEY = re.compile(r"^\| `(?P<key>[\w.]+)` \|", re.M)


def test_the_settings_reference_names_every_key_zmqprose_reads():
    """docs/reference/settings.md's table of keys, against AppSettings' fields and the framework's keys."""
    page = (REPO / "docs" / "reference" / "settings.md").read_text()
    listed = {found["key"] for found in SETTINGS_KEY.finditer(page)}
    read = {field.name for field in dataclasses.fields(AppSettings)} - {"name", "raw"}
    read |= {f"{FRAMEWORK_KEY}.timeout", f"{FRAMEWORK_KEY}.curve_clients"}
    assert listed >= read, f"keys zmqprose reads that the settings' reference does not list: {sorted(read - listed)}"
