"""A few GPUs' figures for the IO model: shared memory per SM (the "SRAM" a thread block tiles into), HBM bandwidth
and dense 16-bit tensor-core throughput, as their vendor's datasheets and architecture whitepapers state them.

These are the numbers the model is fed, not measurements: a real kernel reaches some fraction of each.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gpu:
    """One GPU's figures: SRAM per SM (KiB), HBM bandwidth (GB/s) and dense bf16/fp16 tensor TFLOP/s."""

    name: str
    sram_kib: int
    hbm_gbps: float
    tflops: float

    @property
    def ridge(self) -> float:
        """FLOPs per HBM byte above which a kernel is compute-bound rather than memory-bound (the roofline's knee)."""
        return self.tflops * 1e12 / (self.hbm_gbps * 1e9)


GPUS = {g.name: g for g in (
    Gpu("A100-SXM-80GB", 164, 2039, 312),  # Ampere whitepaper: up to 164 KB shared memory per SM
    Gpu("H100-SXM", 228, 3352, 989),  # Hopper whitepaper: up to 228 KB shared memory per SM
    Gpu("H200-SXM", 228, 4800, 989),
    Gpu("RTX-4090", 100, 1008, 165),  # Ada whitepaper: 100 KB shared memory per SM; fp16 with fp32 accumulate
)}
