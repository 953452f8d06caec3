"""Glassbox's two commands: `python3 dev.py run` starts the app, `python3 dev.py test` runs every check.

Only the standard library is used here, so the commands work on a machine that has nothing but
Python 3.11 and pip: each creates `.venv` when it is missing and installs the pinned requirements
when they changed since the last install (a hash of the requirement files is kept in the venv).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
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
    if not _install_with_uv(req):
        _install_with_pip(req)
    stamp.write_text(digest)


UV = "uv==0.13.10"  # the installer dev.py uses when it can get it (pinned, like every other dependency)


def _install_with_uv(req: str) -> bool:
    """Install `req` with uv: on this 2-core machine kind, 24 s against pip's 49 s (30 s to install, then 19 s to
    byte-compile), measured on a fresh venv. uv reads no pip configuration, so the machine's find-links (where the
    local CPU wheel of torch lies) are passed on; without them uv, like pip, would fetch torch from the index.
    False where uv cannot be had or fails (GLASSBOX_INSTALLER=pip skips it): pip then installs everything."""
    if os.environ.get("GLASSBOX_INSTALLER", "uv") != "uv":
        return False
    got = subprocess.run([str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q", UV])
    uv = PY.with_name("uv.exe" if os.name == "nt" else "uv")  # installed beside the venv's python
    if got.returncode != 0 or not uv.exists():
        print("[glassbox] uv is not available: installing with pip", flush=True)
        return False
    links = [a for link in _pip_find_links() for a in ("--find-links", link)]
    # --compile-bytecode: with PYTHONDONTWRITEBYTECODE set (as on these machines) no import would ever write its
    # .pyc, and every process would compile torch afresh (the non-browser tests took 403 s instead of 323 s)
    rc = subprocess.call([str(uv), "pip", "install", "--python", str(PY), "--compile-bytecode", *links, "-r",
                          str(ROOT / req)])
    if rc != 0:
        print("[glassbox] uv failed: installing with pip", flush=True)
    return rc == 0


def _pip_find_links() -> list[str]:
    """The find-links locations in pip's effective configuration (files and PIP_* environment), in order."""
    out = subprocess.run([str(PY), "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    links: list[str] = []
    for line in out.splitlines():  # e.g. global.find-links='/opt/wheels' or :env:.find-links='/opt/wheels'
        key, _, value = line.partition("=")
        if key.endswith(".find-links"):
            links += [v for v in value.strip("'\"").split() if v not in links]
    return links


def _install_with_pip(req: str) -> None:
    """Install `req` with pip, then byte-compile on every core (pip compiles one file at a time: 68 s of install
    with it, 31 s without, pip's cache warm, here)."""
    subprocess.run([str(PY), "-m", "pip", "install", "--disable-pip-version-check", "--no-compile", "-r",
                    str(ROOT / req)], check=True)
    site = subprocess.run([str(PY), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([str(PY), "-m", "compileall", "-qq", "-j", "0", site], check=False)  # a file that fails stays


def run(extra: list[str]) -> int:
    """Start the app with its defaults."""
    ensure_env("requirements.txt")
    return subprocess.call([str(PY), "-m", "streamlit", "run", str(ROOT / "app.py"), *extra], cwd=ROOT)


WORKERS = 2  # the machine kind has 2 cores


def _pytest(args: list[str], parallel: bool, e2e: bool = False) -> int:
    """One pytest run; `parallel` spreads it over WORKERS processes with one torch thread each (two workers of
    two threads each on two cores spend most of their time spinning: 1.5× slower than one process). Browser
    tests (`e2e`) keep the default threads: their workers mostly wait on the server and the browser."""
    env = dict(os.environ)
    # pytest rewrites the asserts of all ~260 test modules at collection, in every worker of every phase, and
    # caches the result beside them (gitignored __pycache__) only where bytecode may be written: these machines set
    # PYTHONDONTWRITEBYTECODE, so each collection redid it (10.2 s, against 6.9 s from the cache, measured here)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if parallel:
        # worksteal: a worker that runs out takes queued tests from the other, so one long test near the end
        # (a training, the page-pair walk) does not leave a core idle
        args = ["-n", str(WORKERS), "--dist", "worksteal", *args]
        if not e2e:
            env |= {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    rc = subprocess.call([str(PY), "-m", "pytest", *args], cwd=ROOT, env=env)
    if rc == 5:
        # pytest's "no tests collected": a suite that ran nothing has not passed.
        print("[glassbox] pytest collected no tests: treating that as a failure", flush=True)
        return 1
    return rc


# where every browser test lives (tests/test_layering.py keeps it so): the browser phases collect only this folder,
# not the ~150 other test modules they would import and deselect (7.7 s a collection, against 3.4 s, here)
E2E_DIR = "tests/e2e"
SERVER_ENV = "GLASSBOX_E2E_URL"  # tests/e2e/conftest.py uses the server at this URL instead of starting one


@contextlib.contextmanager
def serve(log: Path, timeout_s: float = 120) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run app.py` on a free loopback port, its output in `log`; yield its URL and process once it
    answers its health check, and stop it afterwards. The browser tests start their servers with this too."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [str(PY), "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1", "--server.port", str(port),
           "--server.headless", "true"]
    url = f"http://127.0.0.1:{port}"
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app server did not start (exit code {proc.poll()}):\n"
                                   f"{log.read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def _shared_server() -> Iterator[tuple[str, subprocess.Popen]]:
    """The server every browser test of one `dev.py test` uses."""
    log = Path(tempfile.gettempdir()) / f"glassbox-e2e-server-{os.getpid()}.log"
    with serve(log) as (url, proc):
        print(f"[glassbox] browser tests share the server at {url} (log: {log})", flush=True)
        yield url, proc


def _tree_cpu_s(root: int) -> float:
    """CPU seconds used so far by `root` and every process below it (Linux /proc; 0 elsewhere)."""
    parent: dict[int, int] = {}
    for d in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            parent[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
    todo, total = [root], 0
    while todo:
        pid = todo.pop()
        todo.extend(p for p, pp in parent.items() if pp == pid)
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def _wait_idle(pid: int, limit_s: float = 90, idle_cores: float = 0.15) -> None:
    """Wait (at most `limit_s`) until the server and its children use under `idle_cores` for two seconds."""
    if not Path("/proc").is_dir():
        return
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        before = _tree_cpu_s(pid)
        time.sleep(2)
        if (_tree_cpu_s(pid) - before) / 2 < idle_cores:
            return
    print(f"[glassbox] the test server was still busy after {limit_s:.0f} s; timing it anyway", flush=True)


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
        # the browser tests share one server, as visitors do: what a page loads, builds or times once (models,
        # the search index, a page's background timing) is then warm for every later test, as it is in use
        with _shared_server() as (url, server):
            os.environ[SERVER_ENV] = url
            # browser tests that check behaviour: on both cores, each worker with its own browser
            rc = _pytest(["-m", "e2e and not budget", E2E_DIR], parallel=True, e2e=True) or rc
            # browser tests that time pages against their budgets: alone on the cores, so nothing else skews them
            # (the work the behaviour tests left running stops when nobody looks at it: wait for that first)
            _wait_idle(server.pid)
            rc = _pytest(["-m", "e2e and budget", E2E_DIR], parallel=False, e2e=True) or rc
        return rc
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
