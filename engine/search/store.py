"""Save and load an Index: a versioned directory of JSON, roaring's portable bitmaps and numpy arrays.

    index/CURRENT            the name of the complete version, e.g. "v000004"
    index/v000004/manifest.json   format, version, analyzer, BM25 parameters, sha256 of every file
    index/v000004/docs.jsonl      the document store: live documents (id, title, text, fields, doc number)
    index/v000004/doclen.npy.z    doc numbers and token counts of live documents
    index/v000004/seg…/terms.json, bitmaps.bin.z (+ bitmap_sizes.npy), tf.npy.z, positions.npy.z, …

Arrays are stored in the smallest unsigned dtype that holds them, positions as gaps within each
posting, and the bigger files deflated with zlib (`.z`): positions gaps and term frequencies are
small numbers, so they shrink several-fold.

A save writes a new version directory, syncs it, then swaps CURRENT with an atomic rename, so an
interrupted save leaves the previous version loadable. Loading checks every checksum and raises
IndexFormatError for anything foreign, truncated or corrupt. Nothing is pickled: numpy arrays load
with allow_pickle=False.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zlib
from pathlib import Path

import numpy as np
from pyroaring import BitMap, FrozenBitMap

from engine.search.analyzer import Analyzer
from engine.search.segment import Segment
from engine.search.snapshot import Doc, DocTable, IdMap, IdOrder, Snapshot, keyword, reader

FORMAT, VERSION = "glassbox-search-index", 1


class IndexFormatError(Exception):
    """The directory is not a loadable index of this format (foreign, truncated, corrupt or too new)."""


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _packed(arr: np.ndarray) -> bytes:
    """np.save bytes of `arr` in the smallest unsigned dtype that holds it, deflated."""
    arr = np.asarray(arr)
    if arr.size and arr.dtype.kind in "iu" and arr.min() >= 0:
        top = int(arr.max())
        arr = arr.astype(next(t for t in (np.uint8, np.uint16, np.uint32, np.uint64) if top <= np.iinfo(t).max))
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return zlib.compress(buf.getvalue(), 6)


def _unpacked(path: Path, dtype: type) -> np.ndarray:
    return np.load(io.BytesIO(zlib.decompress(path.read_bytes())), allow_pickle=False).astype(dtype)


def position_gaps(positions: np.ndarray, pos_off: np.ndarray) -> np.ndarray:
    """Positions as gaps from the previous position of the same posting (the first one absolute)."""
    gaps = np.diff(positions.astype(np.int64), prepend=0)
    starts = pos_off[:-1][pos_off[:-1] < len(positions)]
    gaps[starts] = positions[starts]
    return gaps


def positions_from_gaps(gaps: np.ndarray, pos_off: np.ndarray) -> np.ndarray:
    """Inverse of `position_gaps`: a running sum that restarts at every posting."""
    total = np.cumsum(gaps, dtype=np.int64)
    starts = pos_off[:-1][pos_off[:-1] < len(gaps)]
    base = np.zeros(len(gaps), dtype=np.int64)
    base[starts] = total[starts] - gaps[starts]
    return (total - np.maximum.accumulate(base)).astype(np.int32)


def index_bytes(path: str | os.PathLike) -> dict[str, int]:
    """On-disk size of the current version: the index proper (postings, dictionary, lengths) and the doc store."""
    root = Path(path)
    vdir = root / (root / "CURRENT").read_text().strip()
    sizes = {p.relative_to(vdir): p.stat().st_size for p in vdir.rglob("*") if p.is_file()}
    store = sum(v for k, v in sizes.items() if k.name == "docs.jsonl")
    return {"index": sum(sizes.values()) - store, "store": store}


def save(snap: Snapshot, path: str | os.PathLike) -> Path:
    """Write the snapshot `snap` (or an Index's current one) to `path` atomically; returns the version directory."""
    snap = reader(snap)
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    docs = [(n, snap.doc(n)) for n in snap.live]
    next_doc = snap.next_docnum
    current = (root / "CURRENT").read_text().strip() if (root / "CURRENT").exists() else "v000000"
    try:
        number = int(current.lstrip("v")) + 1
    except ValueError:
        number = 1
    name = f"v{number:06d}"
    tmp = root / f".tmp-{name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    lines = [json.dumps({"n": n, "id": d.id, "title": d.title, "text": d.text, "fields": dict(d.fields)},
                        ensure_ascii=False) for n, d in docs]
    _write(tmp / "docs.jsonl", ("\n".join(lines) + "\n").encode())
    nums = np.array([n for n, _ in docs], dtype=np.int64)
    _write(tmp / "doclen.npy.z", _packed(np.stack([nums, snap.dl[nums].astype(np.int64)]) if len(nums) else
                                         np.zeros((2, 0), np.int64)))
    for seg, tomb in zip(snap.segments, snap.tombstones, strict=True):
        d = tmp / seg.name
        d.mkdir()
        _write(d / "terms.json", json.dumps(seg.terms, ensure_ascii=False).encode())
        blobs = [bm.serialize() for bm in seg.bitmaps]
        _write(d / "bitmaps.bin.z", zlib.compress(b"".join(blobs), 6))
        _write(d / "bitmap_sizes.npy.z", _packed(np.array([len(b) for b in blobs], dtype=np.int64)))
        _write(d / "tf.npy.z", _packed(seg.tf))
        _write(d / "positions.npy.z", _packed(position_gaps(seg.positions, seg.pos_off)))
        _write(d / "tombstone.bin", BitMap(tomb).serialize())
        _write(d / "docnums.bin", BitMap(seg.docnums).serialize())
    files = {str(p.relative_to(tmp)): _sha(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
    manifest = {"format": FORMAT, "version": VERSION, "analyzer": snap.analyzer.config(), "k1": snap.k1, "b": snap.b,
                "segments": [s.name for s in snap.segments], "next_docnum": next_doc, "files": files}
    _write(tmp / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
    final = root / name
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    _write(root / "CURRENT.tmp", (name + "\n").encode())
    os.replace(root / "CURRENT.tmp", root / "CURRENT")  # the commit point
    for old in root.glob("v[0-9]*"):
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
    return final


def load_snapshot(path: str | os.PathLike) -> Snapshot:
    """Read an index written by `save` as a Snapshot (`Index.load` starts a writer on it); anything else raises
    IndexFormatError."""
    root = Path(path)
    try:
        name = (root / "CURRENT").read_text().strip()
        vdir = root / name
        manifest = json.loads((vdir / "manifest.json").read_text())
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise IndexFormatError(f"{root} is not a Glassbox index (no readable CURRENT/manifest): {e}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise IndexFormatError(f"{root}: not a {FORMAT} directory")
    if manifest.get("version") != VERSION:
        raise IndexFormatError(f"{root}: format version {manifest.get('version')!r}, this code reads {VERSION}")
    try:
        for rel, digest in manifest["files"].items():
            f = vdir / rel
            if ".." in Path(rel).parts or not f.is_file() or _sha(f) != digest:
                raise IndexFormatError(f"{root}: {rel} is missing or does not match its checksum")
        return _build(manifest, vdir)
    except IndexFormatError:
        raise
    except Exception as e:  # any structural surprise in a file whose checksum matched is still a format error
        raise IndexFormatError(f"{root}: cannot read the index: {type(e).__name__}: {e}") from None


def _build(manifest: dict, vdir: Path) -> Snapshot:
    analyzer = Analyzer.from_config(manifest["analyzer"])
    k1, b = float(manifest["k1"]), float(manifest["b"])
    if k1 < 0 or not 0 <= b <= 1:
        raise IndexFormatError("BM25 parameters out of range")
    live, keywords, ids = BitMap(), {}, IdMap()
    next_doc = int(manifest["next_docnum"])
    nums, lens = _unpacked(vdir / "doclen.npy.z", np.int64)
    dl = np.zeros(max(1024, next_doc * 2), dtype=np.int32)
    dl[nums] = lens
    docs: list[Doc | None] = [None] * next_doc  # deleted doc numbers stay empty
    sum_dl = int(lens.sum())
    for line in (vdir / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        if not line:
            continue
        r = json.loads(line)
        n = int(r["n"])
        doc = Doc(r["id"], r["text"], r["title"], dict(r["fields"]))
        docs[n] = doc
        ids.set(doc.id, n)
        live.add(n)
        for fname, value in doc.fields.items():
            keywords.setdefault((fname, keyword(value)), BitMap()).add(n)
    segments, tombstones = [], []
    for sname in manifest["segments"]:
        d = vdir / sname
        terms = json.loads((d / "terms.json").read_text(encoding="utf-8"))
        sizes = _unpacked(d / "bitmap_sizes.npy.z", np.int64)
        blob = zlib.decompress((d / "bitmaps.bin.z").read_bytes())
        offs = np.concatenate([[0], np.cumsum(sizes)])
        bitmaps = [BitMap.deserialize(blob[offs[i]:offs[i + 1]]) for i in range(len(terms))]
        tf = _unpacked(d / "tf.npy.z", np.uint32)
        post_off = np.concatenate([[0], np.cumsum([len(b) for b in bitmaps])]).astype(np.int64)
        pos_off = np.concatenate([[0], np.cumsum(tf, dtype=np.int64)])
        positions = positions_from_gaps(_unpacked(d / "positions.npy.z", np.int64), pos_off)
        if len(terms) != len(sizes) or post_off[-1] != len(tf) or pos_off[-1] != len(positions) or tf.min(
                initial=1) < 1:
            raise IndexFormatError(f"{sname}: postings, frequencies and positions disagree in length")
        segments.append(Segment(sname, terms, bitmaps, post_off, tf, pos_off, positions,
                                BitMap.deserialize((d / "docnums.bin").read_bytes())))
        tombstones.append(FrozenBitMap(BitMap.deserialize((d / "tombstone.bin").read_bytes())))
    return Snapshot(tuple(segments), tuple(tombstones), FrozenBitMap(live),
                    {kv: FrozenBitMap(bm) for kv, bm in keywords.items()}, sum_dl, 1, DocTable(own=docs), ids, dl,
                    next_doc, analyzer, k1, b, IdOrder())
