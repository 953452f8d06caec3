"""What a decoding run returns: the trace of every draft-and-verify step, and its statistics, typed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields

VERIFIED = ("accepted", "rejected")  # the fates of drafted tokens the target checked


@dataclass
class TreeTrace:
    """One Medusa verification: candidate tokens, each node's parent (−1 = root) and depth, the accepted path."""

    tokens: list[int]
    parents: list[int]
    depths: list[int]
    ranks: list[tuple[int, ...]]
    accepted: list[int]  # node indices along the accepted path, root excluded


@dataclass
class StepTrace:
    """One draft-and-verify step: drafted tokens with q and p of each, the draws, fates and what was emitted."""

    drafted: list[int]
    q: list[float]
    p: list[float]
    uniforms: list[float]
    fates: list[str]
    emitted: list[int]
    draft_ms: float
    target_ms: float
    tree: TreeTrace | None = None


class _Readable(Mapping):
    """Read a dataclass's fields by name too (`stats["acceptance_rate"]`, `dict(stats)`), as its dict once was."""

    def __getitem__(self, key: str) -> object:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    def _names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self))


@dataclass(eq=False)
class GenerationStats(_Readable):
    """Counts and times of one run: target and draft passes, drafted tokens verified and accepted, wall time."""

    method: str
    gamma: int  # tokens drafted per step (0 for autoregressive, the depth for MTP, the heads for Medusa)
    new_tokens: int
    steps: int
    target_calls: int
    draft_calls: int
    verified: int  # drafted tokens the target checked
    accepted: int
    acceptance_rate: float | None  # accepted / verified, None when nothing was drafted
    mean_accepted: float  # accepted per verifying step
    verify_steps: int  # steps that checked drafts (not plain target steps)
    verify_tokens: int  # tokens those steps emitted
    verify_target_ms: float
    tokens_per_target_call: float
    seconds: float
    tokens_per_s: float | None
    draft_ms_total: float
    target_ms_total: float

    @classmethod
    def of(cls, method: str, gamma: int, new: list[int], trace: list[StepTrace], target_calls: int,
           draft_calls: int, seconds: float) -> GenerationStats:
        """The statistics of a finished run."""
        verified = sum(sum(f in VERIFIED for f in s.fates) for s in trace)
        accepted = sum(s.fates.count("accepted") for s in trace)
        verify = [s for s in trace if s.drafted]
        return cls(method, gamma, len(new), len(trace), target_calls, draft_calls, verified, accepted,
                   accepted / verified if verified else None, accepted / len(verify) if verify else 0.0, len(verify),
                   sum(len(s.emitted) for s in verify), sum(s.target_ms for s in verify),
                   len(new) / max(1, target_calls), seconds, len(new) / seconds if seconds > 0 else None,
                   sum(s.draft_ms for s in trace), sum(s.target_ms for s in trace))


@dataclass
class Generation:
    """The generated text and tokens, the per-step trace, and summary statistics."""

    text: str
    tokens: list[int]
    trace: list[StepTrace] = field(default_factory=list)
    stats: GenerationStats | None = None
