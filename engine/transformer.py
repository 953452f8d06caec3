"""The pieces the byte-level GPTs share (the numerics page's tiny model and the speculative-decoding
models): a pre-norm causal transformer block with an optional KV cache, the embeddings-blocks-norm trunk
around it, and random training windows."""

from __future__ import annotations

from typing import Protocol

import torch
from torch import nn
from torch.nn import functional as F


class BlockConfig(Protocol):
    """What a block needs to know: its width and number of heads."""

    width: int
    heads: int


class LMConfig(BlockConfig, Protocol):
    """What a whole model needs besides: vocabulary, context length and depth."""

    vocab: int
    context: int
    layers: int


class KVCache:
    """Per-layer keys and values of the tokens processed so far: (B, heads, T, head_dim) each."""

    def __init__(self, layers: int) -> None:
        self.k: list[torch.Tensor | None] = [None] * layers
        self.v: list[torch.Tensor | None] = [None] * layers

    @property
    def length(self) -> int:
        """Tokens cached."""
        return 0 if self.k[0] is None else self.k[0].shape[2]

    def select(self, keep: torch.Tensor) -> None:
        """Keep only the cached positions listed in `keep` (the accepted path of a candidate tree)."""
        for i in range(len(self.k)):
            if self.k[i] is not None:
                self.k[i] = self.k[i].index_select(2, keep)
                self.v[i] = self.v[i].index_select(2, keep)

    def truncate(self, length: int) -> None:
        """Forget everything after the first `length` tokens (a rejected draft)."""
        for i in range(len(self.k)):
            if self.k[i] is not None:
                self.k[i] = self.k[i][:, :, :length]
                self.v[i] = self.v[i][:, :, :length]


class Block(nn.Module):
    """Pre-norm causal self-attention and MLP, both residual; layer `index` of a model (its slot in a cache)."""

    def __init__(self, c: BlockConfig, index: int = 0) -> None:
        super().__init__()
        self.index, self.heads = index, c.heads
        self.ln1, self.ln2 = nn.LayerNorm(c.width), nn.LayerNorm(c.width)
        self.qkv, self.proj = nn.Linear(c.width, 3 * c.width), nn.Linear(c.width, c.width)
        self.fc, self.out = nn.Linear(c.width, 4 * c.width), nn.Linear(4 * c.width, c.width)

    def forward(self, x: torch.Tensor, cache: KVCache | None = None, mask: torch.Tensor | None = None) -> torch.Tensor:
        """x (B, T, width) → same shape; with a cache, T new tokens after the cached ones; `mask` (T, past + T)
        replaces the causal mask (True = may attend)."""
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
        if mask is None and past == 0:  # plain causal attention: SDPA's fused kernel
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:
            if mask is None:  # new query i (absolute position past + i) sees keys 0 … past + i
                mask = torch.ones(t, past + t, dtype=torch.bool, device=x.device).tril(diagonal=past)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, w))
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class CausalLM(nn.Module):
    """Token and learnt position embeddings, `layers` blocks, a final norm and a head (tied to the token
    embedding, or its own with a bias). Subclasses decide initialisation and what forward returns."""

    def __init__(self, c: LMConfig, tied_head: bool) -> None:
        super().__init__()
        self.config = c
        self.tok = nn.Embedding(c.vocab, c.width)
        self.pos = nn.Embedding(c.context, c.width)
        self.blocks = nn.ModuleList(Block(c, i) for i in range(c.layers))
        self.ln = nn.LayerNorm(c.width)
        self.head = nn.Linear(c.width, c.vocab, bias=not tied_head)
        if tied_head:
            self.head.weight = self.tok.weight

    def hidden_states(self, idx: torch.Tensor, cache: KVCache | None = None, positions: torch.Tensor | None = None,
                      mask: torch.Tensor | None = None) -> torch.Tensor:
        """Final normed states (B, T, width) of the new tokens `idx` (B, T), continuing after the cached ones.

        `positions` (T,) and `mask` (T, cached + T; True = may attend) replace the causal defaults, for a
        candidate tree whose branches share positions.
        """
        past = cache.length if cache is not None else 0
        t = idx.shape[1]
        if positions is None:
            positions = torch.arange(past, past + t, device=idx.device)
        if int(positions.max()) >= self.config.context:
            raise ValueError(f"position {int(positions.max())} is past the model's context of {self.config.context}")
        x = self.tok(idx) + self.pos(positions)
        for block in self.blocks:
            x = block(x, cache, mask)
        return self.ln(x)


def random_windows(data: torch.Tensor, length: int, batch: int, gen: torch.Generator) -> torch.Tensor:
    """`batch` windows of `length` consecutive tokens of `data` at uniformly random starts: (batch, length)."""
    starts = torch.randint(len(data) - length, (batch,), generator=gen).tolist()
    return torch.stack([data[s:s + length] for s in starts]).long()
