"""FlashAttention-2's backward from the saved LSE against autograd on the textbook formula (float64), the LSE against
torch.logsumexp, p_row against torch.softmax, and negative controls that the checks catch a wrong backward."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.attention import tiled_attention
from engine.attention.backward import check_backward, p_row, reference_grads, saved_bytes, tiled_attention_backward


def _mask(n: int, m: int) -> torch.Tensor:
    return torch.ones(n, m, dtype=torch.bool).triu(1)


def autograd_reference(q, k, v, dout, causal, scale):
    """Autograd through softmax(QKᵀ·scale)·V written out here in float64 (independent of engine.core)."""
    q, k, v = (t.detach().double().requires_grad_(True) for t in (q, k, v))
    s = q @ k.transpose(-2, -1) * scale
    if causal:
        s = s.masked_fill(_mask(q.shape[-2], k.shape[-2]), float("-inf"))
    out = torch.softmax(s, -1) @ v
    return torch.autograd.grad(out, (q, k, v), dout.double())


@st.composite
def problems(draw):
    lead = draw(st.lists(st.integers(1, 2), min_size=0, max_size=2))
    causal = draw(st.booleans())
    n = draw(st.integers(1, 40))
    m = n if causal else draw(st.integers(1, 40))
    d, dv = draw(st.integers(1, 12)), draw(st.integers(1, 10))
    g = torch.Generator().manual_seed(draw(st.integers(0, 2**31 - 1)))
    q = torch.randn(*lead, n, d, generator=g, dtype=torch.float64)
    k = torch.randn(*lead, m, d, generator=g, dtype=torch.float64)
    v = torch.randn(*lead, m, dv, generator=g, dtype=torch.float64)
    dout = torch.randn(*lead, n, dv, generator=g, dtype=torch.float64)
    blocks = [draw(st.integers(1, 45)) for _ in range(4)]
    scale = draw(st.sampled_from([None, 0.3]))
    return q, k, v, dout, causal, blocks, scale


@settings(max_examples=60, deadline=None)
@given(problems())
def test_backward_equals_autograd_in_float64(case) -> None:
    """Uneven N and M, causal or not, any block sizes (forward and backward tiled differently): ≤ 1e-10."""
    q, k, v, dout, causal, (fq, fk, bq, bk), scale = case
    out, lse = tiled_attention(q, k, v, causal, block_q=fq, block_k=fk, scale=scale, return_lse=True)
    grads = tiled_attention_backward(q, k, v, out, lse, dout, causal, block_q=bq, block_k=bk, scale=scale)
    sc = scale if scale is not None else q.shape[-1] ** -0.5
    for g, r in zip(grads, autograd_reference(q, k, v, dout, causal, sc), strict=True):
        assert g.shape == r.shape and g.dtype == torch.float64
        assert (g - r).abs().max().item() <= 1e-10


def test_lse_is_the_log_sum_exp_of_the_scaled_scores_and_p_row_is_softmax() -> None:
    g = torch.Generator().manual_seed(1)
    q, k, v = (torch.randn(2, 3, 45, 16, generator=g, dtype=torch.float64) for _ in range(3))
    for causal in (False, True):
        out, lse = tiled_attention(q, k, v, causal, block_q=8, block_k=16, return_lse=True)
        s = (q @ k.transpose(-2, -1)) * 0.25
        if causal:
            s = s.masked_fill(_mask(45, 45), float("-inf"))
        assert lse.shape == (2, 3, 45) and (lse - torch.logsumexp(s, -1)).abs().max() < 1e-12
        p = torch.softmax(s, -1)
        for i in (0, 7, 44, -1):
            assert (p_row(q, k, lse, i, causal) - p[..., i, :]).abs().max() < 1e-14
        assert torch.equal(out, tiled_attention(q, k, v, causal, block_q=8, block_k=16))  # same output as before


def test_lse_is_fp32_for_low_precision_input_and_grads_keep_the_input_dtype() -> None:
    g = torch.Generator().manual_seed(2)
    q, k, v, dout = (torch.randn(1, 2, 70, 16, generator=g).to(torch.bfloat16) for _ in range(4))
    out, lse = tiled_attention(q, k, v, True, block_q=32, block_k=32, return_lse=True)
    assert lse.dtype == torch.float32
    grads = tiled_attention_backward(q, k, v, out, lse, dout, True, block_q=16, block_k=32)
    assert all(gr.dtype == torch.bfloat16 for gr in grads)
    err = check_backward(q, k, v, dout, grads, True)
    assert max(err.values()) < 0.1  # bf16 inputs and outputs: rounding, not a wrong formula


def test_negative_controls_a_wrong_lse_or_a_missing_correction_is_caught() -> None:
    """The check compares against an independent autograd: a backward fed a perturbed LSE (P no longer sums to
    1), or one that forgets D, is far off."""
    g = torch.Generator().manual_seed(3)
    q, k, v, dout = (torch.randn(2, 33, 8, generator=g, dtype=torch.float64) for _ in range(4))
    out, lse = tiled_attention(q, k, v, return_lse=True)
    good = check_backward(q, k, v, dout, tiled_attention_backward(q, k, v, out, lse, dout, block_q=8, block_k=8))
    assert max(good.values()) < 1e-12
    bad = check_backward(q, k, v, dout, tiled_attention_backward(q, k, v, out, lse + 0.05, dout))
    assert max(bad.values()) > 1e-3
    dq, dk, dv = tiled_attention_backward(q, k, v, torch.zeros_like(out), lse, dout)  # D = 0: no softmax correction
    assert check_backward(q, k, v, dout, (dq, dk, dv))["dq"] > 1e-3


def test_reference_grads_equal_the_written_out_autograd() -> None:
    g = torch.Generator().manual_seed(4)
    q, k, v, dout = (torch.randn(20, 6, generator=g, dtype=torch.float64) for _ in range(4))
    for a, b in zip(reference_grads(q, k, v, dout, True), autograd_reference(q, k, v, dout, True, 6 ** -0.5),
                    strict=True):
        assert (a - b).abs().max() < 1e-14


def test_trace_replays_key_blocks_outer_and_its_partial_sums_end_at_the_gradients() -> None:
    g = torch.Generator().manual_seed(5)
    q, k, v, dout = (torch.randn(1, 2, 40, 8, generator=g, dtype=torch.float64) for _ in range(4))
    out, lse = tiled_attention(q, k, v, True, return_lse=True)
    _, dk, dv, trace = tiled_attention_backward(q, k, v, out, lse, dout, True, block_q=16, block_k=16,
                                                return_trace=True, trace_head=1)
    assert trace.grid == (3, 3) and sorted(trace.skipped) == [(0, 1), (0, 2), (1, 2)]
    assert [(s.k_block, s.q_block) for s in trace.steps] == sorted((s.k_block, s.q_block) for s in trace.steps)
    for j in range(3):
        last = [s for s in trace.steps if s.k_block == j][-1]
        assert torch.equal(last.dk, dk[0, 1, 16 * j:16 * j + 16]) and torch.equal(last.dv, dv[0, 1, 16 * j:16 * j + 16])
    step = trace.steps[1]
    rows = torch.stack([p_row(q[0, 1], k[0, 1], lse[0, 1], i, True) for i in range(*step.q_range)])
    assert (step.p - rows[:, step.k_range[0]:step.k_range[1]]).abs().max() < 1e-15
    assert (trace.d - (dout * out).sum(-1)[0, 1]).abs().max() == 0


def test_bad_shapes_and_saved_bytes() -> None:
    q = torch.randn(10, 4)
    out, lse = tiled_attention(q, q, q, return_lse=True)
    with pytest.raises(ValueError, match="lse must have shape"):
        tiled_attention_backward(q, q, q, out, lse[:5], out)
    with pytest.raises(ValueError, match="outside"):
        p_row(q, q, lse, 10)
    assert saved_bytes(1024, 1024, 4) == {"p": 4 * 1024 * 1024 * 4, "lse": 4 * 1024 * 4}


def test_bench_row_counts_what_each_forward_keeps_for_backward() -> None:
    """The bench's saved bytes come from autograd's own saved-tensor hooks: the textbook formula keeps P (heads × N ×
    N fp32 values), SDPA and the tiled pass keep O and the LSE only; every backward's gradients are right."""
    from engine.attention.bench_backward import backward_case

    row = backward_case(64, 8, 2, torch.float32, False, 1, 16, torch.device("cpu"))
    assert row["naive"]["saved_bytes"] == 2 * 64 * 64 * 4
    assert row["tiled"]["saved_bytes"] == 2 * 64 * 8 * 4 + 2 * 64 * 4 == row["sdpa"]["saved_bytes"]
    assert all(row[m]["max_abs_err"] < 1e-5 for m in ("tiled", "sdpa", "naive"))
    assert all(row[m]["peak_mib"] > 0 and row[m]["time_s"] > 0 for m in ("tiled", "sdpa", "naive"))
