"""Statistics over generations: acceptance by draft position, tokens per call against theory, the γ sweep."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, fields

from engine.specdec.generate import Generation, Models, expected_tokens_per_call, generate_with
from engine.specdec.settings import DecodeSettings
from engine.specdec.steps import GenerationStats
from engine.specdec.vllm import SpecMetrics, problems_of
from engine.timing import Timing, clearly_faster, interleaved


def acceptance_by_position(g: Generation) -> list[dict]:
    """For each draft position (1-based): how often it was verified and how often accepted."""
    rows: list[dict] = []
    for step in g.trace:
        for i, fate in enumerate(f for f in step.fates if f in ("accepted", "rejected")):
            while len(rows) <= i:
                rows.append({"position": len(rows) + 1, "verified": 0, "accepted": 0})
            rows[i]["verified"] += 1
            rows[i]["accepted"] += fate == "accepted"
    for row in rows:
        row["rate"] = row["accepted"] / row["verified"] if row["verified"] else None
    return rows


def vllm_counts(g: Generation) -> SpecMetrics | None:
    """The generation counted as vLLM counts: drafts (steps that verified drafted tokens), draft tokens, accepted
    tokens, accepted at each position; None when nothing was drafted."""
    steps = [s for s in g.trace if s.drafted]
    if not steps:
        return None
    k = max(len(s.drafted) for s in steps)
    per = tuple(sum(len(s.fates) > i and s.fates[i] == "accepted" for s in steps) for i in range(k))
    drafts, tokens, accepted = len(steps), sum(len(s.drafted) for s in steps), sum(per)
    return SpecMetrics(drafts, tokens, accepted, per, problems_of(drafts, tokens, accepted, per))


def speedup_theory(alpha: float, gamma: int, cost: float, verify_cost: float = 1.0) -> float:
    """Expected wall-clock speedup (1 − α^(γ+1)) / ((1 − α)(γ·c + v)), c = one draft pass and v = the verify pass
    over γ + 1 tokens, both in one-token target passes; v = 1 is Leviathan et al.'s (verifying costs one pass)."""
    return expected_tokens_per_call(alpha, gamma) / (gamma * cost + verify_cost)


def summary(g: Generation, baseline: Generation | None = None) -> dict:
    """The generation's statistics plus the theory at its measured α and, given a baseline, the speedup."""
    s = dict(g.stats)
    alpha, gamma = s.get("acceptance_rate"), s.get("gamma", 0)
    n = s["verify_steps"]
    s["tokens_per_verify"] = s["verify_tokens"] / n if n else None
    s["expected_tokens_per_verify"] = expected_tokens_per_call(alpha, gamma) if alpha is not None else None
    calls = s["draft_calls"]
    s["draft_ms_per_call"] = s["draft_ms_total"] / calls if calls else 0.0
    s["target_ms_per_verify"] = s["verify_target_ms"] / n if n else None
    if baseline is not None:
        steps = baseline.trace[1:] or baseline.trace  # past the prompt pass: one target call per token
        s["baseline_ms_per_token"] = sum(t.target_ms for t in steps) / len(steps) if steps else None
        s["speedup"] = (s["tokens_per_s"] / baseline.stats["tokens_per_s"]
                        if s["tokens_per_s"] and baseline.stats["tokens_per_s"] else None)
        if alpha is not None and s["baseline_ms_per_token"]:
            s["draft_cost"] = s["draft_ms_per_call"] / s["baseline_ms_per_token"]
            # a pass over γ + 1 tokens need not cost one pass (at γ = 4 it cost 1.75 one-token passes on MKL's
            # kernels, 0.93 on oneDNN's: `python -m engine.specdec.profile`); the theory should use what it costs
            s["verify_cost"] = s["target_ms_per_verify"] / s["baseline_ms_per_token"]
            s["speedup_theory"] = speedup_theory(alpha, gamma, s["draft_cost"], s["verify_cost"])
            s["speedup_theory_one_pass"] = speedup_theory(alpha, gamma, s["draft_cost"])
    return s


@dataclass(eq=False)
class Summary(GenerationStats):
    """`summary`'s numbers, typed (and still readable by name): the run's statistics, the theory at its measured
    α and, given a baseline, the costs and the speedup; None where a number does not apply."""

    tokens_per_verify: float | None = None  # tokens emitted per step that verified drafts
    expected_tokens_per_verify: float | None = None  # the formula (1 − α^(γ+1)) / (1 − α) at the measured α
    draft_ms_per_call: float = 0.0
    target_ms_per_verify: float | None = None
    baseline_ms_per_token: float | None = None
    speedup: float | None = None  # tokens/s over the baseline's, from this one run each
    draft_cost: float | None = None  # c: one draft pass in one-token target passes
    verify_cost: float | None = None  # v: one verify pass in one-token target passes
    speedup_theory: float | None = None
    speedup_theory_one_pass: float | None = None


def summarize(g: Generation, baseline: Generation | None = None) -> Summary:
    """`summary(g, baseline)` as a typed Summary."""
    names = {f.name for f in fields(Summary)}
    return Summary(**{k: v for k, v in summary(g, baseline).items() if k in names})


@dataclass(frozen=True)
class Decoded:
    """One run and its autoregressive baseline (the run itself when its method is autoregressive), with the
    numbers a view of it shows; read from the generations each time, never stored beside them."""

    settings: DecodeSettings
    generation: Generation
    baseline: Generation

    @property
    def summary(self) -> Summary:
        """The run's statistics, the theory at its measured α and its costs and speedup against the baseline."""
        return summarize(self.generation, self.baseline)

    @property
    def expected_tokens_per_call(self) -> float | None:
        """The formula's tokens per verifying pass at the measured α (None when nothing was drafted)."""
        return self.summary.expected_tokens_per_verify

    @property
    def greedy_matches(self) -> bool | None:
        """Whether a greedy drafted run emitted exactly the baseline's tokens (it must); None when that does not
        apply (sampling, or the baseline itself)."""
        if self.settings.temperature > 0 or self.settings.method == "autoregressive":
            return None
        return self.generation.tokens == self.baseline.tokens


def decode_beside_baseline(models: Models, settings: DecodeSettings) -> Decoded:
    """Generate as `settings` say and, unless that is autoregressive, the autoregressive baseline too."""
    g = generate_with(models, settings)
    base = g if settings.method == "autoregressive" else generate_with(models, settings.baseline())
    return Decoded(settings, g, base)


@dataclass(frozen=True)
class Timed:
    """One method's generation (the same tokens every round: the seed is fixed), its wall-clock timing and the
    seconds of each round, in round order."""

    generation: Generation
    timing: Timing
    seconds: tuple[float, ...] = ()
    generations: tuple[Generation, ...] = ()  # one per round (same tokens; their pass times differ)

    @property
    def tokens_per_s(self) -> float:
        """New tokens over the median seconds per generation."""
        return self.generation.stats["new_tokens"] / self.timing.median_s

    def round_ratios(self, base: Timed) -> list[float]:
        """Base's seconds over this one's in each round both ran in (empty when they did not run side by side)."""
        if not self.seconds or len(self.seconds) != len(base.seconds):
            return []
        return [tb / ta for ta, tb in zip(self.seconds, base.seconds, strict=True)]

    def speedup(self, base: Timed) -> tuple[float, float, float, bool]:
        """(median ratio, lowest, highest, clear) of base's time over this one's; `clear` when every round of
        one beat every round of the other, so a colour or an arrow may say faster or slower. When both ran in
        the same rounds the ratios are taken round by round (a burst of load then slows both sides of a ratio
        instead of pairing one method's luckiest round with the other's unluckiest)."""
        a, b = self.timing, base.timing
        clear = clearly_faster(a, b) or clearly_faster(b, a)
        if ratios := self.round_ratios(base):
            return statistics.median(ratios), min(ratios), max(ratios), clear
        return b.median_s / a.median_s, b.lo_s / a.hi_s, b.hi_s / a.lo_s, clear


def timed_runs(models: Models, prompt: str, methods: list[str], rounds: int = 3,
               progress: Callable[[int, int], None] | None = None, **kw) -> dict[str, Timed]:
    """Each method generated `rounds` times, taking turns (engine.timing.interleaved), so a burst of load on a
    shared machine slows all of them alike; `kw` goes to `generate`; `progress(generations done, in all)`."""
    if kw.get("tree") is not None:
        kw["tree"] = tuple(kw["tree"])
    return timed_with(models, DecodeSettings(prompt, **kw), methods, rounds, progress)


def timed_with(models: Models, settings: DecodeSettings, methods: list[str], rounds: int = 3,
               progress: Callable[[int, int], None] | None = None) -> dict[str, Timed]:
    """`timed_runs` with its settings as one value (each method run with `settings.using(method)`)."""
    gens: dict[str, list[Generation]] = {m: [] for m in methods}
    seconds: dict[str, list[float]] = {m: [] for m in methods}

    def run(m: str) -> None:
        t = time.perf_counter()
        gens[m].append(generate_with(models, settings.using(m)))
        seconds[m].append(time.perf_counter() - t)  # the i-th call of each method is round i: paired by round

    interleaved({m: (lambda m=m: run(m)) for m in methods}, rounds, warmup=False, progress=progress)
    return {m: Timed(gens[m][-1], Timing.of(seconds[m]), tuple(seconds[m]), tuple(gens[m])) for m in methods}


def round_costs(g: Timed, base: Timed) -> dict:
    """Draft cost c, verify cost v and both theories from the median over rounds of each round's pair of runs (a
    pass stalled by load in one round would skew that round's costs alone); empty when nothing was drafted."""
    per = [s for a, b in zip(g.generations, base.generations, strict=True) if "verify_cost" in (s := summary(a, b))]
    if not per:
        return {}
    out = {k: statistics.median(s[k] for s in per)
           for k in ("draft_ms_per_call", "target_ms_per_verify", "baseline_ms_per_token", "draft_cost", "verify_cost")}
    alpha, gamma = per[0]["acceptance_rate"], per[0]["gamma"]
    return out | {"speedup_theory": speedup_theory(alpha, gamma, out["draft_cost"], out["verify_cost"]),
                  "speedup_theory_one_pass": speedup_theory(alpha, gamma, out["draft_cost"])}


def gamma_sweep(models: Models, prompt: str, gammas: list[int], method: str = "speculative",
                temperature: float = 1.0, max_new_tokens: int = 120, seed: int = 0,
                progress: Callable[[int, int], None] | None = None, rounds: int = 3) -> list[dict]:
    """`method` at each γ timed against the autoregressive baseline in interleaved rounds: α, tokens per call,
    the formula, the draft and verify costs, the measured speedup with its per-round ratios, and the theory with
    the measured verify cost and with a verify pass priced as one pass; `progress(done, in all)` counts
    generations."""
    rows, per = [], 2 * rounds
    for i, gamma in enumerate(gammas):
        tick = (lambda d, _n, i=i: progress(i * per + d, len(gammas) * per)) if progress else None
        t = timed_runs(models, prompt, ["autoregressive", method], rounds, tick, max_new_tokens=max_new_tokens,
                       temperature=temperature, gamma=gamma, seed=seed)
        base, g = t["autoregressive"], t[method]
        ratio, lo, hi, clear = g.speedup(base)
        rows.append({"gamma": gamma, **summary(g.generation, base.generation), **round_costs(g, base),
                     "speedup": ratio, "speedup_lo": lo, "speedup_hi": hi, "speedup_clear": clear, "rounds": rounds,
                     "speedup_rounds": g.round_ratios(base)})
    return rows


def method_rows(done: dict[str, Timed]) -> list[dict]:
    """One plain row per method of `timed_runs` (with "autoregressive" among them): the counts load cannot
    change beside the measured speed, its ratio to the baseline and that ratio's range."""
    base = done["autoregressive"]
    rows = []
    for m, t in done.items():
        st = summary(t.generation)
        ratio, lo, hi, clear = t.speedup(base)
        rows.append({"method": m, "target_calls": st["target_calls"],
                     "tokens_per_target_call": st["tokens_per_target_call"], "acceptance_rate": st["acceptance_rate"],
                     "tokens_per_s": t.tokens_per_s, "speedup": ratio, "speedup_lo": lo, "speedup_hi": hi,
                     "speedup_clear": clear and m != "autoregressive", "speedup_rounds": t.round_ratios(base),
                     "text": t.generation.text})
    return rows


def round_spread(row: dict) -> float:
    """Highest over lowest per-round speedup of a row of `method_rows` or `gamma_sweep`: 1 when every round agreed."""
    return row["speedup_hi"] / row["speedup_lo"]


# Paired per-round speedups on a quiet 2-core machine agree within about 10 % (measured 1.01–1.10 for every method
# and γ); a round slowed by a burst of load from another process lands 3× or more away. A recording whose rounds
# disagree by more than this measured a busy machine and is not shipped (the bench measures such a point again).
MAX_ROUND_SPREAD = 1.5

# What the page runs by default, which the bench records (python -m engine.specdec.bench --record) so the page
# can show the comparison and the sweep at once; a recording is used only for exactly these settings.
SWEEP_GAMMAS = [1, 2, 3, 4, 6, 8]
SWEEP_TOKENS = 120
COMPARE_DEFAULTS = {"prompt": "ROMEO:\n", "temperature": 1.0, "max_new_tokens": 200, "gamma": 4, "seed": 0,
                    "top_k": None, "top_p": None, "drafter": "draft", "rounds": 3}
SWEEP_DEFAULTS = {"prompt": "ROMEO:\n", "temperature": 1.0, "seed": 0, "drafter": "draft", "rounds": 3,
                  "gammas": SWEEP_GAMMAS, "max_new_tokens": SWEEP_TOKENS}
