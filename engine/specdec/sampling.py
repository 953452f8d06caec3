"""The speculative-sampling rule (Leviathan et al. 2023; Chen et al. 2023) that keeps the target's distribution.

For drafted tokens x_1..x_γ with draft probabilities q_i and target probabilities p_i: accept x_i with
probability min(1, p_i(x_i) / q_i(x_i)); at the first rejection, emit a token drawn from the residual
norm(max(0, p_i − q_i)) and stop; if all γ are accepted, emit a bonus token from p_{γ+1}. Every emitted
token is then distributed exactly as the target would have sampled it.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class StepOutcome:
    """What one verification did at each drafted position, for traces: the uniform draw and the fate."""

    uniforms: tuple[float, ...]
    fates: tuple[str, ...]  # "accepted" / "rejected" per drafted position examined, then "resampled" or "bonus"


def _check(p: torch.Tensor, q: torch.Tensor, draft: torch.Tensor) -> int:
    gamma = draft.shape[0]
    if draft.dim() != 1 or q.dim() != 2 or p.dim() != 2:
        raise ValueError("expected p: (γ+1, V), q: (γ, V), draft: (γ,)")
    if q.shape[0] != gamma or p.shape[0] != gamma + 1 or p.shape[1] != q.shape[1]:
        raise ValueError(f"shapes disagree: p {tuple(p.shape)}, q {tuple(q.shape)}, draft {tuple(draft.shape)}")
    return gamma


def speculative_step(p: torch.Tensor, q: torch.Tensor, draft: torch.Tensor, generator: torch.Generator,
                     outcome: list | None = None) -> tuple[int, int]:
    """Verify `draft` against the target; returns (number of drafted tokens accepted, the next token).

    p: (γ+1, V) target probabilities at each drafted position plus one; q: (γ, V) draft probabilities;
    draft: (γ,) drafted token ids. If `outcome` is a list, a StepOutcome describing the step is appended.
    """
    gamma = _check(p, q, draft)
    p, q = p.double(), q.double()
    uniforms, fates = [], []
    rows = torch.arange(gamma)
    p_x, q_x = p[rows, draft].tolist(), q[rows, draft].tolist()  # read once, not per draw
    for i in range(gamma):
        r = float(torch.rand((), generator=generator, dtype=torch.float64))
        uniforms.append(r)
        px, qx = p_x[i], q_x[i]
        if qx > 0 and r < min(1.0, px / qx):
            fates.append("accepted")
            continue
        fates.extend(["rejected", "resampled"])
        residual = torch.clamp(p[i] - q[i], min=0.0)
        if float(residual.sum()) <= 0.0:  # p == q up to rounding: the residual is empty, p itself is right
            residual = p[i]
        token = int(torch.multinomial(residual / residual.sum(), 1, generator=generator))
        if outcome is not None:
            outcome.append(StepOutcome(tuple(uniforms), tuple(fates)))
        return i, token
    fates.append("bonus")
    token = int(torch.multinomial(p[gamma], 1, generator=generator))
    if outcome is not None:
        outcome.append(StepOutcome(tuple(uniforms), tuple(fates)))
    return gamma, token
