"""Decoding loops over byte-level GPTs: autoregressive, speculative (a draft model), MTP, prompt lookup, Medusa.

The linear methods emit tokens through the same `speculative_step` rule (autoregressive is the γ = 0 case,
lookup drafts are one-hot q), so at any temperature the output follows the target's distribution, and at
temperature 0 (one-hot distributions) each reproduces greedy decoding token for token. Medusa verifies a
tree of candidates in one pass with a tree attention mask and accepts the longest path that passes greedy
(temperature 0) or typical acceptance: typical acceptance trades exactness for longer accepted runs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch

from engine.specdec.heads import MTP, MedusaHeads
from engine.specdec.model import GPT, KVCache
from engine.specdec.sampling import StepOutcome, speculative_step

METHODS = ("autoregressive", "speculative", "medusa", "mtp", "lookup")
EPSILON, DELTA = 0.09, 0.3  # Medusa's typical-acceptance defaults


@dataclass
class Models:
    """The target and the drafters trained on it; any drafter may be missing (its method is then refused)."""

    target: GPT
    draft: GPT | None = None
    medusa: MedusaHeads | None = None
    mtp: MTP | None = None
    tree: list[tuple[int, ...]] = field(default_factory=list)
    report: dict = field(default_factory=dict)
    others: dict[str, GPT] = field(default_factory=dict)


@dataclass
class TreeTrace:
    """One Medusa verification: candidate tokens, each node's parent (−1 = root) and depth, the accepted path."""

    tokens: list[int]
    parents: list[int]
    depths: list[int]
    ranks: list[tuple[int, ...]]
    accepted: list[int]  # node indices along the accepted path, root excluded


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
    tree: TreeTrace | None = None


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


def tree_nodes(paths: list[tuple[int, ...]]) -> tuple[list[int], list[int]]:
    """Parent index (−1 = the root) and depth of each path's node; `paths` sorted by length, prefixes included."""
    index = {p: i for i, p in enumerate(paths)}
    parents = [index.get(p[:-1], -1) if len(p) > 1 else -1 for p in paths]
    if any(len(p) > 1 and p[:-1] not in index for p in paths):
        raise ValueError("every candidate path's prefix must be in the tree too")
    return parents, [len(p) for p in paths]


def tree_mask(parents: list[int]) -> torch.Tensor:
    """(1 + m, 1 + m) attention mask over the root and m tree nodes: each sees the root, its ancestors, itself."""
    m = len(parents)
    mask = torch.eye(m + 1, dtype=torch.bool)
    mask[:, 0] = True
    for j, parent in enumerate(parents):
        if parent >= 0:
            mask[j + 1] |= mask[parent + 1]
    return mask


def typical_ok(p: torch.Tensor, token: int, epsilon: float = EPSILON, delta: float = DELTA) -> bool:
    """Medusa's typical acceptance: p(token) > min(ε, δ·exp(−H(p))); at temperature 0 this is greedy."""
    entropy = float(-(p * torch.log(p.clamp_min(1e-300))).sum())
    return float(p[token]) > min(epsilon, delta * float(torch.exp(torch.tensor(-entropy))))


def accept_tree(p: torch.Tensor, tokens: list[int], parents: list[int], temperature: float,
                epsilon: float = EPSILON, delta: float = DELTA) -> list[bool]:
    """Which tree nodes survive: the parent survived and the token passes greedy or typical acceptance under
    the target's distribution at the parent (p row 0: the root, row 1 + j: node j)."""
    accepted = [False] * len(tokens)
    for j, (token, parent) in enumerate(zip(tokens, parents, strict=True)):
        if parent < 0 or accepted[parent]:
            row = p[parent + 1]
            accepted[j] = (int(row.argmax()) == token if temperature <= 0
                           else typical_ok(row, token, epsilon, delta))
    return accepted


class _MTPDrafter:
    """Keeps each MTP depth's KV cache and outputs over committed positions, and drafts from them."""

    def __init__(self, mtp: MTP, target: GPT) -> None:
        self.mtp, self.target = mtp, target
        self.caches = [KVCache(1) for _ in range(mtp.depth)]
        empty = torch.zeros(0, target.config.width, dtype=target.tok.weight.dtype)
        self.outs: list[torch.Tensor] = [empty] * mtp.depth
        self.hidden = empty  # the target's states at the positions in its cache

    def propose(self, seq: list[int], g: int, sample, gen: torch.Generator) -> tuple[list[int], list[torch.Tensor]]:
        """Draft up to `g` tokens (one per depth) after `seq`, with their draft distributions."""
        c = self.hidden.shape[0]
        if c == 0:  # nothing verified yet: the first pass over the prompt drafts nothing
            return [], []
        drafted, q_rows = [], []
        below = self.hidden
        for k in range(1, min(g, self.mtp.depth) + 1):
            module, cache = self.mtp.modules_[k - 1], self.caches[k - 1]
            begin = cache.length
            tokens = [seq[i + k] if i + k < len(seq) else drafted[i + k - len(seq)] for i in range(begin, c)]
            new = module(below[begin:c][None], self.target.tok(torch.tensor([tokens])), cache)[0]
            self.outs[k - 1] = torch.cat([self.outs[k - 1][:begin], new])
            q = sample(module.logits(new[-1], self.target))
            drafted.append(int(torch.multinomial(q, 1, generator=gen)))
            q_rows.append(q)
            below = self.outs[k - 1]
        return drafted, q_rows

    def commit(self, hidden_kept: torch.Tensor, committed_before: int) -> None:
        """Record the target's states of newly cached positions; drop depth states that read a draft token."""
        self.hidden = torch.cat([self.hidden, hidden_kept])
        for k, cache in enumerate(self.caches, start=1):  # a depth's position i read token i + k: keep if committed
            keep = max(0, min(cache.length, committed_before - k))
            cache.truncate(keep)
            self.outs[k - 1] = self.outs[k - 1][:keep]


def _stats(method: str, new: list[int], trace: list[StepTrace], calls: dict, seconds: float, gamma: int) -> dict:
    verified = sum(sum(f in ("accepted", "rejected") for f in s.fates) for s in trace)
    accepted = sum(s.fates.count("accepted") for s in trace)
    verify = [s for s in trace if s.drafted]  # the steps that checked drafts (not plain target steps)
    return {"method": method, "gamma": gamma, "new_tokens": len(new), "steps": len(trace),
            "target_calls": calls["target"], "draft_calls": calls["draft"],
            "verified": verified, "accepted": accepted, "acceptance_rate": accepted / verified if verified else None,
            "mean_accepted": accepted / len(verify) if verify else 0.0, "verify_steps": len(verify),
            "verify_tokens": sum(len(s.emitted) for s in verify),
            "verify_target_ms": sum(s.target_ms for s in verify),
            "tokens_per_target_call": len(new) / max(1, calls["target"]), "seconds": seconds,
            "tokens_per_s": len(new) / seconds if seconds > 0 else None,
            "draft_ms_total": sum(s.draft_ms for s in trace), "target_ms_total": sum(s.target_ms for s in trace)}


def expected_tokens_per_call(alpha: float, gamma: int) -> float:
    """Leviathan et al.'s expected tokens per target call for i.i.d. acceptance α: (1 − α^(γ+1)) / (1 − α)."""
    return gamma + 1.0 if alpha >= 1.0 else (1 - alpha ** (gamma + 1)) / (1 - alpha)


def _check(models: Models, prompt: str, method: str, gamma: int, max_new_tokens: int) -> list[int]:
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


@torch.inference_mode()
def generate(models: Models, prompt: str, method: str = "speculative", max_new_tokens: int = 200,
             temperature: float = 1.0, gamma: int = 4, seed: int = 0, top_k: int | None = None,
             top_p: float | None = None, ngram: int = 3, tree: list[tuple[int, ...]] | None = None,
             epsilon: float = EPSILON, delta: float = DELTA) -> Generation:
    """Generate up to `max_new_tokens` bytes after `prompt` with `method`, never past the target's context.

    gamma: tokens drafted per step (for MTP at most its depth); tree: Medusa's candidate paths (default: the
    tree chosen when the heads were trained); epsilon, delta: Medusa's typical acceptance above temperature 0.
    """
    seq = _check(models, prompt, method, gamma, max_new_tokens)
    if method == "medusa":
        return _medusa(models, seq, max_new_tokens, temperature, seed, top_k, top_p,
                       tree or models.tree, epsilon, delta)
    target, draft = models.target, models.draft
    context = target.config.context
    start, gen = len(seq), torch.Generator().manual_seed(seed)

    def sample(logits: torch.Tensor) -> torch.Tensor:
        return distribution(logits, temperature, top_k, top_p)

    t_cache, d_cache = target.new_cache(), draft.new_cache() if method == "speculative" else None
    mtp = _MTPDrafter(models.mtp, target) if method == "mtp" else None
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
                q = sample(logits)
                x = int(torch.multinomial(q, 1, generator=gen))
                drafted.append(x)
                q_rows.append(q)
                if j < g - 1:
                    logits = draft(torch.tensor([[x]]), d_cache)[0, -1]
                    calls["draft"] += 1
        elif method == "mtp" and g:
            drafted, q_rows = mtp.propose(seq, g, sample, gen)
            calls["draft"] += len(drafted)
        elif method == "lookup":
            drafted = lookup_draft(seq, g, ngram)
            q_rows = [torch.nn.functional.one_hot(torch.tensor(x), target.config.vocab).double() for x in drafted]
        td = (time.perf_counter() - td) * 1e3
        tt = time.perf_counter()
        cached = t_cache.length
        fed = seq[cached:] + drafted  # the uncached committed tokens, then the draft
        logits, hidden = target(torch.tensor([fed]), t_cache, return_hidden=True)
        logits = logits[0, -(len(drafted) + 1):]
        calls["target"] += 1
        p = sample(logits)  # (len(drafted)+1, V)
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
        if mtp is not None:
            mtp.commit(hidden[0, :len(seq) + n - cached], len(seq))
        seq.extend(emitted)
    new = seq[start:start + max_new_tokens]
    return Generation(decode(new), new, trace,
                      _stats(method, new, trace, calls, time.perf_counter() - t0,
                             0 if method == "autoregressive" else min(gamma, models.mtp.depth) if mtp else gamma))


def _medusa(models: Models, seq: list[int], max_new_tokens: int, temperature: float, seed: int,
            top_k: int | None, top_p: float | None, paths: list[tuple[int, ...]], epsilon: float,
            delta: float) -> Generation:
    target, heads = models.target, models.medusa
    paths = sorted({p for p in paths if p and len(p) <= heads.n}, key=lambda p: (len(p), p))
    parents_all, depths_all = tree_nodes(paths)
    context = target.config.context
    start, gen = len(seq), torch.Generator().manual_seed(seed)
    cache = target.new_cache()
    trace, calls = [], {"target": 0, "draft": 0}
    last_hidden: torch.Tensor | None = None
    t0 = time.perf_counter()
    while len(seq) - start < max_new_tokens and len(seq) < context:
        room = min(max_new_tokens - (len(seq) - start), context - len(seq)) - 1
        td = time.perf_counter()
        nodes = [i for i, d in enumerate(depths_all) if d <= room] if last_hidden is not None else []
        index = {old: new for new, old in enumerate(nodes)}
        parents = [index.get(parents_all[i], -1) for i in nodes]
        depths = [depths_all[i] for i in nodes]
        tokens, q_node = [], []
        if nodes:
            probs = distribution(heads(last_hidden), temperature or 1.0, top_k, top_p)  # (n, V)
            order = probs.argsort(-1, descending=True)
            for i in nodes:
                head, rank = len(paths[i]) - 1, paths[i][-1]
                tokens.append(int(order[head, rank]))
                q_node.append(float(probs[head, tokens[-1]]))
            calls["draft"] += 1
        td = (time.perf_counter() - td) * 1e3
        tt = time.perf_counter()
        cached = cache.length
        tail = seq[cached:]  # the prompt at first, then the last emitted token: the tree's root
        m, tau = len(tokens), len(tail)
        positions = torch.tensor(list(range(cached, cached + tau)) + [cached + tau - 1 + d for d in depths])
        mask = torch.ones(tau + m, cached + tau + m, dtype=torch.bool)
        mask[:, cached:] = False
        mask[:tau, cached:cached + tau] = torch.ones(tau, tau, dtype=torch.bool).tril()
        tm = tree_mask(parents)
        mask[tau:, cached:cached + tau] = True
        mask[tau:, cached + tau:] = tm[1:, 1:]
        logits, hidden = target(torch.tensor([tail + tokens]), cache, positions, mask, return_hidden=True)
        calls["target"] += 1
        p = distribution(logits[0, tau - 1:], temperature, top_k, top_p)  # row 0: the root, row 1 + j: node j
        tt = (time.perf_counter() - tt) * 1e3
        accepted = accept_tree(p, tokens, parents, temperature, epsilon, delta)
        best = max((j for j in range(m) if accepted[j]), key=lambda j: (depths[j], -j), default=-1)
        path = []
        j = best
        while j >= 0:
            path.append(j)
            j = parents[j]
        path.reverse()
        row = best + 1
        nxt = int(p[row].argmax()) if temperature <= 0 else int(torch.multinomial(p[row], 1, generator=gen))
        children = [j for j in range(m) if parents[j] == best]  # the candidates that failed after the path
        drafted = [tokens[j] for j in path] + ([tokens[children[0]]] if children else [])
        verified_rows = [parents[j] + 1 for j in path] + ([best + 1] if children else [])
        # with no tree (the prompt pass, or no room left) this is a plain target step: one "bonus" token
        fates = ["accepted"] * len(path) + (["rejected", "resampled"] if children else ["bonus"])
        emitted = [tokens[j] for j in path] + [nxt]
        q_drafted = [q_node[j] for j in path] + ([q_node[children[0]]] if children else [])
        p_drafted = [float(p[r, x]) for r, x in zip(verified_rows, drafted, strict=True)]
        tree_trace = TreeTrace(tokens, parents, depths, [paths[i] for i in nodes], path) if nodes else None
        trace.append(StepTrace(drafted, q_drafted, p_drafted, [], fates, emitted, td, tt, tree_trace))
        keep = list(range(cached + tau)) + [cached + tau + j for j in path]
        cache.select(torch.tensor(keep))
        last_hidden = hidden[0, tau - 1 if best < 0 else tau + best]
        seq.extend(emitted)
    new = seq[start:start + max_new_tokens]
    return Generation(decode(new), new, trace,
                      _stats("medusa", new, trace, calls, time.perf_counter() - t0, heads.n))
