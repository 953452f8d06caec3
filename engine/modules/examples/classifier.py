"""An example for the modules page's linter, written by Glassbox: a small text classifier with five classic
nn.Module mistakes (each marked below). The page reads it with `ast`; it never imports or runs it."""

import torch
import torch.nn.functional as F
from torch import nn


class Embedder(nn.Module):
    """Token embeddings plus a learned position table."""

    def __init__(self, vocab: int, dim: int, length: int) -> None:
        self.tokens = nn.Embedding(vocab, dim)  # mistake: super().__init__() is never called
        self.positions = nn.Parameter(torch.zeros(length, dim))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return self.tokens(ids) + self.positions[: ids.shape[1]]


class Block(nn.Module):
    """A residual MLP block."""

    def __init__(self, dim: int, p: float = 0.1) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.up = nn.Linear(dim, 4 * dim)
        self.down = nn.Linear(4 * dim, dim)
        self.p = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = F.gelu(self.up(self.norm(x)))
        h = F.dropout(h, self.p)  # mistake: no training=self.training, so eval() does not stop it
        return x + self.down(h)


class Classifier(nn.Module):
    """Embed, a stack of blocks, mean-pool, classify."""

    def __init__(self, vocab: int = 1000, dim: int = 64, depth: int = 4, classes: int = 5) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.blocks = [Block(dim) for _ in range(depth)]  # mistake: a plain list, so nn.Module never sees them
        self.temperature = torch.ones(classes)  # mistake: neither a parameter nor a buffer
        self.head = nn.Linear(dim, classes)
        self.register_buffer("class_prior", torch.full((classes,), 1.0 / classes))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.embed(ids)
        for block in self.blocks:
            x = block(x)
        logits = self.head(x.mean(dim=1)) / self.temperature
        return F.softmax(logits)  # mistake: no dim
