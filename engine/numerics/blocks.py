"""Block-scaled quantisation: each block of a tensor carries its own scale, so one outlier only hurts its block.

`quantize_blocks(x, element, block, scale, axis)` splits `x` into blocks (a run of `block` values along
`axis`, a 2-D tile `(rows, cols)` over the last two dimensions, or the whole tensor when `block` is None),
picks one scale per block from the block's largest magnitude, stores the scaled values in the element format
(saturating: values past the element's max become ±max) and returns the dequantised tensor, the scales and
the error of every block. How the scale is chosen depends on the scale format:

- "e8m0" (OCP Microscaling spec v1.0, §6.3): X = 2^(floor(log2(amax)) − emax_elem), a power of two; the
  block's largest value then lands in the element's top binade and may exceed the element's max, which the
  saturating cast clamps (e.g. amax 7 in FP4: X = 1 and 7 → 6). A block holding NaN or ±inf gets the NaN
  scale (0xFF), so the whole block is NaN; an all-zero block gets the smallest scale, 2^-127.
  `rule="ceil"` is the alternative that NVIDIA's MXFP8 training recipe uses instead: X = 2^ceil(log2(amax /
  max_elem)), the smallest power of two that makes nothing saturate, at the price of one binade of headroom.
- "e4m3" (NVFP4): s = amax / max_elem rounded to FP8 E4M3; with `tensor_scale` the tensor first gets one
  FP32 scale, amax_tensor / (max_elem · 448), so that the block scales use E4M3's whole range.
- "fp32" (DeepSeek-V3's FP8 recipe, per-tensor scaling): s = amax / max_elem in float32.
- None: no scale at all (plain casts such as bf16).

All arithmetic is float64 on torch tensors, so the same function fake-quantises a training run's matmul
inputs. Real hardware multiplies by a reciprocal in lower precision; that last-bit difference is ignored.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from engine.messages import CodedError, define
from engine.numerics.formats import FORMATS, FormatSpec, get_format
from engine.numerics.hadamard import random_hadamard as random_hadamard  # re-exported: the API issue #35 names
from engine.numerics.rounding import _round_unbounded_t, round_tensor
from engine.numerics.stochastic_core import round_stochastic

define({
    "numerics.blocks.element": "{element} cannot hold a block's values: choose a signed format such as "
                               "fp8_e4m3, fp6_e2m3 or fp4_e2m1",
    "numerics.blocks.scale": "unknown scale format {scale}: choose e8m0, e4m3, fp32 or none",
    "numerics.blocks.block": "a block is a positive number of values or a (rows, columns) tile, not {block}",
    "numerics.blocks.tile_dims": "a {rows}×{cols} tile needs a tensor of at least 2 dimensions; this one has {ndim}",
    "numerics.blocks.scheme": "unknown scheme {scheme}; choose one of {choices}",
    "numerics.blocks.rule": "unknown E8M0 scale rule {rule}: choose ocp or ceil",
})

SCALE_FORMATS = ("e8m0", "e4m3", "fp32", None)
SCALE_BITS = {"e8m0": 8, "e4m3": 8, "fp32": 32, None: 0}
E4M3 = FORMATS["fp8_e4m3"]
Block = int | tuple[int, int] | None


class QuantError(CodedError):
    """A block quantisation that cannot be done as asked (a code, with the English default)."""


@dataclass(frozen=True)
class Scheme:
    """A named recipe: element format, block shape (per tensor kind) and scale format."""

    name: str
    element: str
    block: Block
    scale: str | None
    tensor_scale: bool = False
    weight_block: Block = None  # DeepSeek-V3 tiles weights in 128×128 blocks and everything else in 1×128
    per_kind: bool = False
    rule: str = "ocp"  # how an E8M0 scale is chosen: "ocp" (floor, may saturate) or "ceil" (never saturates)
    gradient_element: str | None = None  # FP8 hybrid training stores gradients in E5M2, the rest in E4M3

    def element_for(self, kind: str) -> str:
        """The element format this scheme stores a tensor of `kind` in."""
        return self.gradient_element if self.gradient_element and kind == "gradient" else self.element

    def block_for(self, kind: str) -> Block:
        """The block shape this scheme uses for a tensor of `kind` ("weight", "activation", "gradient")."""
        return self.weight_block if self.per_kind and kind == "weight" else self.block

    def bits_per_value(self, shape: int | tuple[int, ...], kind: str = "activation", axis: int = -1) -> float:
        """Stored bits per value of a tensor of `shape` (an int: a 1-D tensor): the element, its share of the block
        scales actually stored (a partial block at a row's end stores a whole scale), and of a tensor scale."""
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        block = self.block_for(kind)
        return _bits_per_value(self.element_for(kind), self.scale, self.tensor_scale, math.prod(shape),
                               _block_count(shape, block, axis))


SCHEMES: dict[str, Scheme] = {s.name: s for s in [
    Scheme("bf16", "bf16", None, None),
    Scheme("fp8_tensor", "fp8_e4m3", None, "fp32"),
    Scheme("fp8_hybrid", "fp8_e4m3", None, "fp32", gradient_element="fp8_e5m2"),
    Scheme("fp8_deepseek", "fp8_e4m3", 128, "fp32", weight_block=(128, 128), per_kind=True),
    Scheme("mxfp8", "fp8_e4m3", 32, "e8m0"),
    Scheme("mxfp8_ceil", "fp8_e4m3", 32, "e8m0", rule="ceil"),
    Scheme("mxfp6", "fp6_e2m3", 32, "e8m0"),
    Scheme("mxfp6_e3m2", "fp6_e3m2", 32, "e8m0"),
    Scheme("mxfp4", "fp4_e2m1", 32, "e8m0"),
    Scheme("mxfp4_ceil", "fp4_e2m1", 32, "e8m0", rule="ceil"),
    Scheme("nvfp4", "fp4_e2m1", 16, "e4m3", tensor_scale=True),
    Scheme("nvfp4_2d", "fp4_e2m1", 16, "e4m3", tensor_scale=True, weight_block=(16, 16), per_kind=True),
    Scheme("fp4_tensor", "fp4_e2m1", None, "fp32"),
]}


def get_scheme(name: str) -> Scheme:
    """The scheme called `name`; unknown names raise QuantError."""
    try:
        return SCHEMES[name]
    except KeyError:
        raise QuantError("numerics.blocks.scheme", scheme=repr(name), choices=", ".join(SCHEMES)) from None


@dataclass(frozen=True)
class BlockQuant:
    """One block quantisation: dequantised values, element values, scales and errors (torch, float64).

    `scales` and `block_rel_error` have one entry per block, laid out as the blocks tile the tensor (for a
    1-D block along `axis`: the tensor's shape with that axis divided into blocks, moved last)."""

    original: torch.Tensor = field(repr=False)
    dequantized: torch.Tensor = field(repr=False)
    elements: torch.Tensor = field(repr=False)
    scales: torch.Tensor
    tensor_scale: float | None
    block_rel_error: torch.Tensor = field(repr=False)
    block_shape: tuple[int, ...]
    element: str
    scale: str | None
    saturated: int
    flushed: int
    bits_per_value: float
    block: Block = None
    axis: int = -1

    def per_value(self, per_block: torch.Tensor) -> torch.Tensor:
        """A per-block quantity (such as `scales`) repeated over every value of its block, in the tensor's shape."""
        g, back = _to_blocks(self.original, self.block, self.axis)
        return back(per_block.reshape(g.shape[:-1])[..., None].expand_as(g))

    @property
    def error(self) -> torch.Tensor:
        """Dequantised minus original."""
        return self.dequantized - self.original

    @property
    def sqnr_db(self) -> float:
        """Signal-to-quantisation-noise ratio in dB over the whole tensor (inf when exact)."""
        return sqnr_db(self.original, self.dequantized)

    @property
    def rel_error(self) -> float:
        """‖x̂ − x‖ / ‖x‖ over the whole tensor."""
        return _rel(self.original, self.dequantized)


def sqnr_db(x: torch.Tensor, x_hat: torch.Tensor) -> float:
    """10·log10(Σx² / Σ(x̂ − x)²): inf when nothing was lost, NaN when something became NaN."""
    x, x_hat = x.double(), x_hat.double()
    noise = float(((x_hat - x) ** 2).sum())
    signal = float((x**2).sum())
    if math.isnan(noise):
        return math.nan
    return math.inf if noise == 0 else 10 * math.log10(signal / noise) if signal > 0 else -math.inf


def _rel(x: torch.Tensor, x_hat: torch.Tensor) -> float:
    norm = float(torch.linalg.vector_norm(x.double()))
    return float(torch.linalg.vector_norm(x_hat.double() - x.double())) / norm if norm > 0 else 0.0


def _block_count(shape: tuple[int, ...], block: Block, axis: int = -1) -> int:
    """How many block scales a tensor of `shape` stores: blocks cut short at a row's end still store one."""
    if block is None:
        return 1
    if isinstance(block, int):
        return math.prod(shape) // max(shape[axis], 1) * -(-shape[axis] // block)
    return math.prod(shape[:-2]) * -(-shape[-2] // block[0]) * -(-shape[-1] // block[1])


def _bits_per_value(element: str, scale: str | None, tensor_scale: bool, numel: int, scales: int) -> float:
    """The element's bits plus every stored scale's bits (`scales` block scales, one tensor scale) per value."""
    if numel == 0:
        return float(get_format(element).bits)
    return get_format(element).bits + (SCALE_BITS[scale] * scales + (32 if tensor_scale else 0)) / numel


def _check(element: str, block: Block, scale: str | None, ndim: int) -> None:
    f = FORMATS.get(element)
    if f is None or not f.signed or element in ("fp64", "fp32"):
        raise QuantError("numerics.blocks.element", element=repr(element))
    if scale not in SCALE_FORMATS:
        raise QuantError("numerics.blocks.scale", scale=repr(scale))
    dims = [block] if isinstance(block, int) else list(block) if isinstance(block, tuple) else []
    if block is not None and (len(dims) not in (1, 2) or any(not isinstance(d, int) or isinstance(d, bool) or d < 1
                                                              for d in dims)):
        raise QuantError("numerics.blocks.block", block=repr(block))
    if isinstance(block, tuple) and ndim < 2:
        raise QuantError("numerics.blocks.tile_dims", rows=block[0], cols=block[1], ndim=ndim)


def _to_blocks(t: torch.Tensor, block: Block, axis: int) -> tuple[torch.Tensor, Callable[[torch.Tensor], torch.Tensor]]:
    """`t` as (*grid, values per block), zero-padded, and the function that undoes it for a same-shaped result."""
    if block is None:
        return t.reshape(1, -1), lambda b: b.reshape(t.shape)
    if isinstance(block, int):
        m = t.movedim(axis, -1)
        n = m.shape[-1]
        pad = -n % block
        g = torch.nn.functional.pad(m, (0, pad)).reshape(*m.shape[:-1], (n + pad) // block, block)
        return g, lambda b: b.reshape(*m.shape[:-1], n + pad)[..., :n].movedim(-1, axis)
    br, bc = block
    lead, (r, c) = t.shape[:-2], t.shape[-2:]
    pr, pc = -r % br, -c % bc
    p = torch.nn.functional.pad(t, (0, pc, 0, pr))
    g = p.reshape(*lead, (r + pr) // br, br, (c + pc) // bc, bc).movedim(-3, -2).flatten(-2)

    def back(b: torch.Tensor) -> torch.Tensor:
        tiles = b.reshape(*lead, (r + pr) // br, (c + pc) // bc, br, bc).movedim(-2, -3)
        return tiles.reshape(*lead, r + pr, c + pc)[..., :r, :c]

    return g, back


def blockwise_sum(values: torch.Tensor, block: Block, axis: int = -1) -> torch.Tensor:
    """The sum of `values` within each block, laid out as `BlockQuant.scales` is."""
    g, _ = _to_blocks(torch.as_tensor(values).double(), block, axis)
    return g.sum(-1)


def block_scales(amax: torch.Tensor, element: str, scale: str | None, tensor_scale: float = 1.0,
                 rule: str = "ocp") -> torch.Tensor:
    """The decoded scale of each block from its largest magnitude `amax` (see the module docstring)."""
    f = get_format(element)
    if scale is None:
        return torch.ones_like(amax)
    if scale == "e8m0":
        ok = torch.isfinite(amax)
        pos = ok & (amax > 0)
        if rule == "ocp":
            _, e2 = torch.frexp(torch.where(pos, amax, 1.0))  # floor(log2 amax) = e2 − 1
            e = e2 - 1 - f.emax
        else:  # ceil(log2 y) for y = amax / max_elem = m·2^e2: e2 − 1 when y is a power of two (m = ½), else e2
            m, e2 = torch.frexp(torch.where(pos, amax / f.max, 1.0))
            e = e2 - (m == 0.5).int()
        e = torch.where(amax > 0, e, -127).clamp(-127, 127)
        return torch.where(ok, torch.ldexp(torch.ones_like(amax), e), torch.nan)
    raw = amax / f.max / tensor_scale
    if scale == "e4m3":
        return round_tensor(raw, E4M3) * tensor_scale
    s = raw.float().to(raw.dtype)  # fp32
    return torch.where(s > 0, s, 1.0)


def tensor_scale_of(amax: float, element: str) -> float:
    """NVFP4's per-tensor FP32 scale: amax / (max_elem · 448), so block scales use E4M3's whole range."""
    s = float(np.float32(amax / (get_format(element).max * E4M3.max)))
    return s if s > 0 and math.isfinite(s) else 1.0


def _quantize(t: torch.Tensor, f: FormatSpec, block: Block, scale: str | None, axis: int, tensor_scale: bool,
              rule: str = "ocp", stochastic: bool = False):
    """The blocks of float64 `t`, their scales, the per-tensor scale, the scaled values and their elements
    (rounded to nearest, or stochastically with torch's global generator)."""
    g, back = _to_blocks(t, block, axis)
    amax = g.abs().amax(-1)
    amax = torch.where(g.isnan().any(-1), torch.nan, amax)
    ts = tensor_scale_of(float(t.abs().max()) if t.numel() else 0.0, f.name) if tensor_scale else None
    s = block_scales(amax, f.name, scale, ts or 1.0, rule)
    scaled = torch.where(s[..., None] == 0, 0.0, g / s[..., None])  # an E4M3 block scale can underflow to 0
    clamped = scaled.clamp(-f.max, f.max)
    q = round_stochastic(clamped, f, torch.rand_like(clamped)) if stochastic else round_tensor(clamped, f)
    return g, back, s, ts, scaled, q


def quantize_blocks(x: torch.Tensor | np.ndarray, element: str = "fp4_e2m1", block: Block = 32,
                    scale: str | None = "e8m0", axis: int = -1, tensor_scale: bool = False,
                    rule: str = "ocp") -> BlockQuant:
    """Quantise `x` block by block: one scale per block (from its amax), elements saturated into `element`."""
    t = torch.as_tensor(x).double()
    _check(element, block, scale, t.ndim)
    if rule not in ("ocp", "ceil"):
        raise QuantError("numerics.blocks.rule", rule=repr(rule))
    f = get_format(element)
    g, back, s, ts, scaled, q = _quantize(t, f, block, scale, axis, tensor_scale, rule)
    deq = q * s[..., None]
    norm = torch.linalg.vector_norm(g, dim=-1)
    rel = torch.linalg.vector_norm(deq - g, dim=-1) / torch.where(norm > 0, norm, 1.0)
    # values the element cannot hold even after rounding (not the last-bit excess of an FP32 amax / max scale)
    saturated = int((_round_unbounded_t(torch.where(scaled.isfinite(), scaled.abs(), 0.0), f) > f.max).sum())
    flushed = int(((q == 0) & (g != 0)).sum())
    shape = (t.numel(),) if block is None else (block,) if isinstance(block, int) else tuple(block)
    return BlockQuant(t, back(deq), back(q), s, ts, rel, shape, element, scale, saturated, flushed,
                      _bits_per_value(element, scale, tensor_scale, t.numel(), s.numel()), block, axis)


def quantize_scheme(x: torch.Tensor | np.ndarray, scheme: str | Scheme, kind: str = "activation", axis: int = -1,
                    size: int | None = None) -> BlockQuant:
    """`quantize_blocks` with a named scheme's settings; `size` replaces its block length (a tile's side)."""
    s = scheme if isinstance(scheme, Scheme) else get_scheme(scheme)
    b = s.block_for(kind)
    if size is not None and b is not None:
        b = (size, size) if isinstance(b, tuple) else size
    return quantize_blocks(x, s.element_for(kind), b, s.scale, axis, s.tensor_scale, s.rule)


def fake_quantize(x: torch.Tensor, scheme: str | Scheme, kind: str, axis: int, stochastic: bool = False,
                  block: Block | str = "scheme") -> torch.Tensor:
    """`x` after a round trip through `scheme` (same dtype and shape): what a low-precision matmul would read;
    `stochastic` rounds the elements stochastically, `block` replaces the scheme's block shape.

    It computes in float32, twice as fast as `quantize_blocks`'s float64: identical for power-of-two scales,
    within float32 rounding of the division for E4M3 and FP32 scales."""
    if scheme in (None, "fp32"):
        return x
    s = scheme if isinstance(scheme, Scheme) else get_scheme(scheme)
    b = s.block_for(kind) if block == "scheme" else block
    _, back, scales, _, _, q = _quantize(x.float(), get_format(s.element_for(kind)), b, s.scale, axis,
                                         s.tensor_scale, s.rule, stochastic)
    return back(q * scales[..., None]).to(x.dtype)
