"""A tiny byte-level GPT and its training text, so the numerics page can study real gradients.

The text is the source of a fixed list of standard-library modules: present on every machine with
Python, so training needs no download and is reproducible for a given Python version. The model is
deliberately small (about 0.1 M parameters) so a CPU trains it in seconds; what matters here is the
distribution of its gradients, not its prose.
"""

from __future__ import annotations

import bisect
import heapq
import inspect
import json.decoder
import string
import textwrap
from dataclasses import dataclass

import torch
from torch.nn import functional as F

from engine.transformer import CausalLM, random_windows

CORPUS_MODULES = (textwrap, heapq, bisect, string, json.decoder)


def training_text() -> bytes:
    """The training corpus: the source of CORPUS_MODULES, as UTF-8 bytes."""
    return "\n".join(inspect.getsource(m) for m in CORPUS_MODULES).encode("utf-8")


@dataclass(frozen=True)
class TinyGPTConfig:
    """Model size: vocabulary (bytes), context, width, depth, heads."""

    vocab: int = 256
    context: int = 64
    width: int = 64
    layers: int = 2
    heads: int = 4


class TinyGPT(CausalLM):
    """The shared trunk with its own (untied, biased) head and PyTorch's default initialisation."""

    def __init__(self, c: TinyGPTConfig) -> None:
        super().__init__(c, tied_head=False)

    def forward(self, idx: torch.Tensor, targets: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Logits (b, t, vocab) and the mean cross-entropy against `targets` (0 when none)."""
        logits = self.head(self.hidden_states(idx))
        if targets is None:
            return logits, torch.zeros((), device=idx.device)
        return logits, F.cross_entropy(logits.flatten(0, 1).float(), targets.flatten())


class Batches:
    """Random windows of the corpus as (input, next-byte target) pairs, from a seeded generator."""

    def __init__(self, data: bytes, context: int, batch: int, seed: int, device: torch.device) -> None:
        self.data = torch.frombuffer(bytearray(data), dtype=torch.uint8).long()
        self.context, self.batch, self.device = context, batch, device
        self.gen = torch.Generator().manual_seed(seed)

    def next(self) -> tuple[torch.Tensor, torch.Tensor]:
        """One batch: x and y of shape (batch, context)."""
        w = random_windows(self.data, self.context + 1, self.batch, self.gen)
        return w[:, :-1].to(self.device), w[:, 1:].to(self.device)
