"""Tiled attention against a float64 reference, its trace invariants, tile counts and input checks."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.attention import count_tiles, reference_attention, sdpa_attention, tiled_attention

TOL = {torch.float32: 1e-5, torch.float16: 2e-3, torch.bfloat16: 2e-2}


def rel_err(out: torch.Tensor, ref: torch.Tensor) -> float:
    return ((out.double() - ref).norm() / ref.norm()).item()


def reference64(q, k, v, causal, scale=None):
    return reference_attention(q.double(), k.double(), v.double(), causal, scale)


@st.composite
def problems(draw):
    lead = draw(st.lists(st.integers(1, 3), min_size=0, max_size=2))
    n = draw(st.integers(1, 150))
    causal = draw(st.booleans())
    m = n if causal else draw(st.integers(1, 150))
    d = draw(st.integers(1, 72))
    dv = draw(st.integers(1, 40))
    dtype = draw(st.sampled_from(list(TOL)))
    seed = draw(st.integers(0, 2**31 - 1))
    g = torch.Generator().manual_seed(seed)
    q, k = (torch.randn(*lead, length, d, generator=g).to(dtype) for length in (n, m))
    v = torch.randn(*lead, m, dv, generator=g).to(dtype)
    return q, k, v, causal, draw(st.integers(1, 70)), draw(st.integers(1, 70))


@settings(max_examples=120, deadline=None)
@given(problems())
def test_tiled_matches_float64_reference(problem) -> None:
    q, k, v, causal, bq, bk = problem
    out = tiled_attention(q, k, v, causal, block_q=bq, block_k=bk)
    assert out.shape == (*q.shape[:-1], v.shape[-1]) and out.dtype == q.dtype
    assert rel_err(out, reference64(q, k, v, causal)) <= TOL[q.dtype]


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("n", [1, 63, 64, 65, 300])
def test_sdpa_and_reference_agree(n: int, causal: bool) -> None:
    q, k, v = torch.randn(3, 2, n, 32, generator=torch.Generator().manual_seed(n)).unbind(0)
    ref = reference64(q, k, v, causal)
    assert rel_err(reference_attention(q, k, v, causal), ref) <= 1e-6
    assert rel_err(sdpa_attention(q, k, v, causal), ref) <= 1e-5
    assert rel_err(tiled_attention(q, k, v, causal, scale=0.3), reference64(q, k, v, causal, 0.3)) <= 1e-5


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 130), st.integers(6, 50), st.integers(6, 50), st.booleans(), st.integers(0, 1))
def test_trace_reproduces_softmax_statistics(n: int, bq: int, bk: int, causal: bool, head: int) -> None:
    g = torch.Generator().manual_seed(n * 7 + bq)
    q, k, v = (torch.randn(2, n, 16, generator=g) for _ in range(3))
    out, trace = tiled_attention(q, k, v, causal, block_q=bq, block_k=bk, return_trace=True, trace_head=head)
    s = (q[head].double() @ k[head].double().T) / 4.0
    if causal:
        s = s.masked_fill(torch.ones(n, n, dtype=torch.bool).triu(1), float("-inf"))
    row_max = s.max(-1).values
    row_sum = torch.exp(s - row_max[:, None]).sum(-1)
    computed, skipped = count_tiles(n, n, bq, bk, causal)
    assert len(trace.steps) == computed and len(trace.skipped) == skipped
    brute_skipped = sum(1 for i in range(0, n, bq) for j in range(0, n, bk) if causal and j > min(i + bq, n) - 1)
    assert skipped == brute_skipped
    for i0 in range(0, n, bq):  # the last step of each query block holds its final m and l
        last = [st_ for st_ in trace.steps if st_.q_range[0] == i0][-1]
        i1 = last.q_range[1]
        torch.testing.assert_close(last.m_new.double(), row_max[i0:i1], rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(last.l.double(), row_sum[i0:i1], rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(last.o, out[head, i0:i1], rtol=1e-5, atol=1e-6)
    vh = v[head].double()
    for step in trace.steps:  # each step's state against a float64 softmax over the keys seen so far
        (i0, i1), (j0, j1) = step.q_range, step.k_range
        seen = s[i0:i1, :j1]
        torch.testing.assert_close(step.m_new.double(), seen.max(-1).values, rtol=1e-5, atol=1e-5)
        torch.testing.assert_close(step.l.double(), torch.exp(seen - seen.max(-1).values[:, None]).sum(-1),
                                   rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(step.o.double(), torch.softmax(seen, -1) @ vh[:j1], rtol=1e-4, atol=1e-5)
        if j0 == 0:  # the block's first tile: nothing before it to rescale
            assert torch.all(step.rescale == 0)
            continue
        # the rescale is what moving the earlier keys' sum from the old maximum to the new one multiplies it by
        before = s[i0:i1, :j0]
        want = (torch.exp(before - step.m_new.double()[:, None]).sum(-1)
                / torch.exp(before - step.m_old.double()[:, None]).sum(-1))
        torch.testing.assert_close(step.rescale.double(), want, rtol=1e-5, atol=1e-7)


def test_causal_skips_about_half_the_tiles() -> None:
    computed, skipped = count_tiles(1024, 1024, 64, 64, True)
    assert (computed, skipped) == (16 * 17 // 2, 16 * 15 // 2)
    assert count_tiles(100, 70, 32, 32, False) == (12, 0)


@pytest.mark.parametrize("bad", [
    lambda: tiled_attention(torch.randn(4), torch.randn(4), torch.randn(4)),
    lambda: tiled_attention(torch.randn(5, 8), torch.randn(6, 8), torch.randn(6, 8), causal=True),
    lambda: tiled_attention(torch.randn(5, 8), torch.randn(6, 7), torch.randn(6, 8)),
    lambda: tiled_attention(torch.randn(5, 8), torch.randn(6, 8), torch.randn(7, 8)),
    lambda: tiled_attention(torch.randint(0, 3, (5, 8)), torch.randn(5, 8), torch.randn(5, 8)),
    lambda: tiled_attention(torch.randn(5, 8), torch.randn(5, 8).half(), torch.randn(5, 8)),
    lambda: tiled_attention(torch.randn(2, 5, 8), torch.randn(3, 5, 8), torch.randn(3, 5, 8)),
    lambda: tiled_attention(torch.randn(5, 8), torch.randn(5, 8), torch.randn(5, 8), block_q=0),
    lambda: tiled_attention(torch.randn(0, 8), torch.randn(5, 8), torch.randn(5, 8)),
    lambda: tiled_attention(torch.randn(5, 8), torch.randn(5, 8), torch.randn(5, 8), return_trace=True, trace_head=3),
    lambda: reference_attention("q", torch.randn(5, 8), torch.randn(5, 8)),
    lambda: tiled_attention(*torch.randn(3, 100, 4), block_q=1, block_k=1, return_trace=True),  # 10⁴ tiles
])
def test_bad_input_raises_value_error(bad) -> None:
    with pytest.raises(ValueError):
        bad()


def test_count_tiles_refuses_a_zero_tile() -> None:
    import pytest

    from engine.attention import count_tiles

    with pytest.raises(ValueError):
        count_tiles(16, 16, 0, 16, False)


@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("n", [1, 255, 256, 600])
def test_the_float64_reference_in_row_blocks_equals_the_textbook_formula(n: int, causal: bool) -> None:
    import torch

    from engine.attention import reference_attention
    from engine.attention.compare import reference_rows

    g = torch.Generator().manual_seed(n)
    q, k, v = (torch.randn(1, 2, n, 16, generator=g, dtype=torch.float64) for _ in range(3))
    assert torch.equal(reference_rows(q, k, v, causal), reference_attention(q, k, v, causal))


def test_the_memory_guard_counts_the_reference() -> None:
    """At N = 8192 the reference used to take 1 GiB that no estimate counted; in row blocks it is 48 MiB, and
    a budget below it refuses even the tiled method."""
    import torch

    from engine.attention.guard import estimate

    est = estimate(8192, 8192, 64, 4, torch.float32)
    assert est.reference64 <= 48 << 20
    assert not est.fits("tiled", est.tiled + est.reference64 - 1) and est.fits("tiled", est.tiled + est.reference64)
