"""A small, safe expression language for the autograd page, read with Python's own `ast` and a whitelist.

A program is one or more assignments, separated by newlines or `;`, such as
`y = x + 2; z = y * y * 3; out = z.mean()`. Allowed: numbers, named inputs and earlier targets, + − * / **
and @, unary minus, indexing with constant integers and slices, `.T`, and the calls in `FUNCTIONS`, either as
`sin(x)` or as `x.sin()` (with `detach()` and `reshape(…)` as methods only). Reductions take a constant
`dim` (by keyword or as their one extra argument) and `keepdim=True/False`; softmax needs its dim;
`reshape` takes 1 to 3 constant whole numbers; `where(cond, a, b)` takes one comparison (< <= > >= == !=)
as its condition, and a comparison is allowed nowhere else. The in-place methods (`y.add_(1)`, `mul_`,
`exp_`, `sigmoid_`) change the tensor a plain name holds, so autograd's version counter sees the user's
own code. Nothing is ever evaluated by Python: `build`
interprets the checked tree with torch. Anything else raises `ExprError` with the position (1-based line
and column) and a code the page translates.
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass

from engine.messages import CodedError, define

MAX_CHARS, MAX_STATEMENTS, MAX_NODES = 400, 12, 160
FUNCTIONS = {"sin": 1, "cos": 1, "exp": 1, "log": 1, "tanh": 1, "sigmoid": 1, "relu": 1, "sqrt": 1, "abs": 1,
             "sum": 1, "mean": 1, "pow": 2, "max": 1, "softmax": 1, "where": 3,
             "softplus": 1}  # name -> tensor arguments; softplus is a custom autograd.Function (engine.autograd.custom)
INPLACE = {"add_": 2, "mul_": 2, "exp_": 1, "sigmoid_": 1}  # change their tensor in place: the version counter
METHODS_ONLY = {"detach": 1, "reshape": 1, **INPLACE}
DIM_PARAMS = {"sum": ("dim", "keepdim"), "mean": ("dim", "keepdim"), "max": ("dim", "keepdim"), "softmax": ("dim",)}
NEEDS_DIM = {"softmax"}
MAX_DIM = 3  # |dim| below this; values have at most 3 dimensions after a reshape
BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.MatMult: "@"}
COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
ATTRIBUTES = {"T"}

define({
    "autograd.empty": "type at least one assignment, e.g. out = (x * 2).sum()",
    "autograd.too_long": "the program is longer than {limit} characters",
    "autograd.too_big": "the program has more than {limit} parts; split it or simplify",
    "autograd.syntax": "this is not valid Python here",
    "autograd.syntax_unclosed": "this {char} is never closed",
    "autograd.syntax_unmatched": "this {char} has no opening partner",
    "autograd.syntax_string": "this string is never closed (and strings are not part of the language)",
    "autograd.not_assignment": "each line must assign a name, e.g. y = x * 2",
    "autograd.target": "assign to one plain name (not {what})",
    "autograd.reserved": "{name} is a function here; pick another name",
    "autograd.unsupported": "{what} is not part of this language",
    "autograd.unknown_call": "{name}() is not available; use one of {choices}",
    "autograd.arity": "{name} takes {n} argument(s) here",
    "autograd.keyword": "{name}() takes no keyword arguments here",
    "autograd.index": "indices must be whole numbers or slices of whole numbers",
    "autograd.number": "the number {value} is too large for this demo (at most {limit})",
    "autograd.method_only": "use {name} as a method, e.g. x.{name}()",
    "autograd.keyword_only": "{name}() takes only {allowed} as keywords here",
    "autograd.dim": "dim must be a whole number from {lo} to {hi}",
    "autograd.keepdim": "keepdim must be True or False",
    "autograd.needs_dim": "{name}() needs a dim here, e.g. x.{name}(dim=-1)",
    "autograd.twice": "{name}() was given dim twice",
    "autograd.shape": "reshape takes 1 to {limit} whole numbers (one of them may be -1), e.g. x.reshape(2, 3)",
    "autograd.where": "where(condition, a, b) needs one comparison as its condition, e.g. where(x > 0, x, 0)",
    "autograd.compare": "a comparison is only allowed as the condition of where(condition, a, b)",
    "autograd.attribute": ".{name} is not available; the only attribute is .T",
    "autograd.inplace_target": "{name} changes a tensor in place: call it on a plain name, e.g. y.{name}(…)",
})


class ExprError(CodedError):
    """A program the language refuses: `position` is (line, column), both 1-based; `message` says why."""

    def __init__(self, code: str, position: tuple[int, int], **params: object) -> None:
        super().__init__(code, line=position[0], column=position[1], **params)
        self.position = position


@dataclass(frozen=True)
class Expr:
    """A checked program: its source, its statements (target, tree), the names it reads from outside
    (its inputs, in order of first use) and the name its last line assigns (the output)."""

    source: str
    statements: list[tuple[str, ast.expr]]
    inputs: list[str]
    output: str


def _at(node: ast.AST) -> tuple[int, int]:
    return getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1


def parse(source: str) -> Expr:
    """Check `source` against the language and return its statements; raises ExprError."""
    if not isinstance(source, str) or not source.strip():
        raise ExprError("autograd.empty", (1, 1))
    if len(source) > MAX_CHARS:
        raise ExprError("autograd.too_long", (1, MAX_CHARS), limit=MAX_CHARS)
    if "\x00" in source:
        raise ExprError("autograd.syntax", (1, source.index("\x00") + 1))
    try:
        with warnings.catch_warnings():  # e.g. "invalid escape sequence" in a string the checker refuses anyway
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="exec")
    except SyntaxError as e:
        raise _syntax(e) from None
    except (ValueError, RecursionError, MemoryError):  # e.g. too deeply nested for the parser
        raise ExprError("autograd.syntax", (1, 1)) from None
    if not tree.body:
        raise ExprError("autograd.empty", (1, 1))
    if len(tree.body) > MAX_STATEMENTS or sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise ExprError("autograd.too_big", (1, 1), limit=MAX_NODES)
    known: list[str] = []
    inputs: list[str] = []
    statements = []
    for stmt in tree.body:
        if not isinstance(stmt, ast.Assign):
            raise ExprError("autograd.not_assignment", _at(stmt))
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            raise ExprError("autograd.target", _at(stmt.targets[0]), what=type(stmt.targets[0]).__name__)
        _check(stmt.value, known, inputs)
        target = stmt.targets[0].id
        if target in FUNCTIONS or target in METHODS_ONLY:
            raise ExprError("autograd.reserved", _at(stmt.targets[0]), name=target)
        statements.append((target, stmt.value))
        known.append(target)
    return Expr(source, statements, inputs, statements[-1][0])


LIMIT = 1e6


def _syntax(e: SyntaxError) -> ExprError:
    """Python's complaint as one of our codes (its own wording is English and changes between versions)."""
    at = (e.lineno or 1, max(1, e.offset or 1))
    msg = e.msg or ""
    quoted = msg.split("'")[1] if msg.count("'") >= 2 else "("
    if "never closed" in msg:
        return ExprError("autograd.syntax_unclosed", at, char=quoted)
    if msg.startswith("unmatched") or "does not match" in msg:
        return ExprError("autograd.syntax_unmatched", at, char=quoted)
    if "unterminated" in msg:
        return ExprError("autograd.syntax_string", at)
    return ExprError("autograd.syntax", at)


def _check(node: ast.expr, known: list[str], inputs: list[str]) -> None:
    """Raise ExprError at the first part of `node` outside the language; note free names as inputs."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExprError("autograd.unsupported", _at(node), what=repr(node.value)[:20])
        if abs(node.value) > LIMIT:
            raise ExprError("autograd.number", _at(node), value=f"{node.value:.3g}", limit=f"{LIMIT:g}")
    elif isinstance(node, ast.Name):
        if node.id in FUNCTIONS or node.id in METHODS_ONLY:
            raise ExprError("autograd.reserved", _at(node), name=node.id)
        if node.id not in known and node.id not in inputs:
            inputs.append(node.id)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in BINOPS:
            raise ExprError("autograd.unsupported", _at(node), what=type(node.op).__name__)
        _check(node.left, known, inputs)
        _check(node.right, known, inputs)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise ExprError("autograd.unsupported", _at(node), what=type(node.op).__name__)
        _check(node.operand, known, inputs)
    elif isinstance(node, ast.Subscript):
        _check(node.value, known, inputs)
        _check_index(node.slice)
    elif isinstance(node, ast.Call):
        _check_call(node, known, inputs)
    elif isinstance(node, ast.Attribute):  # x.T; a method is a Call, checked above
        if node.attr not in ATTRIBUTES:
            raise ExprError("autograd.attribute", _at(node), name=node.attr[:30])
        _check(node.value, known, inputs)
    elif isinstance(node, ast.Compare):
        raise ExprError("autograd.compare", _at(node))
    else:
        raise ExprError("autograd.unsupported", _at(node), what=type(node).__name__)


def _whole(node: ast.expr | None) -> bool:
    if node is None:
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int and abs(node.value) <= 1000


def _check_index(node: ast.expr) -> None:
    parts = node.elts if isinstance(node, ast.Tuple) else [node]
    if len(parts) > 2:
        raise ExprError("autograd.index", _at(node))
    for p in parts:
        ok = _whole(p.lower) and _whole(p.upper) and p.step is None if isinstance(p, ast.Slice) else _whole(p)
        if not ok:
            raise ExprError("autograd.index", _at(p))


def _check_call(node: ast.Call, known: list[str], inputs: list[str]) -> None:
    name = _call_name(node)
    if node.keywords and name not in DIM_PARAMS:
        raise ExprError("autograd.keyword", _at(node), name=name)
    if isinstance(node.func, ast.Attribute):  # x.sin(), x.pow(2), x.detach()
        name, args = node.func.attr, [node.func.value, *node.args]
    elif isinstance(node.func, ast.Name):
        name, args = node.func.id, list(node.args)
        if name in METHODS_ONLY:
            raise ExprError("autograd.method_only", _at(node), name=name)
    else:
        raise ExprError("autograd.unsupported", _at(node), what="call")
    arity = FUNCTIONS.get(name, METHODS_ONLY.get(name))
    if arity is None:
        raise ExprError("autograd.unknown_call", _at(node), name=name[:30],
                        choices=", ".join([*FUNCTIONS, *METHODS_ONLY]))
    if name in INPLACE and not (isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)):
        raise ExprError("autograd.inplace_target", _at(node), name=name)
    if name == "reshape":
        _check_shape(node, args[1:])
        args = args[:1]
    elif name in DIM_PARAMS:
        _check_dims(node, name, args[arity:])
        args = args[:arity]
    if len(args) != arity:
        raise ExprError("autograd.arity", _at(node), name=name, n=arity)
    if name == "where":
        cond = args[0]
        if not (isinstance(cond, ast.Compare) and len(cond.ops) == 1 and type(cond.ops[0]) in COMPARE):
            raise ExprError("autograd.where", _at(cond))
        args = [cond.left, *cond.comparators, *args[1:]]
    for a in args:
        if isinstance(a, ast.Starred):
            raise ExprError("autograd.unsupported", _at(a), what="*")
        _check(a, known, inputs)


def _dim_value(node: ast.expr) -> int | None:
    """A constant whole number (with at most one minus sign), or None."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1, node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sign * node.value
    return None


def _check_dims(node: ast.Call, name: str, extra: list[ast.expr]) -> None:
    """A reduction's dim (one extra positional argument or dim=) and keepdim=; softmax must have its dim."""
    allowed = DIM_PARAMS[name]
    dims = list(extra)
    if len(dims) > 1:
        raise ExprError("autograd.arity", _at(node), name=name, n=FUNCTIONS[name])
    for k in node.keywords:
        if k.arg not in allowed:
            raise ExprError("autograd.keyword_only", _at(k.value if k.arg is None else k), name=name,
                            allowed=", ".join(f"{a}=" for a in allowed))
        if k.arg == "keepdim":
            if not (isinstance(k.value, ast.Constant) and type(k.value.value) is bool):
                raise ExprError("autograd.keepdim", _at(k.value))
        else:
            dims.append(k.value)
    if len(dims) > 1:
        raise ExprError("autograd.twice", _at(node), name=name)
    for d in dims:
        v = _dim_value(d)
        if v is None or not -MAX_DIM <= v < MAX_DIM:
            raise ExprError("autograd.dim", _at(d), lo=-MAX_DIM, hi=MAX_DIM - 1)
    if name in NEEDS_DIM and not dims:
        raise ExprError("autograd.needs_dim", _at(node), name=name)
    if any(k.arg == "keepdim" for k in node.keywords) and not dims:
        raise ExprError("autograd.needs_dim", _at(node), name=name)


def _check_shape(node: ast.Call, sizes: list[ast.expr]) -> None:
    """reshape(…)'s 1 to MAX_DIM constant sizes, each -1 or 1 … 1024."""
    if node.keywords or not 1 <= len(sizes) <= MAX_DIM:
        raise ExprError("autograd.shape", _at(node), limit=MAX_DIM)
    for s in sizes:
        v = _dim_value(s)
        if v is None or not (v == -1 or 1 <= v <= 1024):
            raise ExprError("autograd.shape", _at(s), limit=MAX_DIM)


def _call_name(node: ast.Call) -> str:
    f = node.func
    return (f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else "call")[:30]
