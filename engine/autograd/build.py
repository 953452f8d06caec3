"""Run a checked program with torch, recording PyTorch's graph as it goes (define-by-run).

`build` makes each input from a small spec ("randn(3)", "2.0", "[1, 2, 3]", "ones(2, 3)"), marks those in
`requires_grad` as leaves that require gradients, then interprets the program's tree with torch ops: every
operation on a tensor that requires grad adds a node to the graph at that moment. The same interpreter
runs on any `Ops` (the project's scalar engine uses it too), so both sides compute the same program.
Tensors saved for backward are counted through `torch.autograd.graph.saved_tensors_hooks`.
"""

from __future__ import annotations

import ast
import contextlib
import math
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import torch

from engine.autograd.custom import Softplus
from engine.autograd.parse import BINOPS, COMPARE, FUNCTIONS, INPLACE, LIMIT, Expr, ExprError, parse
from engine.messages import define

MAX_ELEMENTS, MAX_DIMS = 64, 2
MAX_VALUE = 1024  # elements of any intermediate result: bounds the work (x @ x.T of 64 elements is 4,096)
DTYPES = {"float32": torch.float32, "float64": torch.float64}
SPEC_CALLS = ("randn", "rand", "ones", "zeros", "arange")

define({
    "autograd.spec": "input {name}: write a number, a list such as [1, 2, 3], or one of {calls}, e.g. randn(3)",
    "autograd.spec_size": "input {name} would have {n} elements; inputs have at most {limit} and {dims} dimensions",
    "autograd.spec_char": "input {name}: {char} cannot appear in a value (numbers, lists and {calls} only)",
    "autograd.spec_nesting": "input {name}: brackets nest deeper than {limit} here",
    "autograd.missing_input": "give a value for the input {name}",
    "autograd.inputs_syntax": "write each input as name = value, separated by ; (e.g. x = randn(3); b = 2.0)",
    "autograd.inputs_many": "at most {limit} inputs",
    "autograd.inputs_too_long": "the inputs are longer than {limit} characters",
    "autograd.torch": "PyTorch refused this line: {error}",
    "autograd.value_size": "this makes {n} elements; results have at most {limit} here",
})


class Ops:
    """How the interpreter computes: torch here; the scalar engine supplies its own."""

    def __init__(self, dtype: torch.dtype = torch.float64) -> None:
        self.dtype = dtype

    def number(self, value: float) -> object:
        """A constant of the program."""
        return value

    def binop(self, op: str, a: object, b: object) -> object:
        """a op b for op in + - * / ** @."""
        if op == "@":
            return a @ b
        return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
                "**": lambda: a ** b}[op]()

    def neg(self, a: object) -> object:
        """−a."""
        return -a

    def index(self, a: object, idx: object) -> object:
        """a[idx] with constant integers and slices."""
        return a[idx]

    def tensor(self, a: object) -> torch.Tensor:
        """`a` as a tensor of the run's dtype (a number becomes a 0-d tensor)."""
        return a if isinstance(a, torch.Tensor) else torch.tensor(a, dtype=self.dtype)

    def call(self, name: str, args: list, dim: int | None = None, keepdim: bool = False) -> object:
        """One of the language's functions (reductions over `dim` when one is given)."""
        a = self.tensor(args[0])
        if name == "pow":
            return torch.pow(a, args[1])
        if name == "detach":
            return a.detach()
        if name in ("sum", "mean"):
            return getattr(a, name)() if dim is None else getattr(a, name)(dim=dim, keepdim=keepdim)
        if name == "max":  # the whole tensor's max, or the values (not the indices) along dim
            return a.max() if dim is None else a.max(dim=dim, keepdim=keepdim).values
        if name == "softmax":
            return torch.softmax(a, dim=dim)
        if name == "where":
            return torch.where(args[0], self.tensor(args[1]), self.tensor(args[2]))
        if name == "softplus":  # our custom autograd.Function: SoftplusBackward in the graph
            return Softplus.apply(a)
        return getattr(torch, name)(a)

    def inplace(self, name: str, a: object, args: list) -> object:
        """a.add_(b), a.mul_(b), a.exp_(), a.sigmoid_(): the same tensor, changed (its _version goes up)."""
        return getattr(self.tensor(a), name)(*args)

    def transpose(self, a: object) -> object:
        """a.T: every dimension reversed (written as a permute: torch deprecates .T below or above 2-D)."""
        a = self.tensor(a)
        return a.permute(*reversed(range(a.dim())))

    def reshape(self, a: object, shape: tuple[int, ...]) -> object:
        """a.reshape(*shape)."""
        return self.tensor(a).reshape(shape)

    def compare(self, op: str, a: object, b: object) -> object:
        """a op b for the comparisons where() takes: a tensor of booleans."""
        a, b = self.tensor(a), self.tensor(b)
        return {"<": torch.lt, "<=": torch.le, ">": torch.gt, ">=": torch.ge, "==": torch.eq, "!=": torch.ne}[op](a, b)


@dataclass
class Run:
    """One execution of a program: its leaves, every value it assigned, the output, and what PyTorch saved
    for backward (count and bytes, as packed by saved_tensors_hooks)."""

    expr: Expr
    inputs: dict[str, torch.Tensor]
    values: dict[str, torch.Tensor]
    output: torch.Tensor
    requires_grad: frozenset[str]
    dtype: str
    seed: int
    specs: dict[str, str]
    made_by: dict[int, str] = field(default_factory=dict)  # id(grad_fn) -> the source text that made it
    produced: dict[int, torch.Tensor] = field(default_factory=dict)  # id(grad_fn) -> the tensor it made
    saved_count: int = 0
    saved_bytes: int = 0


MAX_INPUTS, MAX_INPUTS_CHARS = 8, 4000  # 8 inputs of 64 written-out numbers fit; bounded before any parsing
MAX_NESTING = 3  # brackets inside one value: [[1, 2], [3, 4]] is 2, randn(2, 3) is 1
SPEC_CHARS = frozenset("0123456789.eE+-_[](), \t" + "abcdefghijklmnopqrstuvwxyz")  # what any valid value needs


def _short(name: str, limit: int = 30) -> str:
    """A name as a message quotes it: at most `limit` characters, never the whole input."""
    return name if len(name) <= limit else name[:limit - 1] + "…"


def _at(start: tuple[int, int], offset: int) -> tuple[int, int]:
    """The (line, column) `offset` characters after `start` on the same line."""
    return start[0], start[1] + offset


@dataclass(frozen=True)
class Spec:
    """A checked input spec: a call such as randn(2, 3) (its name and shape) or literal values."""

    call: str | None
    shape: tuple[int, ...]
    values: np.ndarray | None


def _scan(name: str, spec: str, at: tuple[int, int]) -> None:
    """Refuse characters no value has, doubled signs and deep nesting before Python's parser sees the text: its
    recursion (thousands of minus signs) and memory (a huge literal) are then bounded by the text's length."""
    depth, last = 0, ""
    for i, ch in enumerate(spec):
        if ch not in SPEC_CHARS:
            raise ExprError("autograd.spec_char", _at(at, i), name=_short(name), char=repr(ch),
                            calls=", ".join(SPEC_CALLS))
        if ch in "+-" and last in ("+", "-"):
            raise ExprError("autograd.spec", _at(at, i), name=_short(name), calls=", ".join(SPEC_CALLS))
        depth += (ch in "([") - (ch in ")]")
        if depth > MAX_NESTING:
            raise ExprError("autograd.spec_nesting", _at(at, i), name=_short(name), limit=MAX_NESTING)
        if not ch.isspace():
            last = ch


def _number(node: ast.expr) -> float | None:
    """A number literal (with at most one sign) as a float, or None if `node` is none."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign, node = (-1.0 if isinstance(node.op, ast.USub) else 1.0), node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * node.value if abs(node.value) <= LIMIT else math.inf  # compared before float(): no overflow
    return None


def _literal(node: ast.expr, name: str, at: tuple[int, int], depth: int = 0) -> object:
    """A number or a (nested) list of numbers, each at most LIMIT in size; raises ExprError."""
    if isinstance(node, ast.List | ast.Tuple) and depth < MAX_DIMS:
        return [_literal(e, name, at, depth + 1) for e in node.elts]
    v = _number(node)
    if v is None:
        raise ExprError("autograd.spec", _at(at, node.col_offset), name=_short(name), calls=", ".join(SPEC_CALLS))
    if not abs(v) <= LIMIT:
        raise ExprError("autograd.number", _at(at, node.col_offset), value="> 1e6" if math.isinf(v) else f"{v:.3g}",
                        limit=f"{LIMIT:g}")
    return v


def read_spec(name: str, spec: str, at: tuple[int, int] = (1, 1)) -> Spec:
    """Check one input spec ("randn(3)", "2.0", "[1, 2, 3]") without making a tensor; `at` is where the spec
    starts in the Inputs text, so an error points into it. Every refusal is an ExprError."""
    spec = str(spec)
    lead = len(spec) - len(spec.lstrip())
    spec, at = spec.strip(), _at(at, lead)
    if len(spec) > MAX_INPUTS_CHARS:
        raise ExprError("autograd.inputs_too_long", _at(at, MAX_INPUTS_CHARS), limit=MAX_INPUTS_CHARS)
    _scan(name, spec, at)
    bad = {"name": _short(name), "calls": ", ".join(SPEC_CALLS)}
    try:
        node = ast.parse(spec, mode="eval").body
    except SyntaxError as e:
        raise ExprError("autograd.spec", _at(at, max(0, (e.offset or 1) - 1)), **bad) from None
    except (ValueError, RecursionError, MemoryError):  # cannot happen after _scan; never a raw exception
        raise ExprError("autograd.spec", at, **bad) from None
    if isinstance(node, ast.Call):
        if not (isinstance(node.func, ast.Name) and node.func.id in SPEC_CALLS and not node.keywords
                and all(isinstance(a, ast.Constant) and type(a.value) is int for a in node.args)):
            raise ExprError("autograd.spec", at, **bad)
        shape = tuple(a.value for a in node.args)
        if not 1 <= len(shape) <= MAX_DIMS or any(not 1 <= s <= MAX_ELEMENTS for s in shape) \
                or math.prod(shape) > MAX_ELEMENTS:
            n = 0 if not shape or min(shape) < 1 else math.prod(shape) if max(shape) <= LIMIT else "> 1e6"
            raise ExprError("autograd.spec_size", at, name=_short(name), n=n, limit=MAX_ELEMENTS, dims=MAX_DIMS)
        return Spec(node.func.id, shape, None)
    literal = _literal(node, name, at)
    try:
        arr = np.asarray(literal, dtype=np.float64)
    except ValueError:  # ragged, e.g. [[1, 2], [3]]
        raise ExprError("autograd.spec", at, **bad) from None
    if arr.ndim > MAX_DIMS or arr.size > MAX_ELEMENTS or arr.size == 0:
        raise ExprError("autograd.spec_size", at, name=_short(name), n=int(arr.size), limit=MAX_ELEMENTS,
                        dims=MAX_DIMS)
    return Spec(None, arr.shape, arr)


def _spec(name: str, spec: str, dtype: torch.dtype, gen: torch.Generator) -> torch.Tensor:
    """The tensor a spec describes; refuses anything but the documented forms and sizes."""
    s = read_spec(name, spec)
    if s.values is not None:
        return torch.tensor(s.values, dtype=dtype)
    n = math.prod(s.shape)
    if s.call == "arange":
        return torch.arange(n, dtype=dtype).reshape(s.shape)
    if s.call in ("randn", "rand"):
        return getattr(torch, s.call)(*s.shape, generator=gen, dtype=torch.float64).to(dtype)
    return getattr(torch, s.call)(*s.shape, dtype=dtype)


def parse_inputs(text: str) -> dict[str, str]:
    """`x = randn(3); b = 2.0` (or one per line) as {name: spec}, each spec checked (not yet made) so that an
    error points at it; the length is bounded before anything is parsed. Raises ExprError only."""
    text = str(text)
    if len(text) > MAX_INPUTS_CHARS:
        line = text.count("\n", 0, MAX_INPUTS_CHARS) + 1
        col = MAX_INPUTS_CHARS - (text.rfind("\n", 0, MAX_INPUTS_CHARS) + 1) + 1
        raise ExprError("autograd.inputs_too_long", (line, col), limit=MAX_INPUTS_CHARS)
    out: dict[str, str] = {}
    for line_no, line in enumerate(text.splitlines() or [""], start=1):
        col = 1
        for part in line.split(";"):
            if part.strip():
                at = (line_no, col + len(part) - len(part.lstrip()))
                name, eq, spec = part.partition("=")
                if not eq or not name.strip().isidentifier() or not spec.strip():
                    raise ExprError("autograd.inputs_syntax", at)
                if name.strip() not in out and len(out) == MAX_INPUTS:
                    raise ExprError("autograd.inputs_many", at, limit=MAX_INPUTS)
                read_spec(name.strip(), spec, (line_no, col + len(name) + 1))
                out[name.strip()] = spec.strip()
            col += len(part) + 1
    return out


def make_inputs(expr: Expr, inputs: Mapping[str, str], requires_grad: set[str] | frozenset[str], dtype: str,
                seed: int) -> dict[str, torch.Tensor]:
    """Every input of `expr` from its spec, in order of first use (one generator, so a seed fixes them all)."""
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for name in expr.inputs:
        if name not in inputs:
            raise ExprError("autograd.missing_input", (1, 1), name=_short(name))
        out[name] = _spec(name, inputs[name], DTYPES[dtype], gen).requires_grad_(name in requires_grad)
    return out


def evaluate(expr: Expr, env: dict[str, object], ops: Ops, on_value: Callable[[ast.expr, object], None] | None = None
             ) -> dict[str, object]:
    """Interpret `expr` with `ops`, starting from `env` (the inputs); returns every assigned name's value.
    `on_value(node, value)` sees each operation's result."""
    env = dict(env)

    def ev(node: ast.expr) -> object:
        if isinstance(node, ast.Constant):
            return ops.number(float(node.value))
        if isinstance(node, ast.Name):
            return env[node.id]
        if isinstance(node, ast.BinOp):
            out = ops.binop(BINOPS[type(node.op)], ev(node.left), ev(node.right))
        elif isinstance(node, ast.UnaryOp):
            out = ops.neg(ev(node.operand)) if isinstance(node.op, ast.USub) else ev(node.operand)
        elif isinstance(node, ast.Subscript):
            out = ops.index(ev(node.value), _index(node.slice))
        elif isinstance(node, ast.Attribute):  # .T, the one attribute parse lets through
            out = ops.transpose(ev(node.value))
        else:  # a call, checked by parse
            assert isinstance(node, ast.Call)
            if isinstance(node.func, ast.Attribute):
                name, args = node.func.attr, [node.func.value, *node.args]
            else:
                name, args = node.func.id, list(node.args)
            if name in INPLACE:  # y.add_(1): y (a plain name, checked by parse) changes where it is held
                old = env[args[0].id]
                out = ops.inplace(name, old, [ev(a) for a in args[1:]])
                if out is not old:  # an engine whose values cannot change in place rebinds every alias instead
                    env.update({k: out for k, v in env.items() if v is old})
            elif name == "reshape":
                out = ops.reshape(ev(args[0]), tuple(_constant(a) for a in args[1:]))
            elif name == "where":
                cond = args[0]
                assert isinstance(cond, ast.Compare)
                c = ops.compare(COMPARE[type(cond.ops[0])], ev(cond.left), ev(cond.comparators[0]))
                out = ops.call(name, [c, ev(args[1]), ev(args[2])])
            else:
                n = FUNCTIONS.get(name, 1)
                params = {k.arg: _constant(k.value) if k.arg == "dim" else k.value.value for k in node.keywords}
                if len(args) > n:  # x.sum(0): the one extra argument is dim
                    params["dim"] = _constant(args[n])
                out = ops.call(name, [ev(a) for a in args[:n]], **params)
        n = int(getattr(out, "size", 1) if isinstance(out, np.ndarray) else getattr(out, "numel", lambda: 1)())
        if n > MAX_VALUE:
            raise ExprError("autograd.value_size", (node.lineno, node.col_offset + 1), n=n, limit=MAX_VALUE)
        if on_value:
            on_value(node, out)
        return out

    assigned = {}
    for target, tree in expr.statements:
        try:
            env[target] = assigned[target] = ev(tree)
        except ExprError:
            raise
        except (RuntimeError, ValueError, TypeError, IndexError, ZeroDivisionError, OverflowError) as e:
            line = str(e).strip().splitlines()[0][:200] if str(e).strip() else type(e).__name__
            raise ExprError("autograd.torch", (tree.lineno, tree.col_offset + 1), error=line) from None
    return assigned


def _constant(node: ast.expr | None) -> int | None:
    if node is None:
        return None
    if isinstance(node, ast.UnaryOp):
        return -node.operand.value  # type: ignore[attr-defined]
    return node.value  # type: ignore[attr-defined]


def _index(node: ast.expr) -> object:
    parts = node.elts if isinstance(node, ast.Tuple) else [node]
    idx = tuple(slice(_constant(p.lower), _constant(p.upper)) if isinstance(p, ast.Slice) else _constant(p)
                for p in parts)
    return idx[0] if len(idx) == 1 else idx


@contextlib.contextmanager
def counting_saved() -> Iterator[list[int]]:
    """Within the block, count the tensors autograd saves for backward and their bytes: [count, bytes]
    (a tensor saved twice, e.g. y in y * y, counts twice, though it is stored once)."""
    counts = [0, 0]

    def pack(t: torch.Tensor) -> torch.Tensor:
        counts[0] += 1
        counts[1] += t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        yield counts


def build(expr: Expr | str, inputs: Mapping[str, str], requires_grad: set[str] | frozenset[str] = frozenset(),
          dtype: str = "float64", seed: int = 0) -> Run:
    """Run `expr` with torch on inputs made from `inputs` (name -> spec); those named in `requires_grad`
    are leaves that require gradients. Raises ExprError for a bad spec or a line torch refuses."""
    expr = parse(expr) if isinstance(expr, str) else expr
    leaves = make_inputs(expr, inputs, frozenset(requires_grad), dtype, seed)
    made_by: dict[int, str] = {}
    produced: dict[int, torch.Tensor] = {}

    def note(node: ast.expr, value: object) -> None:
        fn = getattr(value, "grad_fn", None)
        if fn is not None and id(fn) not in made_by:
            made_by[id(fn)] = ast.get_source_segment(expr.source, node) or type(node).__name__
            produced[id(fn)] = value

    dt = DTYPES[dtype]
    # counted on a throw-away pass: while saved_tensors_hooks are active PyTorch does not check saved tensors'
    # versions, and the graph kept must refuse a backward through a value the program changed in place
    with counting_saved() as saved:
        evaluate(expr, make_inputs(expr, inputs, frozenset(requires_grad), dtype, seed), Ops(dt))
    values = evaluate(expr, leaves, Ops(dt), note)
    values = {k: v if isinstance(v, torch.Tensor) else torch.tensor(v, dtype=dt) for k, v in values.items()}
    run = Run(expr, leaves, values, values[expr.output], frozenset(requires_grad), dtype, seed, dict(inputs),
              made_by, produced, saved[0], saved[1])
    run.output._glassbox_run = weakref.ref(run)  # so that graph_of(run.output) knows the program's names
    return run
