"""The API-export page's "yours" section (issue #33): a package's .zip/.whl or .tar.gz, read as data by
engine.apiexport.archive (never imported), its generated public tree, and the diff against another version."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pandas as pd
import streamlit as st

from engine.apiexport import compare, render_tree, scan_files
from engine.apiexport.archive import MAX_MEMBERS, MAX_UNCOMPRESSED, Package, read_archive
from engine.apiexport.examples.make_archives import NEW, OLD
from engine.apiexport.scan import MODES, Tree
from ui import page
from ui.artifacts import bring, read_or_explain, source_caption
from ui.i18n import say
from ui.state import publish

TYPES = ["zip", "whl", "gz", "tgz"]


def files_zip(files: dict[str, str], mode: str) -> bytes:
    """The generated files as a zip a visitor can unpack beside a package: `a/b/__init__.py` per public module
    `a.b` (`__init__.pyi` for stubs), with fixed dates so the same tree always gives the same bytes."""
    buf = io.BytesIO()
    name = "__init__.pyi" if mode == "stub" else "__init__.py"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for module, text in files.items():
            z.writestr(zipfile.ZipInfo("/".join([*module.split("."), name]), (1980, 1, 1, 0, 0, 0)), text)
    return buf.getvalue()


def download_files(T: Callable[..., str], files: dict[str, str], mode: str, key: str) -> None:
    """A download button for `files_zip`."""
    st.download_button(T("files.download", mode=T(f"mode.{mode}")), files_zip(files, mode),
                       f"api_{mode}.zip", "application/zip", key=key)


def decorators_of(text: str) -> set[str]:
    """The decorator names typed, comma or space separated; only identifiers are kept (at most 10)."""
    return {w for w in text.replace(",", " ").split() if w.isidentifier()}


def _tree(pkg: Package, decorators: set[str], root: str) -> Tree:
    return scan_files(sorted(pkg.sources.items()), decorators, root or None)


def example_trees(decorators: frozenset[str] = frozenset({"demo_export"}), root: str = "demo") -> tuple[Tree, Tree]:
    """The two bundled versions' trees (new, old), as the walkthrough quotes them."""
    return (_tree(read_archive(NEW.read_bytes()), set(decorators), root),
            _tree(read_archive(OLD.read_bytes()), set(decorators), root))


def diff_rows(old: Tree, new: Tree) -> list[dict]:
    """One row per public module that differs: names added, removed, and imported from elsewhere."""
    return [{"module": d.module, "added": " ".join(d.extra), "removed": " ".join(d.missing),
             "moved": " ".join(f"{n}: {old[d.module][n]} → {new[d.module][n]}" for n in d.moved)}
            for d in compare(old, new) if not d.equal]


def diff_counts(rows: list[dict]) -> dict[str, int]:
    """Names added, removed and moved over all `diff_rows`, and the modules that differ."""
    def count(col: str) -> int:
        return sum(len(r[col].split()) for r in rows)

    return {"added": count("added"), "removed": count("removed"), "modules": len(rows),
            "moved": sum(r["moved"].count(" → ") for r in rows)}


def view(T: Callable[..., str]) -> None:
    """Two archives (yours, and another version to diff against), the decorators to read, then the tree."""
    st.markdown(T("yours.intro", members=f"{MAX_MEMBERS:,}", mb=MAX_UNCOMPRESSED >> 20))
    c = st.columns(2)
    c[0].text_input(T("yours.decorators"), key="ydeco", help=T("yours.decorators.help"), max_chars=200)
    c[1].text_input(T("yours.root"), key="yroot", help=T("yours.root.help"), max_chars=200)
    publish("ydeco", "yroot")
    decorators = decorators_of(st.session_state["ydeco"])
    root = st.session_state["yroot"].strip()
    if not decorators:
        st.warning(T("yours.no_decorators"))
        return
    if root and not all(p.isidentifier() for p in root.split(".")):
        st.warning(T("yours.bad_root"))
        return
    st.subheader(T("yours.this"))
    b = bring("ax_new", NEW.read_bytes(), NEW.name, TYPES, paste=False)
    source_caption(b)
    pkg = read_or_explain(T, read_archive, b)
    if pkg is None:
        return
    tree = _tree(pkg, decorators, root)
    for p in pkg.problems:
        st.warning(say(p))
    m = st.columns(4)
    m[0].metric(T("yours.members"), f"{pkg.members:,}")
    m[1].metric(T("yours.bytes"), f"{pkg.uncompressed:,}")
    m[2].metric(T("yours.modules"), f"{len(tree):,}")
    m[3].metric(T("yours.names"), f"{sum(len(v) for v in tree.values()):,}")
    st.caption(T("yours.read", sources=f"{len(pkg.sources):,}", skipped=len(pkg.skipped),
                 problems=len(pkg.problems)))
    if not tree:
        st.info(T("yours.empty", decorators=page.md(", ".join(sorted(decorators)))))
        return
    rows = [{T("col.module"): mod, T("col.name"): n, T("col.source"): s}
            for mod, v in tree.items() for n, s in v.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    page.csv_download(T("yours.csv"), rows, "public_tree.csv", key="ax_csv")
    files_view(T, tree)
    st.subheader(T("yours.other"))
    b2 = bring("ax_old", OLD.read_bytes(), OLD.name, TYPES, paste=False)
    source_caption(b2)
    other = read_or_explain(T, read_archive, b2)
    if other is not None:
        diff(T, _tree(other, decorators, root), tree)


def files_view(T: Callable[..., str], tree: Tree) -> None:
    """The generated file of one public module of the visitor's tree: eager, lazy or the .pyi stub."""
    c = st.columns([3, 2])
    mode = c[1].segmented_control(T("mode"), list(MODES), format_func=page.formatter(T, "mode", MODES),
                                  key="ax_mode") or "eager"
    files = render_tree(tree, mode)
    module = c[0].selectbox(T("module"), list(files), key="ax_module")
    st.code(files[module], language="python")
    download_files(T, files, mode, "ax_zip")


def diff(T: Callable[..., str], old: Tree, new: Tree) -> None:
    """What changed in the public API between the other version and this one, module by module."""
    rows = diff_rows(old, new)
    n_old, n_new = (sum(len(v) for v in t.values()) for t in (old, new))
    (st.info if rows else st.success)(T("yours.diff" if rows else "yours.same", old=f"{n_old:,}", new=f"{n_new:,}",
                                        **diff_counts(rows)))
    if rows:
        st.dataframe(pd.DataFrame([{T("col.module"): r["module"], T("col.added"): r["added"],
                                    T("col.removed"): r["removed"], T("col.moved"): r["moved"]} for r in rows]),
                     hide_index=True, width="stretch")
        page.csv_download(T("yours.diff_csv"), rows, "api_diff.csv", key="ax_diff_csv")
