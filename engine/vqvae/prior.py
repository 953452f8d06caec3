"""A prior over code grids, so the VQ-VAE generates: a tiny PixelCNN trained on the code grids of the training
digits, then sampled one cell at a time in raster order and decoded by the VQ-VAE's decoder.

The prior factorises p(grid) = Π p(c_i | c_<i) over the cells in raster order (row by row, left to right). Its
convolutions are masked so that the logits at cell i read only cells before i: the first layer's mask ("A")
also hides cell i itself, the later ones ("B") let cell i read its own features, which by then hold only what
came before it. Each kernel is (2h − 1) × (2w − 1), so one layer already sees every earlier cell of the grid (the
original PixelCNN's blind spot, which needs a kernel smaller than the grid, cannot arise).

`python -m engine.vqvae.prior --train` trains it on the codes the shipped EMA + restart model gives the training
digits (a tenth of them kept back to pick the epoch) and writes `engine/vqvae/data/prior-ema_restart.pt`: its
config, weights, settings, the per-epoch log, the held-out bits per code beside two baselines, and the SHA-256
of the VQ-VAE checkpoint whose codes it learnt. The page loads it with `torch.load(weights_only=True)`.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import math
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from engine.messages import CodedError, define
from engine.vqvae.data import load_digits
from engine.vqvae.model import VQVAE
from engine.vqvae.train import DATA, load, shipped_path

RULE = "ema_restart"  # the shipped model whose codes the prior learns: every code in use, the lowest MSE
MAX_SAMPLES = 256
MAX_TEMPERATURE = 10.0

define({
    "vqvae.prior_temperature": "the sampling temperature lies in [{lo}, {max}], not {temperature}",
    "vqvae.prior_samples": "draw {lo}–{max} grids at a time, not {n}",
    "vqvae.prior_stale": "the shipped prior was trained on the codes of another VQ-VAE checkpoint than {file}; "
                         "run python -m engine.vqvae.prior --train",
})


class PriorError(CodedError):
    """A prior or a draw that cannot be made as asked (a code, with the English default)."""


def raster_mask(kernel: tuple[int, int], include_centre: bool) -> torch.Tensor:
    """A (kh, kw) mask of the kernel offsets that lie before the centre in raster order (and the centre itself
    when `include_centre`): the rows above, and the cells left of the centre in its row."""
    kh, kw = kernel
    m = torch.zeros(kh, kw)
    m[: kh // 2] = 1
    m[kh // 2, : kw // 2 + int(include_centre)] = 1
    return m


class MaskedConv2d(nn.Conv2d):
    """A convolution whose kernel is multiplied by a raster-order mask on every call (type "A": the centre
    hidden; "B": the centre seen). With `masked=False` it is a plain convolution (the test's negative control)."""

    def __init__(self, cin: int, cout: int, kernel: tuple[int, int], kind: str, masked: bool = True) -> None:
        super().__init__(cin, cout, kernel, padding=(kernel[0] // 2, kernel[1] // 2))
        mask = raster_mask(kernel, kind == "B") if masked else torch.ones(kernel)
        self.register_buffer("mask", mask[None, None], persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The convolution with the masked kernel."""
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


class CodePrior(nn.Module):
    """A tiny PixelCNN over (b, h, w) grids of code indices in [0, K): logits (b, K, h, w), each cell's from the
    cells before it in raster order."""

    def __init__(self, codebook_size: int = 64, grid: tuple[int, int] = (4, 4), channels: int = 32, layers: int = 3,
                 dropout: float = 0.5, masked: bool = True) -> None:
        super().__init__()
        self.codebook_size, self.grid, self.channels, self.layers = codebook_size, tuple(grid), channels, layers
        self.dropout, self.masked = dropout, masked
        h, w = self.grid
        kernel = (2 * h - 1, 2 * w - 1)  # every earlier cell is in reach from every cell
        self.embed = nn.Embedding(codebook_size, channels)
        self.first = MaskedConv2d(channels, channels, kernel, "A", masked)
        self.position = nn.Parameter(torch.zeros(1, channels, h, w))  # reads no input: causal by construction
        self.blocks = nn.ModuleList(MaskedConv2d(channels, channels, kernel, "B", masked) for _ in range(layers - 1))
        self.drop = nn.Dropout(dropout)
        self.out = nn.Conv2d(channels, codebook_size, 1)  # 1×1: each cell's own features only

    def config(self) -> dict:
        """The constructor's arguments (what the checkpoint stores beside the weights)."""
        return {"codebook_size": self.codebook_size, "grid": list(self.grid), "channels": self.channels,
                "layers": self.layers, "dropout": self.dropout}

    def forward(self, codes: torch.Tensor) -> torch.Tensor:
        """Grids of codes (b, h, w) → logits (b, K, h, w); cell i's logits depend on cells before i only."""
        x = self.embed(codes).permute(0, 3, 1, 2)
        x = F.relu(self.first(x) + self.position)
        for block in self.blocks:
            x = x + F.relu(block(self.drop(x)))
        return self.out(self.drop(x))


def bits_per_code(prior: CodePrior, codes: torch.Tensor) -> float:
    """The prior's mean negative log-likelihood of the grids `codes` (b, h, w), in bits per code."""
    was = prior.training
    prior.eval()
    with torch.no_grad():
        nll = F.cross_entropy(prior(codes), codes)
    prior.train(was)
    return float(nll) / math.log(2)


@torch.no_grad()
def sample_codes(prior: CodePrior, n: int, temperature: float, seed: int) -> torch.Tensor:
    """n grids (n, h, w) drawn cell by cell in raster order from softmax(logits / temperature); temperature 0
    takes each cell's most likely code (argmax decoding), so every grid is the same."""
    if not 0 <= temperature <= MAX_TEMPERATURE:
        raise PriorError("vqvae.prior_temperature", lo=0, max=MAX_TEMPERATURE, temperature=temperature)
    if not 1 <= n <= MAX_SAMPLES:
        raise PriorError("vqvae.prior_samples", lo=1, max=MAX_SAMPLES, n=n)
    was = prior.training
    prior.eval()
    gen = torch.Generator().manual_seed(seed)
    h, w = prior.grid
    codes = torch.zeros(n, h, w, dtype=torch.long)
    for i in range(h):
        for j in range(w):
            logits = prior(codes)[:, :, i, j].float()
            if temperature == 0:
                codes[:, i, j] = logits.argmax(1)
            else:
                probs = torch.softmax(logits / temperature, dim=1)
                codes[:, i, j] = torch.multinomial(probs, 1, generator=gen)[:, 0]
    prior.train(was)
    return codes


@torch.no_grad()
def generate(prior: CodePrior, vqvae: VQVAE, n: int, temperature: float, seed: int) -> tuple[torch.Tensor,
                                                                                             torch.Tensor]:
    """Sampled code grids (n, h, w) and the digits (n, 1, 8, 8) the VQ-VAE's decoder draws from them, in [0, 1]."""
    codes = sample_codes(prior, n, temperature, seed)
    return codes, vqvae.decode_indices(codes).clamp(0, 1)


# -- training and the shipped checkpoint ------------------------------------------------------------------------
@dataclass(frozen=True)
class PriorSettings:
    """Everything the shipped prior was trained with."""

    rule: str = RULE
    channels: int = 32
    layers: int = 3
    dropout: float = 0.5  # strong: 1,293 grids to fit, and without it validation NLL rises from epoch 4 on
    epochs: int = 40
    batch: int = 64
    lr: float = 3e-3
    weight_decay: float = 0.1
    validation_fraction: float = 0.1  # of the training digits, kept back to pick the epoch (never the held-out)
    seed: int = 0


SHIPPED_PRIOR = PriorSettings()


@dataclass
class PriorLog:
    """Per epoch: the training loss and the validation NLL (bits per code); the epoch kept, and the final held-out
    NLL beside the baselines (bits per code), all on the codes of the shipped VQ-VAE."""

    train_bits: list[float] = field(default_factory=list)
    validation_bits: list[float] = field(default_factory=list)
    best_epoch: int = 0
    heldout_bits: float = 0.0
    unigram_bits: float = 0.0  # code frequencies of the training codes (add-one smoothed)
    positional_bits: float = 0.0  # a frequency table per grid cell (add-one smoothed)
    uniform_bits: float = 0.0  # log2 K
    seconds: float = 0.0
    grids: dict = field(default_factory=dict)  # how many grids each split has


@dataclass(frozen=True)
class ShippedPrior:
    """The shipped prior, the log of its training, its settings and where it comes from."""

    prior: CodePrior
    log: PriorLog
    settings: PriorSettings
    meta: dict  # date, machine, command, the VQ-VAE checkpoint's file and SHA-256


def code_grids(vqvae: VQVAE, images: torch.Tensor) -> torch.Tensor:
    """The code grids (b, h, w) the VQ-VAE gives `images`."""
    with torch.no_grad():
        return vqvae(images).indices


def frequency_bits(train_codes: torch.Tensor, test_codes: torch.Tensor, k: int, per_cell: bool) -> float:
    """Bits per code of `test_codes` under add-one-smoothed code frequencies counted on `train_codes`, one table
    for the whole grid or (per_cell) one per grid cell."""
    a, b = (c.reshape(c.shape[0], -1) for c in (train_codes, test_codes))
    if not per_cell:
        a, b = a.reshape(-1, 1), b.reshape(-1, 1)
    counts = torch.stack([torch.bincount(a[:, i], minlength=k) for i in range(a.shape[1])]).double() + 1
    logp = (counts / counts.sum(1, keepdim=True)).log()  # (cells, K)
    return float(-logp.gather(1, b.T).mean()) / math.log(2)


def split_train(n: int, fraction: float, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The training grids' indices split into (fit, validation), by a fixed permutation."""
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
    n_val = round(n * fraction)
    return perm[n_val:], perm[:n_val]


def train_prior(train_codes: torch.Tensor, validation: torch.Tensor, codebook_size: int,
                settings: PriorSettings = SHIPPED_PRIOR, log: PriorLog | None = None,
                progress=None) -> tuple[CodePrior, PriorLog]:
    """Train a CodePrior on `train_codes` (b, h, w) with AdamW; keep the weights of the epoch with the lowest
    validation NLL. `progress(epoch, epochs, log)` is told after each epoch."""
    torch.manual_seed(settings.seed)
    prior = CodePrior(codebook_size, tuple(train_codes.shape[1:]), settings.channels, settings.layers,
                      settings.dropout)
    opt = torch.optim.AdamW(prior.parameters(), lr=settings.lr, weight_decay=settings.weight_decay)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, settings.epochs)
    gen = torch.Generator().manual_seed(settings.seed)
    log = log or PriorLog()
    best, best_state = math.inf, None
    start = time.perf_counter()
    for epoch in range(settings.epochs):
        prior.train()
        total, seen = 0.0, 0
        for idx in torch.randperm(train_codes.shape[0], generator=gen).split(settings.batch):
            xb = train_codes[idx]
            loss = F.cross_entropy(prior(xb), xb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total, seen = total + float(loss.detach()) * len(idx), seen + len(idx)
        sched.step()
        log.train_bits.append(total / seen / math.log(2))
        log.validation_bits.append(bits_per_code(prior, validation))
        if log.validation_bits[-1] < best:
            best, log.best_epoch = log.validation_bits[-1], epoch + 1
            best_state = {k: v.clone() for k, v in prior.state_dict().items()}
        if progress:
            progress(epoch + 1, settings.epochs, log)
    log.seconds = time.perf_counter() - start
    prior.load_state_dict(best_state)
    prior.eval()
    return prior, log


def prior_path(rule: str = RULE) -> Path:
    """Where the shipped prior over `rule`'s codes lives."""
    return DATA / f"prior-{rule}.pt"


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (which VQ-VAE checkpoint a prior learnt the codes of)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_prior(path: Path | None = None) -> ShippedPrior:
    """Read the shipped prior with `weights_only=True` (plain tensors and containers: nothing runs as code), and
    refuse it when the VQ-VAE checkpoint it was trained on has changed since."""
    path = path or prior_path()
    ck = torch.load(path, weights_only=True, map_location="cpu")
    settings = PriorSettings(**ck["settings"])
    vq = shipped_path(settings.rule)
    if ck["meta"]["vqvae_sha256"] != file_sha256(vq):
        raise PriorError("vqvae.prior_stale", file=vq.name)
    cfg = ck["config"] | {"grid": tuple(ck["config"]["grid"])}
    prior = CodePrior(**cfg)
    prior.load_state_dict(ck["state"])
    prior.eval()
    return ShippedPrior(prior, PriorLog(**ck["log"]), settings, ck["meta"])


def main(argv: list[str] | None = None) -> None:
    """Train the prior on the shipped VQ-VAE's codes of the training digits and write its checkpoint."""
    from engine.recorded import machine

    ap = argparse.ArgumentParser(description="train the shipped prior over VQ-VAE code grids")
    ap.add_argument("--train", action="store_true", help="train and write engine/vqvae/data/prior-<rule>.pt")
    ap.add_argument("--epochs", type=int, default=SHIPPED_PRIOR.epochs)
    args = ap.parse_args(argv)
    if not args.train:
        ap.error("nothing to do: pass --train")
    torch.set_num_threads(1)
    settings = PriorSettings(epochs=args.epochs)
    vqvae, _ = load(shipped_path(settings.rule))
    x = load_digits()
    train_all, heldout = code_grids(vqvae, x.train), code_grids(vqvae, x.heldout)
    fit, val = split_train(train_all.shape[0], settings.validation_fraction, settings.seed)
    k = vqvae.codebook_size
    log = PriorLog(grids={"fit": len(fit), "validation": len(val), "heldout": heldout.shape[0]})
    prior, log = train_prior(train_all[fit], train_all[val], k, settings, log, lambda e, n, lg: print(
        f"epoch {e}/{n}: train {lg.train_bits[-1]:.3f}, validation {lg.validation_bits[-1]:.3f} bits/code",
        file=sys.stderr, flush=True))
    log.heldout_bits = bits_per_code(prior, heldout)
    log.unigram_bits = frequency_bits(train_all[fit], heldout, k, per_cell=False)
    log.positional_bits = frequency_bits(train_all[fit], heldout, k, per_cell=True)
    log.uniform_bits = math.log2(k)
    plain = json.loads(json.dumps(machine(), default=str))  # torch's version is a class weights_only refuses
    meta = {"date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d"), "machine": plain,
            "command": " ".join(["python -m engine.vqvae.prior", *(sys.argv[1:] if argv is None else argv)]),
            "vqvae": shipped_path(settings.rule).name, "vqvae_sha256": file_sha256(shipped_path(settings.rule))}
    path = prior_path(settings.rule)
    torch.save({"config": prior.config(), "state": prior.state_dict(), "settings": asdict(settings),
                "log": asdict(log), "meta": meta}, path)
    print(f"best epoch {log.best_epoch}: held-out {log.heldout_bits:.3f} bits/code; unigram {log.unigram_bits:.3f}, "
          f"per-cell {log.positional_bits:.3f}, uniform {log.uniform_bits:.3f}; {log.seconds:.1f} s -> {path}")


if __name__ == "__main__":
    main()
