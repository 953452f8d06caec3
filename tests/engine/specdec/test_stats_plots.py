"""Statistics against simulation and counting, and the page's HTML and figures against the trace they draw."""

from __future__ import annotations

import random

import pytest

from engine.specdec import Models, generate
from engine.specdec import plots as P
from engine.specdec.generate import expected_tokens_per_call
from engine.specdec.stats import acceptance_by_position, gamma_sweep, speedup_theory, summary


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
