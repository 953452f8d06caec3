"""The DDP page's shared cluster as one run of the page sees it: started in the background with its progress, its
results cached for everyone, and, while it starts, the shipped recording of the default view in their place."""

from __future__ import annotations

import streamlit as st

from engine.ddp import ClusterError, is_warm, snapshot, warm_cluster
from engine.ddp.cluster import stops
from engine.messages import CodedError
from ui import jobs
from ui.cache import cached_result, shared_result, store_result
from ui.i18n import say, translator
from ui.text.ddp import TEXT

T = translator(TEXT)


class World:
    """The cluster of `n` processes for one run of the page, and the shipped recordings that run drew results from
    (`recorded`: the page says so once, at the top)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.recorded: list = []

    def up(self) -> bool:
        """Whether the shared cluster of `n` processes is up; while it starts, its progress (a first start costs a
        few seconds of `import torch` per process)."""
        n = self.n
        if is_warm(n):
            return True
        calls = snapshot.default_calls(n)
        ok = jobs.background(("ddp-start", n, stops(n)), lambda tick: _start(n, tick, calls), total=n + len(calls),
                             auto=True, isolate=False,
                             wait_s=0.0 if self.shipped() is not None else jobs.WAIT_S)  # the recording meanwhile
        if ok is None:
            st.caption(T("starting.shipped" if self.shipped() is not None else "starting", n=n))
            return False
        return True

    def shipped(self):
        """The shipped recording of the default view on `n` processes ((Recorded, {key: result}), or None)."""
        return snapshot.load(self.n)

    def run(self, key: tuple, task, **kwargs):
        """A task's result on the shared cluster (cached for everyone), or None after showing why it failed; while
        the cluster starts, the shipped default view's result for `key` (None when the recording has no such
        result)."""
        n = self.n
        if not is_warm(n):  # a live result from before the idle processes were stopped, else the recording's
            found, value = cached_result(("ddp", n, key))
            if found:
                return value
            shipped = self.shipped()
            value = shipped[1].get(snapshot.key_of(key)) if shipped is not None else None
            if value is not None:
                self.recorded.append(shipped[0])
            return value
        try:
            return shared_result(("ddp", n, key), lambda: warm_cluster(n).run(task, **kwargs))
        except (ClusterError, CodedError) as e:
            st.error(say(e))
            return None


def _start(n: int, tick, calls: list) -> bool:
    """Start the processes, then run the default view's tasks on them into the shared cache, so that the page's
    rerun that replaces the recording finds them done."""
    cl = warm_cluster(n, progress=lambda done, total: tick(done, f"{done}/{total}"))
    for i, (key, task, kwargs) in enumerate(calls, start=1):
        if not cached_result(("ddp", n, key))[0]:
            store_result(("ddp", n, key), cl.run(task, **kwargs))
        tick(n + i, f"{i}/{len(calls)}")
    return True


def cores_note(n: int, cores: int | None) -> None:
    """Say so when the ranks outnumber the cores of the machine that ran them: they then take turns on a core,
    and every time includes that waiting."""
    if cores and n > cores:
        st.caption(T("cores", n=n, cores=cores))
