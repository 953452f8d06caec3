"""Statistics over generations: acceptance by draft position, tokens per call against theory, the γ sweep."""

from __future__ import annotations

from engine.specdec.generate import Generation, Models, expected_tokens_per_call, generate


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


def speedup_theory(alpha: float, gamma: int, cost: float) -> float:
    """Leviathan et al.'s expected wall-clock speedup: (1 − α^(γ+1)) / ((1 − α)(γ·c + 1)), c = draft/target cost."""
    return expected_tokens_per_call(alpha, gamma) / (gamma * cost + 1)


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
            s["speedup_theory"] = speedup_theory(alpha, gamma, s["draft_cost"])
    return s


def gamma_sweep(models: Models, prompt: str, gammas: list[int], method: str = "speculative",
                temperature: float = 1.0, max_new_tokens: int = 120, seed: int = 0,
                progress=None) -> list[dict]:
    """Run `method` at each γ beside an autoregressive baseline; α, tokens per call, speedup and theory per γ."""
    rows = []
    for i, gamma in enumerate(gammas):
        base = generate(models, prompt, "autoregressive", max_new_tokens, temperature, seed=seed)
        g = generate(models, prompt, method, max_new_tokens, temperature, gamma=gamma, seed=seed)
        rows.append({"gamma": gamma, **summary(g, base)})
        if progress:
            progress(i + 1, len(gammas))
    return rows
