"""Save and load an Index: a versioned directory of JSON, roaring's portable bitmaps and numpy arrays.

    index/CURRENT            the name of the complete version, e.g. "v000004"
    index/v000004/manifest.json   format, version, analyzer, BM25 parameters, sha256 of every file
    index/v000004/docs.jsonl      the document store: live documents (id, title, text, fields, doc number)
    index/v000004/doclen.npy.z    doc numbers and token counts of live documents
    index/v000004/seg…/terms.json, bitmaps.bin.z (+ bitmap_sizes.npy), tf.npy.z, positions.npy.z, …

Arrays are stored in the smallest unsigned dtype that holds them, positions as gaps within each
posting, and the bigger files deflated with zlib (`.z`): positions gaps and term frequencies are
small numbers, so they shrink several-fold.

A save takes the folder's lock (`.lock`, flock: two processes saving to one path take turns), writes a
new version directory, syncs it, then swaps CURRENT (the version's name and the manifest's sha256) with an
atomic rename, so an interrupted save leaves the previous version loadable. It keeps the previous version
too, so a reader that read CURRENT just before the swap still finds its files (and a reader that lost the
race retries on the new CURRENT), and removes older versions and the temporary folders of interrupted
saves. It refuses a folder that holds anything but an index.

Loading trusts nothing: CURRENT, the manifest (its own checksum is in CURRENT) and every file are checked
(plain files inside the version folder only: no absolute paths, no `..`, no symlinks or special files,
sizes bounded before reading), every field is validated (types, ranges, finite values, unique ids,
segments that cover exactly the live documents), and every failure is an IndexFormatError. Nothing is
pickled: numpy arrays load with allow_pickle=False.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import math
import os
import re
import shutil
import stat
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from pyroaring import BitMap, FrozenBitMap

from engine.search.analyzer import Analyzer
from engine.search.segment import Segment
from engine.search.snapshot import Doc, DocTable, IdMap, IdOrder, Snapshot, keyword, reader

FORMAT, VERSION = "glassbox-search-index", 2
_VERSION_NAME = re.compile(r"^v\d{6}$")
_SEGMENT_NAME = re.compile(r"^seg\d{1,12}$")
_FILE_NAME = re.compile(r"^(seg\d{1,12}/)?[a-z_]+(\.[a-z]+){1,2}$")
MAX_MANIFEST_BYTES = 64 << 20
MAX_FILE_BYTES = 4 << 30
LOAD_RETRIES = 5


class IndexFormatError(Exception):
    """The directory is not a loadable index of this format (foreign, truncated, corrupt or too new)."""


def _sha(path: Path) -> str:
    return hashlib.sha256(_read(path)).hexdigest()


def _read(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A plain file's bytes; a symlink, a FIFO, a device or an oversized file is a format error, found before
    reading (a FIFO would block forever, /dev/zero never ends)."""
    try:
        st_ = os.lstat(path)
    except OSError as e:
        raise IndexFormatError(f"{path.name} is missing: {e.strerror}") from None
    if not stat.S_ISREG(st_.st_mode):
        raise IndexFormatError(f"{path.name} is not a plain file (a link, a folder or a special file)")
    if st_.st_size > limit:
        raise IndexFormatError(f"{path.name} is {st_.st_size:,} bytes, more than an index file may be ({limit:,})")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        return fh.read(limit + 1)


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """Hold the folder's save lock (advisory, across processes)."""
    fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _current(root: Path) -> tuple[str, str | None]:
    """(version name, manifest sha256) from CURRENT."""
    parts = _read(root / "CURRENT", 256).decode("ascii", "replace").split()
    if not parts or not _VERSION_NAME.match(parts[0]):
        raise IndexFormatError("CURRENT does not name a version")
    return parts[0], parts[1] if len(parts) > 1 else None


def _ours(root: Path) -> bool:
    """Whether every entry in `root` is one a save writes (so saving there can delete nothing of the user's)."""
    for p in root.iterdir():
        name = p.name
        if name in ("CURRENT", "CURRENT.tmp", ".lock") or name.startswith(".tmp-v"):
            continue
        if _VERSION_NAME.match(name) and not p.is_symlink():
            try:
                if not p.exists() or all(q.name in _VERSION_FILES or _SEGMENT_NAME.match(q.name) for q in p.iterdir()):
                    continue  # a version (perhaps being removed by another save) holding only what a save writes
            except FileNotFoundError:  # removed while we looked
                continue
        return False
    return True


_VERSION_FILES = {"manifest.json", "docs.jsonl", "doclen.npy.z"}


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
    vdir = root / _current(root)[0]
    sizes = {p.relative_to(vdir): p.stat().st_size for p in vdir.rglob("*") if p.is_file()}
    store = sum(v for k, v in sizes.items() if k.name == "docs.jsonl")
    return {"index": sum(sizes.values()) - store, "store": store}


def save(snap: Snapshot, path: str | os.PathLike) -> Path:
    """Write the snapshot `snap` (or an Index's current one) to `path` atomically; returns the version directory."""
    snap = reader(snap)
    root = Path(path)
    if root.is_symlink():
        raise IndexFormatError(f"{root} is a symbolic link: save to the folder itself")
    if root.exists() and not _ours(root):  # before the lock: never create .lock in a folder that is not ours
        raise IndexFormatError(f"{root} holds files that are not a Glassbox index: save into an empty folder")
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root):  # again under the lock: another save may have been removing a version meanwhile
        if not _ours(root):
            raise IndexFormatError(f"{root} holds files that are not a Glassbox index: save into an empty folder")
        return _save_locked(snap, root)


def _save_locked(snap: Snapshot, root: Path) -> Path:
    for stale in root.glob(".tmp-v*"):  # saves are serialised by the lock: any such folder was abandoned
        shutil.rmtree(stale, ignore_errors=True)
    docs = [(n, snap.doc(n)) for n in snap.live]
    next_doc = snap.next_docnum
    try:
        current = _current(root)[0] if (root / "CURRENT").exists() else "v000000"
    except IndexFormatError:
        current = "v000000"
    name = f"v{int(current[1:]) + 1:06d}"
    tmp = root / f".tmp-{name}-{os.getpid()}"
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
    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    _write(tmp / "manifest.json", body)
    final = root / name
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    _write(root / "CURRENT.tmp", f"{name} {hashlib.sha256(body).hexdigest()}\n".encode())
    os.replace(root / "CURRENT.tmp", root / "CURRENT")  # the commit point
    keep = {name, current}  # the previous version stays: a reader may have just read the old CURRENT
    for old in root.iterdir():
        if _VERSION_NAME.match(old.name) and old.name not in keep and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
    return final


def load_snapshot(path: str | os.PathLike) -> Snapshot:
    """Read an index written by `save` as a Snapshot (`Index.load` starts a writer on it); anything else raises
    IndexFormatError. A save that swaps versions meanwhile makes it retry on the new CURRENT."""
    root = Path(path)
    for attempt in range(LOAD_RETRIES):
        current = None
        try:
            if root.is_symlink() or not root.is_dir():
                raise IndexFormatError(f"{root} is not a folder")
            current = _current(root)
            return _load(root, *current)
        except IndexFormatError:
            # a concurrent save may have removed the version this read had found: if CURRENT moved, read again
            try:
                moved = current is not None and attempt < LOAD_RETRIES - 1 and _current(root) != current
            except IndexFormatError:
                moved = False
            if not moved:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")


def _load(root: Path, name: str, digest: str | None) -> Snapshot:
    try:
        vdir = root / name
        if vdir.is_symlink() or not vdir.is_dir():
            raise IndexFormatError(f"{root}: version {name} is missing")
        body = _read(vdir / "manifest.json", MAX_MANIFEST_BYTES)
        if digest is None or hashlib.sha256(body).hexdigest() != digest:
            raise IndexFormatError(f"{root}: the manifest does not match its checksum in CURRENT")
        manifest = json.loads(body)
        _check_manifest(manifest, root)
        listed = set(manifest["files"])
        present = {str(p.relative_to(vdir)) for p in vdir.rglob("*") if not p.is_dir() or p.is_symlink()}
        if present - listed - {"manifest.json"}:
            raise IndexFormatError(f"{root}: files the manifest does not list: {sorted(present - listed)[:3]}")
        for rel, want in manifest["files"].items():
            if _sha(vdir / rel) != want:
                raise IndexFormatError(f"{root}: {rel} does not match its checksum")
        return _build(manifest, vdir)
    except IndexFormatError:
        raise
    except Exception as e:  # any surprise (a deep JSON, a bad array) is still a format error, never a crash
        raise IndexFormatError(f"{root}: cannot read the index: {type(e).__name__}: {e}") from None


def _check_manifest(m: object, root: Path) -> None:
    """Every manifest field has the type and range this code writes."""
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise IndexFormatError(f"{root}: not a {FORMAT} directory")
    if m.get("version") != VERSION:
        raise IndexFormatError(f"{root}: format version {m.get('version')!r}, this code reads {VERSION}")
    k1, b, nxt = m.get("k1"), m.get("b"), m.get("next_docnum")
    if not all(isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x) for x in (k1, b)):
        raise IndexFormatError(f"{root}: k1 and b must be finite numbers")
    if not (0 <= k1 <= 100 and 0 <= b <= 1):
        raise IndexFormatError(f"{root}: BM25 parameters out of range (k1 {k1}, b {b})")
    if not isinstance(nxt, int) or isinstance(nxt, bool) or not 0 <= nxt < 2**31:
        raise IndexFormatError(f"{root}: next_docnum must be an integer in range")
    segs, files = m.get("segments"), m.get("files")
    if not isinstance(segs, list) or not all(isinstance(x, str) and _SEGMENT_NAME.match(x) for x in segs) \
            or len(set(segs)) != len(segs):
        raise IndexFormatError(f"{root}: segment names must be unique seg… names")
    if not isinstance(files, dict) or not all(isinstance(k, str) and _FILE_NAME.match(k) and isinstance(v, str)
                                              and re.fullmatch(r"[0-9a-f]{64}", v) for k, v in files.items()):
        raise IndexFormatError(f"{root}: file names must be plain names inside the version, with sha256 sums")
    needed = {"docs.jsonl", "doclen.npy.z"} | {f"{sg}/{f}" for sg in segs for f in SEGMENT_FILES}
    if needed - set(files):
        raise IndexFormatError(f"{root}: the manifest lacks {sorted(needed - set(files))[:3]}")
    if not isinstance(m.get("analyzer"), dict):
        raise IndexFormatError(f"{root}: the analyzer's settings are missing")


SEGMENT_FILES = ("terms.json", "bitmaps.bin.z", "bitmap_sizes.npy.z", "tf.npy.z", "positions.npy.z", "tombstone.bin",
                 "docnums.bin")


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
    if len(nums) != len(lens) or (len(nums) and (nums.min() < 0 or nums.max() >= next_doc)):
        raise IndexFormatError("document lengths name doc numbers out of range")
    for line in _read(vdir / "docs.jsonl").decode("utf-8").splitlines():
        if not line:
            continue
        r = json.loads(line)
        n = int(r["n"])
        if not 0 <= n < next_doc or docs[n] is not None:
            raise IndexFormatError(f"document number {n} is out of range or repeated")
        if not all(isinstance(r.get(k), str) for k in ("id", "text", "title")) or not isinstance(r["fields"], dict):
            raise IndexFormatError(f"document {n} has fields of the wrong type")
        if ids.get(r["id"]) is not None:
            raise IndexFormatError(f"the document id {r['id']!r} repeats")
        doc = Doc(r["id"], r["text"], r["title"], {str(k): str(v) for k, v in r["fields"].items()})
        docs[n] = doc
        ids.set(doc.id, n)
        live.add(n)
        for fname, value in doc.fields.items():
            keywords.setdefault((fname, keyword(value)), BitMap()).add(n)
    if set(nums.tolist()) != set(live):
        raise IndexFormatError("the stored documents and their lengths disagree")
    segments, tombstones = [], []
    for sname in manifest["segments"]:
        d = vdir / sname
        terms = json.loads(_read(d / "terms.json").decode("utf-8"))
        if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms) or terms != sorted(set(terms)):
            raise IndexFormatError(f"{sname}: the term list is not a sorted list of distinct strings")
        sizes = _unpacked(d / "bitmap_sizes.npy.z", np.int64)
        blob = zlib.decompress(_read(d / "bitmaps.bin.z"))
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
                                BitMap.deserialize(_read(d / "docnums.bin"))))
        tombstones.append(FrozenBitMap(BitMap.deserialize(_read(d / "tombstone.bin"))))
    # every live document in exactly one segment, not deleted there; deleted numbers only within a segment
    covered = BitMap()
    for seg, tomb in zip(segments, tombstones, strict=True):
        if covered & seg.docnums or not tomb <= seg.docnums:
            raise IndexFormatError(f"{seg.name}: its documents overlap another segment's, or its tombstones "
                                   "name documents it does not hold")
        if seg.bitmaps and BitMap.union(*seg.bitmaps) - seg.docnums:
            raise IndexFormatError(f"{seg.name}: a posting list names a document the segment does not hold")
        covered |= seg.docnums - tomb
    if covered != live:
        raise IndexFormatError("the segments do not hold exactly the live documents")
    return Snapshot(tuple(segments), tuple(tombstones), FrozenBitMap(live),
                    {kv: FrozenBitMap(bm) for kv, bm in keywords.items()}, sum_dl, 1, DocTable(own=docs), ids, dl,
                    next_doc, analyzer, k1, b, IdOrder())
