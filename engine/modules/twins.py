"""nn.Xxx beside nn.functional.xxx: each module next to its functional form, fed the module's own weights,
run in train and in eval mode, with the verdict read from the real outputs and the real buffers.

A module is a class around the function that also owns its parameters and buffers and inherits train(),
eval(), state_dict() and load_state_dict() from nn.Module. Where the two differ is where that state and the
`training` flag matter: F.dropout defaults to training=True, so a functional dropout that is not handed
`self.training` keeps dropping after model.eval(); BatchNorm normalises with the batch's statistics in train
mode, with its running statistics in eval, and updates those only in train.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from engine.messages import Message, define

define({
    "modules.equal_bitwise": "the module and the function give bitwise identical outputs",
    "modules.equal_close": "the outputs agree to {diff} (not bitwise: a different kernel or order of additions)",
    "modules.differs": "the outputs differ (largest difference {diff})",
    "modules.dropout_flag": "F.dropout defaults to training=True: called without the module's `training` flag, it "
                            "keeps dropping in eval mode, while nn.Dropout passes its input through",
    "modules.bn_modes": "in train mode BatchNorm normalises with this batch's mean and variance and updates its "
                        "running statistics; in eval mode it uses the running statistics and changes nothing",
    "modules.state_changed": "{where} changed {names} during the call",
    "modules.functional_call_same": "torch.func.functional_call with a dict of the module's own parameters and "
                                    "buffers gives bitwise the module's output",
    "modules.functional_call_differs": "torch.func.functional_call with a dict of the module's own parameters and "
                                       "buffers differs from the module by {diff}",
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
        Twin("BatchNorm2d", _seeded(lambda: nn.BatchNorm2d(3)), _bn_functional, (8, 3, 4, 4), note="modules.bn_modes"),
        Twin("LayerNorm", _seeded(lambda: nn.LayerNorm(16)),
             lambda m, x: F.layer_norm(x, m.normalized_shape, m.weight, m.bias, m.eps), (4, 16)),
        Twin("Embedding", _seeded(lambda: nn.Embedding(50, 8)), lambda m, x: F.embedding(x, m.weight), (4, 6),
             integer_input=50),
        Twin("MaxPool2d", _seeded(lambda: nn.MaxPool2d(2)), lambda m, x: F.max_pool2d(x, m.kernel_size, m.stride),
             (2, 3, 8, 8)),
        Twin("ReLU", _seeded(nn.ReLU), lambda m, x: F.relu(x), (4, 16)),
    ]


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


def _state(m: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in m.named_buffers()}


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
    with torch.no_grad():
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
    fc = _functional_call(t, x, mode, seed)
    return Comparison(t.name, mode, naive and t.naive is not None, a, b, same, diff, verdict, changed, fc,
                      [Message(t.note)] if t.note else [])


def _functional_call(t: Twin, x: torch.Tensor, mode: str, seed: int) -> Message:
    """The module run through torch.func.functional_call with a dict of its own tensors: the bridge between
    the styles (the verdict against calling the module itself)."""
    m, ref = t.make().train(mode == "train"), t.make().train(mode == "train")
    tensors = {k: v.clone() for k, v in [*m.named_parameters(), *m.named_buffers()]}
    with torch.no_grad():
        torch.manual_seed(seed)
        a = torch.func.functional_call(m, tensors, (x,))
        torch.manual_seed(seed)
        b = ref(x)
    if torch.equal(a, b):
        return Message("modules.functional_call_same")
    return Message("modules.functional_call_differs", diff=f"{float((a - b).abs().max()):.3g}")
