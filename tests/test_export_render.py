"""The server's warm PNG export browser (ui.render): renders real figures, bounds every render by a deadline,
replaces a browser that died, and leaves no process behind once idle or closed."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image

from ui import render
from ui.render import Renderer, RenderError

pytestmark = pytest.mark.skipif(not Path(render.CHROMIUM).exists(), reason="no system Chromium")


def _figure() -> dict:
    return go.Figure(go.Bar(x=list(range(20)), y=list(range(20)))).to_dict()


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie not yet reaped counts as gone)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _gone(pid: int, within_s: float = 10) -> bool:
    end = time.monotonic() + within_s
    while time.monotonic() < end:
        if not _alive(pid):
            return True
        time.sleep(0.1)
    return False


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(d.name))
        except (OSError, ValueError, IndexError):
            pass
    return out


@pytest.mark.slow
def test_renders_stay_warm_and_a_hung_browser_is_killed_at_the_deadline() -> None:
    r = Renderer(idle_s=60)
    try:
        first = r.render([_figure()], 1600, 900)
        with Image.open(__import__("io").BytesIO(first[0])) as im:
            assert im.size == (1600, 900)
        pid = r.browser_pid
        assert pid is not None
        assert r.render([_figure()], 800, 400)[0] != first[0] and r.browser_pid == pid  # the same warm browser
        family = r.processes()
        assert len(family) >= 3 and _children(pid)  # the wrapper, Chromium and its helpers
        for p in family:  # a browser that hangs mid-render
            os.kill(p, signal.SIGSTOP)
        t = time.monotonic()
        with pytest.raises(RenderError, match="over 2 s"):
            r.render([_figure()], 1600, 900, deadline_s=2)
        assert time.monotonic() - t < 2 + 12  # the deadline, then at most the polite close's and the wait's 5 s
        assert _gone(pid), "the hung browser was not killed"
        assert all(_gone(p) for p in family), "a process of the hung browser was left behind"
        assert r.render([_figure()], 400, 300) and r.browser_pid not in (None, pid)  # a new one, next time
    finally:
        r.close()


@pytest.mark.slow
def test_a_browser_killed_between_renders_is_replaced_and_idle_ones_close() -> None:
    r = Renderer(idle_s=1.5)
    try:
        r.render([_figure()], 400, 300)
        pid = r.browser_pid
        for p in r.processes():  # died on its own, between two visitors' clicks
            # a helper may exit by itself once the browser above it is killed: gone is what this step wants
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, signal.SIGKILL)
        assert _gone(pid)
        assert r.render([_figure()], 400, 300) and r.browser_pid not in (None, pid)
        family = r.processes()
        time.sleep(3)  # nobody renders: the browser closes by itself
        assert r.browser_pid is None and all(_gone(p) for p in family)
    finally:
        r.close()


def test_a_render_waits_for_another_only_within_its_own_deadline() -> None:
    r = Renderer(idle_s=60)
    assert r._lock.acquire()  # another visitor's render holds the browser
    try:
        t = time.monotonic()
        with pytest.raises(RenderError, match="busy"):
            r.render([_figure()], 400, 300, deadline_s=0.5)
        assert 0.4 < time.monotonic() - t < 3
        assert r.browser_pid is None  # nothing was started for a render that never got the browser
    finally:
        r._lock.release()
        r.close()
