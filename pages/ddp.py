"""Distributed data parallel on real gloo processes: the ring all-reduce step by step, DDP against one process,
gradient buckets overlapping backward, and measured all-reduce times with their α–β fit."""

import os
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from engine import recorded
from engine.ddp import (
    MISTAKES,
    ClusterError,
    bucket_timeline,
    ddp_vs_single,
    fit,
    is_warm,
    naive_ring_allreduce,
    no_sync_accumulation,
    parameter_server_allreduce,
    ring_allreduce,
    ring_terms,
    snapshot,
    warm_cluster,
)
from engine.ddp import plots as P
from engine.ddp.bench import measure_steps, measure_sweep, steps_settings, sweep_settings
from engine.ddp.buckets import WIDTHS
from engine.ddp.cluster import stops
from engine.ddp.equivalence import ALLREDUCES
from engine.ddp.models import MODELS
from engine.messages import CodedError
from ui import ddp_replay, ddp_wire, ddp_yours, jobs, page
from ui.cache import cached_result, shared_result, store_result
from ui.chrome import ensure_navigation
from ui.i18n import plot_labels, say, translator
from ui.state import bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.ddp import TEXT

ensure_navigation()
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
TASKS = {"ring": ring_allreduce, "naive_ring": naive_ring_allreduce, "parameter_server": parameter_server_allreduce}
SIZES = [6, 12, 24, 48]  # elements in the replayed buffer: small enough to show every value
CAPS = [0.25, 1.0, 4.0, 25.0, 64.0]
MISTAKE_CHOICES = ["none", *MISTAKES]
VIEWS = ["live", "yours"]
RECORDED_USED: list = []  # this run drew these shipped results (the page's script runs afresh each time)
PARAMS = [("n", 3, int_in(2, 4)), ("method", "ring", choice(list(TASKS))), ("size", 12, number_in(SIZES)),
          ("state", 0, int_in(0, 12)), ("model", "mlp", choice(list(MODELS))),
          ("dtype", "float32", choice(["float32", "float64"])), ("mistake", "none", choice(MISTAKE_CHOICES)),
          ("cap", 4.0, number_in(CAPS)), ("view", "live", choice(VIEWS)),
          ("allreduce", "ring", choice(list(ALLREDUCES))), ("replay", "buffer", choice(ddp_replay.REPLAYS))]
PRESETS = {1: {"n": 3, "method": "ring", "state": 0}, 2: {"n": 4, "method": "naive_ring", "state": 0},
           3: {"mistake": "none", "dtype": "float64"}, 4: {"mistake": "sum_reduction", "dtype": "float32"},
           5: {"mistake": "batchnorm_without_sync", "model": "bn"}, 6: {"cap": 25.0}, 7: {"cap": 1.0},
           8: {"view": "yours"}, 9: {"replay": "ddp", "allreduce": "ring", "state": 0}}
FORMULAS = (r"g = \tfrac{1}{N}\textstyle\sum_r g_r",  # one short line each: none cut off on a phone
            r"\text{bytes/rank} = \tfrac{2(N-1)}{N}\,S",
            r"t(S) \approx \alpha + \beta S")


@dataclass(frozen=True)
class Settings:
    """The cluster and the replayed all-reduce, bound to the URL."""

    n: int
    method: str
    size: int


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *FORMULAS)
    s = controls()
    if page.view_switch(T, VIEWS) == "yours":  # nothing runs on the cluster for it
        ddp_yours.view(T, PL, s.n)
        st.header(T("walk"))
        walkthrough(_walk_text(s, compute=False), PRESETS)
        publish(*(p[0] for p in PARAMS))
        return
    up = cluster(s.n)
    shipped = None if up else _shipped(s.n)
    where = st.empty()  # a first visit: the recording at once (said here), the live processes when they are ready
    if up or shipped is not None:
        r = live(s)
        if r is not None:
            ddp_replay.step_through(T, PL, r, lambda: _eq(s.n))
        equivalence(s)
        buckets(s)
        measured(s)
    st.header(T("walk"))
    walkthrough(_walk_text(s), PRESETS)
    if RECORDED_USED:
        with where.container():
            jobs.recorded_caption(RECORDED_USED[0])
    publish(*(p[0] for p in PARAMS))


def controls() -> Settings:
    """World size, the all-reduce to replay and its buffer size, bound to the URL."""
    bind_all(PARAMS)
    with st.container(border=True):
        st.subheader(T("controls"))
        c = st.columns([1, 2, 1])
        n = c[0].segmented_control(T("n"), [2, 3, 4], key="n") or 3
        method = c[1].segmented_control(T("method"), list(TASKS), format_func=page.formatter(T, "m", list(TASKS)),
                                        key="method") or "ring"
        size = c[2].select_slider(T("size"), SIZES, key="size")
    return Settings(int(n), method, int(size))


def cluster(n: int) -> bool:
    """Whether the shared cluster of `n` processes is up; while it starts, its progress (a first start costs a
    few seconds of `import torch` per process)."""
    if is_warm(n):
        return True
    calls = snapshot.default_calls(n)
    ok = jobs.background(("ddp-start", n, stops(n)), lambda tick: _start(n, tick, calls), total=n + len(calls),
                         auto=True, isolate=False,
                         wait_s=0.0 if _shipped(n) is not None else jobs.WAIT_S)  # the recording shows meanwhile
    if ok is None:
        st.caption(T("starting.shipped" if _shipped(n) is not None else "starting", n=n))
        return False
    return True


def _start(n: int, tick, calls: list) -> bool:
    """Start the processes, then run the default view's tasks on them into the shared cache, so that the page's
    rerun that replaces the recording finds them done."""
    cl = warm_cluster(n, progress=lambda done, total: tick(done, f"{done}/{total}"))
    for i, (key, task, kwargs) in enumerate(calls, start=1):
        if not cached_result(("ddp", n, key))[0]:
            store_result(("ddp", n, key), cl.run(task, **kwargs))
        tick(n + i, f"{i}/{len(calls)}")
    return True


def _shipped(n: int):
    """The shipped recording of the default view on `n` processes ((Recorded, {key: result}), or None)."""
    return snapshot.load(n)


def _run(n: int, key: tuple, task, **kwargs):
    """A task's result on the shared cluster (cached for everyone), or None after showing why it failed; while the
    cluster starts, the shipped default view's result for `key` (None when the recording has no such result)."""
    if not is_warm(n):  # a live result from before the idle processes were stopped, else the recording's
        found, value = cached_result(("ddp", n, key))
        if found:
            return value
        shipped = _shipped(n)
        value = shipped[1].get(snapshot.key_of(key)) if shipped is not None else None
        if value is not None:
            RECORDED_USED.append(shipped[0])
        return value
    try:
        return shared_result(("ddp", n, key), lambda: warm_cluster(n).run(task, **kwargs))
    except (ClusterError, CodedError) as e:
        st.error(say(e))
        return None


def live(s: Settings):
    """Part 3: the chosen all-reduce on every process, beside the other two, with bytes, exactness and time."""
    st.header(T("live"))
    st.caption(T("where", n=s.n))
    _cores_note(s.n, os.cpu_count())
    results = {m: _run(s.n, ("allreduce", m, s.size), TASKS[m], size=s.size) for m in TASKS}
    if any(r is None for r in results.values()):
        return None
    r = results[s.method]
    c = st.columns(4)
    c[0].metric(T("sent"), f"{max(r.bytes_sent_per_rank)} B")
    c[1].metric(T("equal"), T("yes") if r.result_equal_to_gloo else T("no"))
    c[2].metric(T("err64"), f"{r.max_abs_err_vs_float64:.1e}")
    c[3].metric(T("same"), T("yes") if r.replicas_identical else T("no"))
    st.caption(T("against", v=f"{r.ideal_bytes_per_rank:g}", g=f"{r.gloo_err_vs_float64:.1e}"))
    table = [{T("col.method"): T(f"m.{m}"), T("col.sent"): " / ".join(map(str, x.bytes_sent_per_rank)),
              T("col.formula"): f"{x.ideal_bytes_per_rank:g}", T("col.messages"): len(x.events),
              T("col.equal"): T("yes") if x.result_equal_to_gloo else T("no"),
              T("col.same"): T("yes") if x.replicas_identical else T("no")}
             for m, x in results.items()]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    st.caption(T("live.note", n=s.n, s=r.buffer_bytes))
    return r


def _eq_choice() -> tuple[str, str, str | None, str]:
    """The equivalence panel's model, dtype, mistake and all-reduce, as its controls (bound to the URL) hold them."""
    ss = st.session_state
    mistake = ss.get("mistake") or "none"
    return (ss.get("model") or "mlp", ss.get("dtype") or "float32", None if mistake == "none" else mistake,
            ss.get("allreduce") or "ring")


def _eq(n: int, dtype: str | None = None, compute: bool = True, **fixed):
    """DDP against one process with the panel's settings (or another dtype, mistake-free, for the walkthrough, or
    `fixed` model, dtype, wrong, allreduce); without `compute`, only a cached or shipped result (else None)."""
    model, dt, wrong, allreduce = _eq_choice()
    if dtype is not None:
        dt, wrong = dtype, None
    model, dt = fixed.get("model", model), fixed.get("dtype", dt)
    wrong, allreduce = fixed.get("wrong", wrong), fixed.get("allreduce", allreduce)
    key = ("eq", model, dt, wrong, allreduce)
    if not compute and is_warm(n):
        found, value = cached_result(("ddp", n, key))
        return value if found else None
    return _run(n, key, ddp_vs_single, model=model, steps=10, batch=64, dtype=dt, mistake=wrong, allreduce=allreduce)


def equivalence(s: Settings) -> None:
    """DDP on N shards against one process on the whole batch, per step, and the mistake selector."""
    st.header(T("eq"))
    c = st.columns([1, 1, 2, 2])
    c[0].segmented_control(T("model"), list(MODELS), format_func=page.formatter(T, "model", MODELS), key="model")
    dtype = c[1].segmented_control(T("dtype"), ["float32", "float64"], key="dtype") or "float32"
    mistake = c[2].selectbox(T("mistake"), MISTAKE_CHOICES, format_func=page.formatter(T, "mistake", MISTAKE_CHOICES),
                           key="mistake")
    c[3].segmented_control(T("allreduce"), list(ALLREDUCES), format_func=page.formatter(T, "allreduce", ALLREDUCES),
                           key="allreduce")
    wrong = None if mistake == "none" else mistake
    eq = _eq(s.n)
    if eq is None:
        return
    if wrong is None:
        (st.success if eq.equal else st.error)(say(eq.explanation))
    elif eq.equal:
        st.warning(say(eq.explanation))
    else:
        st.error(say(eq.explanation))
    page.notes(eq.notes)
    if eq.buckets:
        st.caption(T("eq.ring", k=len(eq.buckets), b=sum(b.allreduce.buffer_bytes for b in eq.buckets),
                     ok=T("yes") if all(b.allreduce.result_equal_to_gloo for b in eq.buckets) else T("no")))
    st.plotly_chart(P.gap_figure(eq, PL), width="stretch")
    st.caption(T("eq.after", after=f"{eq.param_diff_after:.1e}", replicas=f"{eq.replicas_max_diff:.1e}",
                 shards=" + ".join(map(str, eq.shard_sizes)), batch=eq.batch, steps=eq.steps))
    page.csv_download(T("csv.eq"), [{"step": i + 1, "max_grad_diff": d, "rounding": q, "loss": loss}
                                    for i, (d, q, loss) in enumerate(zip(eq.per_step_grad_diff, eq.rounding,
                                                                         eq.losses, strict=True))], "ddp_vs_single.csv")
    acc = _run(s.n, ("acc", dtype), no_sync_accumulation, micro=4, batch=32, dtype=dtype)
    if acc is not None:
        (st.success if acc.equal else st.error)(say(acc.explanation))


def buckets(s: Settings) -> None:
    """When each gradient bucket's all-reduce ran against backward, for a chosen bucket_cap_mb."""
    st.header(T("buckets"))
    st.markdown(T("buckets.intro"))
    cap = st.select_slider(T("cap"), CAPS, key="cap", format_func=lambda v: f"{v:g} MB")
    tl = _run(s.n, ("timeline", cap), bucket_timeline, bucket_cap_mb=cap)
    if tl is None:
        return
    st.plotly_chart(P.timeline_figure(tl, PL), width="stretch")
    st.caption(T("overlap.yes" if tl.overlaps else "overlap.no", k=len(tl.buckets),
                 first=f"{tl.buckets[0].launch_ms:.1f}", last=f"{tl.last_grad_ms:.1f}",
                 p=f"{tl.parameters / 1e6:.1f}", mb=f"{tl.gradient_bytes / 2**20:.0f}"))
    page.csv_download(T("csv.buckets"), [b.__dict__ for b in tl.buckets], "bucket_timeline.csv")


def measured(s: Settings) -> None:
    """Part 5: all-reduce time against buffer size for the four methods with the α–β fit, and step time with and
    without no_sync; shipped recordings first, measured again on request, in the background."""
    st.header(T("measured"))
    st.markdown(T("measured.intro"))
    go = st.button(T("measure", n=s.n), key="measure")
    ddp_wire.section(T, s.n, go)
    rec = recorded.matching("ddp", [f"allreduce_n{s.n}"], sweep_settings(s.n))
    rows = jobs.live_or_recorded(("ddp-sweep", s.n), lambda tick: measure_sweep(warm_cluster(s.n), _ticks(tick)),
                                 total=7, start_now=go, rec=rec, isolate=False)  # the server's warm world
    if rows:
        _cores_note(s.n, rec.machine.get("cores") if rec is not None and rows is rec.rows else os.cpu_count())
        fits = {m: fit(rows, m) for m in ("ring", "gloo", "naive_ring", "parameter_server")}
        st.plotly_chart(P.times_figure(rows, fits, PL), width="stretch")
        per_step, per_wire = ring_terms(fits["ring"], s.n)
        st.caption(T("fit", a=f"{per_step:.3f}", b=f"{per_wire:.3f}",
                     err=", ".join(f"{T(f'm.{m}')} {f.worst_held_out:.0%}" for m, f in fits.items())))
        if any(r["busy"] for r in rows):
            st.caption(T("busy"))
        page.csv_download(T("csv.times"), rows, f"allreduce_times_n{s.n}.csv")
    st.subheader(T("steps"))
    steps = jobs.live_or_recorded(("ddp-steps", s.n), lambda tick: measure_steps(warm_cluster(s.n), _ticks(tick)),
                                  total=len(WIDTHS), start_now=go, isolate=False,
                                  rec=recorded.matching("ddp", [f"steps_n{s.n}"], steps_settings(s.n)))
    if steps:
        st.plotly_chart(P.steps_figure(steps, PL), width="stretch")
        page.csv_download(T("csv.steps"), steps, f"no_sync_steps_n{s.n}.csv")


def _cores_note(n: int, cores: int | None) -> None:
    """Say so when the ranks outnumber the cores of the machine that ran them: they then take turns on a core,
    and every time includes that waiting."""
    if cores and n > cores:
        st.caption(T("cores", n=n, cores=cores))


def _walk_text(s: Settings, compute: bool = True):
    """The walkthrough's text: its float64 equivalence step formatted from that run (live, or the shipped recording
    while the processes start; without `compute`, only what is cached or shipped), the nccl-tests step from the
    bundled example, the bucket step from DDP's real bucket."""
    def text(key: str, **kw) -> str:
        if key == "walk.8":
            ex = ddp_yours.example_run()
            a, b = ex.fit()
            return T(key, n=ex.world_size, k=len(ex.rows), a=f"{a:.3g}", b=f"{b:.4g}", bad=len(ex.problems))
        if key == "walk.9":
            eq = _eq(s.n, model="mlp", dtype="float32", wrong=None, allreduce="ring", compute=compute)
            if eq is None or not eq.buckets:
                return T("walk.9.pending")
            b = eq.buckets[0]
            return T(key, p=b.parameters, e=b.allreduce.size, n=eq.world_size, steps=2 * (eq.world_size - 1))
        if key != "walk.3":
            return T(key, **kw)
        eq = _eq(s.n, dtype="float64", compute=compute)
        if eq is None:
            return T("walk.3.pending")
        ratio = max(d / q if q else 0.0 for d, q in zip(eq.per_step_grad_diff, eq.rounding, strict=True))
        return T("walk.3", gap=f"{max(eq.per_step_grad_diff):.1e}", ratio=f"{ratio:.1f}", n=eq.world_size,
                 steps=eq.steps)
    return text


def _ticks(tick):
    return lambda done, total: tick(done, f"{done}/{total}")


main()
