"""VQ-VAE on real digits: the quantiser, three codebook update rules, the straight-through estimator, collapse."""

from engine.vqvae.data import Digits, load_digits
from engine.vqvae.model import VQVAE, Quantized, quantize
from engine.vqvae.train import (
    CodebookStats,
    History,
    RunSettings,
    StraightThrough,
    Trained,
    codebook_stats,
    run,
    straight_through_check,
    train,
)

__all__ = ["VQVAE", "CodebookStats", "Digits", "History", "Quantized", "RunSettings", "StraightThrough", "Trained",
           "codebook_stats", "load_digits", "quantize", "run", "straight_through_check", "train"]
