"""The one scheduler this Streamlit server shares among all its visitors (engine.scheduler), and who is asking."""

from __future__ import annotations

import _abc
import atexit
import logging
from collections.abc import Mapping, MutableMapping

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from engine.scheduler import Scheduler


@st.cache_resource(show_spinner=False)
def scheduler() -> Scheduler:
    """The server-wide scheduler: $GLASSBOX_SLOTS worker slots (default 2), created on first use."""
    sched = Scheduler(connected=connected)
    # a job still computing when the server stops would be torn down inside torch and abort the process
    atexit.register(sched.shutdown, 30.0)
    return sched


def visitor() -> str | None:
    """This visitor's session id, or None outside a page run (a test, a pool thread)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else ctx.session_id


def connected(session_id: str) -> bool | None:
    """Whether this visitor's browser is still connected (a closed tab is not); None outside a server (say AppTest,
    between its runs), where nothing can tell: the scheduler's silence rule alone applies there, so a test's job
    never outlives it because its visitor merely stopped running."""
    if not Runtime.exists():
        return None
    return Runtime.instance().is_active_session(session_id)


_abc_reported = False


def abc_dump(cls: type) -> dict[str, list[str]]:
    """An ABC's registry, positive and negative caches, as the qualified names of the classes they hold."""
    def names(refs: set) -> list[str]:
        return sorted(f"{c.__module__}.{c.__qualname__}" for r in refs if (c := r()) is not None)

    # CPython's C implementation of abc: what ABCMeta._dump_registry prints, as sets of weak references
    registry, cache, negative, _version = _abc._get_dump(cls)
    return {"registry": names(registry), "cache": names(cache), "negative_cache": names(negative)}


def check_abc() -> bool:
    """Whether `isinstance` still tells a list from a Mapping in this process; if not, log once what the two ABCs
    hold. Seen once (2026-12-07, three first visits to a fresh server at once): from then on every websocket accept
    failed in uvicorn's header code and Streamlit took a list of options for a dict. The cause is not known: this
    names the run that first sees it, with the caches that say how `list` got in."""
    global _abc_reported
    if not isinstance([], Mapping):
        return True
    if not _abc_reported:
        _abc_reported = True
        logging.getLogger("glassbox").error(
            "isinstance([], Mapping) is True in this process: Mapping %s; MutableMapping %s",
            abc_dump(Mapping), abc_dump(MutableMapping))
    return False

