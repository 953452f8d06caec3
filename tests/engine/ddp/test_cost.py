"""The α–β fit against lines it must recover exactly, and the ring's per-step terms."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.ddp import fit, ring_terms


def _rows(alpha, beta, method="ring"):
    return [{"method": method, "bytes": b, "lo_ms": alpha + beta * b / 2**20, "median_ms": 0.0}
            for b in [4096 << (2 * k) for k in range(7)]]


@given(alpha=st.floats(0.01, 10), beta=st.floats(0.01, 10))
def test_a_noiseless_line_is_recovered_and_predicts_held_out_sizes(alpha, beta):
    ab = fit(_rows(alpha, beta), "ring")
    assert ab.alpha_ms == pytest.approx(alpha, rel=1e-6)
    assert ab.beta_ms_per_mib == pytest.approx(beta, rel=1e-6)
    assert len(ab.held_out) == 3 and ab.worst_held_out < 1e-6
    assert not set(ab.fitted_bytes) & {h["bytes"] for h in ab.held_out}


def test_ring_terms_divide_by_steps_and_wire_share():
    ab = fit(_rows(6.0, 3.0), "ring")
    per_step, per_wire = ring_terms(ab, 4)
    assert per_step == pytest.approx(1.0)  # 2(N−1) = 6 steps
    assert per_wire == pytest.approx(2.0)  # 2(N−1)/N = 1.5 of the buffer on the wire
