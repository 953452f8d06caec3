"""Glassbox's two commands: `python3 dev.py run` starts the app, `python3 dev.py test` runs every check.

Only the standard library is used here, so the commands work on a machine that has nothing but
Python 3.11 and pip: each creates `.venv` when it is missing and installs the pinned requirements
when they changed since the last install (a hash of the requirement files is kept in the venv).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _requirements_hash(files: list[Path]) -> str:
    """Hash the requirement files that an install step reads."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.read_bytes())
    return h.hexdigest()


def ensure_env(req: str) -> None:
    """Create the venv if missing and install `req` when its pins changed."""
    if not PY.exists():
        print(f"[glassbox] creating {VENV}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    files = [ROOT / "requirements.txt", ROOT / req]
    stamp = VENV / f".installed-{req}"
    digest = _requirements_hash(files)
    if stamp.exists() and stamp.read_text() == digest:
        return
    print(f"[glassbox] installing {req} into {VENV}", flush=True)
    subprocess.run([str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-r", str(ROOT / req)], check=True)
    stamp.write_text(digest)


def run(extra: list[str]) -> int:
    """Start the app with its defaults."""
    ensure_env("requirements.txt")
    return subprocess.call([str(PY), "-m", "streamlit", "run", str(ROOT / "app.py"), *extra], cwd=ROOT)


WORKERS = 2  # the machine kind has 2 cores


def _pytest(args: list[str], parallel: bool) -> int:
    """One pytest run; `parallel` spreads it over WORKERS processes with one torch thread each (two workers of
    two threads each on two cores spend most of their time spinning: 1.5× slower than one process)."""
    env = dict(os.environ)
    if parallel:
        args = ["-n", str(WORKERS), *args]
        env |= {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    rc = subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env)
    if rc == 5:
        # pytest's "no tests collected": a suite that ran nothing has not passed.
        print("[glassbox] pytest collected no tests: treating that as a failure", flush=True)
        return 1
    return rc


def _marker(extra: list[str]) -> str | None:
    """The -m expression among pytest arguments, if any."""
    for i, a in enumerate(extra):
        if a == "-m" and i + 1 < len(extra):
            return extra[i + 1]
        if a.startswith("-m") and len(a) > 2:
            return a[2:]
    return None


def test(extra: list[str]) -> int:
    """Lint, then run the whole test suite (page tests and browser tests included).

    With no arguments: everything but the browser tests in parallel, then the browser tests that check behaviour
    in parallel (a server and a browser per worker), then the browser tests that time pages against their
    budgets on their own (nothing else may share the cores). With a marker expression that
    leaves the browser tests out (the fast loop), in parallel; any other arguments go to one plain pytest run."""
    ensure_env("requirements-dev.txt")
    rc = subprocess.call([str(PY), "-m", "ruff", "check", "."], cwd=ROOT)
    if rc != 0:
        return rc
    if not extra:  # every phase runs, so one failure does not hide another's
        rc = _pytest(["-m", "not e2e"], parallel=True)
        # browser tests that check behaviour: on both cores, each worker with its own server and browser
        rc = _pytest(["-m", "e2e and not budget"], parallel=True) or rc
        # browser tests that time pages against their budgets: alone on the cores, so nothing else skews them
        return _pytest(["-m", "e2e and budget"], parallel=False) or rc
    marker = _marker(extra)
    parallel = marker is not None and "not e2e" in marker and "-n" not in extra
    return _pytest(extra, parallel)


def main(argv: list[str]) -> int:
    """Dispatch `run` or `test`; anything after the command goes to streamlit or pytest."""
    commands = {"run": run, "test": test}
    if not argv or argv[0] not in commands:
        print("usage: python3 dev.py run [streamlit args] | python3 dev.py test [pytest args]")
        return 2
    return commands[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
