"""A nanoGPT-style byte-level causal transformer with a KV cache, sized by GPTConfig.

The cache lets decoding process only new tokens, and `truncate` rolls it back after a rejected draft.
Positions are learnt embeddings, so no sequence may run past `config.context` (generate stops there).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F


@dataclass(frozen=True)
class GPTConfig:
    """Vocabulary (bytes), context length, width, depth, heads."""

    vocab: int = 256
    context: int = 256
    width: int = 128
    layers: int = 4
    heads: int = 4


class KVCache:
    """Per-layer keys and values of the tokens processed so far: (B, heads, T, head_dim) each."""

    def __init__(self, layers: int) -> None:
        self.k: list[torch.Tensor | None] = [None] * layers
        self.v: list[torch.Tensor | None] = [None] * layers

    @property
    def length(self) -> int:
        """Tokens cached."""
        return 0 if self.k[0] is None else self.k[0].shape[2]

    def truncate(self, length: int) -> None:
        """Forget everything after the first `length` tokens (a rejected draft)."""
        for i in range(len(self.k)):
            if self.k[i] is not None:
                self.k[i] = self.k[i][:, :, :length]
                self.v[i] = self.v[i][:, :, :length]


class Block(nn.Module):
    """Pre-norm causal self-attention and MLP, both residual."""

    def __init__(self, c: GPTConfig, index: int) -> None:
        super().__init__()
        self.index, self.heads = index, c.heads
        self.ln1, self.ln2 = nn.LayerNorm(c.width), nn.LayerNorm(c.width)
        self.qkv, self.proj = nn.Linear(c.width, 3 * c.width), nn.Linear(c.width, c.width)
        self.fc, self.out = nn.Linear(c.width, 4 * c.width), nn.Linear(4 * c.width, c.width)

    def forward(self, x: torch.Tensor, cache: KVCache | None) -> torch.Tensor:
        b, t, w = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(w, dim=-1)
        q, k, v = (z.view(b, t, self.heads, w // self.heads).transpose(1, 2) for z in (q, k, v))  # (b, h, t, hd)
        past = 0
        if cache is not None:
            if cache.k[self.index] is not None:
                past = cache.k[self.index].shape[2]
                k = torch.cat([cache.k[self.index], k], dim=2)
                v = torch.cat([cache.v[self.index], v], dim=2)
            cache.k[self.index], cache.v[self.index] = k, v
        # new query i (absolute position past + i) sees keys 0 … past + i
        mask = torch.ones(t, past + t, dtype=torch.bool, device=x.device).tril(diagonal=past)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, w))
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class GPT(nn.Module):
    """Token and position embeddings, blocks, final norm, a head tied to the token embedding."""

    def __init__(self, c: GPTConfig) -> None:
        super().__init__()
        self.config = c
        self.tok = nn.Embedding(c.vocab, c.width)
        self.pos = nn.Embedding(c.context, c.width)
        self.blocks = nn.ModuleList(Block(c, i) for i in range(c.layers))
        self.ln = nn.LayerNorm(c.width)
        self.head = nn.Linear(c.width, c.vocab, bias=False)
        self.head.weight = self.tok.weight

    def new_cache(self) -> KVCache:
        """An empty cache for this model."""
        return KVCache(self.config.layers)

    def forward(self, idx: torch.Tensor, cache: KVCache | None = None) -> torch.Tensor:
        """Logits (B, T, vocab) for the new tokens `idx` (B, T), continuing after the cached ones."""
        past = cache.length if cache is not None else 0
        t = idx.shape[1]
        if past + t > self.config.context:
            raise ValueError(f"{past + t} tokens exceed the model's context of {self.config.context}")
        x = self.tok(idx) + self.pos(torch.arange(past, past + t, device=idx.device))
        for block in self.blocks:
            x = block(x, cache)
        return self.head(self.ln(x))

    def n_params(self) -> int:
        """Parameters, counting the tied head once."""
        return sum(p.numel() for p in self.parameters())

    def config_dict(self) -> dict:
        """The config as plain data (saved beside weights)."""
        return asdict(self.config)
