"""The layers of ARCHITECTURE.md: engine/ is a library that never imports streamlit, directly or through what it
imports; neither engine/ nor ui/ has an import cycle; pages are thin, import no bench, and each topic's ui/<slug>/
package serves its own page; pages share no new key names."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT
from ui.registry import TOPICS

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


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside functions alike (relative imports resolved)."""
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return found


def _engine_imports(top: str = "engine") -> dict[str, set[str]]:
    """Every module of package `top` -> the modules of `top` it imports, at the top or inside functions alike."""
    graph: dict[str, set[str]] = {}
    for path in (ROOT / top).rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        graph[name] = {d for d in _imports(path) if d.split(".")[0] == top and d != name}
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


PAGE_LINES = 200  # ARCHITECTURE.md: a page file keeps its anatomy; its views live in ui/<slug>/
SLUGS = [t.slug for t in TOPICS]
# Key names more than one page binds. Each is the page's own all the same: ui.state.arrive starts every control
# afresh on arrival from another page (tests/test_page_state.py; tests/e2e/test_page_pairs.py walks every pair of
# pages). The list is closed: a new key shared by two pages fails the test below, so a new name is chosen instead.
SHARED_KEYS = {"view", "k", "n", "dtype", "seed", "steps", "mode", "method", "rule", "tstep", "yours"}


def _app_files() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]


def test_pages_are_thin() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in sorted((ROOT / "pages").glob("*.py"))}
    assert len(sizes) == len(TOPICS) + 1
    assert all(n <= PAGE_LINES for n in sizes.values()), {p: n for p, n in sizes.items() if n > PAGE_LINES}


def _bench_imports(files: list[Path]) -> dict[str, set[str]]:
    return {str(p.relative_to(ROOT)): found for p in files
            if (found := {m for m in _imports(p) if m.startswith("engine.") and "bench" in m.split(".")})}


def test_nothing_in_the_app_imports_a_bench() -> None:
    """A bench is a command (`python -m engine.<topic>.bench`): what a page needs lives in the engine proper."""
    assert _bench_imports(_app_files()) == {}
    assert _bench_imports([ROOT / "tests/engine/numerics/test_bench.py"])  # and it sees one where there is one


def test_a_topic_package_serves_its_own_page_only() -> None:
    """ui/<slug>/ is one page's code: only pages/<slug>.py and its own package import it; shared ui/ never does."""
    wrong = []
    for path in _app_files():
        rel = path.relative_to(ROOT)
        own = rel.parts[1] if rel.parts[0] == "ui" and len(rel.parts) > 2 else \
            next((t.slug for t in TOPICS if t.path == str(rel)), None)
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "ui" and len(parts) > 1 and parts[1] in SLUGS and parts[1] != own:
                wrong.append(f"{rel} imports {module}")
    assert wrong == []
    assert all((ROOT / "ui" / slug / "__init__.py").exists() for slug in SLUGS)


def _bound_keys(slug: str, files: list[Path]) -> set[str]:
    """The keys a page binds, read from its sources: (key, default, parse) rows of its PARAMS lists and of
    bind_all calls, the first argument of bind calls, and every key= of a widget."""
    keys: set[str] = set()

    def rows(node: ast.AST) -> None:
        if isinstance(node, ast.List):
            keys.update(e.elts[0].value for e in node.elts
                        if isinstance(e, ast.Tuple) and e.elts and isinstance(e.elts[0], ast.Constant))

    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "").endswith("PARAMS") for t in node.targets):
                rows(node.value)
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
                if name == "bind" and node.args and isinstance(node.args[0], ast.Constant):
                    keys.add(node.args[0].value)
                if name == "bind_all" and node.args:
                    rows(node.args[0])
                keys.update(k.value.value for k in node.keywords if k.arg == "key"
                            and isinstance(k.value, ast.Constant) and isinstance(k.value.value, str))
    return keys


def test_no_new_key_is_shared_between_pages() -> None:
    per_page = {t.slug: _bound_keys(t.slug, [ROOT / t.path, *sorted((ROOT / "ui" / t.slug).rglob("*.py"))])
                for t in TOPICS}
    assert all(len(keys) > 3 for keys in per_page.values()), per_page  # the reader finds each page's keys
    shared = {k for k in set().union(*per_page.values()) if sum(k in keys for keys in per_page.values()) > 1}
    assert shared <= SHARED_KEYS, {k: [s for s, keys in per_page.items() if k in keys] for k in shared - SHARED_KEYS}
    # the reader sees a key shared by a new page
    assert "fmt" in _bound_keys("numerics", sorted((ROOT / "ui" / "numerics").rglob("*.py")))


def _browser_marks(source: str) -> list[str]:
    """The browser-test markers (`pytest.mark.e2e`, `pytest.mark.budget`) a test module's source uses."""
    return [n.attr for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Attribute) and n.attr in ("e2e", "budget")
            and isinstance(n.value, ast.Attribute) and n.value.attr == "mark"]


def test_every_browser_test_lives_in_the_e2e_folder() -> None:
    """dev.py's browser phases collect only tests/e2e (dev.E2E_DIR): a browser test elsewhere would never run."""
    import dev

    assert _browser_marks("import pytest\npytestmark = [pytest.mark.e2e, pytest.mark.slow]\n") == ["e2e"]  # it can fail
    e2e = ROOT / dev.E2E_DIR
    assert any(_browser_marks(p.read_text(encoding="utf-8")) for p in e2e.glob("test_*.py"))
    elsewhere = [str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("*.py")
                 if e2e not in p.parents and _browser_marks(p.read_text(encoding="utf-8"))]
    assert elsewhere == [], f"browser tests outside {dev.E2E_DIR}: {elsewhere}"
