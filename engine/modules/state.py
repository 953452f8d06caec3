"""What a Module carries that a function does not: BatchNorm's running statistics step by step against their
formula, and the registration inspector (parameters, buffers, state_dict, load_state_dict's report) run on
correct and deliberately buggy modules."""

from __future__ import annotations

from collections.abc import Callable
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
    "modules.bn_modes_measured": "the same input through one BatchNorm2d in train mode, then in eval mode: the "
                                 "outputs differ by up to {out} (train normalises with this batch's statistics, "
                                 "eval with the running ones); train moved running_mean by up to {mean} and "
                                 "running_var by up to {var}, eval moved them by {eval_mean} and {eval_var}",
    "modules.to_all": "m.to(torch.float64) converted every tensor the module holds: {moved}",
    "modules.to_none": "m.to(torch.float64) converted nothing: {stayed} stayed {dtype}, because nn.Module never "
                       "registered them",
    "modules.to_left": "m.to(torch.float64) converted {moved}, but {stayed} stayed {dtype}: what nn.Module did not "
                       "register (a plain tensor attribute, layers in a Python list) is neither a parameter nor a "
                       "buffer, so .to() never sees it",
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


@dataclass(frozen=True)
class ModeDifference:
    """The same input through one BatchNorm2d in train mode and then in eval mode: the outputs and how far each
    mode moved the running statistics."""

    train_out: torch.Tensor
    eval_out: torch.Tensor
    out_diff: float  # max |train output − eval output|
    moved: dict[str, tuple[float, float]]  # "train" / "eval" -> max |Δ running_mean|, max |Δ running_var|

    def message(self) -> Message:
        """The measured difference in words."""
        return Message("modules.bn_modes_measured", out=f"{self.out_diff:.3g}", mean=f"{self.moved['train'][0]:.3g}",
                       var=f"{self.moved['train'][1]:.3g}", eval_mean=f"{self.moved['eval'][0]:.3g}",
                       eval_var=f"{self.moved['eval'][1]:.3g}")


def batchnorm_modes(x: torch.Tensor, make: Callable[[int], nn.Module] = nn.BatchNorm2d) -> ModeDifference:
    """Run `x` (N, C, H, W) through one fresh `make(C)` in train mode, then again in eval mode, and measure what
    each mode did to the output and to the running statistics (a module without them moves nothing)."""
    bn = make(x.shape[1])
    out, moved = {}, {}
    for mode in ("train", "eval"):
        bn.train(mode == "train")
        stats = [getattr(bn, k, None) for k in ("running_mean", "running_var")]
        before = [s.clone() if s is not None else None for s in stats]
        with torch.no_grad():
            out[mode] = bn(x)
        moved[mode] = tuple(float((getattr(bn, k) - b).abs().max()) if b is not None else 0.0
                            for k, b in zip(("running_mean", "running_var"), before, strict=True))
    return ModeDifference(out["train"], out["eval"], float((out["train"] - out["eval"]).abs().max()), moved)


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
    to_float64: list[tuple[str, str, str, str]]  # name, kind, dtype before, dtype after m.to(torch.float64)

    def to_message(self) -> Message:
        """What .to(torch.float64) converted, and what it left behind."""
        moved = [n for n, _, b, a in self.to_float64 if a != b]
        stayed = [(n, a) for n, _, b, a in self.to_float64 if a == b]
        if not stayed:
            return Message("modules.to_all", moved=", ".join(moved))
        left = {"stayed": ", ".join(n for n, _ in stayed), "dtype": stayed[0][1]}
        if not moved:
            return Message("modules.to_none", **left)
        return Message("modules.to_left", moved=", ".join(moved), **left)


def _all_tensors(m: nn.Module) -> list[tuple[str, str, torch.Tensor]]:
    """Every tensor a module holds: its parameters, its buffers and plain tensor attributes (of it and its
    submodules), with their kind."""
    out = [(k, "parameter", v) for k, v in m.named_parameters()] + [(k, "buffer", v) for k, v in m.named_buffers()]
    for prefix, sub in m.named_modules():
        for k, v in vars(sub).items():  # nn.Module keeps what it registered in its own dicts, not here
            name = f"{prefix}.{k}" if prefix else k
            if isinstance(v, torch.Tensor):
                out.append((name, "attribute", v))
            elif isinstance(v, list | tuple):  # layers in a plain list: their tensors are unregistered too
                out += [(f"{name}.{i}.{pn}", "attribute", p) for i, layer in enumerate(v)
                        if isinstance(layer, nn.Module) for pn, p in layer.named_parameters()]
    return out


def moved_by_to(m: nn.Module, dtype: torch.dtype = torch.float64) -> list[tuple[str, str, str, str]]:
    """Call m.to(dtype) and report each tensor's dtype before and after, found again by name afterwards."""
    before = [(n, kind, str(t.dtype).removeprefix("torch.")) for n, kind, t in _all_tensors(m)]
    m.to(dtype)
    after = {n: str(t.dtype).removeprefix("torch.") for n, _, t in _all_tensors(m)}
    return [(n, kind, b, after[n]) for n, kind, b in before]


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
        list(report.unexpected_keys), changes, Message(f"modules.bug.{name}"), moved_by_to(BUGGY[name]()))


def state_dict_json(name: str) -> list[dict]:
    """The module's state_dict as plain rows (name, shape, dtype, values): a safetensors-style description for a
    download, never a pickle."""
    torch.manual_seed(0)
    return [{"name": k, "shape": list(v.shape), "dtype": str(v.dtype).removeprefix("torch."),
             "values": v.flatten().tolist()} for k, v in BUGGY[name]().state_dict().items()]
