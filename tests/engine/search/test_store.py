"""Persistence: round trip, an interrupted save, corrupt or foreign directories."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine.search import Doc, Index, IndexFormatError
from engine.search import store as store_module
from tests.engine.search.fixtures import build, results


def test_save_load_round_trip(analyzer, tmp_path: Path) -> None:
    ix = build(analyzer)
    ix.save(tmp_path / "ix")
    back = Index.load(tmp_path / "ix")
    for q in ["索引", "region:上海", '"倒排索引"', "索* -lucene", "bm25"]:
        assert results(back, q) == results(ix, q), q
    assert (back.k1, back.b, len(back)) == (1.5, 0.6, 2)
    back.add(Doc("d4", "新文档 索引"))  # doc numbers continue after a load
    assert {h.doc_id for h in back.search("索引").hits} == {"d1", "d3", "d4"}

def test_interrupted_save_leaves_the_previous_version(analyzer, tmp_path: Path, monkeypatch) -> None:
    ix = build(analyzer)
    ix.save(tmp_path / "ix")
    before = results(Index.load(tmp_path / "ix"), "索引")
    ix.add(Doc("d9", "索引 索引 索引"))
    real_replace = os.replace

    def crash(src, dst):
        if str(dst).endswith("CURRENT"):
            raise OSError("power cut")
        return real_replace(src, dst)

    monkeypatch.setattr(store_module.os, "replace", crash)
    with pytest.raises(OSError):
        ix.save(tmp_path / "ix")
    monkeypatch.undo()
    assert results(Index.load(tmp_path / "ix"), "索引") == before

@pytest.mark.parametrize("damage", ["flip", "truncate", "manifest", "current", "foreign", "version"])
def test_corrupt_or_foreign_directories_raise_index_format_error(analyzer, tmp_path: Path, damage: str) -> None:
    root = tmp_path / "ix"
    build(analyzer).save(root)
    vdir = root / (root / "CURRENT").read_text().split()[0]
    target = next(vdir.rglob("tf.npy.z"))
    if damage == "flip":
        data = bytearray(target.read_bytes())
        data[-1] ^= 0xFF
        target.write_bytes(bytes(data))
    elif damage == "truncate":
        target.write_bytes(target.read_bytes()[:10])
    elif damage == "manifest":
        (vdir / "manifest.json").write_text("{not json")
    elif damage == "current":
        (root / "CURRENT").write_text("v999999")
    elif damage == "foreign":
        root = tmp_path / "other"
        root.mkdir()
        (root / "notes.txt").write_text("hello")
    elif damage == "version":
        m = json.loads((vdir / "manifest.json").read_text())
        m["version"] = 99
        (vdir / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(IndexFormatError):
        Index.load(root)
