"""Results a benchmark measured once on a named machine, shipped with the app for an instant first view.

A sweep that takes minutes on a 2-core server should not make a presenter wait: `python -m
engine.<topic>.bench --record` measures it, and `save` writes the rows with the date, the machine and the
exact command to `engine/<topic>/recorded/<name>.json`. Pages show that result, captioned with where and
when it was measured, and let the visitor measure again live. Nothing here is ever hand-edited.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Recorded:
    """A shipped measurement: its rows, when (UTC date) and where (machine) it was taken, and the command."""

    rows: list[dict[str, Any]]
    date: str
    machine: dict[str, Any]  # cpu (its model name), cores, torch, gpu (a name, or None)
    command: str
    settings: dict[str, Any]
    seconds: float


def machine() -> dict[str, Any]:
    """This machine: the CPU's model name, its cores, torch's version, and the GPU's name when there is one
    (plain data, so that a page can say it in any language)."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else None
    return {"cpu": cpu, "cores": os.cpu_count(), "torch": torch.__version__, "gpu": gpu}


def path(topic: str, name: str) -> Path:
    """Where the recording `name` of `topic` lives."""
    return ROOT / topic / "recorded" / f"{name}.json"


def save(topic: str, name: str, rows: list[dict[str, Any]], settings: dict[str, Any], seconds: float) -> Path:
    """Write a recording of `rows` measured just now with `settings` (taking `seconds` in all)."""
    out = path(topic, name)
    out.parent.mkdir(exist_ok=True)
    data = {"date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d"), "machine": machine(),
            "command": "python -m " + " ".join([f"engine.{topic}.bench", *sys.argv[1:]]),
            "settings": settings, "seconds": round(seconds, 1), "rows": rows}
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def load(topic: str, name: str) -> Recorded | None:
    """The recording `name` of `topic`, or None when none was shipped."""
    p = path(topic, name)
    if not p.exists():
        return None
    d = json.loads(p.read_text(encoding="utf-8"))
    return Recorded(d["rows"], d["date"], d["machine"], d["command"], d.get("settings", {}), d.get("seconds", 0.0))


def matching(topic: str, names: list[str] | tuple[str, ...], settings: dict[str, Any]) -> Recorded | None:
    """The first of `topic`'s recordings `names` that was measured with exactly `settings`, or None: a recording
    stands in for a live run only of the problem it measured."""
    for name in names:
        rec = load(topic, name)
        if rec is not None and rec.settings == settings:
            return rec
    return None
