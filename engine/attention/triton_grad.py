"""The Triton attention kernels with gradients: FlashAttention-2's backward, and an autograd.Function over both passes.

This module imports no Triton itself, so it always imports: each call first checks that Triton is installed and
can run on the tensors' device (CUDA, or the CPU under Triton's interpreter, TRITON_INTERPRET=1 set before triton
is imported), and says which is missing with a coded error. The kernels are in `triton_kernel` (forward, which
also saves lse = m + ln l per query row) and `triton_backward` (preprocess D, dK/dV, dQ; see its docstring).
Checked in this project only under the interpreter, against autograd on the float64 textbook formula; not run or
timed on a GPU here.
"""

from __future__ import annotations

import os

import torch

from engine.attention.core import default_scale, validate
from engine.messages import CodedError, define

define({
    "attention.triton.missing": "Triton is not installed here, so the fused kernels cannot run (CUDA builds of "
                                "PyTorch bring it)",
    "attention.triton.needs_cuda": "the Triton kernels need CUDA tensors; these are on {device} (a CPU runs them "
                                   "only in Triton's interpreter, TRITON_INTERPRET=1 set before triton is imported)",
    "attention.triton.blocks": "Triton's blocks must be powers of two of at least 16; got {block_q} query rows and "
                               "{block_k} keys",
})


def triton_ready(device: torch.device) -> None:
    """Raise a CodedError unless Triton is importable and can run kernels on `device` (CUDA, or the interpreter)."""
    try:
        import triton  # noqa: F401
    except ImportError:
        raise CodedError("attention.triton.missing") from None
    if device.type != "cuda" and os.environ.get("TRITON_INTERPRET", "0") != "1":
        raise CodedError("attention.triton.needs_cuda", device=str(device))


def _check_blocks(block_q: int, block_k: int) -> None:
    """Blocks are tl.arange lengths (powers of two) and tl.dot operands (at least 16)."""
    for b in (block_q, block_k):
        if not isinstance(b, int) or b < 16 or b & (b - 1):
            raise CodedError("attention.triton.blocks", block_q=block_q, block_k=block_k)


def triton_attention_backward(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, out: torch.Tensor,
                              lse: torch.Tensor, dout: torch.Tensor, causal: bool = False, block_q: int = 64,
                              block_k: int = 64, scale: float | None = None
                              ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(dq, dk, dv) from the forward's out and natural-log lse by FlashAttention-2's backward as Triton kernels."""
    validate(q, k, v, causal)
    triton_ready(q.device)
    _check_blocks(block_q, block_k)
    *lead, n, d = q.shape
    dvd = v.shape[-1]
    for name, t, shape in (("out", out, (*lead, n, dvd)), ("dout", dout, (*lead, n, dvd)), ("lse", lse, (*lead, n))):
        if tuple(t.shape) != tuple(shape):
            raise ValueError(f"{name} must have shape {tuple(shape)}; got {tuple(t.shape)}")
    from engine.attention.triton_backward import launch_backward

    qf, kf, vf, of, dof = (t.reshape(-1, *t.shape[-2:]).contiguous() for t in (q, k, v, out, dout.to(q.dtype)))
    grads = launch_backward(qf, kf, vf, of, lse, dof, causal, default_scale(d, scale), block_q, block_k)
    return tuple(g.reshape(t.shape) for g, t in zip(grads, (q, k, v), strict=True))


class TritonAttentionFunction(torch.autograd.Function):
    """Attention whose forward is the fused Triton kernel (saving O and lse, never P) and whose backward is
    FlashAttention-2's Triton backward."""

    @staticmethod
    def forward(ctx, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool, scale: float | None,
                block_q: int, block_k: int) -> torch.Tensor:
        """The forward kernel, keeping q, k, v, out and lse for the backward."""
        from engine.attention.triton_kernel import triton_attention

        out, lse = triton_attention(q, k, v, causal, scale, block_m=block_q, block_n=block_k, return_lse=True)
        ctx.save_for_backward(q, k, v, out, lse)
        ctx.options = (causal, block_q, block_k, scale)
        return out

    @staticmethod
    def backward(ctx, dout: torch.Tensor) -> tuple:
        """dq, dk, dv from the saved tensors; no gradient for the options."""
        q, k, v, out, lse = ctx.saved_tensors
        return (*triton_attention_backward(q, k, v, out, lse, dout, *ctx.options), None, None, None, None)


def triton_attention_autograd(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False,
                              scale: float | None = None, block_q: int = 64, block_k: int = 64) -> torch.Tensor:
    """Fused Triton attention that `.backward()` differentiates with the Triton FlashAttention-2 backward."""
    validate(q, k, v, causal)
    triton_ready(q.device)
    _check_blocks(block_q, block_k)
    return TritonAttentionFunction.apply(q, k, v, causal, scale, block_q, block_k)
