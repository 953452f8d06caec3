"""Pick the compute device (CUDA when present, else CPU) and describe it for the app's badge."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class DeviceInfo:
    """What runs the engines: kind ("cuda" or "cpu"), a human name, memory and threads."""

    kind: str
    name: str
    memory_bytes: int | None
    threads: int
    torch_version: str

    def label(self) -> str:
        """One short line, e.g. 'NVIDIA H200 · 139.8 GiB' or 'CPU · 2 threads'."""
        if self.kind == "cuda" and self.memory_bytes:
            return f"{self.name} · {self.memory_bytes / 2**30:.1f} GiB"
        return f"{self.name} · {self.threads} threads"


def pick_device(prefer: str | None = None) -> torch.device:
    """Return CUDA when available (unless `prefer` is "cpu"), else the CPU."""
    if prefer == "cpu" or not torch.cuda.is_available():
        return torch.device("cpu")
    return torch.device("cuda")


def describe_device(device: torch.device | None = None) -> DeviceInfo:
    """Describe `device` (default: the one `pick_device` chooses)."""
    device = device or pick_device()
    threads = torch.get_num_threads()
    if device.type == "cuda":
        props = torch.cuda.get_device_properties(device)
        return DeviceInfo("cuda", props.name, int(props.total_memory), threads, torch.__version__)
    return DeviceInfo("cpu", "CPU", None, threads, torch.__version__)
