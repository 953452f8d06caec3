"""Read vLLM's Prometheus `/metrics` text (issue #33): the speculative-decoding counters, recomputed.

vLLM (v1) counts, per engine and model, the drafts it verified, the tokens drafted, the tokens accepted, and
the tokens accepted at each draft position (label `position`, 0-based). From those four counters this module
gives the acceptance rate, the mean acceptance length, the unconditional acceptance rate at each position and,
for a draft cost c in target steps, the speedup the page's theory predicts for each γ up to the one vLLM ran.

The text is parsed by prometheus_client's own parser, never by hand. Only the `vllm:spec_decode_*` lines (and
the HELP/TYPE comments) are handed to it: a real /metrics page runs to thousands of lines of histograms this
reader does not need, and the parser costs tens of microseconds a line. What it deliberately leaves out: rates
over a time window (that needs two scrapes; these are totals since vLLM started), and the other metric families.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from engine.artifacts import ArtifactError, MiB, as_text, guarded
from engine.messages import Message, define

WHAT = "vLLM /metrics"
LIMIT = 5 * MiB
MAX_LINES = 4096  # spec-decode lines read at most: (3 + γ) per engine and model, far below this on any server
MAX_LINE = 4096  # characters in one spec-decode line: the parser is slow on a huge one, and real ones are short
MAX_COUNT = 2.0 ** 63  # a Prometheus counter larger than this is not a count vLLM could have reached
PREFIX = "vllm:spec_decode_"
COUNTERS = {"drafts": "vllm:spec_decode_num_drafts", "draft_tokens": "vllm:spec_decode_num_draft_tokens",
            "accepted": "vllm:spec_decode_num_accepted_tokens"}
PER_POS = "vllm:spec_decode_num_accepted_tokens_per_pos"
EXAMPLE = Path(__file__).with_name("examples") / "vllm_metrics_example.prom"

define({
    "vllm.syntax": "line {line} is not in Prometheus' text format: {detail}",
    "vllm.long_line": "line {line} is {n:,} characters long; a /metrics line is at most {limit:,} here",
    "vllm.no_spec": "there are vLLM metrics but no vllm:spec_decode_* counters: was the server started with "
                    "--speculative-config?",
    "vllm.too_many": "more than {limit:,} speculative-decoding lines: this is not one vLLM server's /metrics",
    "vllm.count": "{name}{labels} is {value}: a counter must be a whole number from 0 to 2^63",
    "vllm.position": "{name} has position=\"{value}\": positions are whole numbers from 0 to 63",
    "vllm.no_drafts": "vLLM has not verified any drafts yet (drafts = {drafts:,}, draft tokens = {tokens:,})",
    # what does not add up
    "vllm.grows": "position {pos} accepted {count:,} tokens, more than position {prev} ({prev_count:,}): a token "
                  "is only accepted when every earlier one in its draft was",
    "vllm.sum": "the per-position counts add up to {total:,}, but vllm:spec_decode_num_accepted_tokens_total is "
                "{accepted:,}",
    "vllm.over_drafts": "position {pos} accepted {count:,} tokens in only {drafts:,} drafts",
    "vllm.over_drafted": "{accepted:,} tokens accepted of only {tokens:,} drafted",
    "vllm.too_many_tokens": "{tokens:,} tokens drafted in {drafts:,} drafts is more than {k} per draft, the "
                            "positions counted",
    "vllm.gap": "position {pos} is missing between 0 and {last}; read as 0",
})


@dataclass(frozen=True)
class SpecMetrics:
    """vLLM's speculative-decoding totals, summed over engines and models, and what does not add up in them."""

    drafts: int
    draft_tokens: int
    accepted: int
    per_position: tuple[int, ...]  # tokens accepted at draft position 0, 1, …
    problems: tuple[Message, ...] = ()
    label_sets: int = 1  # engines × models the counters were summed over

    @property
    def acceptance_rate(self) -> float:
        """Accepted over drafted tokens."""
        return self.accepted / self.draft_tokens

    @property
    def mean_acceptance_length(self) -> float:
        """Tokens per target pass: 1 (the target's own) + accepted per draft."""
        return 1 + self.accepted / self.drafts

    @property
    def position_rates(self) -> tuple[float, ...]:
        """At each position, the share of all drafts that had the token there accepted (not conditional on the
        earlier ones: their sum is the mean accepted per draft)."""
        return tuple(n / self.drafts for n in self.per_position)

    def speedup(self, draft_cost: float, gamma: int) -> float:
        """(1 + Σ_{i<γ} rate_i) / (1 + γ·c): tokens per pass over the cost of γ drafts (c target steps each) and
        one verify pass costing one step."""
        if not 0 <= gamma <= len(self.per_position):
            raise ValueError(f"gamma must be in 0…{len(self.per_position)}, not {gamma}")
        if not (math.isfinite(draft_cost) and draft_cost >= 0):
            raise ValueError(f"draft_cost must be a finite number ≥ 0, not {draft_cost!r}")
        return (1 + sum(self.position_rates[:gamma])) / (1 + gamma * draft_cost)

    def best_gamma(self, draft_cost: float) -> int:
        """The γ in 0 … len(positions) with the highest `speedup` (the smallest on a tie)."""
        speeds = [self.speedup(draft_cost, g) for g in range(len(self.per_position) + 1)]
        return speeds.index(max(speeds))


def problems_of(drafts: int, draft_tokens: int, accepted: int, per_position: tuple[int, ...],
                missing: tuple[int, ...] = ()) -> tuple[Message, ...]:
    """Every way the four counters contradict each other."""
    out = [Message("vllm.gap", pos=p, last=len(per_position) - 1) for p in missing]
    for i in range(1, len(per_position)):
        if per_position[i] > per_position[i - 1]:
            out.append(Message("vllm.grows", pos=i, count=per_position[i], prev=i - 1,
                               prev_count=per_position[i - 1]))
    for i, n in enumerate(per_position):
        if n > drafts:
            out.append(Message("vllm.over_drafts", pos=i, count=n, drafts=drafts))
    if per_position and sum(per_position) != accepted:
        out.append(Message("vllm.sum", total=sum(per_position), accepted=accepted))
    if accepted > draft_tokens:
        out.append(Message("vllm.over_drafted", accepted=accepted, tokens=draft_tokens))
    if per_position and draft_tokens > drafts * len(per_position):
        out.append(Message("vllm.too_many_tokens", tokens=draft_tokens, drafts=drafts, k=len(per_position)))
    return tuple(out)


def _spec_lines(text: str) -> list[tuple[int, str]]:
    """The (1-based line number, line) of every spec-decode sample and of its HELP/TYPE comments."""
    keep = []
    for n, line in enumerate(text.splitlines(), start=1):
        s = line.lstrip()
        if s.startswith(PREFIX) or (s.startswith("#") and PREFIX in s[:64]):
            if len(line) > MAX_LINE:
                raise ArtifactError("vllm.long_line", (n, MAX_LINE), line=n, n=len(line), limit=MAX_LINE)
            keep.append((n, line))
            if len(keep) > MAX_LINES:
                raise ArtifactError("vllm.too_many", (n, 1), limit=MAX_LINES)
    return keep


def _families(lines: list[tuple[int, str]]) -> list:
    """Parse the kept lines with prometheus_client; a syntax error points at the first line that fails alone."""
    try:
        return list(text_string_to_metric_families("".join(line + "\n" for _, line in lines)))
    except (ValueError, IndexError, KeyError, TypeError) as e:
        for n, line in lines:
            if line.lstrip().startswith("#"):
                continue
            try:
                list(text_string_to_metric_families(line + "\n"))
            except (ValueError, IndexError, KeyError, TypeError) as e_line:
                raise ArtifactError("vllm.syntax", (n, 1), line=n, detail=str(e_line)[:80]) from None
        raise ArtifactError("vllm.syntax", None, line="?", detail=str(e)[:80]) from None


def _count(sample) -> int:
    value = sample.value
    # NaN and ±Inf fail the range test; a huge int from the parser is compared, never converted
    if not (isinstance(value, int | float) and 0 <= value <= MAX_COUNT and value == int(value)):
        labels = "{" + ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))[:80] + "}"
        raise ArtifactError("vllm.count", None, name=sample.name, labels=labels, value=repr(value)[:40])
    return int(value)


def read_metrics(text: str | bytes) -> SpecMetrics:
    """vLLM's /metrics text (≤ 5 MiB) -> its speculative-decoding totals; ArtifactError for anything else."""
    text = as_text(text, LIMIT, WHAT)

    def read() -> SpecMetrics:
        lines = _spec_lines(text)
        if not lines:
            if "vllm:" in text:
                raise ArtifactError("vllm.no_spec")
            raise ArtifactError("artifact.format", expected=WHAT)
        totals: dict[str, int] = defaultdict(int)
        positions: dict[int, int] = defaultdict(int)
        label_sets: set[tuple] = set()
        for family in _families(lines):
            for sample in family.samples:
                if sample.name == PER_POS + "_total":
                    raw = sample.labels.get("position")
                    if raw is None or not (raw.isascii() and raw.isdigit() and int(raw) < 64):
                        raise ArtifactError("vllm.position", None, name=sample.name, value=str(raw)[:20])
                    positions[int(raw)] += _count(sample)
                for key, name in COUNTERS.items():
                    if sample.name == name + "_total":
                        totals[key] += _count(sample)
                        label_sets.add(tuple(sorted(sample.labels.items())))
        for key, name in (*COUNTERS.items(), ("per_position", PER_POS)):
            if not (positions if key == "per_position" else key in totals):
                raise ArtifactError("artifact.missing", None, path=WHAT, field=name + "_total")
        drafts, tokens, accepted = totals["drafts"], totals["draft_tokens"], totals["accepted"]
        if drafts == 0 or tokens == 0:
            raise ArtifactError("vllm.no_drafts", None, drafts=drafts, tokens=tokens)
        k = max(positions) + 1
        per = tuple(positions.get(i, 0) for i in range(k))
        missing = tuple(i for i in range(k) if i not in positions)
        return SpecMetrics(drafts, tokens, accepted, per, problems_of(drafts, tokens, accepted, per, missing),
                           max(1, len(label_sets)))

    return guarded(read, WHAT)


def example_text() -> str:
    """The bundled example /metrics text (written by Glassbox in vLLM's format, labelled as an example)."""
    return EXAMPLE.read_text(encoding="utf-8")
