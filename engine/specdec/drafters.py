"""Drafters: each proposes tokens, has the target verify them in one pass, and commits what was kept.

One shape for every method: `propose(seq, room)` drafts after the committed tokens, `verify(seq, draft)` runs
the target once and decides what to emit, `commit(seq, verdict)` trims every cache to what was kept. The
linear drafters (none, a draft model, the MTP chain, prompt lookup) share `verify`: the target scores the
draft and `speculative_step` accepts or resamples, exact at any temperature. Medusa proposes a tree of
candidates and verifies it with a tree attention mask (greedy at temperature 0, typical acceptance above).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from engine.specdec import kvslab
from engine.specdec.kvslab import SlabCache
from engine.specdec.model import GPT
from engine.specdec.models import Models
from engine.specdec.sampling import StepOutcome, speculative_step
from engine.specdec.steps import StepTrace, TreeTrace

EPSILON, DELTA = 0.09, 0.3  # Medusa's typical-acceptance defaults
Sampler = Callable[[torch.Tensor], torch.Tensor]  # logits -> next-token probabilities (float64)


@dataclass
class Context:
    """What every step of one run shares: the target and its cache, the sampler, the random stream, counters."""

    target: GPT
    sample: Sampler
    gen: torch.Generator
    temperature: float
    cache: SlabCache = field(init=False)
    target_calls: int = 0
    draft_calls: int = 0

    def __post_init__(self) -> None:
        self.cache = self.target.new_cache()


@dataclass
class Draft:
    """Proposed tokens and, for linear drafts, each one's draft distribution q (Medusa: its tree)."""

    tokens: list[int]
    q: list[torch.Tensor] = field(default_factory=list)
    tree: dict | None = None  # Medusa: nodes, parents, depths, q of each node, ranks


@dataclass
class Verdict:
    """What one verification pass decided: the step's trace, the committed length after it, and the target's
    hidden states of the tokens it fed (for drafters that read them). A tree keeps scattered cache rows
    (`rows`) and the hidden state to draft the next tree from (`state`)."""

    step: StepTrace
    keep: int
    hidden: torch.Tensor
    cached: int
    rows: list[int] | None = None
    state: torch.Tensor | None = None


class Drafter:
    """No drafts (plain autoregressive decoding): the base of the linear drafters, whose verify is shared."""

    gamma = 0

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def propose(self, seq: list[int], room: int) -> Draft:
        """Tokens to verify after `seq`, at most `room` of them."""
        return Draft([])

    def verify(self, seq: list[int], draft: Draft) -> Verdict:
        """One target pass over the uncached tokens and the draft; accept or resample by `speculative_step`."""
        ctx, drafted = self.ctx, draft.tokens
        tt = time.perf_counter()
        cached = ctx.cache.length
        logits, hidden = ctx.target(torch.tensor([seq[cached:] + drafted]), ctx.cache, return_hidden=True)
        ctx.target_calls += 1
        p = ctx.sample(logits[0, -(len(drafted) + 1):])  # (len(drafted)+1, V)
        tt = (time.perf_counter() - tt) * 1e3
        vocab = ctx.target.config.vocab
        q_mat = torch.stack(draft.q) if draft.q else torch.zeros(0, vocab, dtype=torch.float64)
        outcome: list[StepOutcome] = []
        tokens, rows = torch.tensor(drafted, dtype=torch.long), torch.arange(len(drafted))
        n, nxt = speculative_step(p, q_mat, tokens, ctx.gen, outcome)
        step = StepTrace(drafted, q_mat[rows, tokens].tolist(), p[rows, tokens].tolist(), list(outcome[0].uniforms),
                         list(outcome[0].fates), [*drafted[:n], nxt], 0.0, tt)
        return Verdict(step, len(seq) + n, hidden, cached)

    def commit(self, seq: list[int], verdict: Verdict) -> None:
        """Keep the committed tokens and the accepted draft in the target's cache."""
        if verdict.rows is None:
            self.ctx.cache.truncate(verdict.keep)
        else:
            self.ctx.cache.select(torch.tensor(verdict.rows))


class DraftModel(Drafter):
    """A small model drafts γ tokens autoregressively from its own KV cache (speculative sampling)."""

    def __init__(self, ctx: Context, draft: GPT, gamma: int) -> None:
        super().__init__(ctx)
        self.model, self.gamma, self.cache = draft, gamma, draft.new_cache()

    def propose(self, seq: list[int], room: int) -> Draft:
        g = max(0, min(self.gamma, room))
        if not g:
            return Draft([])
        ctx, out = self.ctx, Draft([])
        logits = self.model(torch.tensor([seq[self.cache.length:]]), self.cache)[0, -1]
        ctx.draft_calls += 1
        for j in range(g):
            q = ctx.sample(logits)
            x = int(torch.multinomial(q, 1, generator=ctx.gen))
            out.tokens.append(x)
            out.q.append(q)
            if j < g - 1:
                logits = self.model(torch.tensor([[x]]), self.cache)[0, -1]
                ctx.draft_calls += 1
        return out

    def commit(self, seq: list[int], verdict: Verdict) -> None:
        super().commit(seq, verdict)
        self.cache.truncate(min(self.cache.length, verdict.keep))


class MTPChain(Drafter):
    """DeepSeek-V3's MTP modules draft one token per depth from the target's hidden states; each depth keeps
    its KV cache and outputs over committed positions."""

    def __init__(self, ctx: Context, models: Models, gamma: int) -> None:
        super().__init__(ctx)
        self.mtp, self.gamma = models.mtp, min(gamma, models.mtp.depth)
        self.caches = [SlabCache(1, ctx.target.config.context + kvslab.SPARE) for _ in range(self.mtp.depth)]
        target = ctx.target
        empty = torch.zeros(0, target.config.width, dtype=target.tok.weight.dtype)
        self.outs: list[torch.Tensor] = [empty] * self.mtp.depth
        self.hidden = empty  # the target's states at the positions in its cache

    def propose(self, seq: list[int], room: int) -> Draft:
        g = max(0, min(self.gamma, room))
        c = self.hidden.shape[0]
        if not g or c == 0:  # nothing verified yet: the first pass over the prompt drafts nothing
            return Draft([])
        out, target, below = Draft([]), self.ctx.target, self.hidden
        for k in range(1, g + 1):
            module, cache = self.mtp.modules_[k - 1], self.caches[k - 1]
            begin = cache.length
            tokens = [seq[i + k] if i + k < len(seq) else out.tokens[i + k - len(seq)] for i in range(begin, c)]
            new = module(below[begin:c][None], target.tok(torch.tensor([tokens])), cache)[0]
            self.outs[k - 1] = torch.cat([self.outs[k - 1][:begin], new])
            q = self.ctx.sample(module.logits(new[-1], target))
            out.tokens.append(int(torch.multinomial(q, 1, generator=self.ctx.gen)))
            out.q.append(q)
            below = self.outs[k - 1]
        self.ctx.draft_calls += len(out.tokens)
        return out

    def commit(self, seq: list[int], verdict: Verdict) -> None:
        """Record the target's states of newly cached positions; drop depth states that read a draft token."""
        super().commit(seq, verdict)
        self.hidden = torch.cat([self.hidden, verdict.hidden[0, :verdict.keep - verdict.cached]])
        for k, cache in enumerate(self.caches, start=1):  # a depth's position i read token i + k: keep if committed
            keep = max(0, min(cache.length, len(seq) - k))
            cache.truncate(keep)
            self.outs[k - 1] = self.outs[k - 1][:keep]


def lookup_draft(tokens: list[int], gamma: int, ngram: int = 3) -> list[int]:
    """Prompt lookup: find the latest earlier occurrence of the trailing n-gram and propose what followed it."""
    for n in range(min(ngram, len(tokens) - 1), 0, -1):
        tail = tokens[-n:]
        for start in range(len(tokens) - n - 1, -1, -1):
            if tokens[start:start + n] == tail:
                return tokens[start + n:start + n + gamma]
    return []


class PromptLookup(Drafter):
    """Drafts copied from the context after the latest earlier occurrence of the trailing n-gram (one-hot q)."""

    def __init__(self, ctx: Context, gamma: int, ngram: int) -> None:
        super().__init__(ctx)
        self.gamma, self.ngram = gamma, ngram

    def propose(self, seq: list[int], room: int) -> Draft:
        drafted = lookup_draft(seq, max(0, min(self.gamma, room)), self.ngram)
        vocab = self.ctx.target.config.vocab
        return Draft(drafted, [torch.nn.functional.one_hot(torch.tensor(x), vocab).double() for x in drafted])


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
    the target's distribution at the parent (p row 0: the root, row 1 + j: node j). Every node's test runs in
    one tensor operation (as `typical_ok` node by node would, threshold in float32 included); only the walk
    down the tree, parents first, is a Python loop over booleans."""
    if not tokens:
        return []
    rows, tok = torch.tensor([parent + 1 for parent in parents]), torch.tensor(tokens)
    if temperature <= 0:
        ok = (p.argmax(-1)[rows] == tok).tolist()
    else:
        entropy = -(p * torch.log(p.clamp_min(1e-300))).sum(-1)
        threshold = (delta * torch.exp((-entropy).float()).double()).clamp(max=epsilon)
        ok = (p[rows, tok] > threshold[rows]).tolist()
    accepted = [False] * len(tokens)
    for j, parent in enumerate(parents):  # parents come before their children
        accepted[j] = ok[j] and (parent < 0 or accepted[parent])
    return accepted


class MedusaTree(Drafter):
    """Medusa's heads propose a tree of candidates from the last hidden state; the target verifies the whole
    tree in one pass with a tree attention mask and keeps the longest path that passes."""

    def __init__(self, ctx: Context, models: Models, paths: list[tuple[int, ...]], dist: Sampler,
                 epsilon: float, delta: float) -> None:
        super().__init__(ctx)
        self.heads, self.gamma = models.medusa, models.medusa.n
        self.paths = sorted({p for p in paths if p and len(p) <= self.heads.n}, key=lambda p: (len(p), p))
        self.parents_all, self.depths_all = tree_nodes(self.paths)
        self.dist, self.epsilon, self.delta = dist, epsilon, delta  # dist: the heads' distribution (never one-hot)
        self.last_hidden: torch.Tensor | None = None
        self._masks: dict[tuple[int, ...], torch.Tensor] = {}

    def propose(self, seq: list[int], room: int) -> Draft:
        if self.last_hidden is None:  # the prompt pass: no hidden state to draft from yet
            return Draft([], tree={"nodes": [], "parents": [], "depths": [], "q": []})
        nodes = [i for i, d in enumerate(self.depths_all) if d <= room]
        index = {old: new for new, old in enumerate(nodes)}
        tree = {"nodes": nodes, "parents": [index.get(self.parents_all[i], -1) for i in nodes],
                "depths": [self.depths_all[i] for i in nodes], "q": []}
        tokens = []
        if nodes:
            probs = self.dist(self.heads(self.last_hidden))  # (n, V)
            ranks = max(self.paths[i][-1] for i in nodes) + 1
            top_p, top = (t.tolist() for t in probs.topk(ranks, -1))  # each head's best `ranks` tokens, in order
            for i in nodes:
                head, rank = len(self.paths[i]) - 1, self.paths[i][-1]
                tokens.append(top[head][rank])
                tree["q"].append(top_p[head][rank])
            self.ctx.draft_calls += 1
        return Draft(tokens, tree=tree)

    def verify(self, seq: list[int], draft: Draft) -> Verdict:
        ctx, tokens, tree = self.ctx, draft.tokens, draft.tree
        parents, depths, q_node = tree["parents"], tree["depths"], tree["q"]
        tt = time.perf_counter()
        cached = ctx.cache.length
        tail = seq[cached:]  # the prompt at first, then the last emitted token: the tree's root
        m, tau = len(tokens), len(tail)
        positions = torch.tensor(list(range(cached, cached + tau)) + [cached + tau - 1 + d for d in depths])
        mask = torch.ones(tau + m, cached + tau + m, dtype=torch.bool)
        mask[:, cached:] = False
        mask[:tau, cached:cached + tau] = torch.ones(tau, tau, dtype=torch.bool).tril()
        mask[tau:, cached:cached + tau] = True
        mask[tau:, cached + tau:] = self._node_mask(parents)
        logits, hidden = ctx.target(torch.tensor([tail + tokens]), ctx.cache, positions, mask, return_hidden=True)
        ctx.target_calls += 1
        p = ctx.sample(logits[0, tau - 1:])  # row 0: the root, row 1 + j: node j
        tt = (time.perf_counter() - tt) * 1e3
        accepted = accept_tree(p, tokens, parents, ctx.temperature, self.epsilon, self.delta)
        best = max((j for j in range(m) if accepted[j]), key=lambda j: (depths[j], -j), default=-1)
        path, j = [], best
        while j >= 0:
            path.append(j)
            j = parents[j]
        path.reverse()
        row = best + 1
        nxt = int(p[row].argmax()) if ctx.temperature <= 0 else int(torch.multinomial(p[row], 1, generator=ctx.gen))
        children = [j for j in range(m) if parents[j] == best]  # the candidates that failed after the path
        drafted = [tokens[j] for j in path] + ([tokens[children[0]]] if children else [])
        verified_rows = [parents[j] + 1 for j in path] + ([best + 1] if children else [])
        # with no tree (the prompt pass, or no room left) this is a plain target step: one "bonus" token
        fates = ["accepted"] * len(path) + (["rejected", "resampled"] if children else ["bonus"])
        q_drafted = [q_node[j] for j in path] + ([q_node[children[0]]] if children else [])
        p_drafted = [float(p[r, x]) for r, x in zip(verified_rows, drafted, strict=True)]
        trace = TreeTrace(tokens, parents, depths, [self.paths[i] for i in tree["nodes"]], path) if m else None
        step = StepTrace(drafted, q_drafted, p_drafted, [], fates, [tokens[j] for j in path] + [nxt], 0.0, tt, trace)
        rows = list(range(cached + tau)) + [cached + tau + j for j in path]  # the committed and the accepted path
        return Verdict(step, len(rows), hidden, cached, rows, hidden[0, tau - 1 if best < 0 else tau + best])

    def _node_mask(self, parents: list[int]) -> torch.Tensor:
        """The nodes' part of `tree_mask(parents)`, built once per tree shape (the full tree, or one pruned near
        the end), not once per pass."""
        key = tuple(parents)
        if key not in self._masks:
            self._masks[key] = tree_mask(parents)[1:, 1:]
        return self._masks[key]

    def commit(self, seq: list[int], verdict: Verdict) -> None:
        """Keep the accepted path's cache rows; remember the hidden state to draft the next tree from."""
        super().commit(seq, verdict)
        self.last_hidden = verdict.state
