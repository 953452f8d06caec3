"""A process-wide cache for heavy, read-only engine results computed with a live progress bar.

`st.cache_resource` replays elements created inside the cached function, so a progress bar drawn by
a callback during training cannot live inside it. Here the cache holds only the results; the work
runs in the page, where its progress bar belongs.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

import streamlit as st

R = TypeVar("R")


class _Store:
    def __init__(self, max_entries: int) -> None:
        self.items: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = threading.Lock()
        self.max_entries = max_entries


@st.cache_resource(show_spinner=False)
def _store() -> _Store:
    return _Store(max_entries=16)


def shared_result(key: Hashable, compute: Callable[[], R]) -> R:
    """Return the cached result for `key`, computing it (in this session, with its progress) when absent."""
    store = _store()
    with store.lock:
        if key in store.items:
            store.items.move_to_end(key)
            return store.items[key]  # type: ignore[return-value]
    result = compute()
    with store.lock:
        store.items[key] = result
        while len(store.items) > store.max_entries:
            store.items.popitem(last=False)
    return result
