"""Medusa heads, MTP modules and the tree: each checked against a plain forward pass or brute force."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.specdec import Models
from engine.specdec.generate import tree_mask, tree_nodes
from engine.specdec.heads import MTP, MedusaHeads, heads_checkpoint, load_drafters, medusa_tree
from engine.transformer import KVCache


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.floats(0.01, 0.99), min_size=3, max_size=3), min_size=1, max_size=3),
       st.integers(1, 12))
def test_medusa_tree_is_the_best_prefix_closed_set(acc: list[list[float]], size: int) -> None:
    tree = medusa_tree(acc, size)
    paths = [p for n in range(1, len(acc) + 1) for p in itertools.product(range(3), repeat=n)]
    value = {p: math.prod(acc[k][r] for k, r in enumerate(p)) for p in paths}
    assert len(tree) == min(size, len(paths)) and len(set(tree)) == len(tree)
    assert all(p[:-1] in tree for p in tree if len(p) > 1), "a kept path needs its prefix"
    # nothing left out beats the weakest path kept, except a path whose prefix was left out
    weakest = min(value[p] for p in tree)
    assert all(value[p] <= weakest + 1e-12 for p in paths if p not in tree and p[:-1] in [*tree, ()])


def test_tree_mask_and_nodes() -> None:
    paths = [(0,), (1,), (0, 0), (0, 1), (1, 0), (0, 0, 0)]
    parents, depths = tree_nodes(paths)
    assert parents == [-1, -1, 0, 0, 1, 2] and depths == [1, 1, 2, 2, 2, 3]
    mask = tree_mask(parents)
    assert mask[6].tolist() == [True, True, False, True, False, False, True]  # root, (0,), (0, 0), itself
    assert mask[:, 0].all() and not mask[2, 1]
    with pytest.raises(ValueError, match="prefix"):
        tree_nodes([(0,), (1, 1)])


def test_tree_pass_equals_a_plain_forward_of_every_path(tiny: Models) -> None:
    target = tiny.target
    prompt = torch.tensor([list(b"def decode(self, s):")])
    paths = [(0,), (1,), (0, 0), (0, 1), (1, 0), (0, 0, 0)]
    tokens = [101, 102, 103, 104, 105, 106]
    parents, depths = tree_nodes(paths)
    with torch.no_grad():
        cache = target.new_cache()
        target(prompt[:, :-1], cache)
        cached = cache.length
        root = prompt[:, -1:]
        mask = torch.ones(1 + len(tokens), cached + 1 + len(tokens), dtype=torch.bool)
        mask[:, cached:] = tree_mask(parents)
        positions = torch.tensor([cached] + [cached + d for d in depths])
        tree_logits = target(torch.cat([root, torch.tensor([tokens])], 1), cache, positions, mask)[0]
        for j in range(len(tokens)):
            chain, k = [], j
            while k >= 0:
                chain.append(tokens[k])
                k = parents[k]
            full = target(torch.cat([prompt, torch.tensor([chain[::-1]])], 1))[0, -1]
            torch.testing.assert_close(tree_logits[1 + j], full, rtol=1e-4, atol=1e-4)


def test_fresh_medusa_heads_repeat_the_targets_guess(tiny: Models) -> None:
    heads = MedusaHeads(tiny.target.config.width, 256, 2)
    heads.init_from(tiny.target)
    x = torch.tensor([list(b"return self")])
    with torch.no_grad():
        logits, hidden = tiny.target(x, return_hidden=True)
        torch.testing.assert_close(heads(hidden)[1], logits)


def test_mtp_cached_pass_equals_the_training_pass(tiny: Models) -> None:
    mtp, target = tiny.mtp, tiny.target
    x = torch.tensor([list(b"    def raw_decode(self, s, idx=0):\n")])
    t = x.shape[1] - mtp.depth
    with torch.no_grad():
        _, hidden = target(x[:, :t], return_hidden=True)
        full = mtp(target, hidden, x)
        module = mtp.modules_[0]
        cache = KVCache(1)  # an MTP depth is one plain Block
        parts = [module(hidden[:, a:b], target.tok(x[:, 1 + a:1 + b]), cache) for a, b in ((0, 5), (5, 6), (6, t))]
        torch.testing.assert_close(module.logits(torch.cat(parts, 1), target), full[0], rtol=1e-5, atol=1e-5)


def test_training_taught_every_drafter(tiny: Models) -> None:
    r = tiny.report
    assert r["draft_alpha"] > 0.4 and r["draft_greedy"] > 0.3
    assert r["medusa_accuracy"][0][0] > 0.2 and r["mtp1_accuracy"] > 0.3  # chance is 1/256
    assert r["mtp1_loss"] < 3.0 and r["target_loss"] < 2.5


def test_shipped_drafters_load_back(tiny: Models, tmp_path) -> None:
    from engine.specdec.heads import HeadsConfig

    cfg = HeadsConfig(medusa=tiny.medusa.n, mtp=tiny.mtp.depth, draft=tiny.draft.config)
    path = tmp_path / "drafters.pt"
    heads_checkpoint(path, {"draft": tiny.draft, **tiny.others}, tiny.medusa, tiny.mtp, None, 1, cfg,
                     {"tree": [list(p) for p in tiny.tree], "report": {"x": 1.0}}, dtype=torch.float16)
    back = load_drafters(path, tiny.target)
    assert back.tree == tiny.tree and back.report == {"x": 1.0} and set(back.others) == set(tiny.others)
    x = torch.tensor([list(b"import re")])
    with torch.no_grad():
        torch.testing.assert_close(back.draft(x), tiny.draft(x), rtol=0, atol=5e-2)
        _, h = tiny.target(x, return_hidden=True)
        torch.testing.assert_close(back.medusa(h), tiny.medusa(h), rtol=0, atol=5e-2)
        assert isinstance(back.mtp, MTP)
