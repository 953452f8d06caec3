"""One warm kaleido browser for the server's PNG exports: every render bounded in time, the browser closed when
nobody has used it for a while.

kaleido's own `start_sync_server` keeps a browser warm as well (a figure in about 0.6 s instead of 2.8 s with a
browser started per click), but its calls wait without a limit: a browser that dies or hangs mid-render would
block the visitor's run, and every later export, for good. Here each render has a deadline; past it the browser
is killed and the next render starts a new one.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from engine.forked import running

# Debian's Chromium builds, lightest first: the headless shell (package chromium-headless-shell) is Chromium's old
# headless mode, the one Playwright runs headless by default, without the full browser's UI layer. Measured here
# (2 cores): a warm page load of the app costs the machine 1.2–4.6 CPU-seconds with it against 2.3–5.8 with
# /usr/bin/chromium (home, search, DDP, attention); a 1600 × 900 PNG of a figure came out the same size, 386 pixels
# of a Chinese title's anti-aliasing apart (the budget tests' PNG and GIF exports: 5.9 and 9.8 s, against 7.8 and
# 13.1 s).
CHROMIUMS = ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")


def system_chromium(env: dict[str, str] | None = None) -> str:
    """The Chromium to drive: $GLASSBOX_CHROMIUM if set, else the first of CHROMIUMS installed (the last if none
    is, so that a message can name it)."""
    chosen = (os.environ if env is None else env).get("GLASSBOX_CHROMIUM")
    return chosen or next((c for c in CHROMIUMS if Path(c).exists()), CHROMIUMS[-1])


CHROMIUM = system_chromium()
IDLE_S = 120.0  # a browser nobody has used for this long is closed
START_S = 30.0  # starting the browser and loading plotly.js into its page
FIGURE_S = 10.0  # one figure's render (a 1600 px PNG takes about 0.3 s on an idle core)


def use_system_chromium() -> None:
    """Point kaleido (through choreographer's BROWSER_PATH) at the system Chromium, so nothing is downloaded."""
    os.environ.setdefault("BROWSER_PATH", CHROMIUM)


class RenderError(RuntimeError):
    """A render that failed, or ran past its deadline (its browser was then killed)."""


class Renderer:
    """A kaleido browser in a thread of its own, with one render at a time and a deadline on each."""

    def __init__(self, idle_s: float = IDLE_S) -> None:
        self.idle_s = idle_s
        self._lock = threading.Lock()  # one render at a time, and no close in the middle of one
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._used = 0.0
        self._timer: threading.Timer | None = None

    @property
    def browser_pid(self) -> int | None:
        """The pid of the warm browser's process (choreographer's wrapper around Chromium), if one is running."""
        proc = getattr(self._kaleido, "subprocess", None)
        # read from /proc: Popen.poll cannot tell while choreographer's watchdog thread waits on the same process
        return proc.pid if proc is not None and proc.returncode is None and running(proc.pid) else None

    def render(self, figures: list[dict], width: int, height: int, deadline_s: float | None = None) -> list[bytes]:
        """Each plotly figure (as a dict) as PNG bytes of `width` × `height` px; RenderError past `deadline_s`
        (default: START_S plus FIGURE_S per figure), time spent waiting for another visitor's render included."""
        limit = deadline_s or START_S + FIGURE_S * max(1, len(figures))
        end = time.monotonic() + limit
        # another visitor's render holds the browser until its own deadline at most: wait within this one's
        if not self._lock.acquire(timeout=limit):
            raise RenderError(f"the export browser stayed busy with another render for {limit:.0f} s")
        try:
            try:
                self._open(end)
                future = asyncio.run_coroutine_threadsafe(self._calc(figures, width, height), self._loop)
                try:
                    return future.result(max(0.0, end - time.monotonic()))
                except TimeoutError:
                    future.cancel()
                    raise RenderError(f"the figures' render took over {limit:.0f} s: its browser was stopped") \
                        from None
            except RenderError:
                self._stop()
                raise
            except Exception as e:  # the browser died, or kaleido refused a figure: start afresh next time
                self._stop()
                raise RenderError(f"the figures could not be rendered: {type(e).__name__}: {e}") from e
            finally:
                self._used = time.monotonic()
                self._arm_idle_close()
        finally:
            self._lock.release()

    async def _calc(self, figures: list[dict], width: int, height: int) -> list[bytes]:
        opts = {"format": "png", "width": width, "height": height}
        return [await self._kaleido.calc_fig(fig, opts=opts) for fig in figures]

    def _open(self, end: float) -> None:
        if self.browser_pid is not None:
            return
        self._stop()  # whatever is left of a browser that died
        import kaleido

        use_system_chromium()
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="glassbox-png-browser", daemon=True)
        self._thread.start()
        self._kaleido = kaleido.Kaleido(n=1, mathjax=False)
        future = asyncio.run_coroutine_threadsafe(self._kaleido.__aenter__(), loop)
        try:
            future.result(max(0.0, end - time.monotonic()))
        except TimeoutError:
            future.cancel()
            raise RenderError("the export browser did not start in time") from None

    def _arm_idle_close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = threading.Timer(self.idle_s, self._close_if_idle)
        self._timer.daemon = True
        self._timer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            if time.monotonic() - self._used >= self.idle_s * 0.99:
                self._stop()

    def processes(self) -> list[int]:
        """The warm browser's processes: the wrapper, Chromium and its helpers (empty when none runs)."""
        pid = self.browser_pid
        return [pid, *_descendants(pid)] if pid is not None else []

    def close(self) -> None:
        """Stop the browser now (it starts again on the next render)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._stop()

    def _stop(self) -> None:
        """Close the browser politely for a few seconds, then kill whatever is left of it (choreographer's wrapper
        process, the browser and its helpers); stop the loop's thread."""
        k, loop, thread = self._kaleido, self._loop, self._thread
        self._kaleido = self._loop = self._thread = None
        proc = getattr(k, "subprocess", None)
        family = [proc.pid, *_descendants(proc.pid)] if proc is not None and running(proc.pid) else []
        if k is not None and loop is not None and proc is not None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(k.__aexit__(None, None, None), loop).result(5)
        for pid in family:  # a hung browser ignores the polite close: no process of it may outlive it
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if proc is not None:
            with contextlib.suppress(Exception):
                proc.wait(5)
        if loop is not None:
            loop.call_soon_threadsafe(loop.stop)
            if thread is not None:
                thread.join(5)
            if not loop.is_running():
                loop.close()


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (Linux /proc; none elsewhere)."""
    parent: dict[int, int] = {}
    for d in Path("/proc").glob("[0-9]*"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            parent[int(d.name)] = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
    found, todo = [], [pid]
    while todo:
        here = todo.pop()
        below = [p for p, pp in parent.items() if pp == here]
        found += below
        todo += below
    return found


_RENDERER = Renderer()
atexit.register(_RENDERER.close)


def figures_png(figures: list[dict], width: int, height: int) -> list[bytes]:
    """Each figure as a PNG, through the server's one warm export browser (RenderError on failure or timeout)."""
    return _RENDERER.render(figures, width, height)
