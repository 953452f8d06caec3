"""The two generators agree on the demo package; the generated tree really imports (eagerly and lazily) the very
same objects; scan_source never imports what it reads."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from engine.apiexport import ExportError, compare, render_tree, scan_imports, scan_source, shipped_tree

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "engine" / "apiexport" / "demo"


def _demo_trees():
    return (scan_imports("engine.apiexport.demo", "demo", "demo"),
            scan_source(DEMO, {"demo_export"}, root="demo", base=ROOT))


def test_both_generators_give_the_same_tree():
    by_import, by_source = _demo_trees()
    assert by_import == by_source
    assert by_import["demo.math"]["add"] == "engine.apiexport.demo.math_ops:add"
    assert by_import["demo"]["add"] == by_import["demo.math"]["add"]  # an alias
    assert by_import["demo.compat.v1"]["mul"] == "engine.apiexport.demo.math_ops:multiply"  # a v1-only name
    assert by_import["demo.config"]["DEFAULT_DTYPE"] == "engine.apiexport.demo.config:DEFAULT_DTYPE"
    assert "_helper" not in str(by_import)
    assert all(d.equal for d in compare(by_import, by_source))


def test_the_clash_module_raises_naming_both_symbols():
    sys.modules.pop("engine.apiexport.demo_clash", None)
    with pytest.raises(ExportError) as e:
        importlib.import_module("engine.apiexport.demo_clash")
    assert "engine.apiexport.demo.math_ops:add" in e.value.message
    assert "engine.apiexport.demo_clash:add_saturating" in e.value.message


@pytest.mark.parametrize("lazy", [False, True])
def test_the_generated_tree_imports_the_same_objects(tmp_path, monkeypatch, lazy):
    tree = _demo_trees()[0]
    for module, text in render_tree(tree, "lazy" if lazy else "eager").items():
        folder = tmp_path.joinpath(*module.split("."))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path))
    for m in [m for m in sys.modules if m == "demo" or m.startswith("demo.")]:
        monkeypatch.delitem(sys.modules, m)
    demo = importlib.import_module("demo")
    from engine.apiexport.demo import layers, math_ops

    assert demo.math.add is math_ops.add and demo.add is math_ops.add and demo.nn.Dense is layers.Dense
    assert demo.compat.v1.mul is math_ops.multiply and demo.__version__ == "1.0"
    if not lazy:  # reading the eager files back gives the tree again (the lazy ones hold a table instead)
        assert shipped_tree(tmp_path / "demo", skip=()) == tree


def test_scan_source_never_imports(tmp_path):
    pkg = tmp_path / "trap"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("raise RuntimeError('imported!')\n")
    (pkg / "ops.py").write_text("raise SystemExit('imported!')\n\n@api_export('ops.f', v1=['f'])\ndef f():\n"
                                "    pass\n\napi_export('ops.K').export_constant(__name__, 'K')\n")
    (pkg / "broken.py").write_text("def (:\n")  # not Python: skipped, nothing declared
    tree = scan_source(pkg, {"api_export"}, root="trap")
    assert tree == {"trap.ops": {"K": "trap.ops:K", "f": "trap.ops:f"}, "trap.compat.v1": {"f": "trap.ops:f"}}
    assert "trap" not in sys.modules and "trap.ops" not in sys.modules


def test_compare_lists_each_difference():
    rows = {d.module: d for d in compare({"a": {"x": "m:x", "y": "m:y"}, "b": {"z": "m:z"}},
                                         {"a": {"x": "m:x", "y": "n:y", "w": "m:w"}})}
    assert rows["a"].found == 1 and rows["a"].moved == ["y"] and rows["a"].extra == ["w"]
    assert rows["b"].missing == ["z"] and not rows["b"].equal


def test_decorators_are_found_in_every_kind_of_block(tmp_path):
    """Statements are visited, not every expression: a decorator in a class, an if, a try/except, a with, a
    match and an async def is still found, and an export_constant assigned or not."""
    pkg = tmp_path / "blocks"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "m.py").write_text(
        "class Outer:\n    @x_export('a.Inner')\n    class Inner:\n        pass\n"
        "if True:\n    @x_export('a.f')\n    def f(): pass\n"
        "try:\n    pass\nexcept ImportError:\n    @x_export('a.g')\n    def g(): pass\nelse:\n"
        "    @x_export('a.h')\n    def h(): pass\nfinally:\n    pass\n"
        "with open('x') as fh:\n    @x_export('a.w')\n    async def w(): pass\n"
        "match 1:\n    case 1:\n        @x_export('a.c')\n        def c(): pass\n"
        "K = 1\nx_export('a.K').export_constant(__name__, 'K')\n_ = x_export('a.K2').export_constant(__name__, 'K')\n")
    (pkg / "plain.py").write_text("def f():\n    pass\n")  # no decorator named: never parsed
    tree = scan_source(pkg, {"x_export"})
    assert tree == {"a": {"Inner": "blocks.m:Inner", "K": "blocks.m:K", "K2": "blocks.m:K", "c": "blocks.m:c",
                          "f": "blocks.m:f", "g": "blocks.m:g", "h": "blocks.m:h", "w": "blocks.m:w"}}
