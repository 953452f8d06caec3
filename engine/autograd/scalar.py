"""The project's own reverse-mode engine on scalars (micrograd-sized), run on the same program as torch.

A `ScalarValue` holds a float and, for each value it was computed from, the local derivative; `backward`
orders the graph topologically from the output and accumulates ∂out/∂v into every `grad`, the chain rule
applied one edge at a time, exactly as autograd does for tensors. Tensors are numpy arrays of
ScalarValues, so broadcasting, indexing, sums and matmul come from numpy applied element by element.
Left out: anything but float64, and higher derivatives (a gradient here is a plain float).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.autograd.build import Ops, Run, evaluate, make_inputs


def _not_arrays(op: Callable[[ScalarValue, object], ScalarValue]) -> Callable[[ScalarValue, object], ScalarValue]:
    """Decline an operation with a numpy array, so that numpy broadcasts the ScalarValue over the array."""
    @functools.wraps(op)
    def wrapped(self: ScalarValue, o: object) -> ScalarValue:
        return NotImplemented if isinstance(o, np.ndarray) else op(self, o)
    return wrapped


class ScalarValue:
    """A float that remembers how it was computed, for reverse-mode differentiation."""

    __slots__ = ("data", "grad", "parents")

    def __init__(self, data: float, parents: tuple[tuple[ScalarValue, float], ...] = ()) -> None:
        self.data, self.grad, self.parents = float(data), 0.0, parents

    @staticmethod
    def of(x: object) -> ScalarValue:
        """`x` as a ScalarValue (a plain number becomes a constant)."""
        return x if isinstance(x, ScalarValue) else ScalarValue(float(x))

    @_not_arrays
    def __add__(self, o: object) -> ScalarValue:
        o = ScalarValue.of(o)
        return ScalarValue(self.data + o.data, ((self, 1.0), (o, 1.0)))

    @_not_arrays
    def __mul__(self, o: object) -> ScalarValue:
        o = ScalarValue.of(o)
        return ScalarValue(self.data * o.data, ((self, o.data), (o, self.data)))

    @_not_arrays
    def __pow__(self, o: object) -> ScalarValue:
        o = ScalarValue.of(o)
        a, b = self.data, o.data
        out = _pow(a, b)
        d_base = 0.0 if b == 0 else b * _pow(a, b - 1)  # torch's pow_backward: zero where the exponent is 0
        d_exp = out * math.log(a) if a > 0 else (0.0 if a == 0 and b >= 0 else math.nan)  # torch's convention
        return ScalarValue(out, ((self, d_base), (o, d_exp)))

    def __neg__(self) -> ScalarValue:
        return self * -1.0

    @_not_arrays
    def __sub__(self, o: object) -> ScalarValue:
        return self + (-ScalarValue.of(o))

    @_not_arrays
    def __truediv__(self, o: object) -> ScalarValue:
        o = ScalarValue.of(o)
        return ScalarValue(self.data / o.data, ((self, 1.0 / o.data), (o, -self.data / o.data ** 2)))

    @_not_arrays
    def __radd__(self, o: object) -> ScalarValue:
        return ScalarValue.of(o) + self

    @_not_arrays
    def __rmul__(self, o: object) -> ScalarValue:
        return ScalarValue.of(o) * self

    @_not_arrays
    def __rsub__(self, o: object) -> ScalarValue:
        return ScalarValue.of(o) - self

    @_not_arrays
    def __rtruediv__(self, o: object) -> ScalarValue:
        return ScalarValue.of(o) / self

    @_not_arrays
    def __rpow__(self, o: object) -> ScalarValue:
        return ScalarValue.of(o) ** self

    def unary(self, name: str) -> ScalarValue:
        """sin, cos, exp, log, tanh, sigmoid, relu, sqrt, abs or softplus of this value, with its derivative."""
        x = self.data
        if name == "sigmoid":
            s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
            return ScalarValue(s, ((self, s * (1 - s)),))
        table = {"sin": (math.sin, math.cos), "cos": (math.cos, lambda v: -math.sin(v)),
                 "exp": (math.exp, math.exp), "log": (_log, lambda v: 1 / v if v else math.inf),
                 "tanh": (math.tanh, lambda v: 1 - math.tanh(v) ** 2),
                 "relu": (lambda v: max(v, 0.0), lambda v: 1.0 if v > 0 else 0.0),
                 "sqrt": (_sqrt, lambda v: 0.5 / math.sqrt(v) if v > 0 else math.inf),
                 "abs": (abs, lambda v: float(np.sign(v))),
                 "softplus": (lambda v: max(v, 0.0) + math.log1p(math.exp(-abs(v))), _sigmoid)}
        f, d = table[name]
        return ScalarValue(f(x), ((self, d(x)),))

    def backward(self) -> None:
        """Accumulate ∂self/∂v into v.grad for every value this one was computed from."""
        order, seen = [], set()
        stack = [(self, False)]
        while stack:  # iterative depth-first topological sort: deep graphs need no recursion
            v, ready = stack.pop()
            if ready:
                order.append(v)
                continue
            if id(v) in seen:
                continue
            seen.add(id(v))
            stack.append((v, True))
            stack += [(p, False) for p, _ in v.parents if id(p) not in seen]
        self.grad = 1.0
        for v in reversed(order):
            for p, local in v.parents:
                p.grad += local * v.grad


def _pow(a: float, b: float) -> float:
    """a ** b as IEEE floats give it (torch's answers): nan for a negative base and a fractional exponent,
    ±inf for 0 to a negative power, inf on overflow."""
    try:
        return math.pow(a, b)
    except ValueError:
        return math.nan
    except ZeroDivisionError:
        return math.copysign(math.inf, a) if float(b).is_integer() and int(b) % 2 else math.inf
    except OverflowError:
        return math.inf if a > 0 or (float(b).is_integer() and int(b) % 2 == 0) else -math.inf


def _sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))


def _log(v: float) -> float:
    return math.log(v) if v > 0 else (-math.inf if v == 0 else math.nan)


def _sqrt(v: float) -> float:
    return math.sqrt(v) if v >= 0 else math.nan


_unary = np.vectorize(lambda v, name: ScalarValue.of(v).unary(name), otypes=[object])
_constant = np.vectorize(lambda v: ScalarValue(ScalarValue.of(v).data), otypes=[object])
_data = np.vectorize(lambda v: ScalarValue.of(v).data, otypes=[float])


def _max(values: list, evenly: bool) -> ScalarValue:
    """The largest value; its gradient goes to every tied maximum in equal shares (`evenly`, torch's max() of a
    whole tensor) or to the first one only (torch's max(dim=) on the CPU, which returns the first index)."""
    vs = [ScalarValue.of(v) for v in values]
    top = max(v.data for v in vs)
    tied = [v for v in vs if v.data == top] if evenly else [next(v for v in vs if v.data == top)]
    return ScalarValue(top, tuple((v, 1.0 / len(tied)) for v in tied))


def _softmax(values: list) -> list[ScalarValue]:
    """exp(v − m) / Σ exp(v − m) with m the lane's max held constant (softmax does not change under a shift)."""
    vs = [ScalarValue.of(v) for v in values]
    m = max(v.data for v in vs)
    e = [(v - m).unary("exp") for v in vs]
    total = sum(e, ScalarValue(0.0))
    return [x / total for x in e]


def _along(a: np.ndarray, dim: int, keepdim: bool, name: str) -> np.ndarray:
    """sum, mean, max or softmax along `dim`, one lane at a time (moved last, then put back)."""
    lanes = np.moveaxis(a, dim, -1)
    flat = lanes.reshape(-1, lanes.shape[-1])
    if name == "softmax":
        out = np.empty(flat.shape, dtype=object)
        for i, row in enumerate(flat):
            out[i] = _softmax(row.tolist())
        return np.moveaxis(out.reshape(lanes.shape), -1, dim)
    reduce = {"sum": lambda r: sum(r, ScalarValue(0.0)), "mean": lambda r: sum(r, ScalarValue(0.0)) / len(r),
              "max": lambda r: _max(r, evenly=False)}[name]
    out = np.empty(flat.shape[0], dtype=object)
    for i, row in enumerate(flat):
        out[i] = reduce(row.tolist())
    out = out.reshape(lanes.shape[:-1])
    return np.expand_dims(out, dim) if keepdim else out


class ScalarOps(Ops):
    """The interpreter's operations on numpy arrays of ScalarValue."""

    def binop(self, op: str, a: object, b: object) -> object:
        """Element by element (numpy broadcasts), matmul by numpy's own loops over objects."""
        if op == "@":
            return np.matmul(np.asarray(a, dtype=object), np.asarray(b, dtype=object))
        return super().binop(op, a, b)

    def call(self, name: str, args: list, dim: int | None = None, keepdim: bool = False) -> object:
        """The language's functions, element by element; reductions over `dim` lane by lane."""
        a = np.asarray(args[0], dtype=object)
        if name == "pow":
            return a ** args[1]
        if name == "detach":
            return _constant(a)
        if name == "where":
            return np.where(np.asarray(args[0], dtype=bool), np.asarray(args[1], dtype=object),
                            np.asarray(args[2], dtype=object))
        if name in ("sum", "mean", "max", "softmax") and dim is not None:
            return _along(a, dim, keepdim, name)
        if name in ("sum", "mean"):
            total = sum(a.flatten().tolist(), ScalarValue(0.0))
            return total / a.size if name == "mean" else total
        if name == "max":
            return _max(a.flatten().tolist(), evenly=True)
        return _unary(a, name)

    def inplace(self, name: str, a: object, args: list) -> object:
        """The same array with new values written into it (a view writes through to its base, as in torch); a
        single value, which cannot change, is replaced by a new one (evaluate rebinds its names)."""
        op = {"add_": lambda v: v + args[0], "mul_": lambda v: v * args[0], "exp_": lambda v: _unary(v, "exp"),
              "sigmoid_": lambda v: _unary(v, "sigmoid")}[name]
        if isinstance(a, np.ndarray):
            a[...] = op(a)
            return a
        new = op(np.asarray(a, dtype=object))
        return new[()] if isinstance(new, np.ndarray) else new

    def index(self, a: object, idx: object) -> object:
        """a[idx] as a view of a, like torch's (an integer picks a 0-d view, not the element itself)."""
        arr = np.asarray(a, dtype=object)
        parts = idx if isinstance(idx, tuple) else (idx,)
        view = arr[tuple(slice(p, p + 1 if p != -1 else None) if isinstance(p, int) else p for p in parts)]
        return view.reshape([n for n, p in zip(view.shape, parts + (slice(None),) * (view.ndim - len(parts)),
                                               strict=True) if not isinstance(p, int)])

    def transpose(self, a: object) -> object:
        """Every dimension reversed."""
        return np.asarray(a, dtype=object).T

    def reshape(self, a: object, shape: tuple[int, ...]) -> object:
        """The same elements in row-major order, in `shape`."""
        return np.asarray(a, dtype=object).reshape(shape)

    def compare(self, op: str, a: object, b: object) -> object:
        """A plain boolean array from the values (a comparison has no derivative)."""
        x, y = _data(np.asarray(a, dtype=object)), _data(np.asarray(b, dtype=object))
        return {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal, "==": np.equal,
                "!=": np.not_equal}[op](x, y)


def scalar_grads(run: Run) -> tuple[float | np.ndarray, dict[str, np.ndarray]]:
    """The program of `run` evaluated with ScalarValues on the same input values: the output's value and the
    gradient of the output's sum with respect to every input that requires grad."""
    start = make_inputs(run.expr, run.specs, frozenset(), run.dtype, run.seed)  # as they were before any add_()
    leaves = {n: np.vectorize(ScalarValue, otypes=[object])(t.double().numpy()) for n, t in start.items()}
    values = evaluate(run.expr, leaves, ScalarOps())
    out = np.asarray(values[run.expr.output], dtype=object)
    total = sum(out.flatten().tolist(), ScalarValue(0.0)) if out.size > 1 else ScalarValue.of(out.item())
    total.backward()
    value = np.vectorize(lambda v: ScalarValue.of(v).data, otypes=[float])(out)
    grads = {n: np.vectorize(lambda v: v.grad, otypes=[float])(leaves[n]) for n in run.requires_grad
             if n in leaves}
    return value, grads


@dataclass(frozen=True)
class GradComparison:
    """One input's gradient from our engine beside torch's .grad, and what the comparison may claim."""

    name: str
    ours: tuple[float, ...]  # always float64: the scalar engine knows no other precision
    torch: tuple[float, ...] | None  # None: torch left .grad at None (no path from this input reaches the output)
    torch_dtype: str  # the run's dtype: torch's gradient is in it
    max_abs_diff: float | None  # None: not compared

    @property
    def mixed_precision(self) -> bool:
        """Our float64 against torch's float32: the difference is then float32's rounding, not a mistake."""
        return self.torch_dtype != "float64"


def _max_diff(a: np.ndarray, b: np.ndarray) -> float:
    """max |a − b|, where the same non-finite value on both sides counts as agreement and a mismatch as inf."""
    with np.errstate(invalid="ignore"):  # inf − inf is nan here, and counts as a mismatch below
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        d = np.where(same, 0.0, np.abs(a - b))
    return float(np.nan_to_num(d, nan=np.inf).max()) if d.size else 0.0


def compare_grads(run: Run, torch_grads: dict[str, tuple[float, ...]]) -> list[GradComparison]:
    """Our gradients for every input of `run` that requires grad beside `torch_grads` (name -> torch's .grad,
    flattened, as backward_trace leaves them); an input torch gave no .grad is not compared."""
    _, ours = scalar_grads(run)
    rows = []
    for name in (n for n in run.expr.inputs if n in ours):
        mine = ours[name].flatten()
        theirs = torch_grads.get(name)
        diff = _max_diff(mine, np.asarray(theirs, dtype=np.float64)) if theirs is not None else None
        rows.append(GradComparison(name, tuple(mine.tolist()), None if theirs is None else tuple(theirs), run.dtype,
                                   diff))
    return rows
