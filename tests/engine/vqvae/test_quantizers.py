"""FSQ and the rotation trick against independent references: the FSQ paper's formula written out per scalar with
Python's math and a mixed-radix index, the implicit codebook enumerated with itertools; the rotation as the plane
rotation built by Gram-Schmidt (not the two reflections the engine uses), in value and in gradient, in float64.
Where vector-quantize-pytorch is installed (requirements-bench.txt), its `FSQ` and `rotate_to` are compared too."""

from __future__ import annotations

import itertools
import math

import pytest
import torch

from engine.vqvae.model import VQError
from engine.vqvae.quantizers import fsq, fsq_codebook, rotate_to

LEVELS = [[8, 5, 5, 5], [7, 5, 5, 5, 5], [3, 4], [16, 3]]


def _fsq_scalar(x: float, L: int) -> tuple[float, int]:
    """One dimension, from the paper's Appendix A.1: bound, round, rescale; the level digit 0..L−1."""
    half_l = (L - 1) * (1 + 1e-3) / 2
    offset = 0.5 if L % 2 == 0 else 0.0
    b = math.tanh(x + math.atanh(offset / half_l)) * half_l - offset
    r = round(b)  # Python rounds half to even, as torch.round does
    return r / (L // 2), r + L // 2


@pytest.mark.parametrize("levels", LEVELS)
def test_fsq_equals_the_formula_written_per_scalar(levels):
    z = torch.randn(200, len(levels), dtype=torch.float64, generator=torch.Generator().manual_seed(0)) * 2
    values, indices = fsq(z, levels)
    for row, v, k in zip(z.tolist(), values.tolist(), indices.tolist(), strict=True):
        want = [_fsq_scalar(x, L) for x, L in zip(row, levels, strict=True)]
        assert v == pytest.approx([w[0] for w in want], abs=1e-12)
        radix = 1
        index = 0
        for (_, digit), L in zip(want, levels, strict=True):
            index += digit * radix
            radix *= L
        assert k == index


@pytest.mark.parametrize("levels", LEVELS)
def test_every_index_names_its_codebook_point_and_all_are_reachable(levels):
    book = fsq_codebook(levels)
    grids = [[(i - L // 2) / (L // 2) for i in range(L)] for L in levels]
    enumerated = [list(reversed(p)) for p in itertools.product(*reversed(grids))]  # first dimension fastest
    assert torch.allclose(book, torch.tensor(enumerated, dtype=book.dtype))
    values, indices = fsq(torch.atanh(book.clamp(-0.999, 0.999)) * 3, levels)  # push towards each point
    assert torch.equal(book[indices], values.float())


def test_fsq_gradient_is_the_bounds_derivative_straight_through_the_rounding():
    levels = [8, 5, 5, 5]
    z = torch.randn(64, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(1), requires_grad=True)
    values, _ = fsq(z, levels)
    values.sum().backward()
    for x, g in zip(z.detach().reshape(-1, 4).tolist(), z.grad.tolist(), strict=True):
        for xi, gi, L in zip(x, g, levels, strict=True):
            half_l = (L - 1) * (1 + 1e-3) / 2
            shift = math.atanh((0.5 if L % 2 == 0 else 0.0) / half_l)
            assert gi == pytest.approx(half_l * (1 - math.tanh(xi + shift) ** 2) / (L // 2), rel=1e-12)


@pytest.mark.parametrize("levels, d", [([8, 5, 5], 2), ([2, 5], 2), ([5], 2), ([1 << 17, 3], 2), ([1 << 12] * 3, 3)])
def test_fsq_refuses_bad_levels(levels, d):
    assert fsq(torch.zeros(1, 2), [8, 5])[1].tolist() == [20]  # control: digits (4, 2) in radix (8, 5): 4 + 2·8
    with pytest.raises(VQError):
        fsq(torch.zeros(1, d), levels)


def _plane_rotation(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The rotation taking unit a to unit b in their plane and fixing everything orthogonal to it (Gram-Schmidt)."""
    c = float(a @ b)
    perp = b - c * a
    s = float(perp.norm())
    if s < 1e-12:
        return torch.eye(len(a), dtype=a.dtype)
    u = perp / s
    eye = torch.eye(len(a), dtype=a.dtype)
    return eye + (c - 1) * (torch.outer(a, a) + torch.outer(u, u)) + s * (torch.outer(u, a) - torch.outer(a, u))


def test_rotate_to_gives_z_q_and_the_rotated_scaled_gradient():
    g = torch.Generator().manual_seed(2)
    z_e = torch.randn(32, 6, dtype=torch.float64, generator=g, requires_grad=True)
    z_q = torch.randn(32, 6, dtype=torch.float64, generator=g, requires_grad=True)
    up = torch.randn(32, 6, dtype=torch.float64, generator=g)  # the decoder's gradient
    out = rotate_to(z_e, z_q)
    assert torch.allclose(out, z_q, atol=1e-12)  # the decoder reads z_q
    (out * up).sum().backward()
    assert z_q.grad is None or not z_q.grad.abs().max()  # nothing to the codebook this way
    for e, q, gu, ge in zip(z_e.detach(), z_q.detach(), up, z_e.grad, strict=True):
        R = _plane_rotation(e / e.norm(), q / q.norm())
        assert torch.allclose(R @ (e / e.norm()), q / q.norm(), atol=1e-12)
        assert torch.allclose(ge, q.norm() / e.norm() * R.T @ gu, atol=1e-12)
    # negative control: the straight-through estimator's gradient (the decoder's, unchanged) is not this one
    assert not torch.allclose(z_e.grad, up, atol=1e-3)


def test_rotate_to_keeps_shape_and_leaves_equal_directions_alone():
    e = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
    q = (3 * e).detach()  # same direction: R = I, only the scale ‖q‖/‖e‖ = 3 remains
    out = rotate_to(e, q)
    assert out.shape == e.shape and torch.allclose(out, q)
    out.sum().backward()
    assert torch.allclose(e.grad, torch.full_like(e, 3.0))


def test_peer_vector_quantize_pytorch_fsq_and_rotate_to():
    vqp = pytest.importorskip("vector_quantize_pytorch")
    from vector_quantize_pytorch.vector_quantize_pytorch import rotate_to as peer_rotate_to

    for levels in LEVELS:
        z = torch.randn(4, 50, len(levels), generator=torch.Generator().manual_seed(3)) * 2
        peer_values, peer_indices = vqp.FSQ(levels)(z)
        values, indices = fsq(z, levels)
        assert torch.equal(values, peer_values) and torch.equal(indices, peer_indices.long())
    g = torch.Generator().manual_seed(4)
    e1 = torch.randn(40, 8, dtype=torch.float64, generator=g, requires_grad=True)
    e2 = e1.detach().clone().requires_grad_(True)
    q = torch.randn(40, 8, dtype=torch.float64, generator=g)
    up = torch.randn(40, 8, dtype=torch.float64, generator=g)
    ours, theirs = rotate_to(e1, q), peer_rotate_to(e2, q)
    assert torch.allclose(ours, theirs, atol=1e-12)
    (ours * up).sum().backward()
    (theirs * up).sum().backward()
    assert torch.allclose(e1.grad, e2.grad, atol=1e-12)
