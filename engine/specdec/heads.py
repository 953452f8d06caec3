"""Drafters that live on the frozen target: Medusa heads and DeepSeek-V3-style MTP modules, and their training.

Medusa (Cai et al. 2024): head k turns the target's last hidden state h into a guess of the token k + 1
places ahead, through one residual block h + SiLU(W h + b) and its own unembedding, initialised from the
target's so that training starts from "repeat the target's next-token guess".

MTP (DeepSeek-V3, 2024): module k combines the previous depth's hidden state at position i with the
embedding of token i + k (both normalised, concatenated, projected) and runs one causal transformer block;
the target's tied head turns the result into a guess of token i + k + 1. Module 1 reads the target's hidden
state, module 2 reads module 1's, and so on: a sequential chain, which keeps the causal chain of a real
draft model at the cost of one block per drafted token.

`train_heads` trains both, plus the draft model (once distilled from the target, once on the text only, to
measure which accepts more), in one pass per batch that shares the target's forward.
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from engine.specdec import kvslab
from engine.specdec.kvslab import SlabCache
from engine.specdec.model import GPT, ROLES, GPTConfig
from engine.transformer import Block, KVCache, random_windows


class MedusaHeads(nn.Module):
    """`n` heads; head k (1-based) predicts the token k + 1 positions after the one the hidden state is at."""

    def __init__(self, width: int, vocab: int, n: int) -> None:
        super().__init__()
        self.res = nn.ModuleList(nn.Linear(width, width) for _ in range(n))
        self.out = nn.ModuleList(nn.Linear(width, vocab, bias=False) for _ in range(n))
        for layer in self.res:  # zero residual branch: every head starts as the target's own head
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)

    @property
    def n(self) -> int:
        """Number of heads."""
        return len(self.res)

    def init_from(self, target: GPT) -> None:
        """Copy the target's unembedding into every head (Medusa's initialisation)."""
        with torch.no_grad():
            for out in self.out:
                out.weight.copy_(target.head.weight)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        """Logits (n, ..., vocab) from hidden states (..., width)."""
        return torch.stack([out(hidden + F.silu(res(hidden))) for res, out in zip(self.res, self.out, strict=True)])


class MTPModule(nn.Module):
    """One depth of multi-token prediction: norm(h) ‖ norm(emb(next token)) → projection → causal block."""

    def __init__(self, c: GPTConfig) -> None:
        super().__init__()
        self.norm_h, self.norm_e, self.ln = nn.LayerNorm(c.width), nn.LayerNorm(c.width), nn.LayerNorm(c.width)
        self.proj = nn.Linear(2 * c.width, c.width)
        self.block = Block(c, 0)
        nn.init.normal_(self.proj.weight, std=0.02)
        nn.init.zeros_(self.proj.bias)

    def forward(self, hidden: torch.Tensor, emb: torch.Tensor,
                cache: KVCache | SlabCache | None = None) -> torch.Tensor:
        """Hidden states (B, T, width) of this depth, continuing after the cached positions (over a one-layer
        SlabCache by the decoding fast path: the same arithmetic)."""
        joined = torch.cat([self.norm_h(hidden), self.norm_e(emb)], -1)
        if isinstance(cache, SlabCache):  # the projection too: several rows a step, where oneDNN's kernel holds up
            return kvslab.block_forward(self.block, kvslab.linear(self.proj, joined), cache)
        return self.block(self.proj(joined), cache)

    def logits(self, hidden: torch.Tensor, target: GPT) -> torch.Tensor:
        """This depth's logits through the target's shared (tied) output head."""
        return target.head(self.ln(hidden))


class MTP(nn.Module):
    """A chain of MTP modules sharing the target's embedding and output head (which stay frozen)."""

    def __init__(self, c: GPTConfig, depth: int) -> None:
        super().__init__()
        self.config = c
        self.modules_ = nn.ModuleList(MTPModule(c) for _ in range(depth))

    @property
    def depth(self) -> int:
        """Number of modules: the most tokens one drafting round proposes."""
        return len(self.modules_)

    def forward(self, target: GPT, hidden: torch.Tensor, tokens: torch.Tensor) -> list[torch.Tensor]:
        """Training pass: logits of every depth over T positions; `tokens` (B, T + depth) starts at position 0.

        Depth k at position i reads token i + k and predicts token i + k + 1.
        """
        t = hidden.shape[1]
        out = []
        for k, module in enumerate(self.modules_, start=1):
            hidden = module(hidden, target.tok(tokens[:, k:k + t]))
            out.append(module.logits(hidden, target))
        return out


@dataclass(frozen=True)
class HeadsConfig:
    """How many Medusa heads and MTP depths to train, and the draft model's shape."""

    medusa: int = 4
    mtp: int = 2
    draft: GPTConfig = ROLES["draft"]


@dataclass
class Drafters:
    """Everything trained on the frozen target."""

    draft: GPT
    medusa: MedusaHeads
    mtp: MTP
    tree: list[tuple[int, ...]]  # Medusa's candidate paths: tuples of per-head top-k ranks
    report: dict
    others: dict[str, GPT] = field(default_factory=dict)  # e.g. the draft trained on the text only


Progress = Callable[[int, int, dict], None]
# Candidate paths in Medusa's tree. A verify pass over the tree's nodes + 1 rows costs about one decoding step up
# to ~9 rows and grows beyond (17 rows: 1.3 steps, 25: 1.7; `python -m engine.specdec.profile`), while each extra
# node adds less acceptance. Measured here at T = 1, 3 prompts × 4 rounds, 200 tokens: 6, 8, 10 and 16 nodes gave
# 1.77×, 1.86×, 1.87× and 1.66× the autoregressive speed (2.33, 2.48, 2.56 and 2.79 tokens per pass).
TREE_SIZE = 10


def medusa_tree(accuracy: list[list[float]], size: int) -> list[tuple[int, ...]]:
    """The `size` candidate paths with the highest estimated acceptance (Medusa's sparse tree).

    accuracy[k][r]: how often the rank-r guess of head k is the right token; a path (r1, r2, …) is expected
    to survive with probability Π accuracy[k][r_k], so best-first expansion from the root picks the tree.
    """
    heap: list[tuple[float, tuple[int, ...]]] = []
    chosen: list[tuple[int, ...]] = []
    for r, a in enumerate(accuracy[0]):
        heapq.heappush(heap, (-a, (r,)))
    while heap and len(chosen) < size:
        neg, path = heapq.heappop(heap)
        chosen.append(path)
        if len(path) < len(accuracy):
            for r, a in enumerate(accuracy[len(path)]):
                heapq.heappush(heap, (neg * a, (*path, r)))
    return sorted(chosen, key=lambda p: (len(p), p))


def _losses(target: GPT, drafts: dict[str, GPT], medusa: MedusaHeads, mtp: MTP, x: torch.Tensor,
            t: int) -> tuple[torch.Tensor, dict]:
    with torch.no_grad():
        t_logits, hidden = target(x[:, :t], return_hidden=True)
        soft = F.softmax(t_logits, -1)
    parts: dict[str, torch.Tensor] = {}
    label = x[:, 1:1 + t]
    for name, draft in drafts.items():
        logp = F.log_softmax(draft(x[:, :t]), -1)
        if name == "draft":  # distilled: cross-entropy against the target's whole next-token distribution
            parts[name] = -(soft * logp).sum(-1).mean()
        else:
            parts[name] = F.nll_loss(logp.flatten(0, 1), label.flatten())
    for k, logits in enumerate(medusa(hidden), start=1):
        parts[f"medusa{k}"] = F.cross_entropy(logits.flatten(0, 1), x[:, k + 1:k + 1 + t].flatten())
    for k, logits in enumerate(mtp(target, hidden, x), start=1):
        parts[f"mtp{k}"] = F.cross_entropy(logits.flatten(0, 1), x[:, k + 1:k + 1 + t].flatten())
    weights = {f"medusa{k}": 0.8 ** k for k in range(1, medusa.n + 1)}  # Medusa-1's decaying head weights
    total = sum(weights.get(name, 1.0) * value for name, value in parts.items())
    return total, {name: float(v.detach()) for name, v in parts.items()}


@torch.no_grad()
def evaluate_drafters(target: GPT, drafts: dict[str, GPT], medusa: MedusaHeads, mtp: MTP, data: bytes,
                      batches_: int = 8, batch: int = 8, top: int = 4, seed: int = 99) -> dict:
    """Held-out measures: each draft's expected acceptance Σ min(p, q) at temperature 1 and greedy agreement
    with the target, Medusa's per-head top-r accuracy, each MTP depth's accuracy and loss."""
    t = target.config.context
    extra = max(medusa.n, mtp.depth) + 1
    tensor = torch.frombuffer(bytearray(data), dtype=torch.uint8)
    gen = torch.Generator().manual_seed(seed)
    sums: dict[str, float] = {}
    med_hits = torch.zeros(medusa.n, top)
    count = 0
    for _ in range(batches_):
        x = random_windows(tensor, t + extra, batch, gen)
        t_logits, hidden = target(x[:, :t], return_hidden=True)
        p = F.softmax(t_logits, -1)
        n = p.shape[0] * p.shape[1]
        count += n
        sums["target_loss"] = sums.get("target_loss", 0.0) + float(F.cross_entropy(
            t_logits.flatten(0, 1), x[:, 1:1 + t].flatten())) * n
        for name, draft in drafts.items():
            q_logits = draft(x[:, :t])
            q = F.softmax(q_logits, -1)
            sums[f"{name}_alpha"] = sums.get(f"{name}_alpha", 0.0) + float(torch.minimum(p, q).sum(-1).sum())
            sums[f"{name}_greedy"] = sums.get(f"{name}_greedy", 0.0) + float(
                (q_logits.argmax(-1) == t_logits.argmax(-1)).sum())
            sums[f"{name}_loss"] = sums.get(f"{name}_loss", 0.0) + float(F.cross_entropy(
                q_logits.flatten(0, 1), x[:, 1:1 + t].flatten())) * n
        for k, logits in enumerate(medusa(hidden)):
            ranks = logits.topk(top, -1).indices  # (B, T, top)
            med_hits[k] += (ranks == x[:, k + 2:k + 2 + t, None]).flatten(0, 1).float().sum(0)
        for k, logits in enumerate(mtp(target, hidden, x), start=1):
            label = x[:, k + 1:k + 1 + t]
            sums[f"mtp{k}_accuracy"] = sums.get(f"mtp{k}_accuracy", 0.0) + float((logits.argmax(-1) == label).sum())
            sums[f"mtp{k}_loss"] = sums.get(f"mtp{k}_loss", 0.0) + float(F.cross_entropy(
                logits.flatten(0, 1), label.flatten())) * n
    report = {name: value / count for name, value in sums.items()}
    report["medusa_accuracy"] = (med_hits / count).tolist()
    return report


def heads_checkpoint(path: Path, drafts: dict[str, GPT], medusa: MedusaHeads, mtp: MTP,
                     opt: torch.optim.Optimizer | None, step: int, cfg: HeadsConfig, extra: dict | None = None,
                     dtype: torch.dtype | None = None) -> None:
    """Write everything trained on the target (fp32 with optimizer for resuming, or `dtype` to ship)."""
    def cast(state: dict) -> dict:
        return {k: v.to(dtype) if dtype is not None and v.is_floating_point() else v for k, v in state.items()}

    blob = {"config": {"medusa": cfg.medusa, "mtp": cfg.mtp, "draft": asdict(cfg.draft)}, "step": step,
            "drafts": {name: cast({k: v for k, v in d.state_dict().items() if k != "head.weight"})
                       for name, d in drafts.items()},
            "medusa": cast(medusa.state_dict()), "mtp": cast(mtp.state_dict()), **(extra or {})}
    if opt is not None:
        blob["optimizer"] = opt.state_dict()
    tmp = path.with_suffix(".tmp")
    torch.save(blob, tmp)
    tmp.replace(path)


def load_drafters(path: Path, target: GPT, device: torch.device | str = "cpu") -> Drafters:
    """The shipped (or checkpointed) draft model, Medusa heads and MTP chain, loaded with weights_only."""
    blob = torch.load(path, map_location=device, weights_only=True)
    cfg = blob["config"]
    medusa = MedusaHeads(target.config.width, target.config.vocab, cfg["medusa"]).to(device)
    medusa.load_state_dict({k: v.float() for k, v in blob["medusa"].items()})
    mtp = MTP(target.config, cfg["mtp"]).to(device)
    mtp.load_state_dict({k: v.float() for k, v in blob["mtp"].items()})
    drafts = {name: GPT.from_state(cfg["draft"], state, device) for name, state in blob["drafts"].items()}
    draft, others = drafts.pop("draft"), drafts
    tree = [tuple(p) for p in blob.get("tree", [])] or [tuple([0] * k) for k in range(1, medusa.n + 1)]
    return Drafters(draft, medusa.eval(), mtp.eval(), tree, dict(blob.get("report", {})), others)


def train_heads(target: GPT, data: bytes, held_out: bytes, steps: int, ckpt: Path, batch: int = 16,
                lr: float = 1e-3, cfg: HeadsConfig = HeadsConfig(), seed: int = 0, tree_size: int = TREE_SIZE,
                progress: Progress | None = None) -> Drafters:
    """Train the draft models, Medusa heads and MTP chain on the frozen `target` (resumable at `ckpt`)."""
    torch.manual_seed(seed)
    target = target.eval().requires_grad_(False)
    drafts = {"draft": GPT(cfg.draft), "draft_text_only": GPT(cfg.draft)}
    medusa = MedusaHeads(target.config.width, target.config.vocab, cfg.medusa)
    medusa.init_from(target)
    mtp = MTP(target.config, cfg.mtp)
    params = [p for m in (*drafts.values(), medusa, mtp) for p in m.parameters()]
    opt = torch.optim.AdamW(params, lr=lr, betas=(0.9, 0.95), weight_decay=0.0)
    start = 0
    if ckpt.exists():
        blob = torch.load(ckpt, weights_only=True)
        for name, d in drafts.items():
            d.load_state_dict(blob["drafts"][name], strict=False)
        medusa.load_state_dict(blob["medusa"])
        mtp.load_state_dict(blob["mtp"])
        opt.load_state_dict(blob["optimizer"])
        start = int(blob["step"])
    t = target.config.context
    extra = max(cfg.medusa, cfg.mtp) + 1
    tensor = torch.frombuffer(bytearray(data), dtype=torch.uint8)
    gen = torch.Generator().manual_seed(seed + start)
    for m in (*drafts.values(), medusa, mtp):
        m.train()
    t0 = time.perf_counter()
    for step in range(start, steps):
        for group in opt.param_groups:
            group["lr"] = lr * min(1.0, (step + 1) / 50) * (0.1 + 0.45 * (1 + math.cos(math.pi * step / steps)))
        loss, parts = _losses(target, drafts, medusa, mtp, random_windows(tensor, t + extra, batch, gen), t)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if progress:
            progress(step, steps, {**parts, "seconds": time.perf_counter() - t0})
        if (step + 1) % 25 == 0 or step + 1 == steps:
            heads_checkpoint(ckpt, drafts, medusa, mtp, opt, step + 1, cfg)
    for m in (*drafts.values(), medusa, mtp):
        m.eval()
    report = evaluate_drafters(target, drafts, medusa, mtp, held_out)
    tree = medusa_tree(report["medusa_accuracy"], tree_size)
    return Drafters(drafts["draft"], medusa, mtp, tree, report, {"draft_text_only": drafts["draft_text_only"]})
