"""Two generators of a public API tree from export records, the tree they generate, and a comparison of trees.

- `scan_imports(package, api, root)` imports the package and every submodule and reads the names each symbol
  carries (what TensorFlow's build does with `tf_export` records).
- `scan_source(path, decorators, root)` reads the source with `ast` and never imports it (what an IDE, a
  linter or Keras's `namex` can do): decorator calls such as `@keras_export("keras.layers.Dense")` and
  `demo_export("x").export_constant(__name__, "X")` statements are read as data.
A `Tree` maps each public module to {public name: "defining.module:symbol"}; `render_tree` writes the
generated `__init__.py` files (eager imports, or a lazy `__getattr__`) or the `.pyi` stubs an IDE reads,
`shipped_tree` reads generated files back, and `compare` lists, module by module, what agrees and what does not.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.apiexport.export import CONSTANTS_ATTR, Registry, own_record

Tree = dict[str, dict[str, str]]
V1 = "compat.v1"  # where version-1 names live below the root, as in tf.compat.v1


def _place(tree: defaultdict, root: str | None, version: str, name: str, source: str) -> None:
    """Put `name` (dotted, below `root` when one is given) into its public module."""
    full = ".".join(p for p in (root, V1 if version == "v1" and root else None, name) if p)
    module, _, leaf = full.rpartition(".")
    tree[module or (root or "")][leaf] = source


def scan_imports(package: str, api: str, root: str) -> Tree:
    """Import `package` and all its submodules, and build the tree of `api` from the names recorded on each
    symbol defined there (and the constants its modules list)."""
    pkg = importlib.import_module(package)
    modules = [pkg] + [importlib.import_module(m.name)
                       for m in pkgutil.walk_packages(pkg.__path__, prefix=f"{package}.")]
    tree: defaultdict[str, dict[str, str]] = defaultdict(dict)
    for mod in modules:
        for attr, value in vars(mod).items():
            record = own_record(value) if getattr(value, "__module__", None) == mod.__name__ else {}
            for version, names in record.get(api, {}).items():
                for name in names:
                    _place(tree, root, version, name, f"{mod.__name__}:{attr}")
        for api_name, version, name, attr in getattr(mod, CONSTANTS_ATTR, []):
            if api_name == api:
                _place(tree, root, version, name, f"{mod.__name__}:{attr}")
    return {m: dict(sorted(v.items())) for m, v in sorted(tree.items())}


def tree_of(reg: Registry, root: str) -> Tree:
    """The tree a registry describes (the same one scan_imports finds once every module is imported)."""
    tree: defaultdict[str, dict[str, str]] = defaultdict(dict)
    for e in reg.rows():
        _place(tree, root, e.version, e.name, e.source)
    return {m: dict(sorted(v.items())) for m, v in sorted(tree.items())}


def _strings(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.List | ast.Tuple):
        return [s for e in node.elts for s in _strings(e)]
    return []


def _decorator_names(call: ast.expr, decorators: set[str]) -> dict[str, list[str]] | None:
    """{"v2": [...], "v1": [...]} when `call` is one of `decorators` called with names, else None."""
    if not isinstance(call, ast.Call):
        return None
    f = call.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
    if name not in decorators:
        return None
    v2 = [s for a in call.args for s in _strings(a)]
    v1 = [s for k in call.keywords if k.arg == "v1" for s in _strings(k.value)]
    v2 += [s for k in call.keywords if k.arg == "path" for s in _strings(k.value)]  # keras_export(path=...)
    return {"v2": v2, "v1": v1}


def module_name(path: Path, base: Path) -> str:
    """The dotted module name of the file `path` below the directory `base` (a package's __init__ is the
    package)."""
    parts = list(path.relative_to(base).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def scan_source(path: str | Path, decorators: set[str] | frozenset[str], root: str | None = None,
                base: str | Path | None = None) -> Tree:
    """Read every .py file under `path` with ast, never importing it, and build the tree from the export
    decorators named in `decorators` (and their `.export_constant(__name__, "X")` calls). Module names are
    relative to `base` (default: the directory that holds `path`)."""
    path = Path(path)
    base = Path(base) if base is not None else path.parent

    def files():
        for f in sorted(path.rglob("*.py")):
            try:
                yield module_name(f, base), f.read_text(encoding="utf-8")
            except (UnicodeDecodeError, ValueError):
                continue  # a file no Python would import declares nothing either

    return scan_files(files(), decorators, root)


def scan_files(files: Iterable[tuple[str, str]], decorators: set[str] | frozenset[str],
               root: str | None = None) -> Tree:
    """The tree declared by (module name, source text) pairs, read with ast and never run: what `scan_source`
    does for a folder and `scan_archive` for an uploaded archive."""
    tree: defaultdict[str, dict[str, str]] = defaultdict(dict)
    decorators = set(decorators)
    for mod, text in files:
        if not any(d in text for d in decorators):
            continue  # no decorator named: nothing to parse (most of a large package's files)
        try:
            body = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # a file no Python would import declares nothing either
        for node in _statements(body.body):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                for d in node.decorator_list:
                    names = _decorator_names(d, decorators)
                    for version, given in (names or {}).items():
                        for name in given:
                            _place(tree, root, version, name, f"{mod}:{node.name}")
            elif isinstance(node, ast.Expr | ast.Assign) and isinstance(node.value, ast.Call):
                call = node.value
                if isinstance(call.func, ast.Attribute) and call.func.attr == "export_constant" \
                        and len(call.args) == 2:
                    names = _decorator_names(call.func.value, decorators)
                    attr = _strings(call.args[1])
                    for version, given in (names or {}).items():
                        for name in given:
                            if attr:
                                _place(tree, root, version, name, f"{mod}:{attr[0]}")
    return {m: dict(sorted(v.items())) for m, v in sorted(tree.items())}


def _statements(body: list[ast.stmt]):
    """Every statement in `body` and in the blocks nested in it (class and function bodies, if, try, with,
    loops): decorators and export_constant calls are statements, so the expressions need no visit."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(node, field, []) or [])
        for handler in getattr(node, "handlers", []) or []:
            yield from _statements(handler.body)
        for case in getattr(node, "cases", []) or []:
            yield from _statements(case.body)


def all_modules(tree: Tree) -> list[str]:
    """Every public module the tree needs: its own and each one's parents."""
    out = set()
    for m in tree:
        parts = m.split(".")
        out.update(".".join(parts[:i]) for i in range(1, len(parts) + 1))
    return sorted(out)


MODES = ("eager", "lazy", "stub")


def render_tree(tree: Tree, mode: str = "eager") -> dict[str, str]:
    """The generated file of every public module. "eager": an `__init__.py` importing each child module and each
    exported symbol `as` its public name. "lazy": a table read by a module `__getattr__` instead, so importing the
    package imports nothing else until a name is first used. "stub": the `__init__.pyi` an IDE or type checker
    reads beside a lazy module: the same imports in the re-export form (`import X as X`) and `__all__`, never run."""
    if mode not in MODES:
        raise ValueError(f"mode is one of {MODES}, not {mode!r}")
    out = {}
    mods = all_modules(tree)
    for m in mods:
        children = sorted(c.rpartition(".")[2] for c in mods if c.rpartition(".")[0] == m)
        names = tree.get(m, {})
        head = ['"""Generated from the export records by engine.apiexport. Do not edit."""', ""]
        imports = [f"from {m} import {c} as {c}" for c in children]
        imports += [f"from {src.split(':')[0]} import {src.split(':')[1]} as {n}" for n, src in names.items()]
        if mode == "lazy":
            table = {n: tuple(src.split(":")) for n, src in names.items()}
            table |= {c: (f"{m}.{c}", "") for c in children}
            lines = [*head, "import importlib", "", "_LAZY = {"]
            lines += [f"    {n!r}: {t!r}," for n, t in sorted(table.items())]
            lines += ["}", "", "", "def __getattr__(name):", "    module, attr = _LAZY[name]",
                      "    value = importlib.import_module(module)",
                      "    return getattr(value, attr) if attr else value", "", "", "def __dir__():",
                      "    return sorted(_LAZY)"]
        elif mode == "stub":
            public = sorted({*children, *names})
            lines = [*head, *imports, "", "__all__ = [", *(f"    {n!r}," for n in public), "]"]
        else:
            lines = head + imports
        out[m] = "\n".join(lines) + "\n"
    return out


def shipped_tree(package_dir: str | Path, skip: tuple[str, ...] = ("src",)) -> Tree:
    """Read generated `__init__.py` files back into a tree: each `from M import S as N` is a symbol entry
    unless M.S is itself one of the public modules (then it is the parent importing a child). Top-level
    folders in `skip` (the implementation) are not read."""
    package_dir = Path(package_dir)
    files = [f for f in package_dir.rglob("__init__.py")
             if not (len(f.relative_to(package_dir).parts) > 1 and f.relative_to(package_dir).parts[0] in skip)]
    modules = {module_name(f, package_dir.parent) for f in files}
    tree: Tree = {}
    for f in sorted(files):
        mod = module_name(f, package_dir.parent)
        entries = {}
        for node in ast.parse(f.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    if f"{node.module}.{a.name}" not in modules:
                        entries[a.asname or a.name] = f"{node.module}:{a.name}"
        if entries:
            tree[mod] = dict(sorted(entries.items()))
    return tree


@dataclass(frozen=True)
class ModuleDiff:
    """One public module: how many names were expected, how many the regenerated tree has with the same
    source, and the differences."""

    module: str
    expected: int
    found: int  # present with the same source
    missing: list[str]  # expected, not regenerated
    extra: list[str]  # regenerated, not expected
    moved: list[str]  # both, but imported from different places

    @property
    def equal(self) -> bool:
        """Whether the module agrees name for name and source for source."""
        return not (self.missing or self.extra or self.moved)


def compare(expected: Tree, regenerated: Tree) -> list[ModuleDiff]:
    """Module by module, `regenerated` against `expected` (e.g. what a package ships)."""
    rows = []
    for m in sorted(set(expected) | set(regenerated)):
        want, got = expected.get(m, {}), regenerated.get(m, {})
        same = [n for n in want if got.get(n) == want[n]]
        rows.append(ModuleDiff(m, len(want), len(same), sorted(set(want) - set(got)), sorted(set(got) - set(want)),
                               sorted(n for n in set(want) & set(got) if want[n] != got[n])))
    return rows
