"""Autograd: type a program, see the graph PyTorch recorded while running it, replay backward node by node, check
it with a scalar engine of our own, and try autograd's rules in the lab."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st
import torch

from engine.autograd import (
    MAX_ELEMENTS,
    MAX_INPUTS_CHARS,
    ExprError,
    accumulation,
    backward_trace,
    build,
    compare_grads,
    detach_demo,
    explain_torch,
    explained,
    graph_of,
    inplace_on_saved,
    modes_table,
    parse,
    parse_inputs,
    scalar_grads,
    second_backward,
    to_dot,
)
from engine.autograd.build import MAX_DIMS
from engine.autograd.examples import EXAMPLES, HOOKED
from engine.autograd.parse import MAX_CHARS
from engine.timing import interleaved
from ui import autograd_custom, autograd_hessian, autograd_hooks, autograd_inplace, page
from ui.cache import shared_result
from ui.chrome import ensure_navigation
from ui.i18n import say, translator
from ui.state import bind_all, choice, int_in, number_in, publish, walkthrough
from ui.text.autograd import TEXT

ensure_navigation()
T = translator(TEXT)
DEFAULT = EXAMPLES["notes"]


def _names(raw: str) -> list[str]:
    return [x for x in raw.split(",") if x.isidentifier()]


def _text(raw: str) -> str:
    return raw[:MAX_INPUTS_CHARS + 1]  # one past the limit: a longer link is refused with the engine's message


PARAMS = [("src", DEFAULT[0], _text), ("vals", "; ".join(f"{k} = {v}" for k, v in DEFAULT[1].items()), _text),
          ("grad", DEFAULT[2], _names), ("dtype", "float64", choice(["float64", "float32"])),
          ("seed", 0, int_in(0, 10_000)), ("node", 0, int_in(0, 200)), ("calls", 3, int_in(1, 6)),
          ("hook", "", lambda s: s if s.isidentifier() else ""), ("hscale", 2.0, number_in(autograd_hooks.SCALES))]
PRESETS = {i: {"src": src, "vals": "; ".join(f"{k} = {v}" for k, v in vals.items()), "grad": grad, "node": 0}
           | HOOKED.get(name, {}) for i, (name, (src, vals, grad)) in enumerate(EXAMPLES.items(), start=1)}
FORMULAS = (r"\bar v_i = \textstyle\sum_{j} \bar v_j\, \partial v_j / \partial v_i",  # one short line each
            r"x.\mathrm{grad} \mathrel{+}= \partial\,\mathrm{out} / \partial x")


@dataclass(frozen=True)
class Settings:
    """The program, its inputs and which of them require grad, bound to the URL."""

    src: str
    vals: str
    grad: tuple[str, ...]
    dtype: str
    seed: int


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(T, *FORMULAS)
    s = controls()
    found = live(s)
    if found is not None and not autograd_inplace.refused(T, found[0]):
        run, graph = found
        trace = step_through(run, graph)
        ours(run, trace)
        autograd_hessian.section(T, run)
        autograd_hooks.section(T, run)
        lab(run)
        measured(s, run)
    autograd_custom.section(T)
    st.header(T("walk"))
    walkthrough(T, PRESETS)
    publish(*(p[0] for p in PARAMS))


def controls() -> Settings:
    """The program, its inputs and requires_grad, the dtype and the seed of the random inputs."""
    bind_all(PARAMS)
    with st.container(border=True):
        st.subheader(T("controls"))
        st.text_area(T("src"), key="src", height=100, help=T("src.help", chars=MAX_CHARS))
        c = st.columns([3, 2])
        c[0].text_input(T("vals"), key="vals", help=T("vals.help", n=MAX_ELEMENTS, dims=MAX_DIMS,
                                                           chars=MAX_INPUTS_CHARS))
        try:
            names = parse(st.session_state["src"]).inputs
        except ExprError:
            names = []
        if st.session_state.get("_grad_for", st.session_state["src"]) != st.session_state["src"] \
                and names and not set(st.session_state["grad"]) & set(names):
            st.session_state["grad"] = names  # a new program: its inputs require grad until the visitor says not
        st.session_state["_grad_for"] = st.session_state["src"]
        options = list(dict.fromkeys([*names, *st.session_state["grad"]]))
        c[1].multiselect(T("grad"), options, key="grad")
        c = st.columns(2)
        c[0].segmented_control(T("dtype"), ["float64", "float32"], key="dtype")
        c[1].number_input(T("seed"), 0, 10_000, key="seed")
    return Settings(st.session_state["src"], st.session_state["vals"], tuple(st.session_state["grad"]),
                    st.session_state["dtype"] or "float64", int(st.session_state["seed"]))


def _build(s: Settings):
    return build(parse(s.src), parse_inputs(s.vals), set(s.grad), s.dtype, s.seed)


WINDOW = 40  # characters quoted either side of an error's position: never the whole input


def live(s: Settings):
    """Part 3: run the program now, read PyTorch's graph from grad_fn and next_functions, and draw it."""
    st.header(T("live"))
    try:
        specs = parse_inputs(s.vals)
    except ExprError as e:
        page.error_at(T, "bad_inputs", e, s.vals, window=WINDOW)
        return None
    try:
        run = build(parse(s.src), specs, set(s.grad), s.dtype, s.seed)
    except ExprError as e:
        if e.code == "autograd.missing_input":
            page.error_at(T, "bad_inputs", e, s.vals, window=WINDOW)
        else:  # a torch refusal is told in the page's language, PyTorch's own words quoted below
            page.error_at(T, "bad", explained(e), s.src, window=WINDOW)
            if e.code == "autograd.torch":
                _torch_said(e.params["error"])
        return None
    g = graph_of(run)
    page.notes(g.notes)
    c = st.columns(4)
    c[0].metric(T("nodes"), sum(n.kind == "function" for n in g.nodes))
    c[1].metric(T("leaves"), sum(n.kind == "leaf" for n in g.nodes))
    c[2].metric(T("saved"), run.saved_count)
    c[3].metric(T("saved_bytes"), f"{run.saved_bytes} B")
    st.caption(T("output", name=run.expr.output, shape="×".join(map(str, run.output.shape)) or "()",
                 value=", ".join(f"{v:.6g}" for v in run.output.detach().flatten()[:6].tolist())))
    return run, g


def step_through(run, g):
    """Part 4: backward node by node, replayed from the hooks' record: the node that fired, the gradient it
    received and what it sent along each edge."""
    st.header(T("backward"))
    trace = backward_trace(run)
    if not trace.fired:
        return trace
    k = page.step_slider(T("node"), len(trace.fired), key="node")
    fired = trace.fired[:k]
    grads = {f.node: f.grad_in for f in fired}
    grads |= {n.id: trace.leaf_grads[n.name] for n in g.nodes if n.kind == "leaf" and n.name in trace.leaf_grads
              and any(f.name == "AccumulateGrad" and (n.id, f.node) in g.edges for f in fired)}
    st.graphviz_chart(to_dot(g, {"saved": T("dot.saved"), "grad": T("dot.grad")}, {f.node for f in fired},
                             fired[-1].node if fired else None, grads), width="content")
    if fired:
        f = fired[-1]
        st.markdown(T("fired", k=k, n=len(trace.fired), name=f.name, grad=_nums(f.grad_in)))
        st.caption(T("fired.sent" if f.sent else "fired.acc"))
        if f.sent:
            st.dataframe(pd.DataFrame([{T("col.to"): g.node(dst).name, T("col.sent"): _nums(v)} for dst, v in f.sent]),
                         hide_index=True, width="stretch")
    else:
        st.caption(T("before"))
    rows = [{"node": n.id, "kind": n.kind, "name": n.name, "made_by": n.made_by, "shape": "×".join(map(str, n.shape)),
             "value": _nums(n.value), "saved_bytes": sum(s.bytes for s in n.saved),
             "fired": next((f.order for f in trace.fired if f.node == n.id), ""),
             "grad": _nums(next((f.grad_in for f in trace.fired if f.node == n.id), ()))} for n in g.nodes]
    page.csv_download(T("csv"), rows, "autograd_nodes.csv")
    return trace


def _nums(v) -> str:
    return "[" + ", ".join(f"{x:.6g}" for x in v) + "]"


def ours(run, trace) -> None:
    """Our ScalarValue engine on the same program and inputs, gradient by gradient against torch's."""
    st.header(T("ours"))
    st.markdown(T("ours.intro"))
    rows = compare_grads(run, trace.leaf_grads)
    if not rows or not trace.leaf_grads:
        st.caption(T("ours.none"))
        return
    table = []
    for r in rows:
        if r.max_abs_diff is None:  # torch left .grad at None: nothing to hold our numbers against
            diff = T("diff.none")
        elif r.mixed_precision:
            diff = T("diff.mixed", diff=f"{r.max_abs_diff:.1e}", dtype=r.torch_dtype)
        else:
            diff = f"{r.max_abs_diff:.1e}"
        table.append({T("col.input"): r.name, T("col.torch", dtype=r.torch_dtype):
                      _nums(r.torch[:6]) if r.torch is not None else T("grad.none"),
                      T("col.ours"): _nums(r.ours[:6]), T("col.diff"): diff})
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")


def _torch_said(message: str) -> None:
    """PyTorch's own message, quoted as it wrote it (in English), under the sentence that says what it means."""
    st.caption(T("torch_said"))
    st.code(message, language=None)


def lab(run) -> None:
    """Accumulation, retain_graph, detach, in-place changes and the four ways to switch things off, each run."""
    st.header(T("lab"))
    calls = st.slider(T("lab.calls"), 1, 6, key="calls")
    acc = accumulation(run, calls)
    if acc.calls:
        st.markdown(T("lab.acc", leaf=acc.leaf, k=calls, first=_nums(acc.grads[0][:4]), last=_nums(acc.grads[-1][:4]),
                      err=f"{acc.worst_ratio_error:.1e}", zero=_nums(acc.after_zero[:4])))
    twice = second_backward(run)
    if twice.raised:
        st.markdown(T("lab.twice", n=twice.saved_tensors))
        st.info(say(explain_torch(twice.message)))
        _torch_said(twice.message)
    else:
        st.markdown(T("lab.twice_ok", n=twice.saved_tensors))
    d = detach_demo()
    st.markdown(T("lab.detach", same=T("yes") if d.same_storage else T("no"), v0=d.version_before, v1=d.version_after,
                  x=_nums(d.source_after_edit)))
    ip = inplace_on_saved()
    st.markdown(T("lab.inplace", v0=ip.version_saved, v1=ip.version_now))
    st.info(say(explain_torch(ip.message)))
    _torch_said(ip.message)
    rows = shared_result(("autograd-modes",), modes_table)
    yes = lambda b: T("yes") if b else T("no")  # noqa: E731 - one expression, used for every cell
    st.dataframe(pd.DataFrame([{T("col.mode"): T(f"mode.{m.mode}"), T("col.records"): yes(m.requires_grad),
                                T("col.saved"): f"{m.saved_bytes} B", T("col.inference"): yes(m.inference_tensor),
                                T("col.dropout"): yes(m.dropout_active), T("col.later"): yes(m.usable_later)}
                               for m in rows]), hide_index=True, width="stretch")
    st.caption(T("lab.modes"))


def measured(s: Settings, run) -> None:
    """Part 5: our scalar engine against torch on this program, interleaved, beside the input's size."""
    st.header(T("measured"))

    def torch_side() -> None:
        r = _build(s)
        if r.output.grad_fn is not None:
            r.output.backward(torch.ones_like(r.output))

    t = shared_result(("autograd-time", s), lambda: interleaved({"ours": lambda: scalar_grads(_build(s)),
                                                                 "torch": torch_side}, rounds=7))
    c = st.columns(3)
    c[0].metric(T("t.ours"), f"{t['ours'].median_s * 1e3:.2f} ms")
    c[1].metric(T("t.torch"), f"{t['torch'].median_s * 1e3:.2f} ms")
    c[2].metric(T("t.ratio"), f"{t['ours'].median_s / t['torch'].median_s:.2f}×")
    st.caption(T("t.note", lo=f"{t['ours'].lo_s * 1e3:.2f}", hi=f"{t['ours'].hi_s * 1e3:.2f}",
                 tlo=f"{t['torch'].lo_s * 1e3:.2f}", thi=f"{t['torch'].hi_s * 1e3:.2f}",
                 n=sum(x.numel() for x in run.inputs.values())))


main()
