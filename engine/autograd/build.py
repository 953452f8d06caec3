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

from engine.autograd.parse import BINOPS, Expr, ExprError, parse
from engine.messages import define

MAX_ELEMENTS, MAX_DIMS = 64, 2
MAX_VALUE = 1024  # elements of any intermediate result: bounds the work (x @ x.T of 64 elements is 4,096)
DTYPES = {"float32": torch.float32, "float64": torch.float64}
SPEC_CALLS = ("randn", "rand", "ones", "zeros", "arange")

define({
    "autograd.spec": "input {name}: write a number, a list such as [1, 2, 3], or one of {calls}, e.g. randn(3)",
    "autograd.spec_size": "input {name} would have {n} elements; inputs have at most {limit} and {dims} dimensions",
    "autograd.missing_input": "give a value for the input {name}",
    "autograd.inputs_syntax": "write each input as name = value, separated by ; (e.g. x = randn(3); b = 2.0)",
    "autograd.inputs_many": "at most {limit} inputs",
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

    def call(self, name: str, args: list) -> object:
        """One of the language's functions."""
        a = args[0] if isinstance(args[0], torch.Tensor) else torch.tensor(args[0], dtype=self.dtype)
        if name == "pow":
            return torch.pow(a, args[1])
        if name == "detach":
            return a.detach()
        if name in ("sum", "mean"):
            return getattr(a, name)()
        return getattr(torch, name)(a)


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


def _spec(name: str, spec: str, dtype: torch.dtype, gen: torch.Generator) -> torch.Tensor:
    """The tensor a spec describes; refuses anything but the documented forms and sizes."""
    try:
        node = ast.parse(str(spec).strip(), mode="eval").body
    except SyntaxError:
        raise ExprError("autograd.spec", (1, 1), name=name, calls=", ".join(SPEC_CALLS)) from None
    value: torch.Tensor | None = None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SPEC_CALLS \
            and not node.keywords and all(isinstance(a, ast.Constant) and type(a.value) is int for a in node.args):
        shape = [a.value for a in node.args]
        if not 1 <= len(shape) <= MAX_DIMS or any(not 1 <= s <= MAX_ELEMENTS for s in shape):
            raise ExprError("autograd.spec_size", (1, 1), name=name, n=math.prod(shape) if shape else 0,
                            limit=MAX_ELEMENTS, dims=MAX_DIMS)
        n = math.prod(shape)
        if n > MAX_ELEMENTS:
            raise ExprError("autograd.spec_size", (1, 1), name=name, n=n, limit=MAX_ELEMENTS, dims=MAX_DIMS)
        f = node.func.id
        if f == "arange":
            value = torch.arange(n, dtype=dtype).reshape(shape)
        elif f in ("randn", "rand"):
            value = getattr(torch, f)(*shape, generator=gen, dtype=torch.float64).to(dtype)
        else:
            value = getattr(torch, f)(*shape, dtype=dtype)
    else:
        try:
            literal = ast.literal_eval(node)
            arr = np.asarray(literal, dtype=np.float64)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            raise ExprError("autograd.spec", (1, 1), name=name, calls=", ".join(SPEC_CALLS)) from None
        if arr.ndim > MAX_DIMS or arr.size > MAX_ELEMENTS or arr.size == 0:
            raise ExprError("autograd.spec_size", (1, 1), name=name, n=int(arr.size), limit=MAX_ELEMENTS,
                            dims=MAX_DIMS)
        value = torch.tensor(arr, dtype=dtype)
    return value


MAX_INPUTS = 8


def parse_inputs(text: str) -> dict[str, str]:
    """`x = randn(3); b = 2.0` (or one per line) as {name: spec}; the specs are checked when they are built."""
    out: dict[str, str] = {}
    col = 1
    for part in str(text).replace("\n", ";").split(";"):
        if part.strip():
            name, eq, spec = part.partition("=")
            if not eq or not name.strip().isidentifier() or not spec.strip():
                raise ExprError("autograd.inputs_syntax", (1, col + len(part) - len(part.lstrip())))
            out[name.strip()] = spec.strip()
        col += len(part) + 1
    if len(out) > MAX_INPUTS:
        raise ExprError("autograd.inputs_many", (1, 1), limit=MAX_INPUTS)
    return out


def make_inputs(expr: Expr, inputs: Mapping[str, str], requires_grad: set[str] | frozenset[str], dtype: str,
                seed: int) -> dict[str, torch.Tensor]:
    """Every input of `expr` from its spec, in order of first use (one generator, so a seed fixes them all)."""
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for name in expr.inputs:
        if name not in inputs:
            raise ExprError("autograd.missing_input", (1, 1), name=name)
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
        else:  # a call, checked by parse
            assert isinstance(node, ast.Call)
            if isinstance(node.func, ast.Attribute):
                name, args = node.func.attr, [node.func.value, *node.args]
            else:
                name, args = node.func.id, list(node.args)
            out = ops.call(name, [ev(a) for a in args])
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
    with counting_saved() as saved:
        values = evaluate(expr, leaves, Ops(dt), note)
    values = {k: v if isinstance(v, torch.Tensor) else torch.tensor(v, dtype=dt) for k, v in values.items()}
    run = Run(expr, leaves, values, values[expr.output], frozenset(requires_grad), dtype, seed, dict(inputs),
              made_by, produced, saved[0], saved[1])
    run.output._glassbox_run = weakref.ref(run)  # so that graph_of(run.output) knows the program's names
    return run
