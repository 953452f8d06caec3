"""`python -m engine.vqvae.bench`: the three codebook rules on the digits, and one EMA step beside
vector-quantize-pytorch's `VectorQuantize` (a bench-only peer) on the same codebook, inputs and decay, as JSON.

- rules: codes used, perplexity and reconstruction MSE on the held-out digits, seconds per training step,
  for each seed of --seeds (seed 0 is the shipped run);
- ema_vs_vector_quantize_pytorch: the largest difference of the updated codebooks, whether the code
  assignments agree, and the time of one quantise-and-update step (interleaved rounds, ours over theirs);
- fsq_vs_vector_quantize_pytorch, rotate_to_vs_vector_quantize_pytorch: the same for `FSQ(levels)` (values and
  indices) and `rotate_to` (values and the gradient reaching z_e), forward and backward timed together.
`--peers-only` skips the training. `--k-sweep` measures the K-scaling sweep instead (engine/vqvae/ksweep.py): codes
used and held-out MSE against K; with `--record` it writes engine/vqvae/recorded/ksweep.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
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


def _timed(fns: dict, rounds: int) -> dict:
    t = interleaved(fns, rounds)
    mine, peer_t = t["ours"], t["vector_quantize_pytorch"]
    return {"time_ratio_ours_over_theirs": round(mine.median_s / peer_t.median_s, 2),
            "ours_ms": [round(1e3 * v, 3) for v in (mine.median_s, mine.lo_s, mine.hi_s)],
            "theirs_ms": [round(1e3 * v, 3) for v in (peer_t.median_s, peer_t.lo_s, peer_t.hi_s)],
            "rounds": rounds, "ms_are": "median, fastest, slowest round"}


def bench_fsq(levels: tuple[int, ...] = (8, 5, 5, 5), n: int = 16384, seed: int = 0, rounds: int = 30) -> dict:
    """engine.vqvae.quantizers.fsq against vector-quantize-pytorch's FSQ(levels) on the same float32 inputs."""
    try:
        from vector_quantize_pytorch import FSQ
    except ImportError:
        return {"skipped": "vector-quantize-pytorch is not installed (pip install -r requirements-bench.txt)"}
    from engine.vqvae.quantizers import fsq

    z = torch.randn(1, n, len(levels), generator=torch.Generator().manual_seed(seed)) * 2
    peer = FSQ(list(levels))
    (v, i), (pv, pi) = fsq(z, levels), peer(z)
    return {"peer": f"vector-quantize-pytorch {version('vector-quantize-pytorch')}", "levels": list(levels),
            "vectors": n, "values_max_abs_diff": float((v - pv).abs().max()),
            "indices_equal": bool(torch.equal(i, pi.long())),
            **_timed({"ours": lambda: fsq(z, levels), "vector_quantize_pytorch": lambda: peer(z)}, rounds)}


def bench_rotate_to(n: int = 16384, d: int = 16, seed: int = 0, rounds: int = 30) -> dict:
    """engine.vqvae.quantizers.rotate_to against vector-quantize-pytorch's: values and the gradient to z_e."""
    try:
        from vector_quantize_pytorch.vector_quantize_pytorch import rotate_to as peer_rotate_to
    except ImportError:
        return {"skipped": "vector-quantize-pytorch is not installed (pip install -r requirements-bench.txt)"}
    from engine.vqvae.quantizers import rotate_to

    g = torch.Generator().manual_seed(seed)
    z_e, z_q, up = (torch.randn(n, d, generator=g) for _ in range(3))

    def run_one(fn):
        e = z_e.clone().requires_grad_(True)
        out = fn(e, z_q)
        (out * up).sum().backward()
        return out.detach(), e.grad

    (a, ga), (b, gb) = run_one(rotate_to), run_one(peer_rotate_to)
    return {"peer": f"vector-quantize-pytorch {version('vector-quantize-pytorch')}", "vectors": [n, d],
            "values_max_abs_diff": float((a - b).abs().max()), "grad_max_abs_diff": float((ga - gb).abs().max()),
            "values_max_abs_diff_from_z_q": float((a - z_q).abs().max()),
            **_timed({"ours": lambda: run_one(rotate_to), "vector_quantize_pytorch": lambda: run_one(peer_rotate_to)},
                     rounds)}


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=SHIPPED.steps)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0])
    ap.add_argument("--peers-only", action="store_true", help="skip training the three rules")
    ap.add_argument("--k-sweep", action="store_true", help="codes used and held-out MSE against the codebook size")
    ap.add_argument("--record", action="store_true", help="with --k-sweep: write engine/vqvae/recorded/ksweep.json")
    args = ap.parse_args(argv)
    if args.k_sweep:
        from engine import recorded
        from engine.vqvae.ksweep import RECORDING, ksweep_rows, ksweep_settings

        start = time.perf_counter()
        rows = ksweep_rows(progress=lambda line: print(line, file=sys.stderr, flush=True))
        if args.record:
            recorded.save("vqvae", RECORDING, rows, ksweep_settings(), time.perf_counter() - start)
        print(json.dumps({"device": describe_device().label(), "torch": torch.__version__, "k_sweep": rows}, indent=1))
        return
    out = {"device": describe_device().label(), "torch": torch.__version__,
           "ema_vs_vector_quantize_pytorch": bench_ema_step(), "fsq_vs_vector_quantize_pytorch": bench_fsq(),
           "rotate_to_vs_vector_quantize_pytorch": bench_rotate_to()}
    if not args.peers_only:
        out["rules"] = bench_rules(args.steps, args.seeds)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
