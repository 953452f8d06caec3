"""Speculative decoding. So far: the exact accept/resample rule (`speculative_step`) and a model-agnostic
draft-and-verify loop over next-token distributions; the trained models and the page are still to come."""

from engine.specdec.sampling import StepOutcome, speculative_step

__all__ = ["StepOutcome", "speculative_step"]
from engine.specdec.generate import Generation, Models, generate
from engine.specdec.model import GPT, GPTConfig

__all__ += ["GPT", "GPTConfig", "Generation", "Models", "generate"]
