"""Process-wide caches for work computed with a live progress bar: results (bounded, least recently used
first out) and heavy read-only objects such as models and base indexes (never evicted by results).

`st.cache_resource` replays elements created inside the cached function, so a progress bar drawn by
a callback during training cannot live inside it. Here the caches hold only the values; the work
runs in the page, where its progress bar belongs. One key is computed once at a time: a second
session asking for it meanwhile waits for the first instead of doing the same work again.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import streamlit as st

from engine.scheduler import Tick
from ui.server import scheduler, visitor

R = TypeVar("R")


class _Store:
    def __init__(self, max_entries: int | None) -> None:
        self.items: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = threading.Lock()
        self.computing: dict[Hashable, threading.Lock] = {}
        self.max_entries = max_entries

    def get(self, key: Hashable, compute: Callable[[], R]) -> R:
        key = plain_key(key)
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]  # type: ignore[return-value]
            busy = self.computing.setdefault(key, threading.Lock())
        with busy:  # one computation per key; the others wait for it, then read its result
            with self.lock:
                if key in self.items:
                    return self.items[key]  # type: ignore[return-value]
            result = compute()
            self.put(key, result)
            with self.lock:
                self.computing.pop(key, None)
        return result

    def peek(self, key: Hashable) -> tuple[bool, object]:
        """(True, value) when `key` is held, else (False, None); computes nothing."""
        key = plain_key(key)
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return True, self.items[key]
        return False, None

    def put(self, key: Hashable, value: object) -> None:
        """Hold `value` for `key` (a result computed elsewhere, e.g. by a background job)."""
        with self.lock:
            self.items[plain_key(key)] = value
            while self.max_entries is not None and len(self.items) > self.max_entries:
                self.items.popitem(last=False)


def plain_key(key: Hashable) -> Hashable:
    """`key` with every dataclass instance in it replaced by its class name and field values. A page's script
    runs afresh on every rerun and so defines its Settings class anew: two equal settings from two runs are
    instances of different classes, unequal to each other, and would never hit the cache."""
    if dataclasses.is_dataclass(key) and not isinstance(key, type):
        return (type(key).__qualname__, *(plain_key(getattr(key, f.name)) for f in dataclasses.fields(key)))
    if isinstance(key, tuple):
        return tuple(plain_key(k) for k in key)
    return key


@st.cache_resource(show_spinner=False)
def _results() -> _Store:
    return _Store(max_entries=96)  # nine pages now share it: 32 let one page evict another between visits


@st.cache_resource(show_spinner=False)
def _resources() -> _Store:
    return _Store(max_entries=None)


def _in_a_slot(compute: Callable[[], R]) -> Callable[[], R]:
    """`compute` run while holding one of the server's slots (engine.scheduler), so in-run work of every visitor
    together never takes more than the server's slots; a visitor who must wait is told so."""

    def run() -> R:
        note = []

        def waiting(n: int) -> None:
            if visitor() is not None:  # the page's own thread: it may draw
                from ui.i18n import translator
                from ui.text.app import TEXT

                note.append(st.empty())
                note[0].info(translator(TEXT)("job.waiting", n=n))

        with scheduler().foreground(on_wait=waiting):
            if note:
                note[0].empty()
            return compute()

    return run


def in_child(work: Callable[[Tick], R], tick: Tick) -> R:
    """`work(tick)` in a forked child (Scheduler.isolated: as the server's background jobs, at their priority) where
    the server runs its jobs in processes and no GPU is in play, else in this thread. For a page's own long Python
    loop (a training): in a thread of the server it holds the one GIL that every visitor's run and the event loop
    share (the numerics capture took 10.4 s of the server's time in a thread against 5.5 s alone); a child has a
    GIL of its own. CUDA does not survive a fork, so a server with a GPU keeps such work in its thread."""
    import torch

    return work(tick) if torch.cuda.is_available() else scheduler().isolated(work, tick)


def shared_result(key: Hashable, compute: Callable[[], R]) -> R:
    """The cached result for `key`, computed (in this session, with its progress, in one of the server's slots)
    when absent; results are bounded in number and the least recently used goes first."""
    return _results().get(key, _in_a_slot(compute))


def shared_results(jobs: Mapping[Hashable, Callable[[], R]], workers: int = 2) -> dict[Hashable, R]:
    """Several shared results at once, the missing ones computed side by side in `workers` threads (engine work
    such as torch releases the GIL, so two generations on two cores take little more than one). Each key is
    still computed once; `compute` must not call Streamlit, which belongs to the page's own thread."""
    store = _results()
    if len(jobs) == 1:
        (key, compute), = jobs.items()
        return {key: store.get(key, _in_a_slot(compute))}
    with ThreadPoolExecutor(max(1, min(workers, len(jobs)))) as pool:
        futures = {key: pool.submit(store.get, key, _in_a_slot(compute)) for key, compute in jobs.items()}
    return {key: f.result() for key, f in futures.items()}


def cached_result(key: Hashable) -> tuple[bool, object]:
    """(True, result) when a shared result for `key` is held, else (False, None)."""
    return _results().peek(key)


def forget_result(key: Hashable) -> None:
    """Drop the shared result for `key`, if one is held: the next visitor computes it afresh."""
    store = _results()
    with store.lock:
        store.items.pop(plain_key(key), None)


def store_result(key: Hashable, value: object) -> None:
    """Share `value` as the result for `key`."""
    _results().put(key, value)


def shared_resource(key: Hashable, compute: Callable[[], R]) -> R:
    """A heavy, read-only object (a model, a base index) for the whole server, computed once with progress and
    never evicted by results. Keys must come from a small fixed set (corpus × mode, a model name)."""
    return _resources().get(key, _in_a_slot(compute))
