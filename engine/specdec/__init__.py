"""Speculative decoding: byte-level GPTs (a ~22 M target, a ~0.5 M draft, Medusa heads, MTP modules), the
exact accept/resample rule, and decoding loops that trace every drafted token's fate."""

from engine.specdec.generate import METHODS, Generation, Models, generate
from engine.specdec.loading import load_models
from engine.specdec.model import GPT, GPTConfig
from engine.specdec.sampling import StepOutcome, speculative_step

__all__ = ["GPT", "METHODS", "GPTConfig", "Generation", "Models", "StepOutcome", "generate", "load_models",
           "speculative_step"]
