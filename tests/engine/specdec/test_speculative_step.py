"""Statistical exactness of speculative sampling on a small vocabulary, and two wrong samplers that fail.

Target and draft are Markov chains over V = 4 tokens (next-token tables that depend on the previous
token), so the joint distribution of three generated tokens is known exactly. 20,000 sequences with a
fixed seed; a χ² test at α = 1e-4 (so a correct sampler fails by chance at most once in 10,000 seeds).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import product

import pytest
import torch

from engine.specdec import speculative_step
from engine.specdec.exactness import accept_argmax, chi2_pvalue, resample_from_p

V, LENGTH, SAMPLES, ALPHA = 4, 3, 20_000, 1e-4
P = torch.tensor([[0.50, 0.30, 0.15, 0.05], [0.10, 0.20, 0.30, 0.40], [0.25, 0.25, 0.25, 0.25],
                  [0.70, 0.10, 0.10, 0.10], [0.05, 0.05, 0.45, 0.45]], dtype=torch.float64)  # row V is the start
Q = torch.tensor([[0.10, 0.10, 0.40, 0.40], [0.40, 0.30, 0.20, 0.10], [0.60, 0.20, 0.10, 0.10],
                  [0.25, 0.25, 0.25, 0.25], [0.40, 0.40, 0.10, 0.10]], dtype=torch.float64)
START = V


def generate(step: Callable, gamma: int, gen: torch.Generator) -> tuple[int, ...]:
    """Draft γ tokens from Q, verify against P with `step`, until LENGTH tokens are out."""
    out: list[int] = []
    while len(out) < LENGTH:
        prev = out[-1] if out else START
        draft, qs, ctx = [], [], prev
        for _ in range(gamma):
            x = int(torch.multinomial(Q[ctx], 1, generator=gen))
            draft.append(x)
            qs.append(Q[ctx])
            ctx = x
        ps = [P[prev]] + [P[x] for x in draft]
        n, nxt = step(torch.stack(ps), torch.stack(qs), torch.tensor(draft), gen)
        out.extend([*draft[:n], nxt])
    return tuple(out[:LENGTH])


def target_joint() -> dict[tuple[int, ...], float]:
    joint = {}
    for seq in product(range(V), repeat=LENGTH):
        prob, prev = 1.0, START
        for x in seq:
            prob *= float(P[prev, x])
            prev = x
        joint[seq] = prob
    return joint


def p_value(step: Callable, gamma: int, seed: int = 1234) -> float:
    gen = torch.Generator().manual_seed(seed)
    counts = Counter(generate(step, gamma, gen) for _ in range(SAMPLES))
    joint = target_joint()
    return chi2_pvalue([counts[s] for s in joint], [joint[s] * SAMPLES for s in joint])[1]


def test_chi2_pvalue_against_known_values() -> None:
    # χ² with 1 dof at 3.841 is the 5 % point; with 63 dof at 82.529 too (tables)
    assert chi2_pvalue([60, 40], [50, 50])[1] == pytest.approx(0.0455, abs=2e-4)
    stat_63 = 82.529
    exp = [100.0] * 64
    obs = [100 + (stat_63 * 100 / 2) ** 0.5, 100 - (stat_63 * 100 / 2) ** 0.5] + [100] * 62
    assert chi2_pvalue(obs, exp)[1] == pytest.approx(0.05, abs=1e-3)


@pytest.mark.slow
@pytest.mark.parametrize("gamma", [1, 3])
def test_speculative_sampling_keeps_the_target_distribution(gamma: int) -> None:
    assert p_value(speculative_step, gamma) > ALPHA


@pytest.mark.slow
@pytest.mark.parametrize("wrong", [resample_from_p, accept_argmax])
def test_wrong_samplers_are_caught(wrong) -> None:
    assert p_value(wrong, 3) < ALPHA


def test_bonus_token_and_outcome_trace() -> None:
    gen = torch.Generator().manual_seed(0)
    p = torch.tensor([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    q = torch.tensor([[0.0, 1.0], [0.0, 1.0]])
    trace: list = []
    assert speculative_step(p, q, torch.tensor([1, 1]), gen, trace) == (2, 0)  # p = q: all accepted, bonus from p
    assert trace[0].fates == ("accepted", "accepted", "bonus")
    n, tok = speculative_step(p, torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.tensor([0, 1]), gen, trace)
    assert (n, tok) == (0, 1) and trace[1].fates == ("rejected", "resampled")  # p(0) = 0: always rejected


def test_shape_errors() -> None:
    gen = torch.Generator()
    with pytest.raises(ValueError):
        speculative_step(torch.rand(2, 4), torch.rand(2, 4), torch.tensor([0, 1]), gen)
