"""`python -m engine.vqvae.bench`: the three codebook rules on the digits, and one EMA step beside
vector-quantize-pytorch's `VectorQuantize` (a bench-only peer) on the same codebook, inputs and decay, as JSON.

- rules: codes used, perplexity and reconstruction MSE on the held-out digits, seconds per training step,
  for each seed of --seeds (seed 0 is the shipped run);
- ema_vs_vector_quantize_pytorch: the largest difference of the updated codebooks, whether the code
  assignments agree, and the time of one quantise-and-update step (interleaved rounds, ours over theirs).
"""

from __future__ import annotations

import argparse
import json
from importlib.metadata import version

import torch

from engine.device import describe_device
from engine.timing import interleaved
from engine.vqvae.data import load_digits
from engine.vqvae.model import ema_codebook, quantize
from engine.vqvae.train import SHIPPED, RunSettings, codebook_stats, run


def bench_rules(steps: int, seeds: list[int]) -> dict:
    """Each rule from each seed: the held-out codebook statistics and the time per step."""
    x = load_digits()
    out: dict = {"steps": steps, **{f"seed_{s}": {} for s in seeds}}
    for s in seeds:
        for u, (m, h) in run(RunSettings(steps=steps, seed=s), x).items():
            st = codebook_stats(m, x)
            out[f"seed_{s}"][u] = {"codes_used": st.codes_used, "of": m.codebook_size,
                                   "usage": round(st.usage_fraction, 3), "perplexity": round(st.perplexity, 2),
                                   "heldout_mse": round(st.mse, 5), "ms_per_step": round(1e3 * h.seconds / steps, 2)}
    return out


def bench_ema_step(k: int = 64, d: int = 16, n: int = 2048, decay: float = 0.99, seed: int = 0,
                   rounds: int = 30) -> dict:
    """One EMA codebook step, ours and vector-quantize-pytorch's, from the same state."""
    try:
        from vector_quantize_pytorch import VectorQuantize
    except ImportError:
        return {"skipped": "vector-quantize-pytorch is not installed (pip install -r requirements-bench.txt)"}
    g = torch.Generator().manual_seed(seed)
    book = torch.randn(k, d, generator=g)
    z = torch.randn(n, d, generator=g) * 1.5 + 0.3
    peer = VectorQuantize(dim=d, codebook_size=k, decay=decay, commitment_weight=0.0)
    peer.train()
    cb = peer._codebook

    def theirs() -> tuple[torch.Tensor, torch.Tensor]:
        cb.embed.data.copy_(book[None])
        cb.embed_avg.data.copy_(book[None])
        cb.cluster_size.data.fill_(1.0)
        _, idx, _ = peer(z[None])
        return cb.embed[0].detach().clone(), idx[0]

    def ours() -> tuple[torch.Tensor, torch.Tensor]:
        q = quantize(z, book)
        onehot = torch.nn.functional.one_hot(q.indices, k).float()
        new = ema_codebook(torch.ones(k), book.clone(), onehot.sum(0), onehot.T @ z, decay, cb.eps)
        return new, q.indices

    (a, ia), (b, ib) = ours(), theirs()
    t = interleaved({"ours": ours, "vector_quantize_pytorch": theirs}, rounds)
    mine, peer_t = t["ours"], t["vector_quantize_pytorch"]
    return {"peer": f"vector-quantize-pytorch {version('vector-quantize-pytorch')}", "codebook": [k, d],
            "inputs": n, "decay": decay, "max_abs_diff": float((a - b).abs().max()),
            "assignments_equal": bool(torch.equal(ia, ib)),
            "time_ratio_ours_over_theirs": round(mine.median_s / peer_t.median_s, 2),
            "ours_ms": [round(1e3 * v, 3) for v in (mine.median_s, mine.lo_s, mine.hi_s)],
            "theirs_ms": [round(1e3 * v, 3) for v in (peer_t.median_s, peer_t.lo_s, peer_t.hi_s)],
            "rounds": rounds, "ms_are": "median, fastest, slowest round"}


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=SHIPPED.steps)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    args = ap.parse_args(argv)
    print(json.dumps({"device": describe_device().label(), "torch": torch.__version__,
                      "ema_vs_vector_quantize_pytorch": bench_ema_step(),
                      "rules": bench_rules(args.steps, args.seeds)}, indent=2))


if __name__ == "__main__":
    main()
