"""The settings object: DecodeSettings is frozen, and `generate_with(models, DecodeSettings(...))` is exactly the
keyword call `generate(models, prompt, ...)`; the typed results say what `summary`'s dict says."""

from __future__ import annotations

import dataclasses
import math

import pytest

from engine.specdec import METHODS, DecodeSettings, Models, generate, generate_with, with_drafter
from engine.specdec.exactness import P_REJECT, ExactnessResult
from engine.specdec.generate import expected_tokens_per_call
from engine.specdec.stats import Decoded, Summary, decode_beside_baseline, summarize, summary, timed_runs, timed_with


def test_the_settings_are_frozen_and_hashable() -> None:
    s = DecodeSettings("ROMEO:", "speculative", 30, 0.0, gamma=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.gamma = 5  # type: ignore[misc]
    assert {s: 1}[DecodeSettings("ROMEO:", "speculative", 30, 0.0, gamma=3)] == 1  # equal values, one cache key
    assert s != dataclasses.replace(s, seed=1)


def test_the_settings_defaults_are_generates_keywords() -> None:
    import inspect

    params = inspect.signature(generate).parameters
    for f in dataclasses.fields(DecodeSettings):
        if f.name in params and params[f.name].default is not inspect.Parameter.empty:
            assert f.default == params[f.name].default, f.name


@pytest.mark.parametrize("method", METHODS)
def test_the_object_form_and_the_keyword_form_emit_the_same_tokens(tiny: Models, method: str) -> None:
    s = DecodeSettings("def ", method, 40, 0.0, gamma=3, seed=5)
    by_object = generate_with(tiny, s)
    by_keywords = generate(tiny, "def ", method, 40, temperature=0.0, gamma=3, seed=5)
    assert by_object.tokens == by_keywords.tokens and by_object.text == by_keywords.text
    counts = ("method", "gamma", "new_tokens", "steps", "target_calls", "draft_calls", "verified", "accepted")
    assert [by_object.stats[k] for k in counts] == [by_keywords.stats[k] for k in counts]  # times aside
    assert generate(tiny, "def ", **s.keywords(), method=method).tokens == by_object.tokens


def test_sampling_is_the_same_in_both_forms_and_the_drafter_is_chosen_by_name(tiny: Models) -> None:
    s = DecodeSettings("class ", "speculative", 30, 1.0, gamma=2, seed=7, top_k=20)
    assert generate_with(tiny, s).tokens == generate(tiny, "class ", "speculative", 30, 1.0, 2, 7, top_k=20).tokens
    other = next(iter(tiny.others))
    assert with_drafter(tiny, other).draft is tiny.others[other] and with_drafter(tiny, "draft") is tiny
    swapped = dataclasses.replace(tiny, draft=tiny.others[other])
    assert (generate_with(tiny, dataclasses.replace(s, drafter=other)).tokens
            == generate(swapped, "class ", "speculative", 30, 1.0, 2, 7, top_k=20).tokens)
    with pytest.raises(ValueError, match="unknown drafter"):
        generate_with(tiny, dataclasses.replace(s, drafter="nope"))


def test_one_baseline_serves_every_drafted_method_and_gamma() -> None:
    s = DecodeSettings("a", "speculative", 20, 0.5, gamma=3, drafter="draft_text_only", ngram=2)
    assert s.using("autoregressive") == dataclasses.replace(s, method="medusa", gamma=7).baseline()
    assert s.baseline().method == "autoregressive" and s.using("mtp") == dataclasses.replace(s, method="mtp")


def test_the_typed_summary_is_the_dict_and_the_formula(tiny: Models) -> None:
    d = decode_beside_baseline(tiny, DecodeSettings("def ", "speculative", 40, 1.0, gamma=3, seed=2))
    typed, plain = d.summary, summary(d.generation, d.baseline)
    assert isinstance(typed, Summary) and dict(typed) == plain  # every key, the same numbers
    alpha = plain["acceptance_rate"]
    assert math.isclose(d.expected_tokens_per_call, (1 - alpha ** 4) / (1 - alpha))
    assert d.expected_tokens_per_call == expected_tokens_per_call(alpha, 3)
    assert d.greedy_matches is None  # sampling: nothing to check
    assert summarize(d.generation).speedup is None  # without a baseline, no speedup


def test_greedy_matches_says_when_the_tokens_differ(tiny: Models) -> None:
    d = decode_beside_baseline(tiny, DecodeSettings("def ", "lookup", 30, 0.0, gamma=3))
    assert d.greedy_matches is True
    other = generate(tiny, "class ", "autoregressive", 30, temperature=0.0)  # another prompt's greedy tokens
    assert Decoded(d.settings, d.generation, other).greedy_matches is False  # the negative control
    assert decode_beside_baseline(tiny, d.settings.baseline()).greedy_matches is None


def test_timed_runs_is_timed_with_its_keywords_as_settings(tiny: Models) -> None:
    kw = {"max_new_tokens": 8, "temperature": 0.0, "gamma": 2}
    a = timed_runs(tiny, "def ", ["autoregressive", "mtp"], 1, **kw)
    b = timed_with(tiny, DecodeSettings("def ", **kw), ["autoregressive", "mtp"], 1)
    assert {m: t.generation.tokens for m, t in a.items()} == {m: t.generation.tokens for m, t in b.items()}


def test_the_exactness_verdict_is_the_threshold() -> None:
    def at(p: float) -> ExactnessResult:
        return ExactnessResult([], [], [], [], 0.0, p, 1, 0.5, 0.5)

    assert at(0.3).consistent and not at(P_REJECT).consistent and not at(1e-9).consistent
