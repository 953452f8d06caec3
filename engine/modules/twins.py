"""nn.Xxx beside nn.functional.xxx: each module next to its functional form, fed the module's own weights,
run in train and in eval mode, with the verdict read from the real outputs and the real buffers.

A module is a class around the function that also owns its parameters and buffers and inherits train(),
eval(), state_dict() and load_state_dict() from nn.Module. Where the two differ is where that state and the
`training` flag matter: F.dropout defaults to training=True, so a functional dropout that is not handed
`self.training` keeps dropping after model.eval(); BatchNorm normalises with the batch's statistics in train
mode, with its running statistics in eval, and updates those only in train.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from engine.messages import Message, define
from engine.modules.state import batchnorm_modes

define({
    "modules.equal_bitwise": "the module and the function give bitwise identical outputs",
    "modules.equal_close": "the outputs agree to {diff} (not bitwise: a different kernel or order of additions)",
    "modules.differs": "the outputs differ (largest difference {diff})",
    "modules.shape_differs": "the outputs have different shapes: {module} from the module, {function} from the "
                             "function (the same {n} numbers in the same order)",
    "modules.shape_and_values_differ": "the outputs differ in shape ({module} from the module, {function} from the "
                                       "function) and in their numbers",
    "modules.softmax_default": "F.softmax without dim chooses one itself (dim 0 for 0-, 1- and 3-D inputs, dim 1 "
                               "otherwise; deprecated): on this {ndim}-D input its outputs sum to 1 along dim "
                               "{naive_dim}, nn.Softmax(dim={dim})'s along dim {module_dim}",
    "modules.flatten_default": "nn.Flatten() keeps the batch dimension (start_dim=1): {module}; torch.flatten(x) "
                               "starts at dim 0 and folds the batch in too: {function}",
    "modules.gelu_default": "nn.GELU(approximate='tanh') uses the tanh approximation; F.gelu(x) defaults to "
                            "approximate='none', the exact erf form: on this input they differ by up to {diff}",
    "modules.dropout_flag": "F.dropout defaults to training=True: called without the module's `training` flag, it "
                            "keeps dropping in eval mode, while nn.Dropout passes its input through",
    "modules.state_changed": "{where} changed {names} during the call",
    "modules.functional_call_same": "torch.func.functional_call with a dict of the module's own parameters and "
                                    "buffers gives bitwise the module's output",
    "modules.functional_call_differs": "torch.func.functional_call with a dict of the module's own parameters and "
                                       "buffers differs from the module by {diff}",
    "modules.functional_call_follows": "handed a dict with nn.{name}'s {n} parameter tensor(s) multiplied by "
                                       "−1, torch.func.functional_call returned −(the module's output) (largest "
                                       "|difference| {diff}), up to {away} away from what the module itself "
                                       "returns, and the module's own parameters did not change: the output "
                                       "follows the dict, not the module",
    "modules.functional_call_ignored": "handed a dict with nn.{name}'s {n} parameter tensor(s) multiplied by "
                                       "−1, the call returned the module's own output (largest |difference| "
                                       "{away}): it ignored the dict",
    "modules.functional_call_nothing": "nn.{name} has no parameters or buffers: functional_call has no tensor to "
                                       "swap, so it is the module itself",
})

Functional = Callable[[nn.Module, torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class Twin:
    """A module and its functional form (which reads the module's weights and, if written right, its flag)."""

    name: str
    make: Callable[[], nn.Module]
    functional: Functional
    shape: tuple[int, ...]
    integer_input: int = 0  # > 0: the input is token ids below this (Embedding)
    naive: Functional | None = None  # the common mistake, where there is one (F.dropout without training=)
    note: str | None = None  # a message code that explains the twin's difference by design
    measure: Callable[[torch.Tensor], Message] | None = None  # a difference by design, measured on the input


def _bn_functional(m: nn.Module, x: torch.Tensor) -> torch.Tensor:
    # the functional form updates the buffers it is given in place, exactly as the module does with its own
    return F.batch_norm(x, m.fn_running_mean, m.fn_running_var, m.weight, m.bias, m.training, m.momentum, m.eps)


def _seeded(factory: Callable[[], nn.Module]) -> Callable[[], nn.Module]:
    def make() -> nn.Module:
        torch.manual_seed(0)
        m = factory()
        if isinstance(m, nn.BatchNorm2d):  # a separate copy of the running statistics for the functional side
            m.register_buffer("fn_running_mean", m.running_mean.clone(), persistent=False)
            m.register_buffer("fn_running_var", m.running_var.clone(), persistent=False)
        return m

    return make


def twins() -> list[Twin]:
    """The module / functional pairs the page compares."""
    return [
        Twin("Linear", _seeded(lambda: nn.Linear(16, 8)), lambda m, x: F.linear(x, m.weight, m.bias), (4, 16)),
        Twin("Conv2d", _seeded(lambda: nn.Conv2d(3, 4, 3, padding=1)),
             lambda m, x: F.conv2d(x, m.weight, m.bias, m.stride, m.padding, m.dilation, m.groups), (2, 3, 8, 8)),
        Twin("Dropout", _seeded(lambda: nn.Dropout(0.5)), lambda m, x: F.dropout(x, m.p, m.training), (4, 16),
             naive=lambda m, x: F.dropout(x, m.p), note="modules.dropout_flag"),
        Twin("BatchNorm2d", _seeded(lambda: nn.BatchNorm2d(3)), _bn_functional, (8, 3, 4, 4),
             measure=lambda x: batchnorm_modes(x).message()),
        Twin("LayerNorm", _seeded(lambda: nn.LayerNorm(16)),
             lambda m, x: F.layer_norm(x, m.normalized_shape, m.weight, m.bias, m.eps), (4, 16)),
        Twin("Embedding", _seeded(lambda: nn.Embedding(50, 8)), lambda m, x: F.embedding(x, m.weight), (4, 6),
             integer_input=50),
        Twin("MaxPool2d", _seeded(lambda: nn.MaxPool2d(2)), lambda m, x: F.max_pool2d(x, m.kernel_size, m.stride),
             (2, 3, 8, 8)),
        Twin("ReLU", _seeded(nn.ReLU), lambda m, x: F.relu(x), (4, 16)),
        # three whose functional defaults differ from the module's: called with the module's own arguments they
        # are bitwise the module; called naively, with the function's defaults, they are not
        Twin("Softmax", _seeded(lambda: nn.Softmax(dim=-1)), lambda m, x: F.softmax(x, m.dim), (2, 3, 5),
             naive=lambda m, x: F.softmax(x), measure=lambda x: softmax_default(x)),
        Twin("Flatten", _seeded(nn.Flatten), lambda m, x: torch.flatten(x, m.start_dim, m.end_dim), (2, 3, 4, 4),
             naive=lambda m, x: torch.flatten(x), measure=lambda x: flatten_default(x)),
        Twin("GELU", _seeded(lambda: nn.GELU(approximate="tanh")), lambda m, x: F.gelu(x, approximate=m.approximate),
             (4, 16), naive=lambda m, x: F.gelu(x), measure=lambda x: gelu_default(x)),
    ]


def _sums_to_one(p: torch.Tensor) -> int:
    """The dimension along which every slice of `p` sums to 1 (−1 if none)."""
    return next((d for d in range(p.dim()) if torch.allclose(p.sum(d), torch.ones(()), atol=1e-5)), -1)


def softmax_default(x: torch.Tensor, dim: int = -1) -> Message:
    """Which dimension F.softmax(x) without dim normalised, against nn.Softmax(dim), read from the outputs."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the deprecation warning this very call demonstrates
        naive = F.softmax(x)
    return Message("modules.softmax_default", ndim=x.dim(), naive_dim=_sums_to_one(naive), dim=dim,
                   module_dim=_sums_to_one(nn.Softmax(dim=dim)(x)))


def flatten_default(x: torch.Tensor) -> Message:
    """The shapes nn.Flatten() and torch.flatten(x) give."""
    return Message("modules.flatten_default", module=_shape(nn.Flatten()(x)), function=_shape(torch.flatten(x)))


def gelu_default(x: torch.Tensor) -> Message:
    """How far the tanh approximation is from F.gelu's exact default on `x`."""
    diff = float((nn.GELU(approximate="tanh")(x).double() - F.gelu(x).double()).abs().max())
    return Message("modules.gelu_default", diff=f"{diff:.3g}")


def _shape(t: torch.Tensor) -> str:
    return "×".join(map(str, t.shape)) or "()"


def twin(name: str) -> Twin:
    """The twin called `name`."""
    for t in twins():
        if t.name == name:
            return t
    raise ValueError(f"unknown twin {name!r}; choose one of {', '.join(t.name for t in twins())}")


def example_input(t: Twin, seed: int = 0, scale: int = 1) -> torch.Tensor:
    """A seeded input of the twin's shape (its first dimension times `scale`)."""
    g = torch.Generator().manual_seed(seed)
    shape = (t.shape[0] * scale, *t.shape[1:])
    if t.integer_input:
        return torch.randint(0, t.integer_input, shape, generator=g)
    return torch.randn(shape, generator=g)


@dataclass(frozen=True)
class Comparison:
    """Module output against functional output in one mode, with what each changed, and the verdict."""

    twin: str
    mode: str
    naive: bool
    module_out: torch.Tensor
    functional_out: torch.Tensor
    bitwise_equal: bool
    max_abs_diff: float
    verdict: Message
    changed: list[Message] = field(default_factory=list)
    functional_call: Message | None = None
    notes: list[Message] = field(default_factory=list)
    bridge: Bridge | None = None


def _state(m: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in m.named_buffers()}


def _tensors(m: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in [*m.named_parameters(), *m.named_buffers()]}


def compare(t: Twin, x: torch.Tensor | None = None, mode: str = "train", naive: bool = False,
            seed: int = 0) -> Comparison:
    """Run the module and its functional form (the naive one if asked) on the same input in `mode`, from the same
    random state, and compare outputs and buffers."""
    if mode not in ("train", "eval"):
        raise ValueError(f"mode must be 'train' or 'eval', not {mode!r}")
    fn = t.naive if naive and t.naive is not None else t.functional
    m = t.make().train(mode == "train")
    x = example_input(t, seed) if x is None else x
    before = _state(m)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # F.softmax without dim warns: the note says what it chose
        torch.manual_seed(seed)  # the same dropout mask for both, when both drop
        a = m(x)
        after_module = _state(m)
        torch.manual_seed(seed)
        b = fn(m, x)
    after = _state(m)
    same = a.shape == b.shape and torch.equal(a, b)
    diff = float((a.double() - b.double()).abs().max()) if a.shape == b.shape else float("inf")
    if same:
        verdict = Message("modules.equal_bitwise")
    elif a.shape != b.shape and torch.equal(a.flatten(), b.flatten()):
        verdict = Message("modules.shape_differs", module=_shape(a), function=_shape(b), n=b.numel())
    elif a.shape != b.shape:
        verdict = Message("modules.shape_and_values_differ", module=_shape(a), function=_shape(b))
    elif diff <= 1e-6 * max(1.0, float(a.abs().max())):
        verdict = Message("modules.equal_close", diff=f"{diff:.1e}")
    else:
        verdict = Message("modules.differs", diff=f"{diff:.3g}")
    changed = []
    mod_names = [k for k in before if not k.startswith("fn_") and not torch.equal(before[k], after_module[k])]
    fn_names = [k for k in before if k.startswith("fn_") and not torch.equal(after_module[k], after[k])]
    if mod_names:
        changed.append(Message("modules.state_changed", where=f"nn.{t.name}", names=", ".join(mod_names)))
    if fn_names:
        changed.append(Message("modules.state_changed", where=f"F ({t.name})",
                               names=", ".join(n.removeprefix("fn_") for n in fn_names)))
    br = bridge(t, x, mode, seed)
    notes = ([Message(t.note)] if t.note else []) + ([t.measure(x)] if t.measure else [])
    return Comparison(t.name, mode, naive and t.naive is not None, a, b, same, diff, verdict, changed,
                      br.own_message(), notes, br)


Call = Callable[[nn.Module, dict[str, torch.Tensor], tuple[torch.Tensor, ...]], torch.Tensor]


@dataclass(frozen=True)
class Bridge:
    """torch.func.functional_call runs a module's code on the tensors of a dict: with the module's own tensors, and
    with every parameter multiplied by −1. Each twin with parameters is linear in its weight and bias together
    (Linear, Conv2d, Embedding, and the affine step of LayerNorm and BatchNorm), so that dict must give exactly
    −(the module's output); a call that ignored the dict would give the module's output instead."""

    name: str
    module_out: torch.Tensor
    own_out: torch.Tensor  # functional_call with a clone of the module's own parameters and buffers
    swapped_out: torch.Tensor | None  # with every parameter × −1 (None: the module has no parameters)
    swapped: int  # parameters negated in the dict
    follows_dict: float  # max |swapped_out + module_out|: 0 when the output follows the dict
    from_module: float  # max |swapped_out − module_out|: how far the dict moved the output
    module_untouched: bool  # the module's own parameters and buffers are unchanged after both calls

    def own_message(self) -> Message:
        """The verdict on the module's own tensors."""
        if torch.equal(self.own_out, self.module_out):
            return Message("modules.functional_call_same")
        diff = float((self.own_out - self.module_out).abs().max())
        return Message("modules.functional_call_differs", diff=f"{diff:.3g}")

    def message(self) -> Message:
        """The verdict on the swapped dict: the output follows the dict, or the dict was ignored."""
        if self.swapped_out is None:
            return Message("modules.functional_call_nothing", name=self.name)
        scale = max(1.0, float(self.module_out.abs().max()))
        if self.follows_dict <= 1e-6 * scale < self.from_module and self.module_untouched:
            return Message("modules.functional_call_follows", name=self.name, n=self.swapped,
                           diff=f"{self.follows_dict:.1e}", away=f"{self.from_module:.3g}")
        return Message("modules.functional_call_ignored", name=self.name, n=self.swapped,
                       away=f"{self.from_module:.3g}")


def bridge(t: Twin, x: torch.Tensor, mode: str = "train", seed: int = 0,
           call: Call = torch.func.functional_call) -> Bridge:
    """The module through `call` (torch.func.functional_call unless a test hands in a broken one) with its own
    tensors and with its parameters negated, each from the same random state as the module's own call."""
    m = t.make().train(mode == "train")
    own = {k: v.detach().clone() for k, v in [*m.named_parameters(), *m.named_buffers()]}  # as the module is now
    negated = own | {k: -v for k, v in own.items() if k in dict(m.named_parameters())}
    with torch.no_grad():
        torch.manual_seed(seed)  # the same dropout mask for every call, when there is one
        a = m(x)  # in train mode BatchNorm updates its running statistics here, as it should
        before = _tensors(m)
        outs = []
        for d in (own, negated):
            torch.manual_seed(seed)
            outs.append(call(m, {k: v.clone() for k, v in d.items()}, (x,)))
    own_out, neg = outs
    after = _tensors(m)
    untouched = before.keys() == after.keys() and all(torch.equal(before[k], after[k]) for k in before)
    n = len(list(m.parameters()))
    if not n:
        return Bridge(t.name, a, own_out, None, 0, 0.0, 0.0, untouched)
    return Bridge(t.name, a, own_out, neg, n, float((neg.double() + a.double()).abs().max()),
                  float((neg.double() - a.double()).abs().max()), untouched)
