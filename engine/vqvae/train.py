"""Training, the codebook's health, the straight-through check, and the shipped checkpoints.

`python -m engine.vqvae.train` trains the three codebook rules on the training digits from each of SEEDS,
writes seed 0's models to `engine/vqvae/data/digits-<rule>.pt` (weights and the per-step history), which the
page loads with `torch.load(weights_only=True)` for its instant default view, and every seed's held-out
statistics to `engine/vqvae/data/seeds.json` (the collapse table with its spread over seeds).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from dataclasses import replace as dataclasses_replace
from pathlib import Path
from typing import NamedTuple

import torch

from engine.messages import define
from engine.vqvae.codebook_init import initial_codebook
from engine.vqvae.data import Digits, load_digits
from engine.vqvae.model import DEAD_THRESHOLD, START_COUNT, UPDATES, VQVAE, VQError

DATA = Path(__file__).parent / "data"
SEED_TABLE = DATA / "seeds.json"
SEEDS = (0, 1, 2)
STATS = ("codes_used", "perplexity", "mse")  # what the seed table spreads
MAX_STEPS = 5000
Callback = Callable[[int, int, "History"], None]  # (step, steps, history so far)

define({
    "vqvae.steps": "a run trains 1–{max} steps, not {steps}",
})


@dataclass
class History:
    """Per step: the three loss terms, codes used in the batch, the batch's perplexity, codes restarted, and the
    mean ‖z_q − z_e‖ of the batch (how far the decoder's input is from where the encoder's gradient is applied:
    the straight-through estimator's bias). Checkpoints written before `gap` existed load with it empty."""

    update: str
    reconstruction: list[float] = field(default_factory=list)
    codebook: list[float] = field(default_factory=list)
    commitment: list[float] = field(default_factory=list)
    codes_used: list[int] = field(default_factory=list)
    perplexity: list[float] = field(default_factory=list)
    restarts: list[int] = field(default_factory=list)
    gap: list[float] = field(default_factory=list)
    batch_tokens: int = 0  # codes per batch: the bound on a batch's perplexity
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """Plain data (for a checkpoint)."""
        return asdict(self)


class Trained(NamedTuple):
    """One rule's trained model and its history (a tuple, so `m, h = runs[rule]` reads it as before)."""

    model: VQVAE
    history: History


def perplexity(indices: torch.Tensor, k: int) -> float:
    """exp(entropy of the code usage): the number of equally used codes that would give the same entropy."""
    p = torch.bincount(indices.reshape(-1), minlength=k).double()
    p = p[p > 0] / p.sum()
    return float(torch.exp(-(p * p.log()).sum()))


def _images(x: Digits | torch.Tensor, part: str) -> torch.Tensor:
    return getattr(x, part) if isinstance(x, Digits) else x


def train(m: VQVAE, x: Digits | torch.Tensor, steps: int = 1500, seed: int = 0, callback: Callback | None = None,
          batch: int = 128, lr: float = 2e-3) -> History:
    """Train `m` on the training digits of `x` (or on every image of a tensor) with Adam; the batches and
    restarts follow `seed`. A model whose `init` is "data" or "kmeans" first starts its codebook from the
    encoder outputs of the first batch (its own generator, so the batches are those of any other init)."""
    if not 1 <= steps <= MAX_STEPS:
        raise VQError("vqvae.steps", max=MAX_STEPS, steps=steps)
    data = _images(x, "train")
    gen = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)  # dead-code restarts draw from the global generator
    opt = torch.optim.Adam([p for p in m.parameters() if p.requires_grad], lr=lr)
    h = History(m.update, batch_tokens=batch * m.grid[0] * m.grid[1])
    m.train()
    start = time.perf_counter()
    for step in range(steps):
        xb = data[torch.randint(0, data.shape[0], (batch,), generator=gen)]
        if not m.initialised:
            with torch.no_grad():
                z = m.encode(xb)  # (batch·h·w, d)
            m.set_codebook(initial_codebook(m.init, z, m.codebook_size, torch.Generator().manual_seed(seed)))
        out = m(xb)
        opt.zero_grad(set_to_none=True)
        out.loss.backward()
        opt.step()
        restarted = m.ema_step(out.z_e.detach(), out.indices) if m.update != "loss" else 0
        h.reconstruction.append(float(out.reconstruction.detach()))
        h.codebook.append(float(out.codebook.detach()))
        h.commitment.append(float(out.commitment.detach()))
        h.codes_used.append(int(out.indices.unique().numel()))
        h.perplexity.append(perplexity(out.indices, m.codebook_size))
        h.restarts.append(restarted)
        h.gap.append(float((out.z_q - out.z_e.detach()).norm(dim=1).mean()))
        if callback:
            callback(step, steps, h)
    h.seconds = time.perf_counter() - start
    m.eval()
    return h


def new_model(update: str, seed: int = 0, **kw) -> VQVAE:
    """A VQVAE whose initial weights depend only on `seed` (so the rules start from the same weights)."""
    torch.manual_seed(seed)
    return VQVAE(update=update, **kw)


def train_rules(x: Digits, updates: tuple[str, ...] = UPDATES, steps: int = 1500, seed: int = 0,
                callback: Callback | None = None, batch: int = 128, lr: float = 2e-3, **kw) -> dict[str, Trained]:
    """Each codebook rule trained from the same initial weights and batches; `callback` sees one count; `kw`
    goes to VQVAE (the keyword form of `run`)."""
    out = {}
    for i, u in enumerate(updates):
        inner = (lambda s, _n, h, i=i: callback(i * steps + s, len(updates) * steps, h)) if callback else None
        m = new_model(u, seed, **kw)
        out[u] = Trained(m, train(m, x, steps, seed, inner, batch, lr))
    return out


@dataclass(frozen=True)
class CodebookStats:
    """How a codebook is used on a set of images."""

    usage: list[int]  # how many grid cells chose each code
    perplexity: float
    codes_used: int
    dead_codes: int
    mse: float  # reconstruction MSE through the quantiser
    tokens: int

    @property
    def usage_fraction(self) -> float:
        """Codes used / codebook size."""
        return self.codes_used / len(self.usage)


@torch.no_grad()
def codebook_stats(m: VQVAE, x: Digits | torch.Tensor) -> CodebookStats:
    """Usage histogram, perplexity, dead codes and reconstruction MSE on the held-out digits of `x` (or on a
    tensor of images)."""
    images = _images(x, "heldout")
    was = m.training
    m.eval()
    out = m(images)
    m.train(was)
    usage = torch.bincount(out.indices.reshape(-1), minlength=m.codebook_size)
    used = int((usage > 0).sum())
    return CodebookStats(usage.tolist(), perplexity(out.indices, m.codebook_size), used, m.codebook_size - used,
                         float(out.reconstruction), int(out.indices.numel()))


@dataclass(frozen=True)
class StraightThrough:
    """The straight-through estimator observed on real tensors (rows: one per grid cell)."""

    grad_z_e: torch.Tensor  # ∂(reconstruction loss)/∂z_e, what the encoder receives
    grad_z_q: torch.Tensor  # ∂(reconstruction loss)/∂z_st, what the decoder sends back to the quantised vectors
    identical: bool  # the decoder's input has a gradient at all, and the two are bitwise equal
    codebook_grad_from_reconstruction: torch.Tensor  # (K, d): all zero (z_q is detached from the decoder's path)
    commitment_grad_encoder: float  # norm of ∂commitment/∂(encoder weights): > 0
    commitment_grad_decoder: float  # 0: the commitment term never reaches the decoder
    commitment_grad_codebook: float  # 0: nor the codebook
    indices: torch.Tensor

    @property
    def holds(self) -> bool:
        """Whether the estimator works as the paper says: the encoder receives the decoder's gradient bit for bit
        (and some gradient at all), the codebook none of it, and the commitment term reaches the encoder alone."""
        return (self.identical and bool(self.grad_z_e.abs().max() > 0)
                and not bool(torch.count_nonzero(self.codebook_grad_from_reconstruction))
                and self.commitment_grad_encoder > 0 and self.commitment_grad_decoder == 0
                and self.commitment_grad_codebook == 0)


def straight_through_check(m: VQVAE, x: torch.Tensor) -> StraightThrough:
    """Run `m`'s own forward pass on `x` and backpropagate its reconstruction and commitment losses separately,
    reading where they land: at the encoder outputs `z_e` and the decoder's input `z_st` the forward returned,
    at the codebook, and at the encoder's and decoder's weights. Nothing of the pipeline is rebuilt here, so a
    forward that feeds the decoder without a path back to the encoder is reported (identical is False)."""
    buffer = not m.codebook.requires_grad  # under the EMA rules the codebook is a buffer: let autograd see it
    if buffer:
        m.codebook.requires_grad_(True)
    try:
        out = m(x)
        inputs = [t for t in (out.z_e, out.z_st) if t.requires_grad]
        grads = torch.autograd.grad(out.reconstruction, inputs, retain_graph=True, allow_unused=True,
                                    materialize_grads=True) if inputs else ()
        got = dict(zip([id(t) for t in inputs], grads, strict=True))
        g_e = got.get(id(out.z_e), torch.zeros_like(out.z_e))
        g_q = got.get(id(out.z_st), torch.zeros_like(out.z_st))
        (g_cb,) = torch.autograd.grad(out.reconstruction, [m.codebook], retain_graph=True, allow_unused=True,
                                      materialize_grads=True)
        enc, dec = list(m.encoder.parameters()), list(m.decoder.parameters())
        commit = torch.autograd.grad(out.commitment, [*enc, *dec, m.codebook], allow_unused=True,
                                     materialize_grads=True) if out.commitment.requires_grad else \
            [torch.zeros_like(p) for p in (*enc, *dec, m.codebook)]
    finally:
        if buffer:
            m.codebook.requires_grad_(False)

    def norm(gs) -> float:
        return math.sqrt(sum(float(g.pow(2).sum()) for g in gs))

    identical = out.z_st.requires_grad and bool(torch.equal(g_e, g_q))
    return StraightThrough(g_e.detach(), g_q.detach(), identical, g_cb.detach(),
                           norm(commit[:len(enc)]), norm(commit[len(enc):-1]), norm(commit[-1:]),
                           out.indices.detach())


def save(m: VQVAE, h: History, path: Path) -> None:
    """A checkpoint: the model's config, its weights and buffers, and its training history."""
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"config": m.config(), "state": m.state_dict(), "history": h.as_dict()}, path)


def load(path: Path) -> Trained:
    """Read a checkpoint with `weights_only=True` (plain tensors and containers: nothing is unpickled as code)."""
    ck = torch.load(path, weights_only=True, map_location="cpu")
    cfg = ck["config"] | {"grid": tuple(ck["config"]["grid"])}
    m = VQVAE(**cfg)
    m.load_state_dict(ck["state"])
    m.initialised = True  # the stored codebook is where training left it
    m.eval()
    return Trained(m, History(**ck["history"]))


def shipped_path(update: str) -> Path:
    """Where the shipped checkpoint of `update` lives."""
    return DATA / f"digits-{update}.pt"


@dataclass(frozen=True)
class RunSettings:
    """One side-by-side training of the rules, whole: every argument of `train_rules` but the data and the
    callback (as nanoGPT's GPTConfig holds a model's). What the page's controls set, the shipped run used, and
    the key of a run's cached result (frozen, so hashable; the first seven fields are the page's, in order)."""

    steps: int = 1500
    seed: int = 0
    codebook_size: int = 64
    code_dim: int = 16
    grid: tuple[int, int] = (4, 4)
    beta: float = 0.25
    ema_decay: float = 0.99
    init: str = "random"  # where the codebook starts: one of INITS (engine/vqvae/codebook_init.py)
    width: int = 64
    dead_threshold: float = DEAD_THRESHOLD
    batch: int = 128
    lr: float = 2e-3
    updates: tuple[str, ...] = UPDATES

    def model_kwargs(self) -> dict:
        """Keyword arguments of VQVAE (besides the rule); a later field only where it is not its default."""
        return {"codebook_size": self.codebook_size, "code_dim": self.code_dim, "grid": self.grid,
                "beta": self.beta, "ema_decay": self.ema_decay, **_changed(self, ("init", "width", "dead_threshold"))}

    def train_kwargs(self) -> dict:
        """Keyword arguments of `train_rules` (besides the data and the callback): the keyword form of `run`."""
        return {"updates": self.updates, "steps": self.steps, "seed": self.seed, "batch": self.batch, "lr": self.lr,
                **self.model_kwargs()}


LATER = ("init", "width", "dead_threshold", "batch", "lr", "updates")  # fields added after the shipped records


def _changed(settings: RunSettings, names: tuple[str, ...]) -> dict:
    """The fields among `names` whose value is not their default: the shipped checkpoints, seed table and study
    name only the first seven fields, and stay valid as long as the others keep the values they were made with."""
    return {k: getattr(settings, k) for k in names if getattr(settings, k) != getattr(SHIPPED, k)}


SHIPPED = RunSettings()


def run(settings: RunSettings, x: Digits | None = None, callback: Callback | None = None) -> dict[str, Trained]:
    """`train_rules` with `settings` on the digits (the settings-object form; each value a `Trained`)."""
    return train_rules(x or load_digits(), callback=callback, **settings.train_kwargs())


def load_shipped() -> dict[str, Trained]:
    """The three shipped models (trained by `python -m engine.vqvae.train`), by rule."""
    return {u: load(shipped_path(u)) for u in UPDATES}


def seed_table_settings(settings: RunSettings = SHIPPED) -> dict:
    """What the shipped seed table was trained with (besides the seed): a table of other settings is stale."""
    kw = {k: v for k, v in asdict(settings).items() if k not in ("seed", *LATER)} | _changed(settings, LATER)
    kw = {k: list(v) if isinstance(v, tuple) else v for k, v in kw.items()}  # as JSON reads it back
    return kw | {"dead_threshold": settings.dead_threshold, "start_count": START_COUNT}


def seed_rows(runs: dict[str, Trained], seed: int, x: Digits) -> list[dict]:
    """One row per rule of a training from `seed`: its held-out codes used, perplexity and MSE."""
    rows = []
    for u, (m, h) in runs.items():
        st = codebook_stats(m, x)
        rows.append({"rule": u, "seed": seed, "codes_used": st.codes_used, "of": m.codebook_size,
                     "perplexity": st.perplexity, "mse": st.mse, "restarts": sum(h.restarts),
                     "seconds": round(h.seconds, 1)})
    return rows


@dataclass(frozen=True)
class Spread:
    """One statistic of one rule over seeds: the mean, the lowest and the highest."""

    mean: float
    lo: float
    hi: float


def spread(rows: list[dict]) -> dict[str, dict[str, Spread]]:
    """Rule -> statistic (STATS) -> its mean, min and max over the seeds in `rows`."""
    out: dict[str, dict[str, Spread]] = {}
    for u in dict.fromkeys(r["rule"] for r in rows):
        mine = [r for r in rows if r["rule"] == u]
        out[u] = {k: Spread(statistics.fmean(r[k] for r in mine), min(r[k] for r in mine), max(r[k] for r in mine))
                  for k in STATS}
    return out


def load_seed_table() -> dict | None:
    """The shipped seed table (`python -m engine.vqvae.train` writes it), or None when it is missing or was
    trained with other settings than today's defaults."""
    if not SEED_TABLE.exists():
        return None
    table = json.loads(SEED_TABLE.read_text(encoding="utf-8"))
    return table if table.get("settings") == seed_table_settings() else None


def main(argv: list[str] | None = None) -> None:
    """Train the rules from every seed, write seed 0's models and the seed table to engine/vqvae/data/."""
    from engine.recorded import machine

    ap = argparse.ArgumentParser(description="train the shipped VQ-VAE checkpoints and the seed table")
    ap.add_argument("--steps", type=int, default=SHIPPED.steps)
    ap.add_argument("--seeds", type=int, nargs="+", default=list(SEEDS))
    args = ap.parse_args(argv)
    x = load_digits()
    settings = RunSettings(steps=args.steps)
    rows: list[dict] = []
    for seed in args.seeds:
        runs = run(dataclasses_replace(settings, seed=seed), x,
                   lambda s, n, _h, seed=seed: print(f"seed {seed}: {s + 1}/{n}", end="\r", flush=True))
        if seed == SHIPPED.seed:
            for u, (m, h) in runs.items():
                save(m, h, shipped_path(u))
        rows += seed_rows(runs, seed, x)
        for r in rows[-len(runs):]:
            print(f"seed {seed} {r['rule']}: {r['codes_used']}/{r['of']} codes, perplexity {r['perplexity']:.1f}, "
                  f"held-out MSE {r['mse']:.4f}, {r['seconds']:.1f} s")
    table = {"date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d"), "machine": machine(),
             "command": " ".join(["python -m engine.vqvae.train", *(sys.argv[1:] if argv is None else argv)]),
             "settings": seed_table_settings(settings), "seeds": list(args.seeds), "rows": rows}
    SEED_TABLE.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
