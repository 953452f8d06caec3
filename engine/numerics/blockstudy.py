"""What block scaling does to the tiny GPT's real tensors: every scheme on every captured weight, activation
and activation gradient, one injected outlier under per-tensor against per-block scaling, and each scheme with
and without a random Hadamard rotation first."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from engine.messages import CodedError, define
from engine.numerics.blocks import BlockQuant, blockwise_sum, get_scheme, quantize_scheme, sqnr_db
from engine.numerics.gradients import GradientCapture
from engine.numerics.hadamard import random_hadamard

KINDS = ("weight", "activation", "gradient")
STUDY_SCHEMES = ("bf16", "fp8_tensor", "fp8_deepseek", "mxfp8", "mxfp8_ceil", "mxfp6", "mxfp6_e3m2", "mxfp4",
                 "mxfp4_ceil", "nvfp4", "fp4_tensor")
OUTLIER_SCHEMES = ("fp8_tensor", "mxfp8", "fp4_tensor", "mxfp4", "nvfp4")
MAX_OUTLIER = 1e6

define({
    "numerics.study.kind": "unknown tensor kind {kind}; choose weight, activation or gradient",
    "numerics.study.layer": "unknown layer {layer}",
    "numerics.study.factor": "the outlier is a multiple of the tensor's largest value between 1 and {max}, not "
                             "{factor}",
})


class StudyError(CodedError):
    """A study asked for a tensor or an outlier that does not exist (a code, with the English default)."""


def captured(cap: GradientCapture, layer: str, kind: str) -> np.ndarray:
    """One captured tensor: `kind` of linear layer `layer` (rows × features)."""
    if kind not in KINDS:
        raise StudyError("numerics.study.kind", kind=repr(kind))
    if layer not in cap.tensors:
        raise StudyError("numerics.study.layer", layer=repr(layer))
    return cap.tensors[layer][kind]


@dataclass(frozen=True)
class StudyRow:
    """One scheme on one tensor (or, with layer "all", on every layer's tensors of one kind pooled)."""

    layer: str
    kind: str
    scheme: str
    sqnr_db: float
    rel_error: float
    bits_per_value: float
    saturated: int
    flushed: int
    values: int


def _row(layer: str, kind: str, scheme: str, q: BlockQuant) -> StudyRow:
    return StudyRow(layer, kind, scheme, q.sqnr_db, q.rel_error, q.bits_per_value, q.saturated, q.flushed,
                    q.original.numel())


def compare_schemes(x: np.ndarray | torch.Tensor, kind: str, schemes: tuple[str, ...] = STUDY_SCHEMES,
                    layer: str = "") -> list[StudyRow]:
    """Every scheme on one tensor of `kind`."""
    return [_row(layer, kind, s, quantize_scheme(x, s, kind)) for s in schemes]


def error_study(cap: GradientCapture, schemes: tuple[str, ...] = STUDY_SCHEMES) -> list[StudyRow]:
    """Every scheme on every captured tensor, then pooled per kind (noise and signal summed over layers)."""
    rows: list[StudyRow] = []
    for kind in KINDS:
        for scheme in schemes:
            signal = noise = 0.0
            per = []
            for layer in cap.tensors:
                q = quantize_scheme(captured(cap, layer, kind), scheme, kind)
                signal += float((q.original**2).sum())
                noise += float((q.error**2).sum())
                per.append(_row(layer, kind, scheme, q))
            n = sum(r.values for r in per)
            pooled_db = math.inf if noise == 0 else 10 * math.log10(signal / noise)
            rows += per
            rows.append(StudyRow("all", kind, scheme, pooled_db, math.sqrt(noise / signal) if signal else 0.0,
                                 sum(r.bits_per_value * r.values for r in per) / n, sum(r.saturated for r in per),
                                 sum(r.flushed for r in per), n))
    return rows


@dataclass(frozen=True)
class OutlierCase:
    """One scheme on a tensor before and after one value was replaced by an outlier."""

    scheme: str
    clean: BlockQuant
    spiked: BlockQuant
    sqnr_clean_db: float  # over every value but the outlier's position
    sqnr_spiked_db: float  # the same values, now quantised beside the outlier
    outlier_rel_error: float
    blocks: int
    blocks_hurt: int  # blocks whose other values' error grew by more than 1 dB


@dataclass(frozen=True)
class OutlierStudy:
    """The outlier's position and value, and each scheme's case."""

    position: tuple[int, int]
    value: float
    cases: list[OutlierCase]


def outlier_study(x: np.ndarray | torch.Tensor, kind: str = "activation", factor: float = 100.0,
                  position: tuple[int, int] | None = None,
                  schemes: tuple[str, ...] = OUTLIER_SCHEMES) -> OutlierStudy:
    """Replace one value of 2-D `x` (by default its middle one) by `factor` × max|x| and quantise both tensors."""
    if not (math.isfinite(factor) and 1 <= factor <= MAX_OUTLIER):
        raise StudyError("numerics.study.factor", max=f"{MAX_OUTLIER:g}", factor=repr(factor))
    t = torch.as_tensor(np.asarray(x)).double()
    pos = position or (t.shape[0] // 2, t.shape[1] // 2)
    spiked = t.clone()
    spiked[pos] = factor * float(t.abs().max())
    keep = torch.ones_like(t, dtype=torch.bool)
    keep[pos] = False
    cases = []
    for scheme in schemes:
        a, b = quantize_scheme(t, scheme, kind), quantize_scheme(spiked, scheme, kind)
        block = get_scheme(scheme).block_for(kind)
        noise_a, noise_b = (blockwise_sum(((q.dequantized - t) ** 2) * keep, block) for q in (a, b))
        grew = noise_b > noise_a * 10**0.1 + 1e-300  # the block's other values lost more than 1 dB
        out_err = abs(float(b.dequantized[pos]) - float(spiked[pos])) / float(spiked[pos])
        cases.append(OutlierCase(scheme, a, b, sqnr_db(t[keep], a.dequantized[keep]),
                                 sqnr_db(t[keep], b.dequantized[keep]), out_err, a.scales.numel(), int(grew.sum())))
    return OutlierStudy(pos, float(spiked[pos]), cases)


@dataclass(frozen=True)
class RotationRow:
    """One scheme on a tensor, quantised as it is and after the rotation (then rotated back)."""

    scheme: str
    sqnr_plain_db: float
    sqnr_rotated_db: float
    flushed_plain: int
    flushed_rotated: int
    amax_over_rms_plain: float  # how far the largest value stands out: what sets a block scale
    amax_over_rms_rotated: float


def _peak(x: torch.Tensor) -> float:
    rms = float(x.pow(2).mean().sqrt())
    return float(x.abs().max()) / rms if rms > 0 else 0.0


def hadamard_study(x: torch.Tensor | np.ndarray, schemes: tuple[str, ...], kind: str = "weight", block: int = 16,
                   seed: int = 0) -> list[RotationRow]:
    """Each scheme's SQNR on `x` and on RHT(x) quantised then rotated back (the error measured on x itself)."""
    t = torch.as_tensor(x).double()
    y, inverse = random_hadamard(t, block, seed)
    rows = []
    for s in schemes:
        plain, rot = quantize_scheme(t, s, kind), quantize_scheme(y, s, kind)
        rows.append(RotationRow(s, plain.sqnr_db, sqnr_db(t, inverse(rot.dequantized)), plain.flushed, rot.flushed,
                                _peak(t), _peak(y)))
    return rows
