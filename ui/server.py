"""The one scheduler this Streamlit server shares among all its visitors (engine.scheduler), and who is asking."""

from __future__ import annotations

import atexit

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
