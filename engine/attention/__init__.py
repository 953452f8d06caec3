"""Tiled attention (FlashAttention): the textbook formula, PyTorch SDPA, and an online-softmax tiled pass.

The Triton kernel lives in `engine.attention.triton_kernel` and is imported only where used, since
Triton is optional and its interpreter mode must be chosen before it is imported. Its backward (FlashAttention-2's,
`engine.attention.triton_backward`) and an autograd.Function over both are called through
`engine.attention.triton_grad`, which imports without Triton and raises a coded error where it cannot run.
"""

from engine.attention.backward import BackwardTrace, p_row, tiled_attention_backward
from engine.attention.compare import run_case, sweep, sweep_flops
from engine.attention.core import reference_attention, sdpa_attention
from engine.attention.tiled import AttentionTrace, TileStep, count_tiles, tiled_attention

__all__ = ["AttentionTrace", "BackwardTrace", "TileStep", "count_tiles", "p_row", "reference_attention", "run_case",
           "sdpa_attention", "sweep", "sweep_flops", "tiled_attention", "tiled_attention_backward"]
