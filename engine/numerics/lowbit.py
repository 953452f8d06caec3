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

from functools import partial

import torch
from torch import nn

from engine.numerics.blocks import SCHEMES, fake_quantize

RECIPES = ("fp32", "bf16", "fp8_tensor", "fp8_deepseek", "mxfp4", "nvfp4", "fp4_tensor")


class _FakeQuantLinear(torch.autograd.Function):
    """y = q(x)·q(W)ᵀ + b, with the backward GEMMs on quantised operands too."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, w: torch.Tensor, b: torch.Tensor | None, scheme: str) -> torch.Tensor:
        x2 = x.reshape(-1, x.shape[-1])
        ctx.save_for_backward(x2, w)
        ctx.scheme, ctx.shape, ctx.has_bias = scheme, x.shape, b is not None
        y = fake_quantize(x2, scheme, "activation", -1) @ fake_quantize(w, scheme, "weight", -1).T
        return (y if b is None else y + b).reshape(*x.shape[:-1], w.shape[0])

    @staticmethod
    def backward(ctx, gy: torch.Tensor):
        x2, w = ctx.saved_tensors
        s = ctx.scheme
        g = gy.reshape(-1, gy.shape[-1])
        gx = fake_quantize(g, s, "gradient", -1) @ fake_quantize(w, s, "weight", 0)
        gw = fake_quantize(g, s, "gradient", 0).T @ fake_quantize(x2, s, "activation", 0)
        return gx.reshape(ctx.shape), gw, g.sum(0) if ctx.has_bias else None, None


def _forward(linear: nn.Linear, scheme: str, x: torch.Tensor) -> torch.Tensor:
    return _FakeQuantLinear.apply(x, linear.weight, linear.bias, scheme)


def apply_recipe(model: nn.Module, recipe: str) -> list[str]:
    """Make every linear layer inside the model's transformer blocks run `recipe`; returns their names."""
    if recipe not in RECIPES:
        raise ValueError(f"unknown recipe {recipe!r}; choose one of {', '.join(RECIPES)}")
    if recipe == "fp32":
        return []
    assert recipe in SCHEMES
    names = []
    for name, m in model.named_modules():
        if isinstance(m, nn.Linear) and name.startswith("blocks."):
            m.forward = partial(_forward, m, recipe)
            names.append(name)
    return names
