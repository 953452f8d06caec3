"""engine.specdec.vllm: vLLM's /metrics read with prometheus_client, checked against a hand count of the text,
against counters exported by prometheus_client itself, against the speedup formula, and on hostile input."""

from __future__ import annotations

import os
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Counter, generate_latest

from engine.artifacts import ArtifactError
from engine.specdec.vllm import SpecMetrics, example_text, read_metrics

EXAMPLE = example_text()


def hand_count(text: str, name: str) -> dict[str, float]:
    """Sum a counter's samples by a regex over the raw lines (per position for the per-position counter)."""
    out: dict[str, float] = {}
    for m in re.finditer(rf'^{re.escape(name)}_total\{{([^}}]*)\}} (\S+)$', text, re.MULTILINE):
        pos = re.search(r'position="(\d+)"', m[1])
        key = pos[1] if pos else ""
        out[key] = out.get(key, 0.0) + float(m[2])
    return out


def test_the_example_is_labelled_and_reads_as_a_hand_count_of_its_lines() -> None:
    assert EXAMPLE.startswith("# EXAMPLE written by Glassbox")
    m = read_metrics(EXAMPLE)
    assert m.drafts == hand_count(EXAMPLE, "vllm:spec_decode_num_drafts")[""]
    assert m.draft_tokens == hand_count(EXAMPLE, "vllm:spec_decode_num_draft_tokens")[""]
    assert m.accepted == hand_count(EXAMPLE, "vllm:spec_decode_num_accepted_tokens")[""]
    per = hand_count(EXAMPLE, "vllm:spec_decode_num_accepted_tokens_per_pos")
    assert m.per_position == tuple(per[str(i)] for i in range(len(per)))
    assert m.label_sets == 2 and m.problems == ()  # two engines, summed; consistent as written
    assert m.acceptance_rate == pytest.approx(m.accepted / m.draft_tokens)
    assert m.mean_acceptance_length == pytest.approx(1 + m.accepted / m.drafts)
    assert m.position_rates == pytest.approx([n / m.drafts for n in m.per_position])


def test_speedup_and_best_gamma_against_the_formula_and_a_scan() -> None:
    m = SpecMetrics(100, 300, 150, (80, 50, 20))
    assert m.speedup(0.1, 0) == 1.0
    assert m.speedup(0.1, 2) == pytest.approx((1 + 0.8 + 0.5) / (1 + 2 * 0.1))
    assert m.speedup(0.0, 3) == pytest.approx(m.mean_acceptance_length)  # free drafts: tokens per pass
    for cost in (0.0, 0.05, 0.2, 0.6, 2.0):
        scan = {g: (1 + sum([0.8, 0.5, 0.2][:g])) / (1 + g * cost) for g in range(4)}
        assert m.best_gamma(cost) == max(scan, key=lambda g: (scan[g], -g))
    assert m.best_gamma(0.0) == 3 and m.best_gamma(2.0) == 0
    with pytest.raises(ValueError):
        m.speedup(0.1, 4)
    with pytest.raises(ValueError):
        m.speedup(float("nan"), 1)


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10**6), st.lists(st.integers(0, 10**6), min_size=1, max_size=5)),
                min_size=1, max_size=3))
def test_counters_exported_by_prometheus_client_are_summed_over_engines(engines) -> None:
    reg = CollectorRegistry()
    labels = ["model_name", "engine"]
    c = {n: Counter(f"vllm:spec_decode_num_{n}", n, labels, registry=reg)
         for n in ("drafts", "draft_tokens", "accepted_tokens")}
    per = Counter("vllm:spec_decode_num_accepted_tokens_per_pos", "p", [*labels, "position"], registry=reg)
    k = max(len(p) for _, p in engines)
    want = [0] * k
    for e, (drafts, pos) in enumerate(engines):
        c["drafts"].labels("m", str(e)).inc(drafts)
        c["draft_tokens"].labels("m", str(e)).inc(drafts * k)
        c["accepted_tokens"].labels("m", str(e)).inc(sum(pos))
        for i, n in enumerate(pos):
            per.labels("m", str(e), str(i)).inc(n)
            want[i] += n
    m = read_metrics(generate_latest(reg))
    assert m.drafts == sum(d for d, _ in engines) and m.draft_tokens == m.drafts * k
    assert m.accepted == sum(want) and m.per_position == tuple(want) and m.label_sets == len(engines)


def _tamper(old: str, new: str) -> SpecMetrics:
    assert EXAMPLE.count(old) == 1, old
    return read_metrics(EXAMPLE.replace(old, new))


@pytest.mark.parametrize("old, new, code", [
    ('position="1"} 26997.0', 'position="1"} 26998.0', "vllm.sum"),  # one per-position count
    ('position="2"} 18802.0', 'position="2"} 38802.0', "vllm.grows"),  # a later position above an earlier one
    ('engine="0",model_name="Qwen/Qwen3-8B"} 83405.0', 'engine="0",model_name="Qwen/Qwen3-8B"} 83406.0', "vllm.sum"),
    ('engine="1",model_name="Qwen/Qwen3-8B"} 47758.0', 'engine="1",model_name="Qwen/Qwen3-8B"} 47757.0',
     "vllm.too_many_tokens"),  # fewer drafts than the draft tokens need
    ('engine="0",model_name="Qwen/Qwen3-8B"} 144639.0', 'engine="0",model_name="Qwen/Qwen3-8B"} 14639.0',
     "vllm.over_drafted"),
])
def test_one_changed_number_is_reported(old: str, new: str, code: str) -> None:
    codes = [p.code for p in _tamper(old, new).problems]
    assert code in codes, codes


def test_a_missing_position_is_named() -> None:
    text = "\n".join(line for line in EXAMPLE.splitlines() if 'position="1"' not in line)
    codes = [p.code for p in read_metrics(text).problems]
    assert "vllm.gap" in codes and "vllm.grows" in codes


GARBAGE = os.urandom(5 * (1 << 20) - 16)
TEXT_GARBAGE = GARBAGE.translate(bytes(32 + i % 95 if i % 50 else 10 for i in range(256))).decode()  # printable


@pytest.mark.parametrize("data, code", [
    ("", "artifact.empty"),
    ("   \n", "artifact.empty"),
    (b"\xff\xfe" + b"x" * 40, "artifact.encoding"),
    (GARBAGE, "artifact.encoding"),
    (TEXT_GARBAGE, "artifact.format"),
    ("vllm:spec_decode_" + TEXT_GARBAGE[:-20], "vllm.syntax"),
    ("x" * (5 * (1 << 20) + 1), "artifact.too_big"),
    ('{"hits": {"hits": []}}', "artifact.format"),  # an Elasticsearch response
    ("[" * 100_000, "artifact.format"),
    ("# nThread 1 nGpus 8\n#  size count type\n", "artifact.format"),  # nccl-tests
    ("vllm:num_requests_running 3\n", "vllm.no_spec"),
    (EXAMPLE[:EXAMPLE.index('position="2"} 18802.0') - 20], "vllm.syntax"),  # truncated mid-label
    (EXAMPLE.replace("} 48213.0", "} NaN"), "vllm.count"),
    (EXAMPLE.replace("} 48213.0", "} -1"), "vllm.count"),
    (EXAMPLE.replace("} 48213.0", "} 1e400"), "vllm.count"),
    (EXAMPLE.replace("} 48213.0", "} 48213.5"), "vllm.count"),
    (EXAMPLE.replace('position="2"', 'position="two"'), "vllm.position"),
    (EXAMPLE.replace('position="2"', 'position="99999999999999999999"'), "vllm.position"),
    ("\n".join(line for line in EXAMPLE.splitlines() if "draft_tokens" not in line), "artifact.missing"),
    ("\n".join(line for line in EXAMPLE.splitlines() if "per_pos" not in line), "artifact.missing"),
    (re.sub(r"\} \d+\.0$", "} 0.0", EXAMPLE, flags=re.MULTILINE), "vllm.no_drafts"),
    ("vllm:spec_decode_num_drafts_total 1\n" * 140_000, "vllm.too_many"),
    ("vllm:spec_decode_num_drafts_total{a=\"" + "x" * (5 * (1 << 20) - 100), "vllm.long_line"),
    ("vllm:spec_decode_num_drafts_total " + "9" * 4000 + "\n", "vllm.count"),
])
def test_bad_input_is_an_artifact_error_within_a_second(data, code: str) -> None:
    t = time.perf_counter()
    with pytest.raises(ArtifactError) as e:
        read_metrics(data)
    assert time.perf_counter() - t < 1.0
    assert e.value.code == code, e.value


def test_a_syntax_error_points_at_its_line() -> None:
    text = EXAMPLE.replace('position="1"} 26997.0', 'position="1"} 26997.0 x y', 1)
    with pytest.raises(ArtifactError) as e:
        read_metrics(text)
    line = next(i for i, s in enumerate(text.splitlines(), start=1) if s.endswith("26997.0 x y"))
    assert e.value.position == (line, 1)


def test_the_pages_own_run_is_counted_as_vllm_counts() -> None:
    from engine.specdec.stats import vllm_counts
    from engine.specdec.steps import Generation, StepTrace

    def step(drafted: int, fates: list[str]) -> StepTrace:
        return StepTrace(list(range(drafted)), [], [], [], fates, [0], 0.0, 0.0)

    trace = [step(0, ["bonus"]),  # the prompt pass drafts nothing: not a draft
             step(4, ["accepted", "accepted", "rejected", "resampled"]),
             step(4, ["accepted", "accepted", "accepted", "accepted", "bonus"]),
             step(4, ["rejected", "resampled"]),
             step(2, ["accepted", "accepted", "bonus"])]  # near the end of the room: fewer drafted
    m = vllm_counts(Generation("", [], trace))
    assert (m.drafts, m.draft_tokens, m.accepted, m.per_position) == (4, 14, 8, (3, 3, 1, 1))
    assert m.problems == () and vllm_counts(Generation("", [], trace[:1])) is None
