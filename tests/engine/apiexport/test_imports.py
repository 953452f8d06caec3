"""Eager against lazy imports in fresh processes: counts reasoned out by hand for a one-name tree over a stdlib
module (the lazy file's own `import importlib` counted apart, in another fresh process)."""

from __future__ import annotations

import subprocess
import sys

from engine.apiexport.imports import import_cost


def _added_by(statement: str) -> int:
    code = f"import sys; b = set(sys.modules); {statement}; print(len(set(sys.modules) - b))"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def test_a_one_name_tree_loads_exactly_what_each_mode_says(tmp_path):
    tree = {"gbt": {"hls": "colorsys:rgb_to_hls"}}
    rows = {r["mode"]: r for r in import_cost(tree, "gbt", "hls", tmp_path, rounds=1)}
    colorsys, importlib = _added_by("import colorsys"), _added_by("import importlib")
    assert colorsys == 1  # a leaf module of the standard library
    # eager: the package and colorsys at import; lazy: the package and what `import importlib` brings, then
    # colorsys at the first use of the name
    assert (rows["eager"]["modules"], rows["eager"]["modules_after_use"]) == (1 + colorsys, 1 + colorsys)
    assert (rows["lazy"]["modules"], rows["lazy"]["modules_after_use"]) == (1 + importlib, 1 + importlib + colorsys)
