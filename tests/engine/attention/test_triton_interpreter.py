"""The Triton kernel on the CPU under TRITON_INTERPRET=1 (set before triton is imported), small sizes."""

from __future__ import annotations

import os

os.environ["TRITON_INTERPRET"] = "1"

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

triton_kernel = pytest.importorskip("engine.attention.triton_kernel", reason="triton is not installed")

from engine.attention import reference_attention  # noqa: E402

TOL = {torch.float32: 1e-5, torch.float16: 2e-3}


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 2), st.integers(1, 256), st.integers(1, 64), st.booleans(),
       st.sampled_from([torch.float32, torch.float16]), st.sampled_from([16, 32, 64]), st.integers(0, 1000))
@pytest.mark.slow
def test_triton_matches_reference(heads: int, n: int, d: int, causal: bool, dtype, block: int, seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    m = n if causal else max(1, (n * 3) // 4)
    q = torch.randn(heads, n, d, generator=g).to(dtype)
    k, v = (torch.randn(heads, m, d, generator=g).to(dtype) for _ in range(2))
    out = triton_kernel.triton_attention(q, k, v, causal, block_m=block, block_n=block)
    ref = reference_attention(q.double(), k.double(), v.double(), causal)
    assert ((out.double() - ref).norm() / ref.norm()).item() <= TOL[dtype]


def test_triton_refuses_cpu_tensors_without_the_interpreter(monkeypatch) -> None:
    monkeypatch.setenv("TRITON_INTERPRET", "0")
    with pytest.raises(ValueError, match="CUDA"):
        triton_kernel.triton_attention(torch.randn(4, 16), torch.randn(4, 16), torch.randn(4, 16))
