"""What lazy loading buys, measured: the generated tree written to a temporary folder as eager and as lazy
`__init__.py` files, and `import <root>` timed in a fresh Python process for each, in alternating rounds.

A process starts empty, so each run pays for every module the import pulls in; the count of modules it adds to
`sys.modules` is the figure that load on the machine cannot change, the time the one it can (so it is given as
the median of the rounds with their range). A second count says what the first use of one name costs a lazy
tree: only that name's implementation module and what it imports.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from engine.apiexport.scan import Tree, render_tree

PROBE = """
import json, sys, time
before = set(sys.modules)
t = time.perf_counter()
import {root} as api
t_import = time.perf_counter() - t
after_import = len(set(sys.modules) - before)
t = time.perf_counter()
obj = api
for part in {use!r}.split("."):
    obj = getattr(obj, part)
t_use = time.perf_counter() - t
print(json.dumps({{"import_s": t_import, "modules": after_import, "use_s": t_use,
                  "modules_after_use": len(set(sys.modules) - before)}}))
"""


def write_tree(tree: Tree, mode: str, folder: Path) -> None:
    """The generated files of `tree` as a package under `folder` (one `__init__.py` per public module)."""
    for module, text in render_tree(tree, mode).items():
        d = folder.joinpath(*module.split("."))
        d.mkdir(parents=True, exist_ok=True)
        (d / "__init__.py").write_text(text, encoding="utf-8")


def _probe(folder: Path, root: str, use: str, source_root: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(source_root)]),
           "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run([sys.executable, "-c", PROBE.format(root=root, use=use)], capture_output=True, text=True,
                         env=env, timeout=60, check=True, cwd=folder)
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_cost(tree: Tree, root: str, use: str, source_root: str | Path, rounds: int = 7,
                progress=None) -> list[dict]:
    """`import root` in a fresh process, eager against lazy, `rounds` alternating runs each; then `root.use`
    looked up. One row per mode: import time median/min/max (ms), modules loaded by the import and after the use."""
    samples: dict[str, list[dict]] = {"eager": [], "lazy": []}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {m: Path(tmp) / m for m in samples}
        for m, f in folders.items():
            write_tree(tree, m, f)
        for r in range(rounds):
            order = list(samples) if r % 2 == 0 else list(samples)[::-1]  # neither always goes first
            for m in order:
                samples[m].append(_probe(folders[m], root, use, Path(source_root).resolve()))
                if progress:
                    progress(sum(map(len, samples.values())), 2 * rounds)
    rows = []
    for m, runs in samples.items():
        ms = [1e3 * s["import_s"] for s in runs]
        rows.append({"mode": m, "import_ms": round(statistics.median(ms), 3), "import_ms_min": round(min(ms), 3),
                     "import_ms_max": round(max(ms), 3), "modules": runs[0]["modules"],
                     "modules_after_use": runs[0]["modules_after_use"],
                     "use_ms": round(statistics.median(1e3 * s["use_s"] for s in runs), 3), "rounds": rounds})
    return rows
