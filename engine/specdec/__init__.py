"""Speculative decoding: byte-level GPTs (a ~22 M target, a ~0.5 M draft, Medusa heads, MTP modules), the
exact accept/resample rule, and decoding loops that trace every drafted token's fate."""

from engine.specdec.generate import METHODS, Generation, Models, generate, generate_with
from engine.specdec.loading import load_models
from engine.specdec.model import GPT, GPTConfig
from engine.specdec.sampling import StepOutcome, speculative_step
from engine.specdec.settings import DecodeSettings, with_drafter

__all__ = ["GPT", "METHODS", "DecodeSettings", "GPTConfig", "Generation", "Models", "StepOutcome", "generate",
           "generate_with", "load_models", "speculative_step", "with_drafter"]
