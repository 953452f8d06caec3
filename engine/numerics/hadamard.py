"""The random Hadamard transform (RHT) that NVFP4 and MXFP4 training recipes apply before quantising.

Each run of `block` values along the last dimension is multiplied by H·D/√block: D a diagonal of random ±1
signs (one sign vector, drawn from `seed`, shared by every block), H the Sylvester Hadamard matrix (entries ±1,
H·Hᵀ = block·I). The product is orthonormal, so the inverse is D·Hᵀ/√block and norms, dot products and a
matmul's result are unchanged when both operands are rotated. What changes is the shape of the values: an
outlier's energy is spread over its whole block (each output gets ±outlier/√block), so a block scale is no
longer set by one value and the block's small values keep their precision. H is applied by the fast
Walsh–Hadamard transform (block·log2(block) additions per block), never built as a matrix.

`engine.numerics.blockstudy.hadamard_study` quantises a tensor with and without the rotation.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch

from engine.messages import CodedError, define

define({
    "numerics.hadamard.block": "a Hadamard block is a power of two from 2 to 4096 dividing the last dimension "
                               "({n}), not {block}",
})


class HadamardError(CodedError):
    """A rotation that cannot be done as asked (a code, with the English default)."""


def _fwht(x: torch.Tensor) -> torch.Tensor:
    """H·v for every vector v along the last dimension (a power of two long), H Sylvester's Hadamard matrix."""
    n = x.shape[-1]
    h = 1
    while h < n:
        pairs = x.reshape(*x.shape[:-1], n // (2 * h), 2, h)
        a, b = pairs[..., 0, :], pairs[..., 1, :]
        x = torch.stack((a + b, a - b), dim=-2).reshape(*x.shape[:-1], n)
        h *= 2
    return x


def signs(block: int, seed: int) -> torch.Tensor:
    """The random ±1 diagonal D, drawn from `seed` (float64)."""
    g = torch.Generator().manual_seed(seed)
    return torch.randint(0, 2, (block,), generator=g).double() * 2 - 1


def random_hadamard(x: torch.Tensor | np.ndarray, block: int = 16, seed: int = 0
                    ) -> tuple[torch.Tensor, Callable[[torch.Tensor], torch.Tensor]]:
    """(y, inverse): y = x rotated by H·D/√block in runs of `block` along the last dimension (float64), and the
    function that rotates back, inverse(y) = x."""
    t = torch.as_tensor(x).double()
    n = t.shape[-1] if t.ndim else 0
    if (isinstance(block, bool) or not isinstance(block, int) or not 2 <= block <= 4096 or block & (block - 1)
            or n % block):
        raise HadamardError("numerics.hadamard.block", n=n, block=repr(block))
    d = signs(block, seed)
    norm = 1 / math.sqrt(block)

    def rotate(v: torch.Tensor) -> torch.Tensor:
        g = v.double().reshape(*v.shape[:-1], v.shape[-1] // block, block)
        return (_fwht(g * d) * norm).reshape(v.shape)

    def inverse(y: torch.Tensor) -> torch.Tensor:
        g = torch.as_tensor(y).double().reshape(*y.shape[:-1], y.shape[-1] // block, block)
        return (_fwht(g) * norm * d).reshape(y.shape)  # (H·D)⁻¹ = D·Hᵀ, and H is symmetric

    return rotate(t), inverse
