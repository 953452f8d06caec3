"""scan_archive (issue #33): a package's .zip or .tar.gz read in memory, never imported; the tree equals what the
folder scan and the import scan give for the same sources; the diff between two versions names each edit; a
wheel member changed after its RECORD was written is reported; hostile archives raise ArtifactError in < 1 s."""

from __future__ import annotations

import functools
import gzip
import io
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest

from engine.apiexport import archive, compare, scan_imports, scan_source
from engine.apiexport.archive import MAX_MEMBERS, MAX_UNCOMPRESSED, read_archive, scan_archive
from engine.apiexport.examples.make_archives import NEW, OLD, sources
from engine.artifacts import ArtifactError

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "engine" / "apiexport" / "demo"
DECO = {"demo_export"}


def _renamed(tree: dict) -> dict:
    return {m: {n: s.replace("engine.apiexport.demo", "demo") for n, s in v.items()} for m, v in tree.items()}


def _zip(members: dict[str, bytes], mode: int | None = 0o100644) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            zi = zipfile.ZipInfo(name)
            zi.compress_type, zi._compresslevel = zipfile.ZIP_DEFLATED, 1
            if mode is not None:
                zi.external_attr = mode << 16
            z.writestr(zi, data)
    return buf.getvalue()


def _tgz(members: list[tarfile.TarInfo | tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=1, mtime=0) as gz, tarfile.open(fileobj=gz, mode="w") as t:
        for m in members:
            if isinstance(m, tarfile.TarInfo):
                t.addfile(m)
            else:
                info = tarfile.TarInfo(m[0])
                info.size = len(m[1])
                t.addfile(info, io.BytesIO(m[1]))
    return buf.getvalue()


def test_the_example_sdist_gives_the_folder_scan_and_the_import_scan_tree():
    tree = scan_archive(OLD.read_bytes(), DECO, root="demo")
    assert tree == _renamed(scan_source(DEMO, DECO, root="demo", base=ROOT))  # the same sources, from a folder
    assert tree == _renamed(scan_imports("engine.apiexport.demo", "demo", "demo"))  # and imported for real
    pkg = read_archive(OLD.read_bytes())
    assert sorted(pkg.sources) == ["demo", "demo._api", "demo.config", "demo.layers", "demo.math_ops"]
    assert not pkg.problems  # an sdist has no RECORD to check
    with tarfile.open(OLD) as t:  # Python's own reader lists the same members and bytes
        assert pkg.members == len(t.getmembers()) and pkg.uncompressed == sum(m.size for m in t.getmembers())


def test_zip_and_tar_of_the_same_sources_give_the_same_tree():
    files = {k: v.encode() for k, v in sources("1.0").items()}
    as_zip = scan_archive(_zip(files), DECO, "demo")
    as_tar = scan_archive(_tgz([(f"demo-1.0/src/{k}", v) for k, v in files.items()]), DECO, "demo")
    assert as_zip == as_tar == scan_archive(OLD.read_bytes(), DECO, "demo")


def test_the_diff_between_the_two_examples_names_each_edit():
    old, new = (scan_archive(p.read_bytes(), DECO, "demo") for p in (OLD, NEW))
    rows = {d.module: d for d in compare(old, new) if not d.equal}
    assert rows["demo"].extra == ["subtract"] and rows["demo.math"].extra == ["subtract"]
    assert rows["demo.math"].missing == ["relu"] and rows["demo.activations"].extra == ["relu"]
    assert rows["demo.compat.v1"].missing == ["mul"]
    assert rows["demo.math"].moved == ["reduce_sum"] and new["demo.math"]["reduce_sum"] == "demo.reductions:reduce_sum"
    assert set(rows) == {"demo", "demo.math", "demo.activations", "demo.compat.v1", "demo.compat.v1.math"}


def test_a_wheel_member_changed_after_its_record_is_reported():
    assert not read_archive(NEW.read_bytes()).problems
    with zipfile.ZipFile(NEW) as z:
        files = {n: z.read(n) for n in z.namelist()}
    files["demo/config.py"] = files["demo/config.py"].replace(b'VERSION = "1.0"', b'VERSION = "1.2"')  # one number
    problems = read_archive(_zip(files)).problems
    assert [(p.code, p.params["member"]) for p in problems] == [("apiexport.record_hash", "demo/config.py")]
    files["demo/extra.py"] = b"x = 1\n"
    del files["demo/_api.py"]
    codes = sorted(p.code for p in read_archive(_zip(files)).problems)
    assert codes == ["apiexport.record_hash", "apiexport.record_missing", "apiexport.record_unlisted"]


def _declares(data: bytes, size: int) -> bytes:
    """A one-member zip whose local and central headers declare `size` bytes uncompressed (the data stays small)."""
    out = bytearray(data)
    for sig, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = out.index(sig) + at
        out[i:i + 4] = size.to_bytes(4, "little")
    return bytes(out)


def _tar_declaring(size: int) -> bytes:
    """A .tar.gz whose one header declares `size` bytes, with no data after it."""
    info = tarfile.TarInfo("pkg/zeros.py")
    info.size = size
    return gzip.compress(info.tobuf() + bytes(1024))


def _many_tar(n: int) -> bytes:
    """A .tar.gz of n empty members (one header repeated: tar allows a name twice)."""
    return gzip.compress(tarfile.TarInfo("pkg/m.py").tobuf() * n + bytes(1024))


@functools.cache
def _hostile() -> dict[str, bytes]:
    link = tarfile.TarInfo("pkg/evil.py")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    hard = tarfile.TarInfo("pkg/hard.py")
    hard.type, hard.linkname = tarfile.LNKTYPE, "pkg/__init__.py"
    fifo = tarfile.TarInfo("pkg/fifo")
    fifo.type = tarfile.FIFOTYPE
    return {
        "empty": b"",
        "garbage": bytes(range(256)) * (5 << 12),
        "text": b"def f():\n    pass\n",
        "truncated zip": NEW.read_bytes()[:1500],
        "truncated tar.gz": OLD.read_bytes()[:700],
        "gzip, not tar": gzip.compress(b"not a tar archive" * 100),
        "zip without python": _zip({"README": b"hi"}),
        "zip ..": _zip({"pkg/../../evil.py": b"x"}),
        "zip absolute": _zip({"/etc/evil.py": b"x"}),
        "zip drive": _zip({"C:\\evil.py": b"x"}),
        "tar ..": _tgz([("../evil.py", b"x")]),
        "tar absolute": _tgz([("/tmp/evil.py", b"x")]),
        "zip symlink": _zip({"pkg/link.py": b"/etc/passwd"}, mode=0o120777),
        "tar symlink": _tgz([link]),
        "tar hardlink": _tgz([("pkg/__init__.py", b""), hard]),
        "tar fifo": _tgz([fifo]),
        "zip declares 50 MB + 1": _declares(_zip({"pkg/a.py": b"x = 1\n"}), MAX_UNCOMPRESSED + 1),
        "tar declares 50 MB + 1": _tar_declaring(MAX_UNCOMPRESSED + 1),
        "zip holds more than it declares": _declares(_zip({"pkg/a.py": b"x = 1\n" * 1000}), 60),
        "zip members": _zip({f"pkg/m{i}.py": b"" for i in range(MAX_MEMBERS + 1)}),
        "tar members": _many_tar(MAX_MEMBERS + 1),
    }


HOSTILE = ["empty", "garbage", "text", "truncated zip", "truncated tar.gz", "gzip, not tar", "zip without python",
           "zip ..", "zip absolute", "zip drive", "tar ..", "tar absolute", "zip symlink", "tar symlink",
           "tar hardlink", "tar fifo", "zip declares 50 MB + 1", "tar declares 50 MB + 1",
           "zip holds more than it declares", "zip members", "tar members"]
EXPECTED = {"zip ..": "apiexport.member_path", "tar ..": "apiexport.member_path", "zip drive": "apiexport.member_path",
            "zip absolute": "apiexport.member_path", "tar absolute": "apiexport.member_path",
            "zip symlink": "apiexport.member_link", "tar symlink": "apiexport.member_link",
            "tar hardlink": "apiexport.member_link", "tar fifo": "apiexport.member_link",
            "zip declares 50 MB + 1": "apiexport.uncompressed", "tar declares 50 MB + 1": "apiexport.uncompressed",
            "zip members": "apiexport.members", "tar members": "apiexport.members",
            "zip without python": "apiexport.no_python", "garbage": "apiexport.archive_kind"}


def test_the_hostile_list_is_complete():
    assert sorted(_hostile()) == sorted(HOSTILE)


def _refused_fast(data: bytes) -> ArtifactError:
    before = set(sys.modules)
    t = time.perf_counter()
    with pytest.raises(ArtifactError) as e:
        scan_archive(data, DECO)
    assert time.perf_counter() - t < 1
    # nothing from the archive is imported; the standard library may load a codec lazily (zipfile reads member
    # names as cp437: encodings.cp437 appeared when this test was the first in its worker to read such a name)
    new = set(sys.modules) - before
    assert all(m.split(".")[0] in sys.stdlib_module_names for m in new), new
    return e.value


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_archives_raise_artifact_error_fast(name: str, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may be written anywhere, here included
    e = _refused_fast(_hostile()[name])
    assert not list(tmp_path.iterdir())
    if name in EXPECTED:
        assert e.code == EXPECTED[name], (name, e.code)


def test_bytes_are_counted_as_they_are_decompressed(monkeypatch):
    """Below the declared-size check: a stream that decompresses to more than the limit is stopped while read
    (the limit made small here so that the test stays fast; the real 50 MB ones are in the slow test below)."""
    monkeypatch.setattr(archive, "MAX_UNCOMPRESSED", 1 << 20)
    monkeypatch.setattr(archive, "TAR_SLACK", 1 << 16)
    tail = _tgz([("pkg/a.py", b"x = 1\n")])  # a valid tar, then 2 MB of zero blocks after its end
    padded = gzip.compress(gzip.decompress(tail) + bytes(2 << 20))
    assert _refused_fast(padded).code == "apiexport.uncompressed"
    assert scan_archive(tail, DECO) == {}  # the same archive without the padding reads


@pytest.mark.slow
def test_real_50_mb_bombs():
    zeros = bytes(MAX_UNCOMPRESSED + 1)
    for data in (_zip({"pkg/a.py": b"", "pkg/zeros.py": zeros}), _tgz([("pkg/a.py", b""), ("pkg/zeros.py", zeros)])):
        assert len(data) < 300_000 and _refused_fast(data).code == "apiexport.uncompressed"
