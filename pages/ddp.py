"""Distributed data parallel on real gloo processes: the ring all-reduce step by step, DDP against one process,
gradient buckets overlapping backward, and measured all-reduce times with their α–β fit."""

import streamlit as st

from engine.ddp import plots as P
from engine.ddp.equivalence import ALLREDUCES
from engine.ddp.models import MODELS
from ui import jobs, page
from ui.chrome import ensure_navigation
from ui.ddp import replay, yours
from ui.ddp.buckets import buckets
from ui.ddp.equivalence import equivalence
from ui.ddp.equivalence import result as eq_result
from ui.ddp.live import live
from ui.ddp.measured import measured
from ui.ddp.settings import CAPS, MISTAKE_CHOICES, SIZES, TASKS, Settings
from ui.ddp.walk import walk_text
from ui.ddp.world import World
from ui.i18n import plot_labels, translator
from ui.state import bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.ddp import TEXT

ensure_navigation()
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
VIEWS = ["live", "yours"]
PARAMS = [("n", 3, int_in(2, 4)), ("method", "ring", choice(list(TASKS))), ("size", 12, number_in(SIZES)),
          ("state", 0, int_in(0, 12)), ("model", "mlp", choice(list(MODELS))),
          ("dtype", "float32", choice(["float32", "float64"])), ("mistake", "none", choice(MISTAKE_CHOICES)),
          ("cap", 4.0, number_in(CAPS)), ("view", "live", choice(VIEWS)),
          ("allreduce", "ring", choice(list(ALLREDUCES))), ("replay", "buffer", choice(replay.REPLAYS))]
PRESETS = {1: {"n": 3, "method": "ring", "state": 0}, 2: {"n": 4, "method": "naive_ring", "state": 0},
           3: {"mistake": "none", "dtype": "float64"}, 4: {"mistake": "sum_reduction", "dtype": "float32"},
           5: {"mistake": "batchnorm_without_sync", "model": "bn"}, 6: {"cap": 25.0}, 7: {"cap": 1.0},
           8: {"view": "yours"}, 9: {"replay": "ddp", "allreduce": "ring", "state": 0}}
FORMULAS = (r"g = \tfrac{1}{N}\textstyle\sum_r g_r",  # one short line each: none cut off on a phone
            r"\text{bytes/rank} = \tfrac{2(N-1)}{N}\,S",
            r"t(S) \approx \alpha + \beta S")


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *FORMULAS)
    s = controls()
    w = World(s.n)  # this run's view of the shared cluster (and the recordings it drew on)
    if page.view_switch(T, VIEWS) == "yours":  # nothing runs on the cluster for it
        yours.view(T, PL, s.n)
        st.header(T("walk"))
        walkthrough(walk_text(w, compute=False), PRESETS)
        publish(*(p[0] for p in PARAMS))
        return
    up = w.up()
    shipped = None if up else w.shipped()
    where = st.empty()  # a first visit: the recording at once (said here), the live processes when they are ready
    if up or shipped is not None:
        r = live(s, w)
        if r is not None:
            replay.step_through(T, PL, r, lambda: eq_result(w))
        equivalence(s, w)
        buckets(s, w)
        measured(s)
    st.header(T("walk"))
    walkthrough(walk_text(w), PRESETS)
    if w.recorded:
        with where.container():
            jobs.recorded_caption(w.recorded[0])
    publish(*(p[0] for p in PARAMS))


def controls() -> Settings:
    """World size, the all-reduce to replay and its buffer size, bound to the URL."""
    bind_all(PARAMS)
    with page.controls_box(T):
        c = st.columns([1, 2, 1])
        n = c[0].segmented_control(T("n"), [2, 3, 4], key="n") or 3
        method = c[1].segmented_control(T("method"), list(TASKS), format_func=page.formatter(T, "m", list(TASKS)),
                                        key="method") or "ring"
        size = c[2].select_slider(T("size"), SIZES, key="size")
    return Settings(int(n), method, int(size))


main()
