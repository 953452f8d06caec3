"""A package's source brought as an archive (issue #33): a .zip (a wheel is one) or a .tar.gz (an sdist), read in
memory and never imported, unpacked or run; its export decorators give the public tree.

Archives are where path tricks and bombs live, so every member is checked before its bytes are read: no absolute
path, no `..`, no link or device, at most MAX_MEMBERS members and MAX_UNCOMPRESSED bytes declared in all. The
declared sizes are not trusted either: the bytes actually decompressed are counted as they are read, and a
member that yields more than it declared stops the read. Only `.py` members are kept, as text, in memory.
Module names come from the paths: leading folders that are not packages (no `__init__.py`, e.g. the
`name-1.0/` of an sdist, or `src/`) are dropped.
"""

from __future__ import annotations

import base64
import csv
import gzip
import hashlib
import io
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from engine.apiexport.scan import Tree, scan_files
from engine.artifacts import ArtifactError, MiB, check_size, guarded
from engine.messages import Message, define

ARCHIVE_LIMIT = 20 * MiB  # the upload itself (compressed)
MAX_MEMBERS = 5000
MAX_UNCOMPRESSED = 50 * MiB
TAR_SLACK = 2 * MiB + 1024 * MAX_MEMBERS  # tar headers and padding around the declared member bytes
WHAT = "package archive"
CHUNK = 1 << 16
RECORD_HASHES = ("sha256", "sha384", "sha512")  # what PEP 376 / 427 allow in a RECORD

define({
    "apiexport.archive_kind": "the archive is neither a .zip nor a .tar.gz",
    "apiexport.member_path": "{member}: an absolute path or one with .. is refused",
    "apiexport.member_link": "{member}: links and special files are refused",
    "apiexport.members": "the archive has more than {max:,} members",
    "apiexport.uncompressed": "the archive unpacks to more than {max:,} bytes",
    "apiexport.member_size": "{member} unpacks to more bytes than it declares ({size:,})",
    "apiexport.archive_broken": "the archive is damaged or truncated",
    "apiexport.no_python": "the archive holds no .py file",
    "apiexport.record_hash": "{member}: its sha256 is not the one the wheel's RECORD lists",
    "apiexport.record_size": "{member}: {size:,} bytes, but the wheel's RECORD lists {listed:,}",
    "apiexport.record_missing": "{member} is listed in the wheel's RECORD but is not in the archive",
    "apiexport.record_unlisted": "{member} is in the archive but not in the wheel's RECORD",
})


@dataclass(frozen=True)
class Package:
    """What an archive held: its .py sources by module name, and its member and byte counts."""

    sources: dict[str, str]  # module name -> source text
    members: int
    uncompressed: int  # bytes of all file members, as read
    skipped: list[str] = field(default_factory=list)  # .py members whose path is not a module name
    problems: list[Message] = field(default_factory=list)  # members that disagree with a wheel's RECORD


def _check_name(name: str) -> str:
    """`name` as a relative POSIX path, or ArtifactError (absolute, drive letter, `..`)."""
    clean = name.replace("\\", "/")
    parts = PurePosixPath(clean).parts
    if not clean or clean.startswith("/") or (len(clean) > 1 and clean[1] == ":") or ".." in parts or "\0" in clean:
        raise ArtifactError("apiexport.member_path", member=name[:200])
    return clean


class _Budget:
    """Bytes decompressed so far against the limit, and members against theirs."""

    def __init__(self) -> None:
        self.bytes = self.declared = self.members = 0

    def member(self, declared: int) -> None:
        self.members += 1
        if self.members > MAX_MEMBERS:
            raise ArtifactError("apiexport.members", max=MAX_MEMBERS)
        self.declared += max(declared, 0)
        if self.declared > MAX_UNCOMPRESSED:
            raise ArtifactError("apiexport.uncompressed", max=MAX_UNCOMPRESSED)

    def read(self, stream: io.RawIOBase | io.BufferedIOBase, name: str, declared: int) -> bytes:
        """All of `stream`, counted, refusing more than `declared` bytes."""
        out = bytearray()
        while chunk := stream.read(CHUNK):
            out += chunk
            self.bytes += len(chunk)
            if len(out) > declared:
                raise ArtifactError("apiexport.member_size", member=name[:200], size=declared)
            if self.bytes > MAX_UNCOMPRESSED:
                raise ArtifactError("apiexport.uncompressed", max=MAX_UNCOMPRESSED)
        return bytes(out)


def _zip_members(data: bytes, budget: _Budget) -> Iterator[tuple[str, bytes | None]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        infos = z.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ArtifactError("apiexport.members", max=MAX_MEMBERS)
        for info in infos:  # every name, kind and size before any byte is decompressed
            name = _check_name(info.filename)
            mode = info.external_attr >> 16
            if mode and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise ArtifactError("apiexport.member_link", member=name[:200])
            budget.member(info.file_size)
        for info in infos:
            if not info.is_dir():
                with z.open(info) as f:
                    yield info.filename.replace("\\", "/"), budget.read(f, info.filename, info.file_size)


def _gunzip(data: bytes) -> bytes:
    """The decompressed stream, counted as it comes: past the limit (the members' bytes plus room for the tar
    headers) the read stops, however small the stream declared itself."""
    out = bytearray()
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as g:
        while chunk := g.read(CHUNK * 16):
            out += chunk
            if len(out) > MAX_UNCOMPRESSED + TAR_SLACK:
                raise ArtifactError("apiexport.uncompressed", max=MAX_UNCOMPRESSED)
    return bytes(out)


def _count_headers(raw: bytes) -> None:
    """Walk the tar headers (512-byte blocks; the size field says how many data blocks to skip) and refuse more
    than MAX_MEMBERS members before tarfile parses any: a few microseconds a header instead of tarfile's ~100."""
    pos = members = 0
    while pos + 512 <= len(raw):
        block = raw[pos:pos + 512]
        if not block.strip(b"\0"):
            return  # end of archive
        field = block[124:136]
        try:
            size = int.from_bytes(field[1:], "big") if field[0] & 0x80 else int(field.strip(b"\0 ") or b"0", 8)
        except ValueError:
            return  # not a header tarfile would read either: it says so itself
        if block[156:157] not in (b"x", b"g", b"L", b"K"):  # extended headers belong to the member after them
            members += 1
            if members > MAX_MEMBERS:
                raise ArtifactError("apiexport.members", max=MAX_MEMBERS)
        pos += 512 + (size + 511) // 512 * 512


def _tar_members(data: bytes, budget: _Budget) -> Iterator[tuple[str, bytes | None]]:
    raw = _gunzip(data)
    _count_headers(raw)
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:") as t:
        for info in t:
            name = _check_name(info.name)
            if not (info.isfile() or info.isdir()):
                raise ArtifactError("apiexport.member_link", member=name[:200])
            budget.member(info.size)
            if info.isdir():
                continue
            f = t.extractfile(info)
            yield name, budget.read(f, name, info.size) if f is not None else b""


def _strip(paths: list[str]) -> dict[str, list[str]]:
    """Each path's parts below the topmost package folder on its way (or its own folder when none is one)."""
    packages = {PurePosixPath(p).parent.as_posix() for p in paths if PurePosixPath(p).name == "__init__.py"}
    out = {}
    for p in paths:
        parts = PurePosixPath(p).with_suffix("").parts
        start = len(parts) - 1  # a lone module: its own name
        for i in range(len(parts) - 1):
            if "/".join(parts[:i + 1]) in packages:
                start = i
                break
        out[p] = list(parts[start:])
    return out


def record_problems(files: dict[str, bytes]) -> list[Message]:
    """A wheel's members against its `*.dist-info/RECORD` (PEP 376: path, sha256=urlsafe-b64 digest, size):
    every file whose hash or size differs, listed but absent, or present but unlisted. No RECORD: nothing."""
    record = next((n for n in files if n.count("/") == 1 and n.endswith(".dist-info/RECORD")), None)
    if record is None:
        return []
    listed: dict[str, tuple[str, str]] = {}
    for row in csv.reader(files[record].decode("utf-8", "replace").splitlines()):
        if len(row) == 3:
            listed[row[0]] = (row[1], row[2])
    out = []
    for name, data in files.items():
        if name == record or name.endswith("/"):
            continue
        if name not in listed:
            out.append(Message("apiexport.record_unlisted", member=name))
            continue
        digest, size = listed[name]
        algo, _, want = digest.partition("=")
        if algo in RECORD_HASHES:
            got = base64.urlsafe_b64encode(hashlib.new(algo, data).digest()).rstrip(b"=").decode()
            if got != want:
                out.append(Message("apiexport.record_hash", member=name))
        if size.isascii() and size.isdigit() and len(size) < 20 and int(size) != len(data):
            out.append(Message("apiexport.record_size", member=name, size=len(data), listed=int(size)))
    out += [Message("apiexport.record_missing", member=n) for n in listed if n not in files and n != record]
    return out


def read_archive(data: bytes) -> Package:
    """The .py sources of a .zip or .tar.gz, by module name, read under the limits above; ArtifactError else."""
    check_size(data, ARCHIVE_LIMIT, WHAT)
    if isinstance(data, str):
        raise ArtifactError("apiexport.archive_kind")
    data = bytes(data)

    def read() -> Package:
        budget = _Budget()
        if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
            members = _zip_members(data, budget)
        elif data[:2] == b"\x1f\x8b":
            members = _tar_members(data, budget)
        else:
            raise ArtifactError("apiexport.archive_kind")
        try:
            files = dict(members)
        except (zipfile.BadZipFile, tarfile.TarError, zlib.error, struct.error, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError, KeyError) as e:
            if isinstance(e, ArtifactError):
                raise
            raise ArtifactError("apiexport.archive_broken") from None
        texts = {n: b for n, b in files.items() if n.endswith(".py")}
        if not texts:
            raise ArtifactError("apiexport.no_python")
        sources, skipped = {}, []
        for p, parts in _strip(sorted(texts)).items():
            mod = parts[:-1] if parts[-1] == "__init__" else parts
            if mod and all(s.isidentifier() for s in mod):
                sources[".".join(mod)] = texts[p].decode("utf-8", "replace")
            else:
                skipped.append(p)
        return Package(sources, budget.members, budget.bytes, skipped, record_problems(files))

    return guarded(read, WHAT)


def scan_archive(data: bytes, decorators: set[str] | frozenset[str], root: str | None = None) -> Tree:
    """The public tree an archive's export decorators declare, read with ast (never imported)."""
    return scan_files(sorted(read_archive(data).sources.items()), decorators, root)
