"""The layers of ARCHITECTURE.md: engine/ is a library that never imports streamlit, directly or through what it
imports, and neither engine/ nor ui/ has an import cycle."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

RAISES_ON_IMPORT = {"engine.apiexport.demo_clash"}  # the API-export page's deliberate clash (tested to raise)
ENGINE_MODULES = sorted(
    m for p in (ROOT / "engine").rglob("*.py")
    if (m := ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")) not in RAISES_ON_IMPORT
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


def _engine_imports(top: str = "engine") -> dict[str, set[str]]:
    """Every module of package `top` -> the modules of `top` it imports, at the top or inside functions alike."""
    graph: dict[str, set[str]] = {}
    for path in (ROOT / top).rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # a relative import: resolve it against this module's package
                    base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
                deps.add(base)
                deps.update(f"{base}.{a.name}" for a in node.names)  # `from engine.search import store`
        graph[name] = {d for d in deps if d.split(".")[0] == top and d != name}
    names = set(graph)
    return {m: {d for d in ds if d in names} for m, ds in graph.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among the modules (a package's __init__ counts as a module), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        path.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                return [*path[path.index(d):], d]
            if d not in state and (found := visit(d)):
                return found
        path.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return None


def test_no_import_cycle_inside_the_engine() -> None:
    """engine/ is layered: no module reaches itself through what it imports (function-level imports count).
    A package's __init__ re-exporting its modules is not a cycle: modules import each other, not the package."""
    graph = _engine_imports()
    assert {"engine.search.index", "engine.search.snapshot", "engine.search.searcher"} <= set(graph)
    assert "engine.search.snapshot" in graph["engine.search.index"]  # the walk sees imports
    packages = {m for m in graph if (ROOT / Path(*m.split(".")) / "__init__.py").exists()}
    modules_only = {m: {d for d in ds if d not in packages} for m, ds in graph.items()}
    assert _cycle(modules_only) is None, " -> ".join(_cycle(modules_only))


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_inside_ui() -> None:
    """ui/ is layered too (ARCHITECTURE.md): ui.i18n once imported ui.page inside a function while ui.page
    imported ui.i18n; a function-level import counts, so such a loop fails here."""
    graph = _engine_imports("ui")
    assert "ui.i18n" in graph["ui.page"]  # the walk sees ui's imports
    packages = {m for m in graph if (ROOT / Path(*m.split(".")) / "__init__.py").exists()}
    modules_only = {m: {d for d in ds if d not in packages} for m, ds in graph.items()}
    assert _cycle(modules_only) is None, " -> ".join(_cycle(modules_only))
