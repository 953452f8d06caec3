"""What a Module carries that a function does not: BatchNorm's running statistics step by step against their
formula, and the registration inspector (parameters, buffers, state_dict, load_state_dict's report) run on
correct and deliberately buggy modules."""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from engine.messages import Message, define

define({
    "modules.bug.plain_list": "layers kept in a plain Python list: nn.Module never sees them, so they have no "
                              "parameters here, are missing from state_dict, and an optimizer never updates them",
    "modules.bug.module_list": "the same layers in nn.ModuleList: registered, so their parameters and state_dict "
                               "entries are there",
    "modules.bug.tensor_attr": "a plain tensor attribute: not a parameter (never trained), not a buffer (not saved, "
                               "does not move with .to())",
    "modules.bug.parameter": "nn.Parameter: registered, trained and saved",
    "modules.bug.buffer": "register_buffer: saved and moved with the module, not trained",
    "modules.bug.buffer_nonpersistent": "register_buffer(persistent=False): moved with the module, not saved",
    "modules.bug.functional_dropout": "F.dropout called without training=self.training: eval() does not stop it",
})


@dataclass(frozen=True)
class BatchNormStep:
    """BatchNorm's running statistics after one training batch, beside the formula's."""

    step: int
    batch_mean: list[float]
    batch_var_unbiased: list[float]
    running_mean: list[float]
    running_var: list[float]
    formula_mean: list[float]
    formula_var: list[float]
    max_err: float


def batchnorm_steps(batches: list[torch.Tensor], momentum: float = 0.1,
                    channels: int | None = None) -> list[BatchNormStep]:
    """Feed `batches` (N, C, H, W) to a fresh BatchNorm2d in train mode; after each, its running mean and
    (unbiased) variance against (1 − momentum)·old + momentum·batch, computed here independently."""
    if not batches:
        return []
    c = channels or batches[0].shape[1]
    bn = nn.BatchNorm2d(c, momentum=momentum).train()
    mean, var = torch.zeros(c, dtype=torch.float64), torch.ones(c, dtype=torch.float64)
    out = []
    for i, x in enumerate(batches, start=1):
        with torch.no_grad():
            bn(x)
        flat = x.double().transpose(0, 1).reshape(c, -1)
        bm, bv = flat.mean(1), flat.var(1, unbiased=True)
        mean = (1 - momentum) * mean + momentum * bm
        var = (1 - momentum) * var + momentum * bv
        # relative to the statistic's size: the module keeps float32, the formula here runs in float64
        err = max(float(((bn.running_mean.double() - mean).abs() / mean.abs().clamp(min=1)).max()),
                  float(((bn.running_var.double() - var).abs() / var.abs().clamp(min=1)).max()))
        out.append(BatchNormStep(i, bm.tolist(), bv.tolist(), bn.running_mean.tolist(), bn.running_var.tolist(),
                                 mean.tolist(), var.tolist(), err))
    return out


class PlainList(nn.Module):
    """Bug: layers in a Python list."""

    def __init__(self) -> None:
        super().__init__()
        self.layers = [nn.Linear(4, 4), nn.Linear(4, 2)]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the layers in turn."""
        for layer in self.layers:
            x = layer(x)
        return x


class WithModuleList(nn.Module):
    """Correct: the same layers in nn.ModuleList."""

    def __init__(self) -> None:
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(4, 4), nn.Linear(4, 2)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the layers in turn."""
        for layer in self.layers:
            x = layer(x)
        return x


class Scaled(nn.Module):
    """A scale vector held as a plain tensor, a Parameter, or a (persistent or not) buffer."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.linear = nn.Linear(4, 4)
        value = torch.ones(4)
        if how == "tensor_attr":
            self.scale = value
        elif how == "parameter":
            self.scale = nn.Parameter(value)
        else:
            self.register_buffer("scale", value, persistent=how == "buffer")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Linear, then the scale."""
        return self.linear(x) * self.scale


class FunctionalDropout(nn.Module):
    """Bug: F.dropout without the module's training flag."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(4, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Linear, then a dropout that ignores eval()."""
        return F.dropout(self.linear(x), 0.5)


BUGGY = {"plain_list": PlainList, "module_list": WithModuleList, "tensor_attr": lambda: Scaled("tensor_attr"),
         "parameter": lambda: Scaled("parameter"), "buffer": lambda: Scaled("buffer"),
         "buffer_nonpersistent": lambda: Scaled("buffer_nonpersistent"), "functional_dropout": FunctionalDropout}
REFERENCE = {"plain_list": "module_list", "tensor_attr": "buffer", "buffer_nonpersistent": "buffer"}


@dataclass(frozen=True)
class ModuleInfo:
    """What nn.Module registered: parameters, buffers, state_dict, what an optimizer would update, and what
    load_state_dict(strict=False) reports when handed the correct version's state_dict."""

    name: str
    parameters: list[tuple[str, tuple[int, ...]]]
    buffers: list[tuple[str, tuple[int, ...], bool]]  # name, shape, saved in state_dict
    state_dict: list[tuple[str, tuple[int, ...], str]]  # name, shape, dtype
    optimizer_tensors: int
    missing_keys: list[str]
    unexpected_keys: list[str]
    eval_output_changes: bool  # two calls in eval mode on the same input disagree
    explanation: Message


def inspect_module(name: str) -> ModuleInfo:
    """Inspect BUGGY[name] as nn.Module sees it."""
    if name not in BUGGY:
        raise ValueError(f"unknown module {name!r}; choose one of {', '.join(BUGGY)}")
    torch.manual_seed(0)
    m = BUGGY[name]()
    sd = m.state_dict()
    persistent = set(sd)
    ref = BUGGY[REFERENCE.get(name, name)]()
    report = m.load_state_dict(ref.state_dict(), strict=False)
    opt = torch.optim.SGD(m.parameters(), lr=0.1) if list(m.parameters()) else None
    m.eval()
    x = torch.randn(3, 4, generator=torch.Generator().manual_seed(1))
    with torch.no_grad():
        changes = not torch.equal(m(x), m(x))
    return ModuleInfo(
        name, [(k, tuple(v.shape)) for k, v in m.named_parameters()],
        [(k, tuple(v.shape), k in persistent) for k, v in m.named_buffers()],
        [(k, tuple(v.shape), str(v.dtype).removeprefix("torch.")) for k, v in sd.items()],
        sum(len(g["params"]) for g in opt.param_groups) if opt else 0, list(report.missing_keys),
        list(report.unexpected_keys), changes, Message(f"modules.bug.{name}"))


def state_dict_json(name: str) -> list[dict]:
    """The module's state_dict as plain rows (name, shape, dtype, values): a safetensors-style description for a
    download, never a pickle."""
    torch.manual_seed(0)
    return [{"name": k, "shape": list(v.shape), "dtype": str(v.dtype).removeprefix("torch."),
             "values": v.flatten().tolist()} for k, v in BUGGY[name]().state_dict().items()]
