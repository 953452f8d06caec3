"""The byte-level GPT's KV cache, and the decoding loops: greedy equality across methods, context, counters."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from engine.specdec import GPT, GPTConfig, Models, generate
from engine.specdec.generate import distribution, lookup_draft


def model(seed: int, width: int, layers: int) -> GPT:
    """A random float64 model with an untied random head (tied random weights just repeat the last byte)."""
    torch.manual_seed(seed)
    m = GPT(GPTConfig(context=96, width=width, layers=layers, heads=2)).double().eval()
    m.head.weight = nn.Parameter(torch.randn(256, width, dtype=torch.float64) * 0.5)
    return m


@pytest.fixture(scope="module")
def models() -> Models:
    return Models(model(0, 64, 2), model(1, 32, 1))


def test_cache_matches_a_full_forward(models: Models) -> None:
    m = models.target
    x = torch.randint(0, 256, (2, 40))
    with torch.no_grad():
        full = m(x)
        cache = m.new_cache()
        parts = [m(x[:, a:b], cache) for a, b in ((0, 7), (7, 8), (8, 25), (25, 40))]
        torch.testing.assert_close(torch.cat(parts, 1), full, rtol=0, atol=1e-10)
        cache.truncate(20)
        torch.testing.assert_close(m(x[:, 20:], cache), full[:, 20:], rtol=0, atol=1e-10)


@pytest.mark.parametrize("prompt", ["ROMEO:", "def f(x):\n    return x", "abcabcabc"])
def test_greedy_output_is_identical_for_every_method(models: Models, prompt: str) -> None:
    base = generate(models, prompt, "autoregressive", 50, temperature=0)
    assert len(set(base.tokens)) >= 5, "the test needs a varied greedy output"
    for method, gamma in (("speculative", 1), ("speculative", 4), ("lookup", 3)):
        g = generate(models, prompt, method, 50, temperature=0, gamma=gamma)
        assert g.tokens == base.tokens, (method, gamma)
        assert sum(len(s.emitted) for s in g.trace) >= len(g.tokens)


def test_never_runs_past_the_context(models: Models) -> None:
    g = generate(models, "x" * 90, "speculative", 50, temperature=1.0, gamma=4)
    assert len(g.tokens) == 96 - 90
    with pytest.raises(ValueError, match="context"):
        generate(models, "y" * 96, "autoregressive", 5)


def test_a_draft_equal_to_the_target_is_always_accepted(models: Models) -> None:
    same = Models(models.target, models.target)
    g = generate(same, "hello", "speculative", 40, temperature=1.0, gamma=4, seed=3)
    assert g.stats["acceptance_rate"] == pytest.approx(1.0)
    assert g.stats["tokens_per_target_call"] == pytest.approx(5.0, rel=0.25)  # γ + 1, less at the very end


def test_distribution_and_lookup() -> None:
    logits = torch.tensor([1.0, 3.0, 2.0, 0.0])
    assert distribution(logits, 0).tolist() == [0, 1, 0, 0]
    assert distribution(logits, 1.0, top_k=2)[[0, 3]].sum() == 0
    p = distribution(logits, 1.0, top_p=0.7)
    assert p[1] > 0 and p.sum() == pytest.approx(1.0) and (p > 0).sum() == 2
    assert lookup_draft([1, 2, 3, 9, 1, 2, 3], 2) == [9, 1]
    assert lookup_draft([5, 6, 7], 3) == []
