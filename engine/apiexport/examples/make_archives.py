"""Write the bundled examples of the "yours" view: two versions of the page's demo package as a visitor would
bring them. demo-1.0.tar.gz is an sdist (`demo-1.0/` with PKG-INFO, pyproject.toml and the package), made from
engine/apiexport/demo as it is; demo-1.1-py3-none-any.whl is a wheel (a zip with `demo-1.1.dist-info/` METADATA,
WHEEL and RECORD), made from the same sources with the edits in `EDITS`: a function added, one public name
dropped and one added, a v1 alias removed, and reduce_sum moved to a module of its own. Both are byte-for-byte
reproducible (fixed dates, owners and order). Run `python -m engine.apiexport.examples.make_archives`."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "demo"
OLD, NEW = HERE / "demo-1.0.tar.gz", HERE / "demo-1.1-py3-none-any.whl"
EPOCH = (1980, 1, 1, 0, 0, 0)

EDITS = {  # file -> [(old text, new text)], each applied exactly once
    "math_ops.py": [
        ('v1=["math.multiply", "multiply", "mul"]', 'v1=["math.multiply", "multiply"]'),
        ('@demo_export("math.reduce_sum", v1=["reduce_sum", "math.reduce_sum"])\ndef reduce_sum(values: list[float])'
         ' -> float:\n    """The sum of `values`."""\n    return float(sum(values))\n\n\n',
         '@demo_export("math.subtract", "subtract")\ndef subtract(x: float, y: float) -> float:\n    """x − y."""\n'
         '    return x - y\n\n\n'),
    ],
    "layers.py": [('@demo_export("nn.relu", "math.relu")', '@demo_export("nn.relu", "activations.relu")')],
}
NEW_FILES = {"reductions.py": '"""Reductions, moved out of math_ops in 1.1."""\n\n'
                              'from demo._api import demo_export\n\n\n'
                              '@demo_export("math.reduce_sum", v1=["reduce_sum", "math.reduce_sum"])\n'
                              'def reduce_sum(values: list[float]) -> float:\n    """The sum of `values`."""\n'
                              '    return float(sum(values))\n'}


def sources(version: str) -> dict[str, str]:
    """The demo package's files as package `demo` of `version` (imports renamed; 1.1 with EDITS applied)."""
    out = {}
    for f in sorted(DEMO.glob("*.py")):
        text = f.read_text(encoding="utf-8").replace("engine.apiexport.demo", "demo")
        if version == "1.1":
            for old, new in EDITS.get(f.name, []):
                assert text.count(old) == 1, (f.name, old)
                text = text.replace(old, new)
        out[f"demo/{f.name}"] = text
    if version == "1.1":
        out |= {f"demo/{n}": t for n, t in NEW_FILES.items()}
    return dict(sorted(out.items()))


def _metadata(version: str) -> str:
    return f"Metadata-Version: 2.1\nName: demo\nVersion: {version}\nSummary: Glassbox's API-export demo package\n"


def sdist(version: str = "1.0") -> bytes:
    """A .tar.gz laid out as `python -m build --sdist` lays one out."""
    files = {"PKG-INFO": _metadata(version), "pyproject.toml": f'[project]\nname = "demo"\nversion = "{version}"\n',
             **sources(version)}
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as gz, tarfile.open(fileobj=gz, mode="w",
                                                                            format=tarfile.PAX_FORMAT) as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"demo-{version}/{name}")
            info.size, info.mode, info.mtime = len(data), 0o644, 0
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def wheel(version: str = "1.1") -> bytes:
    """A .whl (zip) with its dist-info: METADATA, WHEEL and a RECORD of sha256 hashes and sizes (PEP 427)."""
    info = f"demo-{version}.dist-info"
    files = {n: t.encode() for n, t in sources(version).items()}
    files[f"{info}/METADATA"] = _metadata(version).encode()
    files[f"{info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: glassbox make_archives\nRoot-Is-Purelib: true\n" \
                             b"Tag: py3-none-any\n"
    record = "".join(f"{n},{_record_hash(d)},{len(d)}\n" for n, d in files.items()) + f"{info}/RECORD,,\n"
    files[f"{info}/RECORD"] = record.encode()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            zi = zipfile.ZipInfo(name, EPOCH)
            zi.external_attr = (0o100644 << 16)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    return buf.getvalue()


def main() -> None:
    """Write both examples."""
    OLD.write_bytes(sdist("1.0"))
    NEW.write_bytes(wheel("1.1"))
    for p in (OLD, NEW):
        print(f"{p.name}: {p.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
