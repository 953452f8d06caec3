"""A live exactness check on the real models: the first two tokens after a prompt, sampled plainly from the
target and by speculative sampling, against the target's exact joint distribution, with Pearson's χ².

The first two emitted tokens depend only on the next-token distributions after the prompt and after the
prompt plus one token (whatever γ is: later drafted tokens only decide later tokens), so one batched forward
of each model over every possible first byte gives the exact table P(x1, x2) = p(x1)·p(x2 | x1), and
sampling then costs no model calls. Two deliberately wrong rules show what the test catches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import torch

from engine.specdec.generate import distribution, encode
from engine.specdec.model import GPT
from engine.specdec.sampling import speculative_step

Rule = Callable[[torch.Tensor, torch.Tensor, torch.Tensor, torch.Generator], tuple[int, int]]


def resample_from_p(p: torch.Tensor, q: torch.Tensor, draft: torch.Tensor, gen: torch.Generator) -> tuple[int, int]:
    """Wrong on purpose: on rejection, draw from p instead of the residual max(0, p − q)."""
    for i in range(len(draft)):
        x = int(draft[i])
        if float(torch.rand((), generator=gen, dtype=torch.float64)) >= min(1.0, float(p[i, x] / q[i, x])):
            return i, int(torch.multinomial(p[i], 1, generator=gen))
    return len(draft), int(torch.multinomial(p[-1], 1, generator=gen))


def accept_argmax(p: torch.Tensor, q: torch.Tensor, draft: torch.Tensor, gen: torch.Generator) -> tuple[int, int]:
    """Wrong on purpose: accept a drafted token only if it is the target's most likely token."""
    for i in range(len(draft)):
        if int(draft[i]) != int(p[i].argmax()):
            return i, int(torch.multinomial(p[i], 1, generator=gen))
    return len(draft), int(torch.multinomial(p[-1], 1, generator=gen))


RULES: dict[str, Rule] = {"exact": speculative_step, "resample_from_p": resample_from_p,
                          "accept_argmax": accept_argmax}


def chi2_pvalue(observed: list[float], expected: list[float]) -> tuple[float, float, int]:
    """Pearson's χ²: (statistic, P(χ²_{k−1} ≥ statistic), degrees of freedom), via the upper incomplete gamma."""
    obs = torch.tensor(observed, dtype=torch.float64)
    exp = torch.tensor(expected, dtype=torch.float64)
    stat = float(((obs - exp) ** 2 / exp).sum())
    dof = len(observed) - 1
    p = float(torch.special.gammaincc(torch.tensor(dof / 2, dtype=torch.float64),
                                      torch.tensor(stat / 2, dtype=torch.float64)))
    return stat, p, dof


@torch.no_grad()
def two_token_tables(model: GPT, prompt: str, temperature: float = 1.0, top_k: int | None = None,
                     top_p: float | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """(V,) next-token distribution after `prompt` and (V, V) distribution after prompt + each byte."""
    seq = encode(prompt) or [ord("\n")]
    if len(seq) + 2 > model.config.context:
        raise ValueError("the prompt leaves no room for two more tokens in the model's context")
    vocab = model.config.vocab
    batch = torch.tensor([[*seq, x] for x in range(vocab)])
    logits = model(batch)  # (V, L + 1, V)
    first = distribution(logits[0, -2], temperature, top_k, top_p)
    second = distribution(logits[:, -1], temperature, top_k, top_p)
    return first, second


P_REJECT = 1e-4  # a p-value at or below this rejects "the sampler keeps the target's distribution"


@dataclass
class ExactnessResult:
    """Counts of (x1, x2) pairs by plain and by speculative sampling, the exact table and the χ² test."""

    pairs: list[tuple[int, int]]  # the cells tested, most likely first; the rest pooled as "other"
    expected: list[float]  # exact probability of each cell (and of "other", last)
    plain: list[int]
    speculative: list[int]
    chi2: float
    p_value: float
    dof: int
    plain_p_value: float
    acceptance: float  # share of first drafted tokens accepted

    @property
    def consistent(self) -> bool:
        """Whether the speculative counts are consistent with the exact table (p above `P_REJECT`)."""
        return self.p_value > P_REJECT


def exactness_check(target: GPT, draft: GPT, prompt: str, samples: int = 4000, gamma: int = 4,
                    temperature: float = 1.0, seed: int = 0, rule: str = "exact", min_expected: float = 5.0,
                    top_k: int | None = None, top_p: float | None = None) -> ExactnessResult:
    """Sample the first two tokens `samples` times each way and test both against the exact target table."""
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose one of {', '.join(RULES)}")
    if temperature <= 0:
        raise ValueError("the exactness check samples, so it needs a temperature above 0")
    p0, p1 = two_token_tables(target, prompt, temperature, top_k, top_p)
    q0, q1 = two_token_tables(draft, prompt, temperature, top_k, top_p)
    joint = p0[:, None] * p1  # exact P(x1, x2)
    step = RULES[rule]
    gen = torch.Generator().manual_seed(seed)
    g = max(1, min(gamma, 2))  # drafts past the second token never change the first two tokens
    filler = torch.full((p0.shape[0],), 1.0 / p0.shape[0], dtype=torch.float64)
    spec: Counter = Counter()
    accepted_first = 0
    draws = torch.multinomial(joint.flatten(), samples, replacement=True, generator=gen)
    plain = Counter((int(i) // joint.shape[1], int(i) % joint.shape[1]) for i in draws)
    for _ in range(samples):
        d1 = int(torch.multinomial(q0, 1, generator=gen))
        drafted, q_rows, p_rows = [d1], [q0], [p0, p1[d1]]
        if g == 2:
            d2 = int(torch.multinomial(q1[d1], 1, generator=gen))
            drafted.append(d2)
            q_rows.append(q1[d1])
            p_rows.append(filler)  # the bonus row only decides a third token
        n, nxt = step(torch.stack(p_rows), torch.stack(q_rows), torch.tensor(drafted), gen)
        accepted_first += n >= 1
        out = [*drafted[:n], nxt]
        if len(out) < 2:  # rejected at once: the next step drafts after x1 and verifies against p(· | x1)
            x1 = out[0]
            d = int(torch.multinomial(q1[x1], 1, generator=gen))
            n2, nxt2 = step(torch.stack([p1[x1], filler]), q1[x1][None], torch.tensor([d]), gen)
            out.append(d if n2 else nxt2)
        spec[(out[0], out[1])] += 1
    order = torch.argsort(joint.flatten(), descending=True)
    cells, expected = [], []
    for i in order.tolist():
        prob = float(joint.flatten()[i])
        if prob * samples < min_expected:
            break
        cells.append((i // joint.shape[1], i % joint.shape[1]))
        expected.append(prob)
    expected.append(max(0.0, 1.0 - sum(expected)))
    def counts(c: Counter) -> list[int]:
        tested = [c[cell] for cell in cells]
        return [*tested, samples - sum(tested)]
    spec_counts, plain_counts = counts(spec), counts(plain)
    if expected[-1] * samples < min_expected:  # too little mass outside the tested cells to stand alone
        expected[-2] += expected.pop()
        spec_counts[-2] += spec_counts.pop()
        plain_counts[-2] += plain_counts.pop()
    if len(expected) < 2:
        raise ValueError("the two-token distribution is too peaked to test; raise the temperature or samples")
    exp = [e * samples for e in expected]
    stat, pv, dof = chi2_pvalue(spec_counts, exp)
    _, plain_pv, _ = chi2_pvalue(plain_counts, exp)
    return ExactnessResult(cells, expected, plain_counts, spec_counts, stat, pv, dof, plain_pv,
                           accepted_first / samples)
