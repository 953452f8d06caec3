"""The codebook-collapse view: the training settings (the page's RunSettings), each rule's usage and perplexity
side by side, the shipped seed table, the training curves, and the walkthrough's numbers from them."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from engine.vqvae import plots as P
from engine.vqvae.model import DEAD_THRESHOLD, INITS, START_COUNT, UPDATES, restart_after, unpicked_half_life
from engine.vqvae.train import SEED_TABLE, SHIPPED, RunSettings, load_seed_table, spread
from ui import jobs, page
from ui.state import publish
from ui.vqvae import ksweep
from ui.vqvae.runs import T, labels, models, pace_s, rule, shipped, source, stats

SIZES = [16, 32, 64, 128, 256]
GRIDS = ["4x4", "2x2"]
BETAS = [0.1, 0.25, 0.5, 1.0]
DECAYS = [0.9, 0.95, 0.99, 0.999]


def settings_from_state() -> RunSettings:
    """The training the controls (bound to the URL) describe: one settings object, the runs' cache key."""
    s = st.session_state
    grid = (4, 4) if s["grid"] == "4x4" else (2, 2)
    return RunSettings(int(s["steps"]), int(s["seed"]), int(s["k"]), SHIPPED.code_dim, grid, float(s["beta"]),
                       float(s["decay"]), s["cinit"] or SHIPPED.init)


def view(runs, settings: RunSettings) -> None:
    """Each rule's usage histogram and perplexity side by side; training settings and the live run."""
    PL = labels()
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
    st.segmented_control(T("train.init"), list(INITS), format_func=page.formatter(T, "init", INITS), key="cinit",
                         help=T("train.init.help"))
    publish("steps", "seed", "k", "grid", "beta", "decay", "cinit")
    if runs is None and settings != SHIPPED:
        jobs.estimate_caption(pace_s() * len(UPDATES) * settings.steps)
        if st.button(T("train.run"), type="primary"):
            runs = models(settings, start_now=True)
        if runs is None:
            return
    source(runs, settings)
    held = stats(runs, settings)
    st.plotly_chart(P.usage(held, labels=PL), width="stretch")
    st.dataframe(pd.DataFrame({
        T("col.rule"): [T(f"rule.{u}") for u in held], T("col.used"): [f"{s.codes_used} / {len(s.usage)}"
                                                                    for s in held.values()],
        T("col.perplexity"): [round(s.perplexity, 1) for s in held.values()],
        T("col.dead"): [s.dead_codes for s in held.values()], T("col.mse"): [round(s.mse, 4) for s in held.values()],
    }), hide_index=True, width="stretch")
    st.caption(T("collapse.heldout", tokens=next(iter(held.values())).tokens))
    if dataclasses.replace(settings, seed=SHIPPED.seed) == SHIPPED:
        seeds_table()
    histories = {u: h for u, (_, h) in runs.items()}
    st.subheader(T("collapse.curves"))
    st.plotly_chart(P.curves(histories, "codes_used", labels=PL), width="stretch")
    st.plotly_chart(P.curves(histories, "perplexity", labels=PL), width="stretch")
    st.caption(T("collapse.bound", tokens=next(iter(histories.values())).batch_tokens))
    st.subheader(T("collapse.losses"))
    st.plotly_chart(P.loss_terms(histories[rule()], labels=PL), width="stretch")
    page.csv_download(T("collapse.csv"), [{"rule": u, "step": i, **{k: getattr(h, k)[i] for k in (
        "reconstruction", "codebook", "commitment", "codes_used", "perplexity", "restarts")}}
        for u, h in histories.items() for i in range(len(h.reconstruction))], "vqvae_training.csv")
    ksweep.view()


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


def walk_collapse() -> dict:
    """The numbers the walkthrough's collapse step quotes: codes used by each shipped rule."""
    held = stats(shipped(), SHIPPED)
    return {**{u: held[u].codes_used for u in UPDATES}, "k": SHIPPED.codebook_size}


def walk_seeds() -> dict:
    """The numbers the walkthrough's seeds step quotes: the codebook loss's spread over the shipped seeds."""
    table = load_seed_table()
    if table is None:
        return {"seeds": "–", "lo": "?", "hi": "?", "k": SHIPPED.codebook_size, "eta": "?"}
    loss = spread(table["rows"])["loss"]["codes_used"]
    return {"seeds": ", ".join(map(str, table["seeds"])), "lo": int(loss.lo), "hi": int(loss.hi),
            "k": SHIPPED.codebook_size, "eta": jobs.estimate_text(pace_s() * len(UPDATES) * SHIPPED.steps)}
