"""FlashAttention-2's backward as Triton kernels, on the CPU under TRITON_INTERPRET=1 (set before triton is imported),
against autograd through softmax(QKᵀ·scale)·V written out here in float64; negative controls (no D term, a wrong
lse, the causal mask dropped) that the same comparison catches; the coded errors where Triton cannot run."""

from __future__ import annotations

import importlib.util
import os
import sys

os.environ["TRITON_INTERPRET"] = "1"

import pytest
import torch

from engine.attention.triton_grad import (
    triton_attention_autograd,
    triton_attention_backward,
    triton_ready,
)
from engine.messages import CodedError

needs_triton = pytest.mark.skipif(importlib.util.find_spec("triton") is None, reason="triton is not installed")
TOL = 1e-5  # relative (Frobenius) error: float32 arithmetic against a float64 reference


def _reference(q, k, v, dout, causal: bool):
    """Output, natural-log lse and (dq, dk, dv) by autograd on the textbook formula in float64."""
    q, k, v = (t.detach().double().requires_grad_(True) for t in (q, k, v))
    s = q @ k.transpose(-2, -1) / q.shape[-1] ** 0.5
    if causal:
        s = s.masked_fill(torch.ones(s.shape[-2:], dtype=torch.bool).triu(1), float("-inf"))
    out = torch.softmax(s, -1) @ v
    return out.detach(), torch.logsumexp(s, -1).detach(), torch.autograd.grad(out, (q, k, v), dout.double())


def _problem(heads: int, n: int, m: int, d: int, dv: int, seed: int = 0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(heads, n, d, generator=g), torch.randn(heads, m, d, generator=g),
            torch.randn(heads, m, dv, generator=g), torch.randn(heads, n, dv, generator=g))


def _worst(grads, ref) -> float:
    return max(((g.double() - r).norm() / r.norm()).item() for g, r in zip(grads, ref, strict=True))


def _forward(q, k, v, causal, bq, bk):
    from engine.attention.triton_kernel import triton_attention

    return triton_attention(q, k, v, causal, block_m=bq, block_n=bk, return_lse=True)


CASES = [  # heads, N, M, d, dv, causal, block_q, block_k
    (1, 48, 40, 16, 16, False, 16, 16),
    (1, 33, 64, 12, 20, False, 16, 32),  # uneven N, padded head dims, a partial query block
    (2, 32, 32, 16, 16, True, 16, 16),  # two heads
    (1, 40, 40, 16, 8, True, 32, 16),  # causal with the query block larger than the key block
    (1, 40, 40, 16, 16, True, 16, 32),  # and smaller
]


@needs_triton
@pytest.mark.parametrize(("heads", "n", "m", "d", "dv", "causal", "bq", "bk"), CASES)
def test_backward_equals_float64_autograd(heads, n, m, d, dv, causal, bq, bk) -> None:
    """The Triton forward's lse is logsumexp of the scaled scores, and the backward from it is autograd's gradient."""
    q, k, v, dout = _problem(heads, n, m, d, dv)
    out, lse = _forward(q, k, v, causal, bq, bk)
    ref_out, ref_lse, ref = _reference(q, k, v, dout, causal)
    assert (lse.double() - ref_lse).abs().max().item() <= 1e-5
    assert ((out.double() - ref_out).norm() / ref_out.norm()).item() <= TOL
    grads = triton_attention_backward(q, k, v, out, lse, dout, causal, bq, bk)
    assert [g.shape for g in grads] == [q.shape, k.shape, v.shape]
    assert _worst(grads, ref) <= TOL


@needs_triton
@pytest.mark.parametrize("causal", [False, True])
def test_negative_controls_are_caught(causal: bool) -> None:
    """Skipping D = rowsum(dO∘O), an lse off by 0.1 (P off by a factor e^-0.1), or the causal mask dropped: each
    fails the comparison the real backward passes."""
    from engine.attention.triton_backward import launch_backward

    q, k, v, dout = _problem(1, 32, 32, 16, 16, seed=1)
    out, lse = _forward(q, k, v, causal, 16, 16)
    ref = _reference(q, k, v, dout, causal)[2]
    assert _worst(triton_attention_backward(q, k, v, out, lse, dout, causal, 16, 16), ref) <= TOL
    no_delta = launch_backward(q, k, v, out, lse, dout, causal, 0.25, 16, 16, skip_delta=True)
    assert _worst(no_delta, ref) > 100 * TOL
    assert _worst(triton_attention_backward(q, k, v, out, lse + 0.1, dout, causal, 16, 16), ref) > 100 * TOL
    if causal:
        assert _worst(triton_attention_backward(q, k, v, out, lse, dout, False, 16, 16), ref) > 100 * TOL


@needs_triton
@pytest.mark.parametrize(("causal", "dtype", "tol"), [(True, torch.float32, TOL), (False, torch.float16, 2e-3)])
def test_autograd_function_backward(causal: bool, dtype: torch.dtype, tol: float) -> None:
    """`.backward()` through TritonAttentionFunction gives autograd's float64 gradients (fp16: fp16 tolerance)."""
    q, k, v, dout = _problem(2, 32, 32, 16, 16, seed=2)
    leaves = [t.to(dtype).requires_grad_(True) for t in (q, k, v)]
    out = triton_attention_autograd(*leaves, causal=causal, block_q=16, block_k=16)
    out.backward(dout.to(dtype))
    ref = _reference(*(t.detach() for t in leaves), dout.to(dtype), causal)[2]
    assert all(t.grad.dtype == dtype for t in leaves)
    assert _worst([t.grad for t in leaves], ref) <= tol


@needs_triton
def test_refuses_cpu_tensors_without_the_interpreter(monkeypatch) -> None:
    monkeypatch.setenv("TRITON_INTERPRET", "0")
    q = torch.randn(16, 16)
    with pytest.raises(CodedError) as err:
        triton_attention_backward(q, q, q, q, torch.zeros(16), q)
    assert err.value.code == "attention.triton.needs_cuda" and err.value.params == {"device": "cpu"}
    with pytest.raises(CodedError, match="CUDA"):
        triton_attention_autograd(q, q, q)


def test_says_when_triton_is_missing(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "triton", None)  # `import triton` now raises ImportError
    with pytest.raises(CodedError) as err:
        triton_ready(torch.device("cpu"))
    assert err.value.code == "attention.triton.missing"


@needs_triton
@pytest.mark.parametrize(("bq", "bk"), [(24, 16), (16, 8)])
def test_refuses_blocks_triton_cannot_tile(bq: int, bk: int) -> None:
    q = torch.randn(32, 16)
    with pytest.raises(CodedError) as err:
        triton_attention_backward(q, q, q, q, torch.zeros(32), q, block_q=bq, block_k=bk)
    assert err.value.code == "attention.triton.blocks"
