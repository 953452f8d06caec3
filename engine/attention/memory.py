"""Peak memory of one call, above what existed before it (the inputs): CUDA's allocator counters, or
on the CPU the running sum of allocator events recorded by torch.profiler with profile_memory=True.

The CPU figure is exact for PyTorch allocations (it is the allocator's own log), so the textbook
attention measures exactly S + P = 2 × the bytes of S, and it includes the returned output.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch.profiler import ProfilerActivity, profile

# torch.profiler is process-wide: two profiles at once (two visitors measuring on one server) crash the
# process in Kineto, so CPU measurements take turns
_PROFILER = threading.Lock()
_started: list[bool] = []  # the profiler has been started once in this process


def start_profiler() -> None:
    """Start the CPU profiler once in this process (seconds on a busy machine), before any background job forks
    from it: a forked worker (engine.forked) inherits it started, where each child would otherwise pay that start
    again on every job."""
    with _PROFILER:
        if not _started:
            with profile(activities=[ProfilerActivity.CPU], profile_memory=True):
                pass
            _started.append(True)


@dataclass(frozen=True)
class MemoryReport:
    """Peak bytes allocated above the starting point, and how they were measured."""

    peak_bytes: int
    device: str
    method: str

    @property
    def mib(self) -> float:
        """Peak in MiB."""
        return self.peak_bytes / 2**20


def measure_peak(fn: Callable[[], object], device: torch.device | str = "cpu") -> MemoryReport:
    """Run `fn` once and report its peak allocation above the memory in use before it started."""
    device = torch.device(device)
    if device.type == "cuda":
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        base = torch.cuda.memory_allocated(device)
        out = fn()
        torch.cuda.synchronize(device)
        peak = torch.cuda.max_memory_allocated(device) - base
        del out
        return MemoryReport(int(peak), "cuda", "torch.cuda.max_memory_allocated")
    with _PROFILER, profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        out = fn()
    del out
    # kineto_results holds every allocator event, nested ones included (prof.events() keeps only some)
    events = [e for e in prof.profiler.kineto_results.events() if e.name() == "[memory]"]
    events.sort(key=lambda e: e.start_ns())
    running = peak = 0
    for e in events:
        running += e.nbytes()
        peak = max(peak, running)
    return MemoryReport(int(peak), "cpu", "torch.profiler allocator events")
