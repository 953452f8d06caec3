"""`python -m engine.specdec.train`: train the byte-level target, then the drafters on it, resumably.

    python -m engine.specdec.train --role target --ckpt ckpt/target.ckpt --ship engine/specdec/weights/target.pt
    python -m engine.specdec.train --role heads --teacher engine/specdec/weights/target.pt \
        --ckpt ckpt/heads.ckpt --steps 300 --ship engine/specdec/weights/drafters.pt
    python -m engine.specdec.train --role draft --teacher engine/specdec/weights/target.pt \
        --drafters engine/specdec/weights/drafters.pt --ckpt ckpt/draft.ckpt --steps 1000 --batch 64 --lr 2e-3

The first trains the ~22 M-parameter target; the second, on the shipped (half-precision) target frozen,
trains the ~0.5 M draft model (distilled, plus a text-only twin for comparison), the Medusa heads and
the MTP modules together, sharing one target forward per batch; the third trains the distilled draft
further on the text alone, which costs no target pass per step, and re-measures every drafter.

A checkpoint (`--ckpt`) holds fp32 weights, the optimizer state and the step, so a run continues where
it stopped; `--ship` writes half-precision weights for the package. Everything loads with
`torch.load(weights_only=True)`: plain tensors and numbers, never pickled objects.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import torch
from torch.nn import functional as F

from engine.device import pick_device
from engine.specdec.loading import load_model, ship
from engine.specdec.model import GPT, ROLES, GPTConfig
from engine.transformer import random_windows

Progress = Callable[[int, int, float], None]


def batches(data: torch.Tensor, context: int, batch: int, gen: torch.Generator):
    """Endless random (input, next-byte) windows of `data` (a uint8 tensor)."""
    while True:
        w = random_windows(data, context + 1, batch, gen)
        yield w[:, :-1], w[:, 1:]


def split(data: bytes, held_out: float = 0.05) -> tuple[bytes, bytes]:
    """Training and validation text: the last `held_out` fraction is never trained on."""
    cut = int(len(data) * (1 - held_out))
    return data[:cut], data[cut:]


@torch.no_grad()
def evaluate(model: GPT, data: bytes, batches_: int = 20, batch: int = 16, seed: int = 1234) -> float:
    """Mean next-byte cross-entropy (nats) of `model` on fixed random windows of `data`."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    tensor = torch.frombuffer(bytearray(data), dtype=torch.uint8)
    stream = batches(tensor, model.config.context, batch, torch.Generator().manual_seed(seed))
    total = 0.0
    for _ in range(batches_):
        x, y = (t.to(device) for t in next(stream))
        total += float(F.cross_entropy(model(x).flatten(0, 1), y.flatten()))
    model.train(was_training)
    return total / batches_


def save_checkpoint(path: Path, model: GPT, opt: torch.optim.Optimizer, step: int) -> None:
    """fp32 weights, optimizer state and step, written atomically."""
    tmp = path.with_suffix(".tmp")
    torch.save({"config": asdict(model.config), "model": model.state_dict(), "optimizer": opt.state_dict(),
                "step": step}, tmp)
    tmp.replace(path)


def train(data: bytes, role: str, steps: int, ckpt: Path, batch: int = 32, lr: float = 6e-4,
          teacher: GPT | None = None, device: torch.device | None = None, seed: int = 0,
          progress: Progress | None = None, config: GPTConfig | None = None,
          init: GPT | None = None) -> tuple[GPT, list[float]]:
    """Train (or resume) `role` on `data` until `steps`, starting from `init`'s weights if given; distil from
    `teacher` when given. Returns model, losses."""
    device = device or pick_device()
    torch.manual_seed(seed)
    model = GPT(config or (init.config if init is not None else ROLES[role])).to(device)
    if init is not None:
        model.load_state_dict(init.state_dict())
    opt = torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.95), weight_decay=0.1)
    start = 0
    if ckpt.exists():
        blob = torch.load(ckpt, map_location=device, weights_only=True)
        model.load_state_dict(blob["model"])
        opt.load_state_dict(blob["optimizer"])
        start = int(blob["step"])
    tensor = torch.frombuffer(bytearray(data), dtype=torch.uint8)
    gen = torch.Generator().manual_seed(seed + start)  # a resumed run draws fresh batches
    stream = batches(tensor, model.config.context, batch, gen)
    losses: list[float] = []
    model.train()
    for step in range(start, steps):
        x, y = (t.to(device) for t in next(stream))
        for group in opt.param_groups:  # linear warm-up, then cosine decay to 10 %
            warm = min(1.0, (step + 1) / 100)
            group["lr"] = lr * warm * (0.1 + 0.45 * (1 + math.cos(math.pi * step / max(steps, 1))))
        logits = model(x)
        loss = F.cross_entropy(logits.flatten(0, 1), y.flatten())
        if teacher is not None:  # distillation: match the target's next-byte distribution too
            with torch.no_grad():
                soft = F.softmax(teacher(x), dim=-1)
            loss = 0.5 * loss + 0.5 * F.kl_div(F.log_softmax(logits, -1).flatten(0, 1), soft.flatten(0, 1),
                                               reduction="batchmean")
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        if progress:
            progress(step, steps, losses[-1])
        if (step + 1) % 50 == 0 or step + 1 == steps:
            save_checkpoint(ckpt, model, opt, step + 1)
    return model.eval(), losses


def main(argv: list[str] | None = None) -> None:
    """Command line: train a role, report progress, optionally ship half-precision weights."""
    from engine.specdec.data import shakespeare_bytes
    from engine.specdec.heads import HeadsConfig, heads_checkpoint, train_heads

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--role", choices=["target", "heads", "draft"], required=True)
    ap.add_argument("--drafters", type=Path, default=None,
                    help="--role draft: shipped drafters whose draft model to train further on the text")
    ap.add_argument("--steps", type=int, default=1300)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--ckpt", type=Path, default=None, help="checkpoint to resume from and write to")
    ap.add_argument("--teacher", type=Path, default=None,
                    help="target checkpoint: the draft distils from it; --role heads trains on it")
    ap.add_argument("--ship", type=Path, default=None, help="write half-precision weights here when done")
    args = ap.parse_args(argv)
    ckpt = args.ckpt or Path(f"{args.role}.ckpt")
    data, held_out = split(shakespeare_bytes(print))
    teacher = load_model(args.teacher, pick_device()) if args.teacher else None
    t0 = time.perf_counter()

    if args.role == "heads":
        if teacher is None:
            ap.error("--role heads needs --teacher (the trained target)")

        def report_heads(step: int, steps: int, parts: dict) -> None:
            if step % 25 == 0 or step + 1 == steps:
                shown = " ".join(f"{k} {v:.3f}" for k, v in parts.items() if k != "seconds")
                print(f"[heads] step {step + 1}/{steps} {shown} ({parts['seconds']:.0f} s)", flush=True)

        cfg = HeadsConfig()
        d = train_heads(teacher, data, held_out, args.steps, ckpt, args.batch, args.lr, cfg, progress=report_heads)
        print(f"[heads] held-out report: {d.report}\n[heads] Medusa tree: {d.tree}")
        if args.ship:
            heads_checkpoint(args.ship, {"draft": d.draft, **d.others}, d.medusa, d.mtp, None, args.steps, cfg,
                             {"tree": [list(p) for p in d.tree], "report": d.report}, dtype=torch.float16)
            print(f"[heads] shipped {args.ship}")
        return

    if args.role == "draft":
        _train_draft_further(args, data, held_out, teacher)
        return

    def report(step: int, steps: int, loss: float) -> None:
        if step % 50 == 0 or step + 1 == steps:
            print(f"[{args.role}] step {step + 1}/{steps} loss {loss:.3f} ({time.perf_counter() - t0:.0f} s)",
                  flush=True)

    model, losses = train(data, args.role, args.steps, ckpt, args.batch, args.lr, teacher=teacher,
                          progress=report)
    tail = losses[-50:]
    print(f"[{args.role}] {model.n_params():,} parameters; checkpoint {ckpt}; train loss (last {len(tail)} "
          f"steps) {sum(tail) / max(1, len(tail)):.3f}; held-out loss {evaluate(model, held_out):.3f}")
    if args.ship:
        ship(args.ship, model)
        print(f"[{args.role}] shipped {args.ship}")


def _train_draft_further(args: argparse.Namespace, data: bytes, held_out: bytes, teacher: GPT | None) -> None:
    """Continue the drafters' draft model on the text alone (no target pass per step: ~1/30 of the joint
    stage's cost per token), then re-measure every drafter against the target and rewrite the file."""
    from engine.specdec.heads import HeadsConfig, evaluate_drafters, heads_checkpoint, load_drafters

    if teacher is None or args.drafters is None:
        raise SystemExit("--role draft needs --teacher (the shipped target) and --drafters")
    d = load_drafters(args.drafters, teacher)
    t0 = time.perf_counter()

    def report(step: int, steps: int, loss: float) -> None:
        if step % 100 == 0 or step + 1 == steps:
            print(f"[draft] step {step + 1}/{steps} loss {loss:.3f} ({time.perf_counter() - t0:.0f} s)", flush=True)

    model, _ = train(data, "draft", args.steps, args.ckpt or Path("draft.ckpt"), args.batch, args.lr,
                     progress=report, init=d.draft)
    drafts = {"draft": model, **d.others}
    measured = evaluate_drafters(teacher, drafts, d.medusa, d.mtp, held_out)
    print(f"[draft] held-out report: {measured}")
    cfg = HeadsConfig(medusa=d.medusa.n, mtp=d.mtp.depth, draft=model.config)
    heads_checkpoint(args.drafters, drafts, d.medusa, d.mtp, None, 0, cfg,
                     {"tree": [list(p) for p in d.tree], "report": measured | {"draft_text_steps": args.steps}},
                     dtype=torch.float16)
    print(f"[draft] rewrote {args.drafters}")


if __name__ == "__main__":
    main()
