"""engine/ is a library: it must never import streamlit, directly or through what it imports."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.helpers import ROOT

ENGINE_MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for p in (ROOT / "engine").rglob("*.py")
)


def test_no_engine_file_imports_streamlit() -> None:
    for path in (ROOT / "engine").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "streamlit" for n in names), f"{path} imports streamlit"


def test_importing_every_engine_module_loads_no_streamlit() -> None:
    assert "engine.device" in ENGINE_MODULES
    code = (
        "import importlib, sys\n"
        f"for m in {ENGINE_MODULES!r}:\n"
        "    if not m.endswith('.bench'):\n"
        "        importlib.import_module(m)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_page_calls_ensure_navigation_first() -> None:
    """Each page's first statement after its imports leaves Streamlit's legacy pages/ mode (see ui.chrome)."""
    for path in sorted((ROOT / "pages").glob("*.py")):
        body = [n for n in ast.parse(path.read_text(encoding="utf-8")).body
                if not isinstance(n, ast.Import | ast.ImportFrom) and not (isinstance(n, ast.Expr)
                                                                          and isinstance(n.value, ast.Constant))]
        first = body[0]
        assert isinstance(first, ast.Expr) and getattr(first.value.func, "id", None) == "ensure_navigation", path.name
