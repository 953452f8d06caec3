"""Saves that survive each other and loads that trust nothing: concurrent writers and readers, folders that are
not ours, and hand-built index folders (each re-hashed consistently, so only validation can catch them)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import time
from pathlib import Path

import pytest

from engine.search import Doc, Index, IndexFormatError
from engine.search.analyzer import Analyzer
from tests.engine.search.fixtures import build


def _current(root: Path) -> Path:
    return root / (root / "CURRENT").read_text().split()[0]


def _rehash(root: Path, edit=None) -> None:
    """Re-sign a tampered version the way save would: every file's sha256 in the manifest, its own in CURRENT."""
    vdir = _current(root)
    m = json.loads((vdir / "manifest.json").read_text())
    if edit:
        edit(m, vdir)
    m["files"] = {k: hashlib.sha256((vdir / k).read_bytes()).hexdigest() for k in m["files"]
                  if (vdir / k).exists() or (vdir / k).is_symlink()} | {
        k: v for k, v in m["files"].items() if not (vdir / k).exists()}
    body = json.dumps(m).encode()
    (vdir / "manifest.json").write_bytes(body)
    (root / "CURRENT").write_text(f"{vdir.name} {hashlib.sha256(body).hexdigest()}\n")


@pytest.fixture
def saved(analyzer, tmp_path: Path) -> Path:
    root = tmp_path / "ix"
    build(analyzer).save(root)
    return root


def test_a_flipped_bit_in_the_manifest_is_caught(saved: Path) -> None:
    man = _current(saved) / "manifest.json"
    text = man.read_text()
    i = text.index('"b": ') + len('"b": 0.')  # a digit of b: still valid JSON, still in range
    man.write_text(text[:i] + ("1" if text[i] != "1" else "2") + text[i + 1:])  # not re-hashed: CURRENT has the sum
    with pytest.raises(IndexFormatError, match="checksum"):
        Index.load(saved)


@pytest.mark.parametrize("edit", [
    lambda m, v: m.update(k1=float("nan")), lambda m, v: m.update(b=1.5), lambda m, v: m.update(next_docnum=-1),
    lambda m, v: m["segments"].pop(), lambda m, v: m["files"].update({"../escape.txt": "0" * 64}),
    lambda m, v: m["files"].update({"/etc/passwd": "0" * 64}), lambda m, v: m.update(segments=["../seg000000"]),
    lambda m, v: m.update(analyzer=[[[[[]]]]] * 3),
], ids=["nan-k1", "b-range", "next-negative", "segment-dropped", "dotdot", "absolute", "segment-path", "analyzer"])
def test_a_consistently_rehashed_but_invalid_manifest_is_refused(saved: Path, edit) -> None:
    _rehash(saved, edit)
    with pytest.raises(IndexFormatError):
        Index.load(saved)


def test_a_deeply_nested_manifest_is_a_format_error_not_a_recursion_error(saved: Path) -> None:
    vdir = _current(saved)
    body = ("[" * 100_000 + "]" * 100_000).encode()
    (vdir / "manifest.json").write_bytes(body)
    (saved / "CURRENT").write_text(f"{vdir.name} {hashlib.sha256(body).hexdigest()}\n")
    with pytest.raises(IndexFormatError):
        Index.load(saved)


def test_duplicate_ids_in_the_document_store_are_refused(saved: Path) -> None:
    docs = _current(saved) / "docs.jsonl"
    lines = docs.read_text().splitlines()
    first = json.loads(lines[0])
    second = json.loads(lines[1]) | {"id": first["id"]}
    docs.write_text("\n".join([lines[0], json.dumps(second, ensure_ascii=False), *lines[2:]]) + "\n")
    _rehash(saved)
    with pytest.raises(IndexFormatError, match="repeats"):
        Index.load(saved)


@pytest.mark.parametrize("kind", ["symlink-file", "symlink-zero", "fifo-current", "current-dotdot", "extra-file"])
def test_links_special_files_and_strays_are_refused_quickly(saved: Path, kind: str) -> None:
    vdir = _current(saved)
    if kind == "symlink-file":
        target = vdir / "docs.jsonl"
        target.unlink()
        target.symlink_to("/etc/passwd")
    elif kind == "symlink-zero":
        (vdir / "manifest.json").unlink()
        (vdir / "manifest.json").symlink_to("/dev/zero")
    elif kind == "fifo-current":
        (saved / "CURRENT").unlink()
        os.mkfifo(saved / "CURRENT")
    elif kind == "current-dotdot":
        (saved / "CURRENT").write_text("../v000001 " + "0" * 64)
    else:
        (vdir / "unlisted.bin").write_bytes(b"x")
    t = time.perf_counter()
    with pytest.raises(IndexFormatError):
        Index.load(saved)
    assert time.perf_counter() - t < 5  # a FIFO or /dev/zero must not hang or eat memory


def test_save_refuses_a_folder_that_is_not_an_index_and_cleans_its_own_leftovers(analyzer, tmp_path: Path) -> None:
    other = tmp_path / "mine"
    other.mkdir()
    (other / "v1_notes").mkdir()  # a user's own folder that the old save would have deleted
    (other / "CURRENT").write_text("my own file")
    with pytest.raises(IndexFormatError, match="not a Glassbox index"):
        build(analyzer).save(other)
    assert (other / "v1_notes").is_dir() and (other / "CURRENT").read_text() == "my own file"
    root = tmp_path / "ix"
    ix = build(analyzer)
    ix.save(root)
    (root / ".tmp-v000009-99999").mkdir()  # what a save killed mid-way leaves
    ix.save(root)
    ix.save(root)
    assert not list(root.glob(".tmp-*"))
    assert sorted(p.name for p in root.glob("v*")) == ["v000002", "v000003"]  # current and previous


def _saver(path: str, seed: int, until: float) -> None:
    an = Analyzer("search")
    ix = Index(an)
    ix.add_many([Doc(f"{seed}-{i}", f"倒排索引 第{i}篇 写者{seed}") for i in range(30)])
    while time.time() < until:
        ix.update(Doc(f"{seed}-0", f"倒排索引 更新于 {time.time()}"))
        ix.save(path)


def _loader(path: str, until: float, out) -> None:
    failures = loads = 0
    while time.time() < until:
        try:
            Index.load(path)
            loads += 1
        except IndexFormatError:
            failures += 1
    out.put((loads, failures))


@pytest.mark.slow
def test_two_saving_processes_and_a_loading_one_leave_a_loadable_index(analyzer, tmp_path: Path) -> None:
    root = tmp_path / "shared"
    build(analyzer).save(root)
    ctx = mp.get_context("fork")
    until, out = time.time() + 6.0, ctx.Queue()
    procs = [ctx.Process(target=_saver, args=(str(root), s, until)) for s in (1, 2)]
    procs.append(ctx.Process(target=_loader, args=(str(root), until, out)))
    for p in procs:
        p.start()
    try:
        loads, failures = out.get(timeout=60)
    finally:
        for p in procs:
            p.join(30)
            if p.is_alive():  # never leave an orphan behind a failed test
                p.kill()
                p.join()
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    assert loads > 0 and failures == 0
    assert len(Index.load(root)) == 30 and not list(root.glob(".tmp-*"))
