"""`python -m engine.specdec.train`: train the target or the draft byte-level GPT, resumably, with progress.

    python -m engine.specdec.train --role target --steps 3000          # about 22 M parameters
    python -m engine.specdec.train --role draft --teacher ckpt/target.ckpt   # ~0.5 M, distilled from the target

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
from engine.specdec.model import GPT, GPTConfig

ROLES = {
    "target": GPTConfig(vocab=256, context=256, width=512, layers=7, heads=8),
    "draft": GPTConfig(vocab=256, context=256, width=128, layers=2, heads=4),
}
Progress = Callable[[int, int, float], None]


def batches(data: torch.Tensor, context: int, batch: int, gen: torch.Generator):
    """Endless random (input, next-byte) windows of `data` (a uint8 tensor)."""
    while True:
        starts = torch.randint(len(data) - context - 1, (batch,), generator=gen)
        x = torch.stack([data[s:s + context] for s in starts.tolist()]).long()
        y = torch.stack([data[s + 1:s + 1 + context] for s in starts.tolist()]).long()
        yield x, y


def save_checkpoint(path: Path, model: GPT, opt: torch.optim.Optimizer, step: int) -> None:
    """fp32 weights, optimizer state and step, written atomically."""
    tmp = path.with_suffix(".tmp")
    torch.save({"config": asdict(model.config), "model": model.state_dict(), "optimizer": opt.state_dict(),
                "step": step}, tmp)
    tmp.replace(path)


def load_model(path: Path, device: torch.device | str = "cpu") -> GPT:
    """A model from a checkpoint or shipped weights (weights_only: no pickled code is ever run)."""
    blob = torch.load(path, map_location=device, weights_only=True)
    model = GPT(GPTConfig(**blob["config"])).to(device)
    missing, unexpected = model.load_state_dict({k: v.float() for k, v in blob["model"].items()}, strict=False)
    if unexpected or set(missing) - {"head.weight"}:  # the head is tied to the token embedding
        raise ValueError(f"{path}: weights do not fit the model (missing {missing}, unexpected {unexpected})")
    return model.eval()


def ship(path: Path, model: GPT, dtype: torch.dtype = torch.float16) -> None:
    """Half-precision weights for the package (tied head stored once)."""
    state = {k: v.to(dtype) for k, v in model.state_dict().items() if k != "head.weight"}
    torch.save({"config": asdict(model.config), "model": state}, path)


def train(data: bytes, role: str, steps: int, ckpt: Path, batch: int = 32, lr: float = 6e-4,
          teacher: GPT | None = None, device: torch.device | None = None, seed: int = 0,
          progress: Progress | None = None, config: GPTConfig | None = None) -> tuple[GPT, list[float]]:
    """Train (or resume) `role` on `data` until `steps`; distil from `teacher` when given. Returns model, losses."""
    device = device or pick_device()
    torch.manual_seed(seed)
    model = GPT(config or ROLES[role]).to(device)
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
        if (step + 1) % 200 == 0 or step + 1 == steps:
            save_checkpoint(ckpt, model, opt, step + 1)
    return model.eval(), losses


def main(argv: list[str] | None = None) -> None:
    """Command line: train a role, report progress, optionally ship half-precision weights."""
    from engine.specdec.data import shakespeare_bytes

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--role", choices=list(ROLES), required=True)
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--ckpt", type=Path, default=None, help="checkpoint to resume from and write to")
    ap.add_argument("--teacher", type=Path, default=None, help="target checkpoint to distil the draft from")
    ap.add_argument("--ship", type=Path, default=None, help="write half-precision weights here when done")
    args = ap.parse_args(argv)
    ckpt = args.ckpt or Path(f"{args.role}.ckpt")
    data = shakespeare_bytes(print)
    teacher = load_model(args.teacher, pick_device()) if args.teacher else None
    t0 = time.perf_counter()

    def report(step: int, steps: int, loss: float) -> None:
        if step % 50 == 0 or step + 1 == steps:
            print(f"[{args.role}] step {step + 1}/{steps} loss {loss:.3f} ({time.perf_counter() - t0:.0f} s)",
                  flush=True)

    model, _ = train(data, args.role, args.steps, ckpt, args.batch, teacher=teacher, progress=report)
    print(f"[{args.role}] {model.n_params():,} parameters; checkpoint {ckpt}")
    if args.ship:
        ship(args.ship, model)
        print(f"[{args.role}] shipped {args.ship}")


if __name__ == "__main__":
    main()
