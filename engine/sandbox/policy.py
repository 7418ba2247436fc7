"""What an expression may say, decided when it is compiled (at deploy, and again at run time).

RestrictedPython's transformer already refuses names and attributes that start with ``_``,
frame and code attributes, ``exec``-style statements, and turns attribute access, item access
and iteration into calls of guards. On top of it we refuse what a procedure never needs and
an attacker would use (imports, classes, ``try``, ``with``, ``global``, generators, the
dangerous builtins by name, any attribute outside the allow-list), and route the operators
that can build huge values, loop bodies and function bodies through the budget guards.
"""

from __future__ import annotations

import ast
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from types import CodeType
from typing import Any, Literal, cast

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.transformer import RestrictingNodeTransformer, copy_locations

from engine.sandbox.allowed import ALL_ATTRIBUTES, FORBIDDEN_NAMES
from engine.sandbox.errors import NotAllowedInExpression

Mode = Literal["eval", "exec"]
FILENAME = "<string>"  # SpiffWorkflow finds the failing line of a script by this name
_GUARDED_OPERATORS: dict[type[ast.operator], str] = {
    ast.Add: "+", ast.Mult: "*", ast.Pow: "**", ast.LShift: "<<", ast.Mod: "%",
}
_SPEC_NUMBER = re.compile(r"\d+")
MAX_FORMAT_WIDTH = 1000


def _tick() -> ast.Expr:
    return ast.Expr(ast.Call(ast.Name("_tick_", ast.Load()), [], []))


class _Policy(RestrictingNodeTransformer):
    """RestrictedPython's rules, narrowed to what a procedure's expressions need."""

    def _refuse(self, node: ast.AST, message: str) -> ast.AST:
        self.error(node, message)
        return node

    def visit_Import(self, node: ast.Import) -> ast.AST:
        return self._refuse(node, "import is not allowed in expressions")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST:
        return self._refuse(node, "import is not allowed in expressions")

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        return self._refuse(node, "class definitions are not allowed in expressions")

    def visit_Try(self, node: ast.Try) -> ast.AST:
        return self._refuse(node, "try/except is not allowed: a failing expression fails "
                                  "its step, where a person sees it")

    def visit_TryStar(self, node: ast.AST) -> ast.AST:
        return self._refuse(node, "try/except is not allowed in expressions")

    def visit_With(self, node: ast.With) -> ast.AST:
        return self._refuse(node, "with statements are not allowed in expressions")

    def visit_Global(self, node: ast.Global) -> ast.AST:
        return self._refuse(node, "global is not allowed in expressions")

    def visit_Nonlocal(self, node: ast.Nonlocal) -> ast.AST:
        return self._refuse(node, "nonlocal is not allowed in expressions")

    def visit_Yield(self, node: ast.Yield) -> ast.AST:
        return self._refuse(node, "yield (generator functions) is not allowed in expressions")

    def visit_YieldFrom(self, node: ast.YieldFrom) -> ast.AST:
        return self._refuse(node, "yield from is not allowed in expressions")

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id in FORBIDDEN_NAMES:
            self.error(node, f'"{node.id}" is not available in expressions')
        return super().visit_Name(node)

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        if not node.attr.startswith("_") and node.attr not in ALL_ATTRIBUTES:
            self.error(node, f'the attribute ".{node.attr}" is not allowed in expressions')
        return super().visit_Attribute(node)

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        node = self.node_contents_visit(node)
        symbol = _GUARDED_OPERATORS.get(type(node.op))
        if symbol is None:
            return node
        call = ast.Call(ast.Name("_binop_", ast.Load()),
                        [ast.Constant(symbol), node.left, node.right], [])
        copy_locations(call, node)
        return call

    def visit_FormattedValue(self, node: ast.FormattedValue) -> Any:
        spec = node.format_spec
        if spec is not None:
            parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
            if not all(isinstance(p, ast.Constant) for p in parts):
                return self._refuse(node, "write an f-string's format out in full, e.g. "
                                          "{value:.2f}; it cannot be computed")
            text = "".join(str(p.value) for p in parts if isinstance(p, ast.Constant))
            if any(int(n) > MAX_FORMAT_WIDTH for n in _SPEC_NUMBER.findall(text)):
                return self._refuse(node, f"an f-string width or precision above "
                                          f"{MAX_FORMAT_WIDTH} is not allowed")
        return super().visit_FormattedValue(node)

    def visit_While(self, node: ast.While) -> Any:
        visited = cast(ast.While, super().visit_While(node))
        visited.body.insert(0, _located(_tick(), visited))
        return visited

    def visit_FunctionDef(self, node: ast.FunctionDef) -> Any:
        visited = cast(ast.FunctionDef, super().visit_FunctionDef(node))
        visited.body.insert(0, _located(_tick(), visited))
        return visited

    def visit_Lambda(self, node: ast.Lambda) -> Any:
        visited = cast(ast.Lambda, super().visit_Lambda(node))
        # ``_tick_() or body``: the tick returns None, so the lambda still returns its body.
        tick = ast.Call(ast.Name("_tick_", ast.Load()), [], [])
        visited.body = _located(ast.BoolOp(ast.Or(), [tick, visited.body]), visited.body)
        return visited


def _located(new: Any, old: Any) -> Any:
    copy_locations(new, old)
    return ast.fix_missing_locations(new)


@dataclass(frozen=True)
class Refusal:
    """One reason an expression cannot run, at a line of the expression (1 = its first)."""

    line: int
    message: str


_LINE = re.compile(r"^Line (\d+): (.*)$", re.S)


def _refusals(errors: Sequence[str]) -> list[Refusal]:
    found = []
    for text in errors:
        match = _LINE.match(text)
        if match:
            found.append(Refusal(int(match.group(1)), _readable(match.group(2))))
        else:
            found.append(Refusal(1, _readable(text)))
    return found


def _readable(message: str) -> str:
    message = message.strip().rstrip(".")
    if message.startswith("SyntaxError: "):
        message = "not valid Python: " + message.removeprefix("SyntaxError: ")
        message = message.split(" at statement:")[0]
    return message


def _normalised(source: str, mode: Mode) -> str:
    """As Python's own ``eval`` reads an expression (surrounding blanks ignored: modelers
    pretty-print them onto lines of their own); a script is dedented, its lines kept."""
    return source.strip() if mode == "eval" else textwrap.dedent(source)


def _compile(source: str, mode: Mode) -> tuple[CodeType | None, list[Refusal]]:
    source = _normalised(source, mode)
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    result = compiler(source, FILENAME, policy=_Policy)
    if result.errors:
        return None, _refusals(result.errors)
    return result.code, []


class _CodeCache:
    """Compiled expressions by text: a version's expressions are few and never change, and
    compiling through the policy costs far more than running them."""

    def __init__(self, size: int = 4096) -> None:
        self._items: OrderedDict[tuple[str, str], tuple[CodeType | None, list[Refusal]]] = \
            OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, source: str, mode: Mode) -> tuple[CodeType | None, list[Refusal]]:
        key = (mode, source)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit
        compiled = _compile(source, mode)
        with self._lock:
            self._items[key] = compiled
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return compiled


_CACHE = _CodeCache()


def check(source: str, mode: Mode) -> list[Refusal]:
    """Every reason ``source`` may not run; empty when it may."""
    return _CACHE.get(source, mode)[1]


def compile_expression(source: str, mode: Mode) -> CodeType:
    """The code to run, or ``NotAllowedInExpression`` naming the first refused construct."""
    code, refusals = _CACHE.get(source, mode)
    if code is None:
        first = refusals[0]
        where = f" (line {first.line})" if "\n" in source.strip() else ""
        raise NotAllowedInExpression(first.message + where)
    return code
