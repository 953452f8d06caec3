"""Decoding loops over byte-level GPTs: plain autoregressive, speculative (a draft model), prompt lookup.

Every method emits tokens through the same `speculative_step` rule (autoregressive is the γ = 0 case),
so at any temperature the output follows the target's distribution, and at temperature 0 (one-hot
distributions) every method reproduces greedy decoding token for token. Medusa and MTP heads are not
here yet: they need heads trained on a frozen target.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch

from engine.specdec.model import GPT
from engine.specdec.sampling import StepOutcome, speculative_step

METHODS = ("autoregressive", "speculative", "lookup")


@dataclass
class Models:
    """The target and (for speculative decoding) a draft model sharing its byte vocabulary."""

    target: GPT
    draft: GPT | None = None


@dataclass
class StepTrace:
    """One draft-and-verify step: drafted tokens with q and p of each, the draws, fates and what was emitted."""

    drafted: list[int]
    q: list[float]
    p: list[float]
    uniforms: list[float]
    fates: list[str]
    emitted: list[int]
    draft_ms: float
    target_ms: float


@dataclass
class Generation:
    """The generated text and tokens, the per-step trace, and summary statistics."""

    text: str
    tokens: list[int]
    trace: list[StepTrace] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


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


def lookup_draft(tokens: list[int], gamma: int, ngram: int = 3) -> list[int]:
    """Prompt lookup: find the latest earlier occurrence of the trailing n-gram and propose what followed it."""
    for n in range(min(ngram, len(tokens) - 1), 0, -1):
        tail = tokens[-n:]
        for start in range(len(tokens) - n - 1, -1, -1):
            if tokens[start:start + n] == tail:
                return tokens[start + n:start + n + gamma]
    return []


@torch.no_grad()
def generate(models: Models, prompt: str, method: str = "speculative", max_new_tokens: int = 200,
             temperature: float = 1.0, gamma: int = 4, seed: int = 0, top_k: int | None = None,
             top_p: float | None = None, ngram: int = 3) -> Generation:
    """Generate up to `max_new_tokens` bytes after `prompt` with `method`, never past the target's context."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method == "speculative" and models.draft is None:
        raise ValueError("speculative decoding needs a draft model")
    target, draft = models.target, models.draft
    context = target.config.context
    seq = encode(prompt) or [ord("\n")]
    if len(seq) >= context:
        raise ValueError(f"the prompt ({len(seq)} bytes) fills the model's context of {context}")
    start, gen = len(seq), torch.Generator().manual_seed(seed)
    t_cache, d_cache = target.new_cache(), draft.new_cache() if method == "speculative" else None
    trace, calls = [], {"target": 0, "draft": 0}
    t0 = time.perf_counter()
    while len(seq) - start < max_new_tokens and len(seq) < context:
        room = min(max_new_tokens - (len(seq) - start), context - len(seq)) - 1  # bonus token needs one slot
        g = max(0, min(gamma, room)) if method != "autoregressive" else 0
        td = time.perf_counter()
        drafted, q_rows = [], []
        if method == "speculative" and g:
            logits = draft(torch.tensor([seq[d_cache.length:]]), d_cache)[0, -1]
            calls["draft"] += 1
            for j in range(g):
                q = distribution(logits, temperature, top_k, top_p)
                x = int(torch.multinomial(q, 1, generator=gen))
                drafted.append(x)
                q_rows.append(q)
                if j < g - 1:
                    logits = draft(torch.tensor([[x]]), d_cache)[0, -1]
                    calls["draft"] += 1
        elif method == "lookup":
            drafted = lookup_draft(seq, g, ngram)
            q_rows = [torch.nn.functional.one_hot(torch.tensor(x), target.config.vocab).double() for x in drafted]
        td = (time.perf_counter() - td) * 1e3
        tt = time.perf_counter()
        fed = seq[t_cache.length:] + drafted  # the uncached committed tokens, then the draft
        logits = target(torch.tensor([fed]), t_cache)[0, -(len(drafted) + 1):]
        calls["target"] += 1
        p = distribution(logits, temperature, top_k, top_p)  # (len(drafted)+1, V)
        tt = (time.perf_counter() - tt) * 1e3
        outcome: list[StepOutcome] = []
        q_mat = torch.stack(q_rows) if q_rows else torch.zeros(0, target.config.vocab, dtype=torch.float64)
        n, nxt = speculative_step(p, q_mat, torch.tensor(drafted, dtype=torch.long), gen, outcome)
        emitted = [*drafted[:n], nxt]
        trace.append(StepTrace(drafted, [float(q_mat[i, x]) for i, x in enumerate(drafted)],
                               [float(p[i, x]) for i, x in enumerate(drafted)], list(outcome[0].uniforms),
                               list(outcome[0].fates), emitted, td, tt))
        t_cache.truncate(len(seq) + n)  # keep the committed tokens and the accepted draft
        if d_cache is not None:
            d_cache.truncate(min(d_cache.length, len(seq) + n))
        seq.extend(emitted)
    seconds = time.perf_counter() - t0
    new = seq[start:start + max_new_tokens]
    examined = sum(sum(f in ("accepted", "rejected") for f in s.fates) for s in trace)
    accepted = sum(s.fates.count("accepted") for s in trace)
    stats = {"method": method, "new_tokens": len(new), "target_calls": calls["target"], "draft_calls": calls["draft"],
             "acceptance_rate": accepted / examined if examined else None,
             "tokens_per_target_call": len(new) / max(1, calls["target"]), "seconds": seconds,
             "tokens_per_s": len(new) / seconds if seconds > 0 else None}
    return Generation(decode(new), new, trace, stats)
