"""VQ-VAE: a vector-quantised autoencoder trained on real digits, its codebook, the straight-through gradient,
and why codebooks collapse."""

import dataclasses

import pandas as pd
import streamlit as st
import torch

from engine.vqvae import codebook_stats, load_digits, straight_through_check
from engine.vqvae import plots as P
from engine.vqvae.ledger import bits_ledger
from engine.vqvae.model import DEAD_THRESHOLD, START_COUNT, UPDATES, restart_after, unpicked_half_life
from engine.vqvae.toy import TOY_RULES, toy_run
from engine.vqvae.train import (
    SEED_TABLE,
    SHIPPED,
    RunSettings,
    load_seed_table,
    load_shipped,
    run,
    shipped_path,
    spread,
)
from ui import jobs, page, present, vqvae_quantizers, vqvae_yours
from ui.cache import shared_resource, shared_result
from ui.chrome import device_label, ensure_navigation
from ui.i18n import plot_labels, translator
from ui.state import bind_all, choice, int_in, items_of, number_in, publish, walkthrough
from ui.text.vqvae import TEXT

ensure_navigation()
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
VIEWS = ["recon", "collapse", "straight", "toy", "bits", "fsq", "yours", "walkthrough"]
SIZES = [16, 32, 64, 128, 256]
GRIDS = ["4x4", "2x2"]
BETAS = [0.1, 0.25, 0.5, 1.0]
DECAYS = [0.9, 0.95, 0.99, 0.999]
HELD = [str(i) for i in range(48)]  # the first held-out digits offered for display
FORMULAS = (r"z_q = e_k,\quad k = \arg\min_j \lVert z_e - e_j \rVert^2",  # one short line each (a phone)
            r"L = \lVert x - \hat x \rVert^2 + \lVert \mathrm{sg}[z_e] - e \rVert^2",
            r"\qquad + \,\beta\,\lVert z_e - \mathrm{sg}[e] \rVert^2",
            r"\hat x = D\bigl(z_e + \mathrm{sg}[z_q - z_e]\bigr)")
PRESETS = {  # walkthrough step -> widget state it sets
    1: {"view": "recon", "rule": "ema_restart"},
    2: {"view": "collapse"},
    3: {"view": "recon", "rule": "loss"},
    4: {"view": "straight", "rule": "ema"},
    5: {"view": "toy", "trule": "kmeans", "tstep": 12},
    6: {"view": "toy", "trule": "ema_restart", "tstep": 12},
    7: {"view": "bits"},
    8: {"view": "collapse", "seed": 1},
    9: {"view": "fsq", "fl1": 8, "fl2": 8, "fspread": 0.25},
    10: {"view": "fsq", "rangle": 120, "rratio": 0.5, "rg": 200},
    11: {"view": "yours", "yk": 64},
    12: {"view": "fsq"},
}


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(_with(T, what=_split_counts), *FORMULAS)
    view, settings = controls()
    runs = models(settings)
    match view:
        case "recon":
            recon(runs, settings)
        case "collapse":
            collapse(runs, settings)
        case "straight":
            straight(runs, settings)
        case "toy":
            toy()
        case "bits":
            bits(runs, settings)
        case "fsq":
            vqvae_quantizers.view(T, PL)
        case "yours":
            vqvae_yours.view(T, PL, lambda: _stats(_shipped(), SHIPPED))
        case _:
            st.markdown(T("walk.intro"))
            walkthrough(_walk_text(), PRESETS)
    if present.active() and view != "walkthrough":  # presenter mode: the step's own view, its slide on the stage
        walkthrough(_walk_text(), PRESETS)
    publish("view")


def _walk_text():
    """The translator, with the numbers of the steps that quote results filled in from those results."""
    return _with(T, **{"walk.2": _walk_collapse, "walk.8": _walk_seeds,
                       "walk.9": lambda: vqvae_quantizers.walk_fsq(PRESETS[9]),
                       "walk.10": lambda: vqvae_quantizers.walk_rotation(PRESETS[10]),
                       "walk.11": lambda: vqvae_yours.walk(T), "walk.12": vqvae_quantizers.walk_study})


def controls() -> tuple[str, RunSettings]:
    """Every view's state bound to the URL, the view tabs and (in the collapse view) the training settings."""
    bind_all([("view", "recon", choice(VIEWS)), ("rule", "ema_restart", choice(list(UPDATES))),
              ("digits", HELD[:8], items_of(HELD)), ("code", 0, int_in(0, max(SIZES) - 1)),
              ("steps", SHIPPED.steps, int_in(100, 3000)), ("seed", SHIPPED.seed, int_in(0, 99)),
              ("k", SHIPPED.codebook_size, number_in(SIZES)), ("grid", "4x4", choice(GRIDS)),
              ("beta", SHIPPED.beta, number_in(BETAS)), ("decay", SHIPPED.ema_decay, number_in(DECAYS)),
              ("trule", "kmeans", choice(list(TOY_RULES))), ("tstep", 0, int_in(0, 40)), ("tk", 8, int_in(2, 16)),
              ("yk", 64, int_in(2, 1 << 20)), ("fl1", 5, int_in(3, 16)), ("fl2", 5, int_in(3, 16)),
              ("fspread", 1.0, number_in(vqvae_quantizers.SPREADS)), ("rangle", 60, int_in(-180, 180)),
              ("rratio", 1.5, number_in([0.25, 0.5, 1.0, 1.5, 2.0, 4.0])), ("rg", 200, int_in(0, 355))])
    view = page.view_switch(T, VIEWS)
    s = st.session_state
    grid = (4, 4) if s["grid"] == "4x4" else (2, 2)
    return view, RunSettings(int(s["steps"]), int(s["seed"]), int(s["k"]), SHIPPED.code_dim, grid, float(s["beta"]),
                             float(s["decay"]))


def _shipped():
    return shared_resource("vqvae-shipped", load_shipped)


def _with(tr, **fill):
    """`tr`, with the text of each key in `fill` formatted from what that function returns (computed when shown)."""
    return lambda key, **kw: tr(key, **(kw | fill[key]())) if key in fill else tr(key, **kw)


def _split_counts() -> dict:
    x = load_digits()
    return {"train": f"{len(x.train_idx):,}", "held": f"{len(x.heldout_idx):,}", "total": f"{len(x):,}"}


def _source(runs, settings: RunSettings, rule: str | None = None) -> None:
    """Say where the drawn model comes from (a shipped checkpoint or a live run) and where it was evaluated."""
    m, h = runs[rule or next(iter(runs))]
    where = device_label(next(m.parameters()).device)
    if settings == SHIPPED:
        name = ", ".join(shipped_path(u).name for u in ([rule] if rule else runs))
        st.caption(T("source.shipped" if rule else "source.shipped_all", file=name, steps=f"{len(h.reconstruction):,}",
                     seed=settings.seed, device=where))
    else:
        st.caption(T("source.live", steps=f"{len(h.reconstruction):,}", seed=settings.seed, device=where))


def _walk_collapse() -> dict:
    stats = _stats(_shipped(), SHIPPED)
    return {**{u: stats[u].codes_used for u in UPDATES}, "k": SHIPPED.codebook_size}


def _walk_seeds() -> dict:
    table = load_seed_table()
    if table is None:
        return {"seeds": "–", "lo": "?", "hi": "?", "k": SHIPPED.codebook_size, "eta": "?"}
    loss = spread(table["rows"])["loss"]["codes_used"]
    return {"seeds": ", ".join(map(str, table["seeds"])), "lo": int(loss.lo), "hi": int(loss.hi),
            "k": SHIPPED.codebook_size, "eta": jobs.estimate_text(_pace_s() * len(UPDATES) * SHIPPED.steps)}

def _pace_s() -> float:
    """Seconds per rule-step, from the shipped run on this machine kind (the estimate of a live run)."""
    return sum(h.seconds for _, h in _shipped().values()) / (len(UPDATES) * SHIPPED.steps)


def models(settings: RunSettings, start_now: bool = False):
    """The three trained rules for `settings`: the shipped checkpoints for the defaults, else a live run (in the
    background, shared by every visitor once done); None while it has not run."""
    if settings == SHIPPED:
        return _shipped()
    return jobs.background(("vqvae", settings), lambda tick: run(settings, callback=lambda i, _n, h: tick(
        i + 1, f"{h.update}: {h.codes_used[-1]} codes")), total=len(UPDATES) * settings.steps,
        start_now=start_now, unit_s=_pace_s())


def _rule() -> str:
    rule = st.segmented_control(T("rule"), list(UPDATES), format_func=page.formatter(T, "rule", UPDATES),
                                key="rule") or "ema_restart"
    publish("rule")
    return rule


def _stats(runs, settings: RunSettings) -> dict:
    """Each rule's codebook statistics on the held-out digits (computed once per settings, shared)."""
    x = load_digits()
    return shared_result(("vq-stats", settings), lambda: {u: codebook_stats(m, x) for u, (m, _) in runs.items()})


def _none_yet() -> None:
    st.info(T("train.needed"))


def recon(runs, settings: RunSettings) -> None:
    """Chosen held-out digits and their reconstructions, each one's code grid, and what one code decodes to."""
    if runs is None:
        return _none_yet()
    rule = _rule()
    m, _ = runs[rule]
    _source(runs, settings, rule)
    x = load_digits()
    chosen = st.multiselect(T("recon.digits"), HELD, key="digits", format_func=lambda i: T(
        "recon.digit", i=i, label=int(x.labels[x.heldout_idx[int(i)]]))) or HELD[:1]
    publish("digits")
    idx = x.heldout_idx[[int(i) for i in chosen]]
    with torch.no_grad():
        out = m(x.images[idx])
    st.plotly_chart(P.digits(x.images[idx].numpy(), out.recon.numpy(), [f"#{i}" for i in chosen], labels=PL),
                    width="stretch")
    st.caption(T("recon.mse", mse=f"{float(out.reconstruction):.4f}", n=len(chosen)))
    c1, c2 = st.columns(2)
    which = c1.selectbox(T("recon.which"), list(range(len(chosen))), format_func=lambda j: f"#{chosen[j]}")
    grid = out.indices[which].numpy()
    if st.session_state["code"] >= m.codebook_size:
        st.session_state["code"] = int(grid[0, 0])
    event = c1.plotly_chart(P.code_grid(grid, st.session_state["code"], labels=PL), on_select="rerun",
                            selection_mode="points", key=f"grid_{which}")
    points = getattr(getattr(event, "selection", None), "points", None) or []
    clicked = tuple(int(grid.ravel()[p["point_index"]]) for p in points if "point_index" in p)
    if clicked and clicked != st.session_state.get("code_clicked"):  # a new click, not the old selection again
        st.session_state["code"] = clicked[0]
    st.session_state["code_clicked"] = clicked
    code = c2.number_input(T("recon.code"), 0, m.codebook_size - 1, key="code")
    publish("code")
    with torch.no_grad():
        alone = m.decode_indices(torch.full((1, *m.grid), int(code)))
    c2.plotly_chart(P.image(alone[0].numpy(), labels=PL), width="stretch")
    c2.caption(T("recon.alone_caption", code=code, cells=m.grid[0] * m.grid[1]))


def collapse(runs, settings: RunSettings) -> None:
    """Each rule's usage histogram and perplexity side by side; training settings and the live run."""
    st.markdown(T("collapse.intro", after=restart_after(settings.ema_decay), threshold=f"{DEAD_THRESHOLD:g}",
                  start=f"{START_COUNT:g}", half=f"{unpicked_half_life(settings.ema_decay):,}",
                  decay=f"{settings.ema_decay:g}"))
    c = st.columns(3)
    c[0].slider(T("train.steps"), 100, 3000, step=100, key="steps")
    c[1].number_input(T("train.seed"), 0, 99, key="seed")
    c[2].select_slider(T("train.k"), SIZES, key="k")
    c = st.columns(3)
    c[0].segmented_control(T("train.grid"), GRIDS, key="grid")
    c[1].select_slider(T("train.beta"), BETAS, key="beta")
    c[2].select_slider(T("train.decay"), DECAYS, key="decay")
    publish("steps", "seed", "k", "grid", "beta", "decay")
    if runs is None and settings != SHIPPED:
        jobs.estimate_caption(_pace_s() * len(UPDATES) * settings.steps)
        if st.button(T("train.run"), type="primary"):
            runs = models(settings, start_now=True)
        if runs is None:
            return
    _source(runs, settings)
    stats = _stats(runs, settings)
    st.plotly_chart(P.usage(stats, labels=PL), width="stretch")
    st.dataframe(pd.DataFrame({
        T("col.rule"): [T(f"rule.{u}") for u in stats], T("col.used"): [f"{s.codes_used} / {len(s.usage)}"
                                                                     for s in stats.values()],
        T("col.perplexity"): [round(s.perplexity, 1) for s in stats.values()],
        T("col.dead"): [s.dead_codes for s in stats.values()], T("col.mse"): [round(s.mse, 4) for s in stats.values()],
    }), hide_index=True, width="stretch")
    st.caption(T("collapse.heldout", tokens=next(iter(stats.values())).tokens))
    if dataclasses.replace(settings, seed=SHIPPED.seed) == SHIPPED:
        seeds_table()
    histories = {u: h for u, (_, h) in runs.items()}
    st.subheader(T("collapse.curves"))
    st.plotly_chart(P.curves(histories, "codes_used", labels=PL), width="stretch")
    st.plotly_chart(P.curves(histories, "perplexity", labels=PL), width="stretch")
    st.caption(T("collapse.bound", tokens=next(iter(histories.values())).batch_tokens))
    st.subheader(T("collapse.losses"))
    st.plotly_chart(P.loss_terms(histories[_rule()], labels=PL), width="stretch")
    page.csv_download(T("collapse.csv"), [{"rule": u, "step": i, **{k: getattr(h, k)[i] for k in (
        "reconstruction", "codebook", "commitment", "codes_used", "perplexity", "restarts")}}
        for u, h in histories.items() for i in range(len(h.reconstruction))], "vqvae_training.csv")


def seeds_table() -> None:
    """The collapse table over the shipped seeds: each rule's codes used, perplexity and MSE, mean (min–max)."""
    table = load_seed_table()
    if table is None:
        return
    st.subheader(T("seeds.title", n=len(table["seeds"])))
    sp = spread(table["rows"])

    def cell(v, fmt: str, ends: str | None = None) -> str:
        return f"{v.mean:{fmt}} ({v.lo:{ends or fmt}}–{v.hi:{ends or fmt}})"

    st.dataframe(pd.DataFrame({
        T("col.rule"): [T(f"rule.{u}") for u in sp],
        T("col.used"): [cell(v["codes_used"], ".1f", ".0f") for v in sp.values()],
        T("col.perplexity"): [cell(v["perplexity"], ".1f") for v in sp.values()],
        T("col.mse"): [cell(v["mse"], ".4f") for v in sp.values()],
    }), hide_index=True, width="stretch")
    st.caption(T("seeds.caption", seeds=", ".join(map(str, table["seeds"])), steps=f"{table['settings']['steps']:,}",
                 date=table["date"], cpu=table["machine"]["cpu"], file=SEED_TABLE.name, command=table["command"]))


def straight(runs, settings: RunSettings) -> None:
    """The straight-through estimator on real tensors: what the encoder and the quantised vectors receive."""
    if runs is None:
        return _none_yet()
    st.markdown(T("st.intro"))
    rule = _rule()
    m, _ = runs[rule]
    _source(runs, settings, rule)
    x = load_digits().heldout[:32]
    chk = straight_through_check(m, x)
    c = st.columns(4)
    c[0].metric(T("st.identical"), T("yes") if chk.identical else T("no"))
    c[1].metric(T("st.max_diff"), f"{float((chk.grad_z_e - chk.grad_z_q).abs().max()):.1e}")
    c[2].metric(T("st.codebook"), f"{int(torch.count_nonzero(chk.codebook_grad_from_reconstruction))} / "
                f"{chk.codebook_grad_from_reconstruction.numel()}")
    c[3].metric(T("st.commit"), f"{chk.commitment_grad_encoder:.2e}",
                T("st.commit_delta", dec=f"{chk.commitment_grad_decoder:g}", cb=f"{chk.commitment_grad_codebook:g}"),
                delta_color="off")
    cells = m.grid[0] * m.grid[1]
    st.plotly_chart(P.gradients(chk.grad_z_e[:cells].numpy(), chk.grad_z_q[:cells].numpy(), labels=PL),
                    width="stretch")
    st.caption(T("st.caption", n=len(x), cells=cells))
    page.csv_download(T("st.csv"), pd.DataFrame(chk.grad_z_e.numpy()).assign(
        cell=range(len(chk.grad_z_e)), code=chk.indices.reshape(-1).numpy()), "straight_through_grad.csv")


def toy() -> None:
    """Points, a small codebook and its Voronoi cells in the plane, stepped through a k-means or EMA update."""
    st.markdown(T("toy.intro"))
    c1, c2 = st.columns(2)
    rule = c1.segmented_control(T("toy.rule"), list(TOY_RULES), key="trule",
                                format_func=page.formatter(T, "toy", TOY_RULES)) or "kmeans"
    k = c2.slider(T("toy.k"), 2, 16, key="tk")
    trace = shared_result(("vq-toy", rule, k), lambda: toy_run(rule, steps=40, k=k))
    step = page.step_slider(T("toy.step"), len(trace.steps) - 1, "tstep")
    publish("trule", "tk", "tstep")
    s = trace.steps[step]
    c = st.columns(3)
    c[0].metric(T("toy.distortion"), f"{s.distortion:.3f}")
    c[1].metric(T("toy.dead"), len(s.dead))
    c[2].metric(T("toy.restarted"), len(s.restarted))
    st.plotly_chart(P.toy(trace, step, labels=PL), width="stretch")
    st.caption(T("toy.caption"))
    st.caption(T("source.toy", device=device_label(trace.points.device)))


def bits(runs, settings: RunSettings) -> None:
    """What a digit costs: raw pixels against a grid of code indices, and the usage's entropy per rule."""
    st.markdown(T("bits.intro"))
    rows = bits_ledger(settings.grid, settings.codebook_size)
    if runs is not None:
        _source(runs, settings)
        rows += [dataclasses.replace(bits_ledger(settings.grid, settings.codebook_size, s.usage)[-1],
                                     what=f"entropy_{u}") for u, s in _stats(runs, settings).items()]
    st.dataframe(pd.DataFrame({
        T("bits.col.what"): [T(f"bits.{r.what}") for r in rows], T("bits.col.cells"): [r.cells for r in rows],
        T("bits.col.each"): [round(r.bits_each, 2) for r in rows], T("bits.col.bits"): [round(r.bits, 1) for r in rows],
        T("bits.col.ratio"): [f"{r.ratio:.1f}×" for r in rows],
    }), hide_index=True, width="stretch")
    st.caption(T("bits.caption"))


main()
