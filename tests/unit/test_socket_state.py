"""A :class:`~zmqprose.sockets.socket.ProseSocket` keeps its state behind its own methods (issue 32, item 1).

Read off the source: no module outside ``zmqprose/sockets/`` (and no test) assigns to an attribute of a
socket, deletes one, assigns into one of its containers or calls a mutating method on one
(``sock.shown = …``, ``sock.bound[x] = …``, ``sock.topics.append(…)``). It asks the socket instead
(``speak_in``, ``subscribe``, ``lend``, …). And at run time its state cannot be assigned from outside, and what
it hands out cannot change it.

What counts as a socket is found the way a reader finds it, from the annotations of the package: a parameter
or a name annotated ``ProseSocket``, a name assigned from a call of a function or method annotated to return
one (``self._find(…)``, ``prose.socket(…)``, ``using_zmq().bind(…)``), an attribute that holds one
(``self._sock``, ``stub.sock``). A name that merely sounds like one (``pair.closed``, ``tally.last_at``) is not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
import zmq

from zmqprose.sockets.context import run_context
from zmqprose.sockets.socket import ProseSocket, close_all

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "zmqprose"
SOCKETS_ROOM = PACKAGE / "sockets"
MUTATORS = {"append", "extend", "insert", "remove", "pop", "popitem", "clear", "add", "discard", "update",
            "setdefault", "sort", "reverse", "difference_update", "intersection_update",
            "symmetric_difference_update", "__setitem__", "__delitem__"}


def socket_names() -> set[str]:
    """Every public name a ProseSocket has: its methods and properties, and what its ``__init__`` sets."""
    names = {name for name in dir(ProseSocket) if not name.startswith("_")}
    tree = ast.parse((SOCKETS_ROOM / "socket.py").read_text())
    for cls in ast.walk(tree):
        if isinstance(cls, ast.ClassDef) and cls.name == "ProseSocket":
            for node in ast.walk(cls):
                target = node.target if isinstance(node, ast.AnnAssign) else None
                targets = node.targets if isinstance(node, ast.Assign) else [target] if target else []
                for each in targets:
                    for leaf in ast.walk(each):
                        if (isinstance(leaf, ast.Attribute) and isinstance(leaf.value, ast.Name)
                                and leaf.value.id == "self" and not leaf.attr.startswith("_")):
                            names.add(leaf.attr)
    return names


def is_socket_type(node: ast.expr | None) -> bool:
    """An annotation that says: a ProseSocket (or None) — not a list of them, not a callable."""
    if node is None:
        return False
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return is_socket_type(ast.parse(node.value, mode="eval").body)
    if isinstance(node, ast.Name | ast.Attribute):
        return (node.id if isinstance(node, ast.Name) else node.attr) == "ProseSocket"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return is_socket_type(node.left) or is_socket_type(node.right)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "Optional":
        return is_socket_type(node.slice)
    return False


def returns_socket(node: ast.expr | None) -> bool:
    """An annotation of a callable that returns a ProseSocket: ``Callable[[…], ProseSocket]``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return returns_socket(ast.parse(node.value, mode="eval").body)
    return (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name | ast.Attribute)
            and getattr(node.value, "id", getattr(node.value, "attr", "")) == "Callable"
            and isinstance(node.slice, ast.Tuple) and len(node.slice.elts) == 2 and is_socket_type(node.slice.elts[1]))


Function = ast.FunctionDef | ast.AsyncFunctionDef


class Module:
    """A parsed module, its nodes grouped by the function they are written in (None: at the top), read once."""

    def __init__(self, path: Path, text: str | None = None) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text() if text is None else text, str(path))
        self.nodes: dict[Function | None, list[ast.AST]] = {None: []}
        self.outer: dict[Function, Function | None] = {}
        self._visit(self.tree, None)

    def _visit(self, node: ast.AST, scope: Function | None) -> None:
        for child in ast.iter_child_nodes(node):
            self.nodes[scope].append(child)
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                self.nodes[child], self.outer[child] = [], scope
                self._visit(child, child)
            else:
                self._visit(child, scope)

    def functions(self) -> list[Function]:
        return [scope for scope in self.nodes if scope is not None]


def pairs(node: ast.Assign) -> Iterator[tuple[ast.expr, ast.expr]]:
    """(target, value) of an assignment, tuples unpacked: ``self._a, self._find = a, find``."""
    for target in node.targets:
        if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple) and len(target.elts) == len(
                node.value.elts):
            yield from zip(target.elts, node.value.elts, strict=True)
        else:
            yield target, node.value


def name_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def parameters(function: Function) -> dict[str, str]:
    """The parameters of ``function`` that are a socket ("socket") or a callable that makes one ("maker")."""
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    return {arg.arg: "socket" if is_socket_type(arg.annotation) else "maker"
            for arg in every if is_socket_type(arg.annotation) or returns_socket(arg.annotation)}


class Types:
    """What the package says holds or returns a socket: attribute names and callables, by name."""

    def __init__(self, modules: list[Module]) -> None:
        self.makers: set[str] = set()  # functions, methods and callable attributes that return a socket
        self.holders: set[str] = set()  # attributes that hold a socket (``_sock``, ``sock``)
        for module in modules:
            for scope, nodes in module.nodes.items():
                if scope is not None and is_socket_type(scope.returns):
                    self.makers.add(scope.name)
                kinds = parameters(scope) if scope is not None else {}
                for node in nodes:
                    if isinstance(node, ast.AnnAssign) and is_socket_type(node.annotation) and (
                            isinstance(node.target, ast.Attribute) or scope is None):
                        self.holders.add(name_of(node.target) or "")  # ``self.x: ProseSocket``, a class's field
                    elif isinstance(node, ast.Assign) and kinds:  # ``self._sock = sock``, ``self._find = find``
                        for target, value in pairs(node):
                            if isinstance(target, ast.Attribute) and isinstance(value, ast.Name):
                                if kinds.get(value.id) == "socket":
                                    self.holders.add(target.attr)
                                elif kinds.get(value.id) == "maker":
                                    self.makers.add(target.attr)

    def sockets_in(self, module: Module, scope: Function | None) -> set[str]:
        """The local names that hold a socket in ``scope`` (and the functions around it)."""
        if scope is None:
            return set()
        names = self.sockets_in(module, module.outer[scope]) | {
            name for name, kind in parameters(scope).items() if kind == "socket"}
        assignments = [node for node in module.nodes[scope] if isinstance(node, ast.Assign | ast.AnnAssign)]
        for _ in range(2):  # a name assigned from another socket name: a second round settles it
            for node in assignments:
                if isinstance(node, ast.AnnAssign):
                    if isinstance(node.target, ast.Name) and is_socket_type(node.annotation):
                        names.add(node.target.id)
                    continue
                for target, value in pairs(node):
                    if isinstance(target, ast.Name) and self.is_socket(value, names):
                        names.add(target.id)
        return names

    def is_socket(self, node: ast.expr, names: set[str]) -> bool:
        if isinstance(node, ast.Name):
            return node.id in names
        if isinstance(node, ast.Attribute):
            return node.attr in self.holders
        if isinstance(node, ast.Call):
            return name_of(node.func) in self.makers
        return False


def changes_to_sockets(module: Module, types: Types, attributes: set[str]) -> list[str]:
    """Where ``module`` changes a socket's attribute from outside: ``path:line: what``."""
    found = []
    for scope, nodes in module.nodes.items():
        names = types.sockets_in(module, scope)

        def of_socket(node: ast.expr, names: set[str] = names) -> bool:
            return (isinstance(node, ast.Attribute) and node.attr in attributes
                    and types.is_socket(node.value, names))

        for node in nodes:
            targets: list[ast.AST] = []
            if isinstance(node, ast.Assign):
                targets = [leaf for target in node.targets for leaf in ast.walk(target)]
            elif isinstance(node, ast.AugAssign | ast.AnnAssign):
                targets = list(ast.walk(node.target))
            elif isinstance(node, ast.Delete):
                targets = [leaf for target in node.targets for leaf in ast.walk(target)]
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS
                    and of_socket(node.func.value)):
                found.append(f"{module.path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
            for target in targets:
                whole = target.value if isinstance(target, ast.Subscript) else target
                if isinstance(whole, ast.expr) and of_socket(whole):
                    line = ast.unparse(node).splitlines()[0]
                    found.append(f"{module.path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}: {line}")
    return sorted(set(found))


def outside_the_sockets_room(modules: list[Module]) -> list[Module]:
    tests = [Module(path) for path in (ROOT / "tests").rglob("*.py") if path.name != Path(__file__).name]
    return [module for module in modules if SOCKETS_ROOM not in module.path.parents] + tests


def test_no_module_outside_the_sockets_room_changes_a_sockets_state() -> None:
    package = [Module(path) for path in PACKAGE.rglob("*.py")]
    types, attributes = Types(package), socket_names()
    changes = [change for module in outside_the_sockets_room(package)
               for change in changes_to_sockets(module, types, attributes)]
    assert not changes, ("a socket's state is changed by its own methods only (zmqprose/sockets/socket.py); "
                         "these change it from outside:\n  " + "\n  ".join(changes))


def test_the_rule_sees_a_socket_by_its_annotations_and_nothing_else() -> None:
    source = '''
def f(sock: ProseSocket, pair: Pair) -> None:
    sock.shown = None
    pair.closed = True
    found = self._find(x)
    found.topics.append(b"a")
    self._sock.bound["x"] = "y"
    stub.sock.closed = True
    tally.last_at = 1.0
'''
    declared = "def _find(x) -> ProseSocket: ...\nclass S:\n    _sock: ProseSocket\n    sock: ProseSocket\n"
    types = Types([Module(ROOT / "declared.py", declared)])
    changes = changes_to_sockets(Module(ROOT / "example.py", source), types, socket_names())
    assert [change.split(": ", 1)[1] for change in changes] == [
        "sock.shown = None", "found.topics.append(b'a')", "self._sock.bound['x'] = 'y'", "stub.sock.closed = True"]


@pytest.fixture
def sock() -> Iterator[ProseSocket]:
    made = ProseSocket.make(run_context(), zmq.SUB, "SUB", "sub", "the spec's SUB")
    yield made
    close_all([made])


STATE = ["type_name", "addresses", "bound", "where", "last_message", "last_envelope", "last_at", "closed",
         "lent_to", "app", "curve_public", "check_peer", "waiting", "shown", "topics", "topics_heard"]


@pytest.mark.parametrize("name", STATE)
def test_a_sockets_state_cannot_be_assigned_from_outside(sock: ProseSocket, name: str) -> None:
    with pytest.raises(AttributeError):
        setattr(sock, name, getattr(sock, name))


def test_what_a_socket_hands_out_cannot_change_it(sock: ProseSocket) -> None:
    sock.attach("bind", "tcp://127.0.0.1:*")
    sock.subscribe(b"a")
    sock.record([b"a1"], None, 1.0)
    with pytest.raises(TypeError):
        sock.bound["tcp://127.0.0.1:*"] = "tcp://127.0.0.1:1"  # type: ignore[index]
    for handed in (sock.topics, sock.topics_heard, sock.waiting):
        assert not hasattr(handed, "append") and not hasattr(handed, "add")
    addresses = sock.addresses  # a list, as pyzmq's users expect: a copy of the socket's own
    addresses.append("tcp://127.0.0.1:1")
    assert sock.addresses == addresses[:1]
    message = sock.last_message
    assert message == [b"a1"]
    message.append(b"more")
    assert sock.last_message == [b"a1"]
