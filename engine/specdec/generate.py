"""Decoding loops over byte-level GPTs: autoregressive, speculative (a draft model), MTP, prompt lookup, Medusa.

The linear methods emit tokens through the same `speculative_step` rule (autoregressive is the γ = 0 case,
lookup drafts are one-hot q), so at any temperature the output follows the target's distribution, and at
temperature 0 (one-hot distributions) each reproduces greedy decoding token for token. Medusa verifies a
tree of candidates in one pass with a tree attention mask and accepts the longest path that passes greedy
(temperature 0) or typical acceptance: typical acceptance trades exactness for longer accepted runs.
"""

from __future__ import annotations

import math
import time

import torch

from engine.specdec.drafters import (
    DELTA,
    EPSILON,
    Context,
    Drafter,
    DraftModel,
    MedusaTree,
    MTPChain,
    PromptLookup,
    accept_tree,
    lookup_draft,
    tree_mask,
    tree_nodes,
    typical_ok,
)
from engine.specdec.models import Models
from engine.specdec.settings import DecodeSettings, with_drafter
from engine.specdec.steps import Generation, GenerationStats, StepTrace, TreeTrace

METHODS = ("autoregressive", "speculative", "medusa", "mtp", "lookup")
__all__ = ["DELTA", "EPSILON", "METHODS", "DecodeSettings", "Generation", "GenerationStats", "Models", "StepTrace",
           "TreeTrace", "accept_tree", "decode", "distribution", "encode", "expected_tokens_per_call", "generate",
           "generate_with", "lookup_draft", "tree_mask", "tree_nodes", "typical_ok"]


def encode(text: str) -> list[int]:
    """Text to byte tokens."""
    return list(text.encode("utf-8"))


def decode(tokens: list[int]) -> str:
    """Byte tokens to text (invalid UTF-8 shown as the replacement character)."""
    return bytes(tokens).decode("utf-8", errors="replace")


def distribution(logits: torch.Tensor, temperature: float, top_k: int | None = None,
                 top_p: float | None = None) -> torch.Tensor:
    """Next-token probabilities (float64) after temperature, top-k and top-p; temperature 0 is one-hot argmax."""
    logits = logits.double()
    if temperature <= 0:
        return torch.nn.functional.one_hot(logits.argmax(-1), logits.shape[-1]).double()
    logits = logits / temperature
    if top_k:
        kth = torch.topk(logits, min(top_k, logits.shape[-1]), dim=-1).values[..., -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    probs = torch.softmax(logits, dim=-1)
    if top_p is not None and top_p < 1.0:
        sorted_p, order = probs.sort(dim=-1, descending=True)
        keep = sorted_p.cumsum(-1) - sorted_p < top_p  # the smallest set whose mass reaches top_p
        probs = torch.zeros_like(probs).scatter(-1, order, sorted_p * keep)
        probs = probs / probs.sum(-1, keepdim=True)
    return probs


def expected_tokens_per_call(alpha: float, gamma: int) -> float:
    """Leviathan et al.'s expected tokens per target call for i.i.d. acceptance α: (1 − α^(γ+1)) / (1 − α)."""
    return gamma + 1.0 if alpha >= 1.0 else (1 - alpha ** (gamma + 1)) / (1 - alpha)


def _check(models: Models, prompt: str, method: str, gamma: int, max_new_tokens: int, temperature: float,
           top_k: int | None, top_p: float | None) -> list[int]:
    # what torch would otherwise reject deep inside sampling with a RuntimeError, said at the API
    if not math.isfinite(temperature) or temperature < 0:
        raise ValueError(f"temperature must be a finite number ≥ 0 (0 is greedy), not {temperature!r}")
    if top_p is not None and not (0 < top_p <= 1):
        raise ValueError(f"top_p must be in (0, 1] (or None for no nucleus cut), not {top_p!r}")
    if top_k is not None and top_k < 1:
        raise ValueError(f"top_k must be at least 1 (or None for no cut), not {top_k!r}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    needs = {"speculative": models.draft, "medusa": models.medusa, "mtp": models.mtp}
    if method in needs and needs[method] is None:
        raise ValueError(f"the {method} method needs its drafter, which these models lack")
    if gamma < 0 or max_new_tokens < 0:
        raise ValueError("gamma and max_new_tokens must not be negative")
    seq = encode(prompt) or [ord("\n")]
    if len(seq) >= models.target.config.context:
        raise ValueError(f"the prompt ({len(seq)} bytes) fills the model's context of {models.target.config.context}")
    return seq


def drafter_for(method: str, models: Models, ctx: Context, gamma: int, ngram: int, tree: list[tuple[int, ...]],
                epsilon: float, delta: float, top_k: int | None, top_p: float | None) -> Drafter:
    """The drafter object behind a method's name."""
    if method == "speculative":
        return DraftModel(ctx, models.draft, gamma)
    if method == "mtp":
        return MTPChain(ctx, models, gamma)
    if method == "lookup":
        return PromptLookup(ctx, gamma, ngram)
    if method == "medusa":  # the heads' own distribution: at temperature 0 their ranking, at T = 1
        return MedusaTree(ctx, models, tree, lambda z: distribution(z, ctx.temperature or 1.0, top_k, top_p),
                          epsilon, delta)
    return Drafter(ctx)


def generate(models: Models, prompt: str, method: str = "speculative", max_new_tokens: int = 200,
             temperature: float = 1.0, gamma: int = 4, seed: int = 0, top_k: int | None = None,
             top_p: float | None = None, ngram: int = 3, tree: list[tuple[int, ...]] | None = None,
             epsilon: float = EPSILON, delta: float = DELTA) -> Generation:
    """Generate up to `max_new_tokens` bytes after `prompt` with `method`, never past the target's context.

    gamma: tokens drafted per step (for MTP at most its depth); tree: Medusa's candidate paths (default: the
    tree chosen when the heads were trained); epsilon, delta: Medusa's typical acceptance above temperature 0.
    The keyword spelling of `generate_with(models, DecodeSettings(prompt, ...))`.
    """
    return generate_with(models, DecodeSettings(prompt, method, max_new_tokens, temperature, gamma, seed, top_k,
                                                top_p, ngram, None if tree is None else tuple(tree), epsilon, delta))


@torch.inference_mode()
def generate_with(models: Models, settings: DecodeSettings) -> Generation:
    """Generate as `settings` say (see DecodeSettings), with its drafter as the draft model."""
    s = settings
    models = with_drafter(models, s.drafter)
    seq = _check(models, s.prompt, s.method, s.gamma, s.max_new_tokens, s.temperature, s.top_k, s.top_p)
    ctx = Context(models.target, lambda z: distribution(z, s.temperature, s.top_k, s.top_p),
                  torch.Generator().manual_seed(s.seed), s.temperature)
    drafter = drafter_for(s.method, models, ctx, s.gamma, s.ngram, list(s.tree or models.tree), s.epsilon, s.delta,
                          s.top_k, s.top_p)
    max_new_tokens, context, start, trace = s.max_new_tokens, models.target.config.context, len(seq), []
    t0 = time.perf_counter()
    while len(seq) - start < max_new_tokens and len(seq) < context:
        room = min(max_new_tokens - (len(seq) - start), context - len(seq)) - 1  # the bonus token needs one slot
        td = time.perf_counter()
        draft = drafter.propose(seq, room)
        td = (time.perf_counter() - td) * 1e3
        verdict = drafter.verify(seq, draft)
        verdict.step.draft_ms = td
        trace.append(verdict.step)
        drafter.commit(seq, verdict)
        seq.extend(verdict.step.emitted)
    new = seq[start:start + max_new_tokens]
    return Generation(decode(new), new, trace, GenerationStats.of(
        s.method, drafter.gamma, new, trace, ctx.target_calls, ctx.draft_calls, time.perf_counter() - t0))
