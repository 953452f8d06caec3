"""The models a decoding run uses: the target and the drafters trained on it."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.specdec.heads import MTP, MedusaHeads
from engine.specdec.model import GPT


@dataclass
class Models:
    """The target and the drafters trained on it; any drafter may be missing (its method is then refused)."""

    target: GPT
    draft: GPT | None = None
    medusa: MedusaHeads | None = None
    mtp: MTP | None = None
    tree: list[tuple[int, ...]] = field(default_factory=list)
    report: dict = field(default_factory=dict)
    others: dict[str, GPT] = field(default_factory=dict)
