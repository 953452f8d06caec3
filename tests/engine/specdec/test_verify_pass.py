"""The verify pass as decoding runs it (the target's slab cache, reused across steps and rolled back by length,
the batched kernels from four rows on) against an independent reference: a plain full forward, without any
cache, over the committed tokens and the same draft. A cache that kept a rejected token must be caught."""

from __future__ import annotations

import pytest
import torch

from engine.specdec import Models, generate
from engine.specdec.kvslab import SlabCache


def verify_passes(models: Models, method: str, prompt: str, tokens: int, gamma: int,
                  seed: int) -> tuple[list[int], list[tuple[int, torch.Tensor, torch.Tensor]]]:
    """Generate, recording every linear verify pass: (cached length before it, the tokens fed, its logits)."""
    target, seen = models.target, []
    forward = target.forward

    def spy(idx, cache=None, positions=None, mask=None, return_hidden=False):
        before = cache.length if cache is not None else 0
        out = forward(idx, cache, positions, mask, return_hidden)
        if isinstance(cache, SlabCache) and positions is None and mask is None:
            seen.append((before, idx[0].clone(), (out[0] if return_hidden else out)[0].clone()))
        return out

    target.forward = spy
    try:
        g = generate(models, prompt, method, tokens, temperature=1.0, gamma=gamma, seed=seed)
    finally:
        del target.forward
    return list(prompt.encode()) + g.tokens, seen


def worst_gap(models: Models, committed: list[int], seen) -> float:
    """Largest |logit| difference between each verify pass and a full forward (no cache) over the committed
    tokens before it and the tokens it fed."""
    worst = 0.0
    with torch.inference_mode():
        for cached, fed, logits in seen:
            full = models.target(torch.tensor([committed[:cached] + fed.tolist()]))[0, cached:]
            scale = float(full.abs().max())
            worst = max(worst, float((full - logits).abs().max()) / max(1.0, scale))
    return worst


@pytest.mark.parametrize(("method", "gamma"), [("speculative", 4), ("mtp", 2)])
def test_every_verify_pass_equals_a_full_forward(tiny: Models, method: str, gamma: int) -> None:
    committed, seen = verify_passes(tiny, method, "def ", 40, gamma, 2)
    assert sum(cached > 0 and len(fed) == gamma + 1 for cached, fed, _ in seen) > 3  # batched passes were checked
    assert worst_gap(tiny, committed, seen) < 1e-5


def test_a_stale_cache_is_caught(tiny: Models, monkeypatch: pytest.MonkeyPatch) -> None:
    """Negative control: the first rollback of a rejected draft leaves the rejected token's keys and values in the
    last kept row (a stale entry where a committed token belongs); every later pass attends to it."""
    committed, seen = verify_passes(tiny, "speculative", "def ", 40, 4, 2)
    assert worst_gap(tiny, committed, seen) < 1e-5
    truncate, cuts = SlabCache.truncate, []

    def stale(self: SlabCache, length: int) -> None:
        if 0 < length < self.length and not cuts:
            cuts.append(length)
            self.k[:, :, :, length - 1] = self.k[:, :, :, length]
            self.v[:, :, :, length - 1] = self.v[:, :, :, length]
        truncate(self, length)

    monkeypatch.setattr(SlabCache, "truncate", stale)
    committed, seen = verify_passes(tiny, "speculative", "def ", 40, 4, 2)
    assert cuts and worst_gap(tiny, committed, seen) > 1e-2
