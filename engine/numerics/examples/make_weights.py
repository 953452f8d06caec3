"""Write the bundled example of the numerics page's "yours" view: outlier-weights.safetensors, a synthetic linear
layer saved with `safetensors.torch.save_file` as Hugging Face checkpoints are (bf16 weight, fp32 bias, "pt"
metadata). The weight is N(0, 0.02²), GPT-2's initialisation, with OUTLIER_COLUMNS input features scaled by
OUTLIER_GAIN, the "outlier features" LLM.int8() found in trained transformers: exactly what per-tensor scaling
handles worst. Run `python -m engine.numerics.examples.make_weights`."""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors.torch import save_file

EXAMPLE = Path(__file__).with_name("outlier-weights.safetensors")
SHAPE = (64, 64)  # (out_features, in_features)
OUTLIER_COLUMNS = (5, 40)
OUTLIER_GAIN = 40.0
SEED = 0


def weights() -> dict[str, torch.Tensor]:
    """The example layer's tensors: `proj.weight` (bf16, with outlier columns) and `proj.bias` (fp32)."""
    g = torch.Generator().manual_seed(SEED)
    w = torch.randn(SHAPE, generator=g) * 0.02
    w[:, list(OUTLIER_COLUMNS)] *= OUTLIER_GAIN
    b = torch.randn(SHAPE[0], generator=g) * 0.01
    return {"proj.weight": w.to(torch.bfloat16), "proj.bias": b}


def main() -> None:
    """Write the example file and say what it holds."""
    t = weights()
    save_file(t, EXAMPLE, metadata={"format": "pt", "source": "Glassbox example (synthetic, make_weights.py)"})
    print(f"{EXAMPLE}: {EXAMPLE.stat().st_size:,} bytes; " + ", ".join(
        f"{k} {tuple(v.shape)} {v.dtype}" for k, v in t.items()))


if __name__ == "__main__":
    main()
