"""What a decoding run is asked to do, as one frozen value (like nanoGPT's GPTConfig): the prompt, the method and
its knobs, and which trained draft model the speculative method uses. Frozen and hashable, so one value keys a
cache, a background job and a recording; `generate(models, prompt, ...)` is the same call spelled as keywords."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from engine.specdec.drafters import DELTA, EPSILON
from engine.specdec.models import Models

DRAFT = "draft"  # the drafter name of `Models.draft` itself; any other name is a key of `Models.others`


@dataclass(frozen=True)
class DecodeSettings:
    """One decoding run's settings; the fields and defaults are `generate`'s keywords, plus the drafter's name."""

    prompt: str
    method: str = "speculative"
    max_new_tokens: int = 200
    temperature: float = 1.0  # 0 is greedy
    gamma: int = 4  # tokens drafted per step (for MTP at most its depth)
    seed: int = 0
    top_k: int | None = None
    top_p: float | None = None
    ngram: int = 3  # prompt lookup's match length
    tree: tuple[tuple[int, ...], ...] | None = None  # Medusa's candidate paths (None: the trained tree)
    epsilon: float = EPSILON  # Medusa's typical acceptance above temperature 0
    delta: float = DELTA
    drafter: str = DRAFT  # which trained draft model the speculative method uses

    def keywords(self) -> dict:
        """`generate`'s keywords after `models, prompt, method` (the drafter is chosen by `with_drafter`)."""
        kw = asdict(self)
        for name in ("prompt", "method", "drafter"):
            del kw[name]
        kw["tree"] = None if self.tree is None else [tuple(path) for path in self.tree]
        return kw

    def baseline(self) -> DecodeSettings:
        """The autoregressive run these settings are compared with: what it ignores (γ, the drafter, the drafters'
        knobs) set to their defaults, so that every drafted method with one prompt shares one baseline."""
        return DecodeSettings(self.prompt, "autoregressive", self.max_new_tokens, self.temperature, seed=self.seed,
                              top_k=self.top_k, top_p=self.top_p)

    def using(self, method: str) -> DecodeSettings:
        """The same settings with another method (the baseline's settings for "autoregressive")."""
        return self.baseline() if method == "autoregressive" else replace(self, method=method)


def with_drafter(models: Models, drafter: str) -> Models:
    """`models` with the draft model named `drafter` in the draft's place (`DRAFT`: `models` itself)."""
    if drafter == DRAFT:
        return models
    if drafter not in models.others:
        raise ValueError(f"unknown drafter {drafter!r}; these models have {', '.join([DRAFT, *models.others])}")
    return replace(models, draft=models.others[drafter])
