"""A tiny target trained for seconds on real text, with its draft, Medusa heads and MTP modules.

Random weights would make every drafter miss, so the greedy-equality tests would never exercise an
accepted draft or a kept tree branch; a few hundred steps on Python's own json source are enough for
acceptance rates of 0.3–0.9.
"""

from __future__ import annotations

import inspect
import json.decoder
import json.encoder

import pytest
import torch

from engine.specdec import GPTConfig, Models
from engine.specdec.heads import HeadsConfig, train_heads
from engine.specdec.train import train

TEXT = (inspect.getsource(json.decoder) + inspect.getsource(json.encoder)).encode()
TINY = GPTConfig(vocab=256, context=64, width=48, layers=2, heads=2)
TINY_HEADS = HeadsConfig(medusa=3, mtp=2, draft=GPTConfig(vocab=256, context=64, width=24, layers=1, heads=2))


@pytest.fixture(scope="session")
def tiny(tmp_path_factory) -> Models:
    root = tmp_path_factory.mktemp("specdec")
    torch.manual_seed(0)
    target, _ = train(TEXT, "target", 300, root / "t.ckpt", batch=16, lr=3e-3, device=torch.device("cpu"),
                      config=TINY)
    d = train_heads(target, TEXT, TEXT, 150, root / "h.ckpt", batch=16, lr=3e-3, cfg=TINY_HEADS, tree_size=10)
    return Models(target, d.draft, d.medusa, d.mtp, d.tree, d.report, d.others)
