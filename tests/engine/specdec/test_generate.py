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


@pytest.mark.parametrize("prompt", ["class JSONDecoder", "def ", "    return "])
def test_trained_drafters_keep_greedy_output_token_for_token(tiny: Models, prompt: str) -> None:
    base = generate(tiny, prompt, "autoregressive", 48, temperature=0)
    for method, gamma in (("speculative", 3), ("mtp", 1), ("mtp", 2), ("medusa", 0), ("lookup", 4)):
        g = generate(tiny, prompt, method, 48, temperature=0, gamma=gamma)
        assert g.tokens == base.tokens, (method, gamma)
        assert g.stats["target_calls"] <= base.stats["target_calls"]
        for step in g.trace:  # every step emits its accepted drafts and exactly one token of the target's
            assert len(step.emitted) == step.fates.count("accepted") + 1
            assert step.fates[-1] in ("bonus", "resampled")


def test_trained_drafters_are_accepted_often(tiny: Models) -> None:
    rates = {}
    for method in ("speculative", "mtp", "medusa"):
        runs = [generate(tiny, p, method, 48, temperature=0, gamma=2) for p in ("class ", "def ", "    if ")]
        rates[method] = sum(r.stats["acceptance_rate"] for r in runs) / len(runs)
    assert min(rates.values()) > 0.15, rates  # the equality test above really exercised accepted drafts


def test_medusa_trace_describes_the_tree(tiny: Models) -> None:
    g = generate(tiny, "def ", "medusa", 40, temperature=0)
    trees = [s.tree for s in g.trace if s.tree is not None]
    assert trees and g.trace[0].tree is None  # the prompt pass has no heads' guesses to check yet
    for s in g.trace[1:]:
        t = s.tree
        if t is None:  # no room left for a tree at the very end
            assert len(s.emitted) == 1
            continue
        assert len(t.tokens) == len(t.parents) == len(t.depths) <= len(tiny.tree)  # pruned near the end
        assert [t.depths[j] for j in t.accepted] == list(range(1, len(t.accepted) + 1))
        assert s.emitted[:-1] == [t.tokens[j] for j in t.accepted]


def test_medusa_typical_acceptance_runs_and_respects_the_context(tiny: Models) -> None:
    g = generate(tiny, "x" * 50, "medusa", 40, temperature=0.8, seed=1)
    assert len(g.tokens) == 64 - 50
    hot = generate(tiny, "def ", "medusa", 40, temperature=1.0, epsilon=0.0, delta=0.0)
    assert hot.stats["acceptance_rate"] > 0.9  # thresholds of 0 accept any candidate with p > 0


@pytest.mark.slow
def test_full_loop_keeps_the_target_distribution(tiny: Models) -> None:
    """χ² of the first two tokens from `generate` itself (speculative and MTP) against the exact table."""
    from engine.specdec.exactness import chi2_pvalue, two_token_tables

    p0, p1 = two_token_tables(tiny.target, "def ")
    joint = (p0[:, None] * p1).flatten()
    samples = 1500
    top = torch.argsort(joint, descending=True)
    cells = [int(i) for i in top if joint[i] * samples >= 5]
    for method in ("speculative", "mtp"):
        counts: dict[int, int] = {}
        for seed in range(samples):
            a, b = generate(tiny, "def ", method, 2, temperature=1.0, gamma=2, seed=seed).tokens
            counts[a * 256 + b] = counts.get(a * 256 + b, 0) + 1
        obs = [counts.get(c, 0) for c in cells]
        exp = [float(joint[c]) * samples for c in cells]
        obs.append(samples - sum(obs))
        exp.append(samples - sum(exp))
        assert chi2_pvalue(obs, exp)[1] > 1e-4, method


def test_bad_requests_are_refused(tiny: Models) -> None:
    with pytest.raises(ValueError, match="unknown method"):
        generate(tiny, "a", "beam")
    with pytest.raises(ValueError, match="drafter"):
        generate(Models(tiny.target), "a", "medusa")
    with pytest.raises(ValueError, match="negative"):
        generate(tiny, "a", "speculative", gamma=-1)


def test_stats_are_typed_and_readable_by_name(models: Models) -> None:
    """The statistics are a dataclass (typed fields) that still reads like the dict it replaced."""
    from engine.specdec.generate import GenerationStats

    g = generate(models, "ROMEO:", "speculative", 30, temperature=1.0, gamma=3, seed=2)
    s = g.stats
    assert isinstance(s, GenerationStats) and s.method == "speculative" and s.gamma == 3
    assert s["target_calls"] == s.target_calls == dict(s)["target_calls"] > 0
    assert s.new_tokens == len(g.tokens) == 30 and s.steps == len(g.trace)
    assert s.verified == sum(f in ("accepted", "rejected") for t in g.trace for f in t.fates)
    assert s.acceptance_rate == s.accepted / s.verified
    with pytest.raises(KeyError):
        s["no such statistic"]


def test_every_method_is_a_drafter_with_one_shape(models: Models) -> None:
    """propose / verify / commit, each drafter its own class; the loop never branches on the method's name."""
    import importlib
    import inspect

    from engine.specdec import drafters

    gen_module = importlib.import_module("engine.specdec.generate")

    for cls in (drafters.Drafter, drafters.DraftModel, drafters.MTPChain, drafters.PromptLookup,
                drafters.MedusaTree):
        assert all(callable(getattr(cls, m)) for m in ("propose", "verify", "commit"))
    body = inspect.getsource(gen_module.generate).split('"""', 2)[2]  # after the signature and docstring
    assert all(f'"{m}"' not in body for m in gen_module.METHODS)


@pytest.mark.parametrize(("kw", "match"), [({"temperature": float("nan")}, "temperature"),
                                           ({"temperature": -1.0}, "temperature"), ({"top_p": 0.0}, "top_p"),
                                           ({"top_k": 0}, "top_k")])
def test_sampling_settings_torch_would_choke_on_are_refused_at_the_api(tiny: Models, kw: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        generate(tiny, "a", "speculative", 4, **kw)


def test_rejected_drafts_are_rolled_back_from_both_kv_caches(tiny: Models, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page says a rejected draft is rolled back: after each step the target's cache holds exactly the kept
    tokens (every drafted position past the first rejection is cut) and the draft's cache no more than those."""
    from engine.specdec import drafters

    cut: list[int] = []
    original = drafters.DraftModel.commit

    def commit(self, seq: list[int], verdict) -> None:
        before = self.ctx.cache.length  # the verify pass cached every uncached token and every draft
        original(self, seq, verdict)
        accepted = verdict.step.fates.count("accepted")
        assert before == len(seq) + len(verdict.step.drafted)
        assert self.ctx.cache.length == len(seq) + accepted and self.cache.length <= len(seq) + accepted
        cut.append(before - self.ctx.cache.length)

    monkeypatch.setattr(drafters.DraftModel, "commit", commit)
    g = generate(tiny, "def ", "speculative", 60, temperature=1.0, gamma=4, seed=2)
    rejected = [s for s in g.trace if "rejected" in s.fates]
    assert rejected and sum(c > 0 for c in cut) == len(rejected)  # exactly the steps that rejected were cut back
