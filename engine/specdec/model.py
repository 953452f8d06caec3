"""A nanoGPT-style byte-level causal transformer with a KV cache, sized by GPTConfig.

The cache lets decoding process only new tokens, and `truncate` rolls it back after a rejected draft.
Positions are learnt embeddings, so no sequence may run past `config.context` (generate stops there).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from engine.specdec import kvslab
from engine.specdec.kvslab import SlabCache
from engine.transformer import CausalLM, KVCache


@dataclass(frozen=True)
class GPTConfig:
    """Vocabulary (bytes), context length, width, depth, heads."""

    vocab: int = 256
    context: int = 256
    width: int = 128
    layers: int = 4
    heads: int = 4


ROLES = {  # sized from CPU measurements: see the README's speculative-decoding section
    "target": GPTConfig(vocab=256, context=256, width=512, layers=7, heads=8),
    "draft": GPTConfig(vocab=256, context=256, width=128, layers=2, heads=4),
}


class GPT(CausalLM):
    """The shared trunk with a head tied to the token embedding, GPT-2 initialisation, and a KV cache."""

    def __init__(self, c: GPTConfig) -> None:
        super().__init__(c, tied_head=True)
        self.apply(self._init)
        for block in self.blocks:  # GPT-2: residual projections shrink with depth so the stream stays O(1)
            for layer in (block.proj, block.out):
                nn.init.normal_(layer.weight, std=0.02 / (2 * c.layers) ** 0.5)

    @staticmethod
    def _init(module: nn.Module) -> None:
        # PyTorch's default N(0, 1) embedding, tied to the head, would start with logits of std ~sqrt(width)
        if isinstance(module, (nn.Linear, nn.Embedding)):
            nn.init.normal_(module.weight, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)

    @classmethod
    def from_state(cls, config: dict, state: dict, device: torch.device | str = "cpu") -> GPT:
        """A model of `config` holding `state` (any float dtype; the tied head may be left out), in eval mode.

        Raises ValueError when the weights do not fit the config.
        """
        model = cls(GPTConfig(**config)).to(device)
        missing, unexpected = model.load_state_dict({k: v.float() for k, v in state.items()}, strict=False)
        if unexpected or set(missing) - {"head.weight"}:  # the head is tied to the token embedding
            raise ValueError(f"weights do not fit the model (missing {missing}, unexpected {unexpected})")
        return model.eval()

    def new_cache(self) -> SlabCache:
        """An empty cache for this model: a preallocated slab for the decoding fast path (engine/specdec/kvslab)."""
        return SlabCache(self.config.layers, self.config.context + kvslab.SPARE)

    def hidden_states(self, idx: torch.Tensor, cache: KVCache | SlabCache | None = None,
                      positions: torch.Tensor | None = None, mask: torch.Tensor | None = None) -> torch.Tensor:
        """As `CausalLM.hidden_states`; over a SlabCache by the fast path (same arithmetic, fewer copies)."""
        if isinstance(cache, SlabCache):
            return kvslab.hidden_states(self, idx, cache, positions, mask)
        return super().hidden_states(idx, cache, positions, mask)

    def forward(self, idx: torch.Tensor, cache: KVCache | SlabCache | None = None,
                positions: torch.Tensor | None = None, mask: torch.Tensor | None = None, return_hidden: bool = False):
        """Logits (B, T, vocab) for the new tokens `idx` (B, T), continuing after the cached ones (see
        `hidden_states` for `positions` and `mask`); `return_hidden` also returns the final normed states."""
        hidden = self.hidden_states(idx, cache, positions, mask)
        logits = self.head(hidden)
        return (logits, hidden) if return_hidden else logits

    def n_params(self) -> int:
        """Parameters, counting the tied head once."""
        return sum(p.numel() for p in self.parameters())
