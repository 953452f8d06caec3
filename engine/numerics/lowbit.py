"""Simulated low-precision training: the tiny GPT's linear layers read fake-quantised operands.

There are no FP8 or FP4 matmul kernels on a CPU, so every GEMM here still multiplies float32 numbers; what
is simulated is what those numbers are. Each operand of each of the three GEMMs of a linear layer (forward
y = x·Wᵀ, input gradient dX = dY·W, weight gradient dW = dYᵀ·x) is first rounded through the recipe's
block quantisation, with the blocks running along that GEMM's reduction dimension, as block-scaled
hardware requires: x and W along the input features in the forward pass, dY and W along the output features
for dX, dY and x along the tokens for dW. DeepSeek-V3's weights use 128×128 tiles, so one quantised copy
serves both of their GEMMs.

As in DeepSeek-V3's recipe, only the transformer blocks' linear layers are quantised: embeddings, layer
norms, attention's own matmuls and the output head keep full precision, and the optimiser keeps fp32
master weights. The loss and update arithmetic are fp32 throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import torch
from torch import nn

from engine.numerics.blocks import SCHEMES, fake_quantize, random_hadamard

RECIPES = ("fp32", "bf16", "fp8_tensor", "fp8_deepseek", "mxfp4", "nvfp4", "fp4_tensor")
HADAMARD_BLOCK = 16  # NVIDIA's NVFP4 recipe rotates the weight-gradient GEMM's inputs in 16×16 blocks


@dataclass(frozen=True)
class Parts:
    """The parts of a published low-precision recipe, each a toggle a learner can ablate (all off: the plain
    scheme, as RECIPES run)."""

    weight_tiles: bool = False  # square weight tiles (block × block): one quantised W serves forward and backward
    hadamard_wgrad: bool = False  # random Hadamard transform on dW = dYᵀ·X's inputs, along the tokens
    stochastic_grads: bool = False  # gradients rounded stochastically into the element format
    high_precision_last: int = 0  # the last N transformer blocks' linear layers kept in BF16


PART_NAMES = ("weight_tiles", "hadamard_wgrad", "stochastic_grads", "high_precision_last")
UNQUANTISED = ("fp32", "bf16")  # recipes the parts do not apply to


def parts_of(names: tuple[str, ...] | list[str]) -> Parts:
    """The Parts with `names` switched on (PART_NAMES; "high_precision_last" keeps the last block in BF16)."""
    unknown = set(names) - set(PART_NAMES)
    if unknown:
        raise ValueError(f"unknown recipe parts {sorted(unknown)}; choose among {', '.join(PART_NAMES)}")
    return Parts(*(n in names for n in PART_NAMES[:3]), high_precision_last=int("high_precision_last" in names))


PUBLISHED = {  # as the recipes were published; the element scheme stays the recipe's own
    "nvfp4": Parts(weight_tiles=True, hadamard_wgrad=True, stochastic_grads=True, high_precision_last=1),
    "mxfp4": Parts(hadamard_wgrad=True, stochastic_grads=True),
    "fp8_hybrid": Parts(),  # E5M2 gradients are the scheme itself (blocks.SCHEMES["fp8_hybrid"])
}


def _rotate_tokens(t: torch.Tensor, seed: int) -> torch.Tensor:
    """`t` (tokens × features) rotated along the tokens in Hadamard blocks; unchanged if they do not divide."""
    if t.shape[0] % HADAMARD_BLOCK:
        return t
    return random_hadamard(t.T, HADAMARD_BLOCK, seed)[0].T.to(t.dtype)


class _FakeQuantLinear(torch.autograd.Function):
    """y = q(x)·q(W)ᵀ + b, with the backward GEMMs on quantised operands too."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None, scheme: str,
                parts: Parts = Parts()) -> torch.Tensor:
        x2 = x.reshape(-1, x.shape[-1])
        ctx.save_for_backward(x2, w)
        ctx.scheme, ctx.shape, ctx.has_bias, ctx.parts = scheme, x.shape, b is not None, parts
        y = fake_quantize(x2, scheme, "activation", -1) @ _weight(w, scheme, parts, -1).T
        return (y if b is None else y + b).reshape(*x.shape[:-1], w.shape[0])

    @staticmethod
    def backward(ctx, gy: torch.Tensor):
        x2, w = ctx.saved_tensors
        s, parts = ctx.scheme, ctx.parts
        g = gy.reshape(-1, gy.shape[-1])
        sr = parts.stochastic_grads
        gx = fake_quantize(g, s, "gradient", -1, stochastic=sr) @ _weight(w, s, parts, 0)
        gt, xt = g, x2
        if parts.hadamard_wgrad:  # (H·dY)ᵀ(H·X) = dYᵀ·X: the rotation cancels in the product, not in the rounding
            seed = int(torch.randint(0, 2**31 - 1, ()))
            gt, xt = _rotate_tokens(g, seed), _rotate_tokens(x2, seed)
        gw = fake_quantize(gt, s, "gradient", 0, stochastic=sr).T @ fake_quantize(xt, s, "activation", 0)
        return gx.reshape(ctx.shape), gw, g.sum(0) if ctx.has_bias else None, None, None


def _weight(w: torch.Tensor, scheme: str, parts: Parts, axis: int) -> torch.Tensor:
    """The weight as a GEMM reads it: blocks along `axis`, or square tiles that serve both GEMMs alike."""
    if not parts.weight_tiles:
        return fake_quantize(w, scheme, "weight", axis)
    b = SCHEMES[scheme].block_for("weight")
    side = b if isinstance(b, int) else b[0] if isinstance(b, tuple) else None
    return fake_quantize(w, scheme, "weight", -1, block=(side, side) if side else None)


def _forward(linear: nn.Linear, scheme: str, parts: Parts, x: torch.Tensor) -> torch.Tensor:
    return _FakeQuantLinear.apply(x, linear.weight, linear.bias, scheme, parts)


def apply_recipe(model: nn.Module, recipe: str, parts: Parts | None = None) -> list[str]:
    """Make every linear layer inside the model's transformer blocks run `recipe` (with `parts` switched on;
    the last `parts.high_precision_last` blocks run bf16); returns their names."""
    if recipe not in RECIPES and recipe not in PUBLISHED:
        raise ValueError(f"unknown recipe {recipe!r}; choose one of {', '.join(RECIPES + tuple(PUBLISHED))}")
    if recipe == "fp32":
        return []
    assert recipe in SCHEMES
    parts = parts or Parts()
    blocks = sorted({int(n.split(".")[1]) for n, _ in model.named_modules() if n.count(".") >= 1
                     and n.startswith("blocks.") and n.split(".")[1].isdigit()})
    kept = set(blocks[len(blocks) - parts.high_precision_last:]) if parts.high_precision_last else set()
    names = []
    for name, m in model.named_modules():
        if isinstance(m, nn.Linear) and name.startswith("blocks."):
            own = "bf16" if int(name.split(".")[1]) in kept else recipe
            m.forward = partial(_forward, m, own, parts if own == recipe else Parts())
            names.append(name)
    return names
