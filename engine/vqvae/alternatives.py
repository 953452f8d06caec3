"""FSQ and the rotation trick trained beside the page's three codebook rules, on the same digits, network and
batches (issue #35): `python -m engine.vqvae.alternatives` trains all five from each seed and writes the held-out
codes used, perplexity and MSE, and the straight-through gap ‖z_q − z_e‖ over training, to
engine/vqvae/data/alternatives.json, which the page shows.

- "rotation": the paper's codebook loss, with `rotate_to` in place of the straight-through copy. From the same
  seed it starts from the very weights and batches of the "loss" rule, so only the gradient estimator differs.
- "fsq": the same encoder and decoder around `fsq` with levels FSQ_LEVELS (∏L = 64 codes, as the others have);
  no codebook to learn, no codebook or commitment loss. Its gap is the rounding's: from the bounded value the
  encoder's gradient is applied at to the grid point the decoder reads.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import torch
from torch.nn import functional as F

from engine.vqvae.data import Digits, load_digits
from engine.vqvae.model import UPDATES, VQVAE, Forward, quantize
from engine.vqvae.quantizers import fsq, fsq_bound, fsq_codebook, rotate_to
from engine.vqvae.train import SEEDS, SHIPPED, History, codebook_stats, new_model, train

FSQ_LEVELS = (4, 4, 4)
RULES = (*UPDATES, "rotation", "fsq")
STUDY = Path(__file__).parent / "data" / "alternatives.json"
EVERY = 25  # the gap curve is kept every EVERY steps (the mean of those steps)


class RotationVQVAE(VQVAE):
    """The codebook-loss VQ-VAE with the rotation trick carrying the decoder's gradient to the encoder."""

    def forward(self, x: torch.Tensor) -> Forward:
        """As VQVAE.forward, with rotate_to(z_e, z_q) where it has z_e + sg[z_q − z_e]."""
        z_e = self.encode(x)
        q = quantize(z_e.detach(), self.codebook.detach())
        z_q = self.codebook[q.indices]
        z_read = rotate_to(z_e, z_q.detach())  # the value z_q, the gradient rotated onto z_e
        recon = self.decode_rows(z_read, x.shape[0])
        return Forward(recon, z_e, z_q.detach(), z_read, q.indices.reshape(x.shape[0], *self.grid),
                       F.mse_loss(recon, x), F.mse_loss(z_q, z_e.detach()), self.beta * F.mse_loss(z_e, z_q.detach()))


class FSQVAE(VQVAE):
    """The same encoder and decoder around FSQ: code_dim = len(levels), the implicit grid as the codebook."""

    def __init__(self, levels: tuple[int, ...] = FSQ_LEVELS, **kw) -> None:
        super().__init__(codebook_size=math.prod(levels), code_dim=len(levels), update="ema", **kw)
        self.levels = tuple(levels)
        self.codebook.copy_(fsq_codebook(levels))  # decode_indices reads codes from here, as for the others

    def forward(self, x: torch.Tensor) -> Forward:
        """Encode, bound and round (straight-through), decode; the reconstruction is the whole loss."""
        z = self.encode(x)
        values, indices = fsq(z, self.levels)
        half_width = torch.tensor([v // 2 for v in self.levels], dtype=z.dtype, device=z.device)
        at = fsq_bound(z, self.levels) / half_width  # where the encoder's gradient is applied
        recon = self.decode_rows(values, x.shape[0])
        zero = z.new_zeros(())
        return Forward(recon, at, values.detach(), values, indices.reshape(x.shape[0], *self.grid),
                       F.mse_loss(recon, x), zero, zero)

    @torch.no_grad()
    def ema_step(self, z_e: torch.Tensor, indices: torch.Tensor) -> int:
        """No codebook to update."""
        return 0


def new_alternative(rule: str, seed: int = 0, **kw) -> VQVAE:
    """A model of any of RULES whose initial weights depend only on `seed` (the three rules as train makes them)."""
    if rule in UPDATES:
        return new_model(rule, seed, **kw)
    torch.manual_seed(seed)
    if rule == "rotation":
        return RotationVQVAE(update="loss", **kw)
    kw = {k: v for k, v in kw.items() if k not in ("codebook_size", "code_dim")}
    return FSQVAE(**kw)


def curve(values: list[float], every: int = EVERY) -> list[float]:
    """Means of consecutive `every` values."""
    return [statistics.fmean(values[i:i + every]) for i in range(0, len(values), every)]


@dataclass(frozen=True)
class StudyRow:
    """One rule from one seed: held-out codes used (of K), perplexity, MSE, the last gap and its curve."""

    rule: str
    seed: int
    codes_used: int
    of: int
    perplexity: float
    mse: float
    gap: list[float]
    seconds: float


def study_one(rule: str, seed: int, x: Digits, steps: int) -> StudyRow:
    """Train `rule` from `seed` with the shipped settings and measure it on the held-out digits."""
    m = new_alternative(rule, seed, **{k: v for k, v in SHIPPED.model_kwargs().items()})
    h: History = train(m, x, steps, seed)
    st = codebook_stats(m, x)
    return StudyRow(rule, seed, st.codes_used, m.codebook_size, st.perplexity, st.mse, curve(h.gap),
                    round(h.seconds, 1))


def load_study() -> dict | None:
    """The shipped study, or None when it is missing or was made with other settings."""
    if not STUDY.exists():
        return None
    d = json.loads(STUDY.read_text(encoding="utf-8"))
    return d if d.get("settings") == study_settings(d.get("settings", {}).get("steps", SHIPPED.steps)) else None


def study_settings(steps: int = SHIPPED.steps) -> dict:
    """What a study is trained with."""
    return {"steps": steps, "fsq_levels": list(FSQ_LEVELS), "every": EVERY, "rules": list(RULES),
            **{k: list(v) if isinstance(v, tuple) else v for k, v in SHIPPED.model_kwargs().items()}}


def main(argv: list[str] | None = None) -> None:
    """Train every rule from every seed and write the study."""
    from engine.recorded import machine

    ap = argparse.ArgumentParser(description="train FSQ and the rotation trick beside the three rules")
    ap.add_argument("--steps", type=int, default=SHIPPED.steps)
    ap.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    ap.add_argument("--rules", nargs="+", default=list(RULES), choices=RULES)
    args = ap.parse_args(argv)
    x = load_digits()
    rows: list[dict] = []
    head = {"machine": machine(), "settings": study_settings(args.steps),
            "command": " ".join(["python -m engine.vqvae.alternatives", *(sys.argv[1:] if argv is None else argv)])}
    for seed in args.seeds:
        for rule in args.rules:
            r = study_one(rule, seed, x, args.steps)
            rows.append(r.__dict__)
            print(f"seed {seed} {rule}: {r.codes_used}/{r.of} codes, perplexity {r.perplexity:.1f}, MSE {r.mse:.4f}, "
                  f"gap {r.gap[-1]:.3f}, {r.seconds:.0f} s", flush=True)
            done = sorted({row["seed"] for row in rows if all(
                any(o["seed"] == row["seed"] and o["rule"] == u for o in rows) for u in args.rules)})
            out = {"date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d"), **head, "seeds": done,
                   "rows": [row for row in rows if row["seed"] in done]}
            if done:  # written after every complete seed, so that an interrupted study still ships whole seeds
                STUDY.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")

if __name__ == "__main__":
    main()
