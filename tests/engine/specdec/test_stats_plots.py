"""Statistics against simulation and counting, and the page's HTML and figures against the trace they draw."""

from __future__ import annotations

import random

import pytest

from engine.specdec import Models, generate
from engine.specdec import plots as P
from engine.specdec.generate import expected_tokens_per_call
from engine.specdec.stats import Timed, acceptance_by_position, gamma_sweep, speedup_theory, summary, timed_runs
from engine.timing import Timing


@pytest.mark.parametrize(("alpha", "gamma"), [(0.0, 3), (0.3, 1), (0.7, 4), (0.9, 8), (1.0, 5)])
def test_expected_tokens_per_call_matches_simulation(alpha: float, gamma: int) -> None:
    rng = random.Random(7)
    trials = 40_000
    total = 0
    for _ in range(trials):
        n = 0
        while n < gamma and rng.random() < alpha:
            n += 1
        total += n + 1  # the accepted drafts plus the target's own token
    assert total / trials == pytest.approx(expected_tokens_per_call(alpha, gamma), rel=0.02)


def test_speedup_theory_limits() -> None:
    assert speedup_theory(0.8, 4, 0.0) == pytest.approx(expected_tokens_per_call(0.8, 4))
    assert speedup_theory(0.0, 4, 0.1) == pytest.approx(1 / 1.4)  # nothing accepted: the drafts are pure cost


def test_speedup_theory_charges_the_verify_pass() -> None:
    """The verify pass over γ + 1 tokens costs v one-token passes: the expected tokens per pass are spread over
    γ draft passes and that one pass; v = 1 (the default) is Leviathan et al.'s."""
    e = 1 + 0.8 + 0.8 ** 2 + 0.8 ** 3 + 0.8 ** 4
    assert speedup_theory(0.8, 4, 0.1, 1.5) == pytest.approx(e / (4 * 0.1 + 1.5))
    assert speedup_theory(0.8, 4, 0.1) == pytest.approx(e / 1.4)


def test_summary_measures_the_verify_cost_from_the_traces(tiny: Models) -> None:
    g = generate(tiny, "def ", "speculative", 60, temperature=1.0, gamma=3, seed=2)
    base = generate(tiny, "def ", "autoregressive", 60, temperature=1.0, seed=2)
    s = summary(g, base)
    verify = [t.target_ms for t in g.trace if t.drafted]
    one = [t.target_ms for t in base.trace[1:]]  # past the prompt's pass: one token each
    assert s["verify_cost"] == pytest.approx((sum(verify) / len(verify)) / (sum(one) / len(one)))
    assert s["speedup_theory"] == pytest.approx(speedup_theory(s["acceptance_rate"], 3, s["draft_cost"],
                                                               s["verify_cost"]))
    assert s["speedup_theory_one_pass"] == pytest.approx(speedup_theory(s["acceptance_rate"], 3, s["draft_cost"]))
    assert s["expected_tokens_per_verify"] == pytest.approx(expected_tokens_per_call(s["acceptance_rate"], 3))


def _timed(seconds: tuple[float, ...], paired: bool = True) -> Timed:
    return Timed(None, Timing.of(list(seconds)), seconds if paired else ())


def test_speedup_pairs_the_rounds() -> None:
    """A burst of load in round 2 slows both runs of that round: paired, every round says 2×; taking one side's
    fastest against the other's slowest (unpaired) would claim anything from 0.67× to 6×."""
    base, fast = _timed((1.0, 3.0, 1.0)), _timed((0.5, 1.5, 0.5))
    assert fast.round_ratios(base) == [2.0, 2.0, 2.0]
    assert fast.speedup(base)[:3] == (2.0, 2.0, 2.0)
    lo, hi = _timed((1.0, 3.0, 1.0), False).speedup(_timed((0.5, 1.5, 0.5), False))[1:3]  # negative control
    assert (lo, hi) == (pytest.approx(1 / 6), pytest.approx(1.5))


def test_timed_runs_keep_each_rounds_seconds_and_generation(tiny: Models) -> None:
    t = timed_runs(tiny, "def ", ["autoregressive", "speculative"], 2, max_new_tokens=10, gamma=2)
    for timed in t.values():
        assert len(timed.seconds) == len(timed.generations) == 2 and timed.generation is timed.generations[-1]
        assert timed.timing.lo_s == min(timed.seconds) and timed.timing.hi_s == max(timed.seconds)
    assert len(t["speculative"].round_ratios(t["autoregressive"])) == 2


def test_acceptance_by_position_counts_every_verified_draft(tiny: Models) -> None:
    g = generate(tiny, "def ", "speculative", 60, temperature=1.0, gamma=3, seed=2)
    rows = acceptance_by_position(g)
    assert [r["position"] for r in rows] == list(range(1, len(rows) + 1)) and len(rows) <= 3
    assert sum(r["accepted"] for r in rows) == sum(s.fates.count("accepted") for s in g.trace)
    assert sum(r["verified"] for r in rows) == sum(s.fates.count("accepted") + s.fates.count("rejected")
                                                   for s in g.trace)
    assert all(rows[i]["verified"] >= rows[i + 1]["verified"] for i in range(len(rows) - 1))  # later need earlier
    s = summary(g, generate(tiny, "def ", "autoregressive", 60, temperature=1.0, seed=2))
    assert s["speedup"] > 0 and s["draft_cost"] > 0 and s["expected_tokens_per_verify"] >= 1


def test_gamma_sweep_rows(tiny: Models) -> None:
    rows = gamma_sweep(tiny, "def ", [1, 3], max_new_tokens=30)
    assert [r["gamma"] for r in rows] == [1, 3]
    assert all(1 <= r["tokens_per_verify"] <= r["gamma"] + 1 for r in rows)
    for r in rows:  # costs are medians over the rounds, and the theory is computed from those medians
        assert len(r["speedup_rounds"]) == r["rounds"] == 3 and r["verify_cost"] > 0
        assert r["speedup_theory"] == pytest.approx(speedup_theory(r["acceptance_rate"], r["gamma"], r["draft_cost"],
                                                                   r["verify_cost"]))


def test_acceptance_html_has_one_span_per_token_and_escapes(tiny: Models) -> None:
    prompt = "<i>x</i> & y\n"
    g = generate(tiny, prompt, "speculative", 40, temperature=1.0, gamma=3, seed=0)
    html = P.acceptance_html(g, list(prompt.encode()), None)
    spans = html.count('<span class="tok ')
    assert spans == len(prompt.encode()) + sum(len(s.fates) for s in g.trace)
    assert html.count("tok-rejected") == sum(s.fates.count("rejected") for s in g.trace)
    assert "<i>" not in html and "&lt;" in html and "&amp;" in html
    emitted = [t for s in g.trace for t in s.emitted]
    assert emitted[:40] == g.tokens  # the view draws exactly the generated tokens (plus struck-through drafts)


def test_tree_figures_follow_the_trace(tiny: Models) -> None:
    g = generate(tiny, "def ", "medusa", 20, temperature=0)
    tree = next(s.tree for s in g.trace if s.tree is not None)
    mask = P.tree_mask_fig(tree).data[0].z
    assert len(mask) == len(tree.tokens) + 1 and all(row[0] == 1 for row in mask)
    fig = P.tree_fig(tree)
    assert len(fig.data) == len(tree.tokens) + 1  # an edge per node, then the nodes
    assert P.show_byte(10) == "↵" and P.show_byte(0xE4) == "⟨e4⟩" and P.show_byte(ord("<")) == "&lt;"


def test_tables_get_plain_bytes_and_markup_gets_escaped_bytes() -> None:
    """A quote or an ampersand shows as itself in a table (it was shown as &#x27;), escaped only inside HTML."""
    assert P.byte_text(ord("'")) == "'" and P.show_byte(ord("'")) == "&#x27;"
    assert P.byte_text(ord("&")) == "&" and P.show_byte(ord("<")) == "&lt;"
    assert P.byte_text(10) == "↵" and P.byte_text(0xE7) == "⟨e7⟩"


def test_glyphs_group_a_characters_bytes_and_keep_broken_ones_visible() -> None:
    data = [*"罗a😀".encode(), 0xE7, 0xBD]  # a character cut off after two of its three bytes
    shown = P.glyphs(data)
    assert shown[:3] == ["罗", "", ""] and shown[3] == "a" and shown[4:8] == ["😀", "", "", ""]
    assert shown[8:] == ["⟨e7⟩", "⟨bd⟩"]
    assert P.text_of(list("你好".encode())) == "你好"


def test_a_space_node_in_the_medusa_tree_is_visible() -> None:
    assert P.node_label(32) == "␣" and P.node_label(ord("a")) == "a"


def test_rounds_figure_draws_each_step_up_to_the_one_asked(tiny: Models) -> None:
    """The GIF's frame for step k: one cell per fate of each step up to k (the last `window` of them), coloured
    by that fate; the drafts it shows are the step's own."""
    g = generate(tiny, "ROMEO:\n", "speculative", 40, temperature=1.0, gamma=3, seed=0)
    k = len(g.trace) // 2
    cells = [t for t in P.rounds_fig(g, k, window=100).data if t.x != (None,)]
    assert len(cells) == sum(len(s.fates) for s in g.trace[:k])
    colors = [c.marker.color for c in cells]
    assert colors == [P.FATE_COLORS[f] for s in g.trace[:k] for f in s.fates]
    assert [c.y[0] for c in cells][-1] == k
    windowed = [t for t in P.rounds_fig(g, k, window=2).data if t.x != (None,)]
    assert {c.y[0] for c in windowed} == {k - 1, k}  # only the last two steps
    assert P.rounds_fig(g, k + 1).layout.title.text != P.rounds_fig(g, k).layout.title.text
