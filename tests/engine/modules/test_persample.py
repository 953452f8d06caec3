"""Per-sample gradients (issue #34) against a loop of one backward per example, and the twins whose functional
defaults differ from the module's, against the formulas PyTorch documents."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from engine.modules import compare, example_input, twin
from engine.modules.persample import (
    batch,
    classifier,
    per_sample_demo,
    per_sample_grads,
    per_sample_loop,
    per_sample_timing,
)


def _max_diff(a: dict, b: dict) -> float:
    assert a.keys() == b.keys()
    return max(float((a[k] - b[k]).abs().max()) for k in a)


def test_vmap_grad_equals_the_loop_in_float64_for_cross_entropy() -> None:
    m = classifier()
    x, y = batch(16)
    fast, slow = per_sample_grads(m, x, y), per_sample_loop(m, x, y)
    assert _max_diff(fast, slow) <= 1e-12
    assert all(v.shape[0] == 16 and v.dtype == torch.float64 for v in fast.values())
    assert all(p.grad is None for p in m.parameters())  # the loop leaves the module as it found it


def test_vmap_grad_equals_the_loop_for_mse_on_a_conv_net_with_buffers() -> None:
    torch.manual_seed(1)
    m = nn.Sequential(nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.Flatten(), nn.Linear(12, 2)).double()
    with torch.no_grad():  # running statistics that are not the defaults, so the buffers matter
        m.train()(torch.randn(8, 2, 4, 4, dtype=torch.float64) * 3 + 1)
    m.eval()  # BatchNorm in eval mode uses its buffers, per example: a per-sample gradient is defined
    g = torch.Generator().manual_seed(2)
    x = torch.randn(6, 2, 4, 4, generator=g, dtype=torch.float64)
    y = torch.randn(6, 2, generator=g, dtype=torch.float64)
    assert _max_diff(per_sample_grads(m, x, y, "mse"), per_sample_loop(m, x, y, "mse")) <= 1e-12


def test_the_per_sample_gradients_are_not_the_batch_gradient_but_average_to_it() -> None:
    m = classifier()
    x, y = batch(8)
    per = per_sample_grads(m, x, y)
    F.cross_entropy(m(x), y).backward()
    for k, p in m.named_parameters():
        assert float((per[k].mean(0) - p.grad).abs().max()) <= 1e-12
        assert float((per[k] - p.grad).abs().max()) > 1e-3  # the negative control: each example differs from it


def test_demo_reports_the_comparison_and_norms_computed_independently() -> None:
    r = per_sample_demo(8)
    assert r.max_diff <= 1e-12 and r.mean_vs_batch <= 1e-12 and r.n == 8 and len(r.norms) == 8
    m = classifier()
    x, y = batch(8)
    for i in (0, 5):
        m.zero_grad()
        F.cross_entropy(m(x[i:i + 1]), y[i:i + 1]).backward()
        norm = math.sqrt(sum(float(p.grad.pow(2).sum()) for p in m.parameters()))
        assert r.norms[i] == pytest.approx(norm, rel=1e-12)
    assert r.numbers == 8 * sum(p.numel() for p in m.parameters())


def test_timing_interleaves_both() -> None:
    t = per_sample_timing(4, rounds=1)
    assert set(t) == {"vmap", "loop"} and all(v.median_s > 0 for v in t.values())


def test_unknown_loss_is_refused() -> None:
    with pytest.raises(ValueError):
        per_sample_grads(classifier(), *batch(2), loss="hinge")


# the twins whose defaults bite: naive against the module's own arguments


def test_softmax_without_dim_normalises_the_batch_dimension_of_a_3d_input() -> None:
    x = example_input(twin("Softmax"))
    assert x.dim() == 3
    naive, right = compare(twin("Softmax"), x, naive=True), compare(twin("Softmax"), x)
    e = x.double().exp()
    assert torch.allclose(naive.functional_out.double(), e / e.sum(0, keepdim=True), atol=1e-6)  # dim 0
    assert torch.allclose(naive.module_out.double(), e / e.sum(-1, keepdim=True), atol=1e-6)  # the last dim
    assert not naive.bitwise_equal and naive.verdict.code == "modules.differs" and right.bitwise_equal
    note = next(m for m in naive.notes if m.code == "modules.softmax_default")
    assert (note.params["naive_dim"], note.params["module_dim"], note.params["ndim"]) == (0, 2, 3)


def test_flatten_default_folds_the_batch_in() -> None:
    x = example_input(twin("Flatten"))
    naive, right = compare(twin("Flatten"), x, naive=True), compare(twin("Flatten"), x)
    assert tuple(naive.functional_out.shape) == (x.numel(),) and tuple(naive.module_out.shape) == (x.shape[0], 48)
    assert naive.verdict.code == "modules.shape_differs" and naive.verdict.params["n"] == x.numel()
    assert torch.equal(naive.functional_out, x.reshape(-1)) and right.bitwise_equal


def test_gelu_tanh_against_the_exact_default() -> None:
    x = example_input(twin("GELU"))
    naive, right = compare(twin("GELU"), x, naive=True), compare(twin("GELU"), x)
    xd = x.double()
    exact = 0.5 * xd * (1 + torch.erf(xd / math.sqrt(2)))
    approx = 0.5 * xd * (1 + torch.tanh(math.sqrt(2 / math.pi) * (xd + 0.044715 * xd ** 3)))
    assert torch.allclose(naive.functional_out.double(), exact, atol=1e-6)
    assert torch.allclose(naive.module_out.double(), approx, atol=1e-6)
    assert naive.max_abs_diff == pytest.approx(float((exact - approx).abs().max()), abs=1e-6)
    assert naive.max_abs_diff > 1e-5 and not naive.bitwise_equal and right.bitwise_equal
