"""The generate view: code grids drawn from the shipped prior at a temperature, decoded by the VQ-VAE's decoder,
with the prior's held-out bits per code beside code-frequency baselines and its training log."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st
import torch

from engine.vqvae import plots as P
from engine.vqvae.prior import RULE, generate, load_prior, prior_path
from ui import page
from ui.cache import shared_resource, shared_result
from ui.chrome import device_label
from ui.state import publish
from ui.vqvae.runs import T, labels, shipped

TEMPS = [0.0, 0.5, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0]  # the temperature control's stops ("gtemp")
SEEDS = (0, 999)  # the draw's seed ("gseed")
N = 32  # digits drawn per view
AS_TRAINED = 1.0  # the temperature at which the prior is sampled as it was trained


def prior():
    """The shipped prior, loaded once for the whole server (refused if its VQ-VAE checkpoint changed)."""
    return shared_resource("vqvae-prior", load_prior)


def draw(temperature: float, seed: int) -> dict:
    """N grids from the prior and their decoded digits, timed (cached per temperature and seed, shared)."""
    def compute() -> dict:
        start = time.perf_counter()
        codes, images = generate(prior().prior, shipped()[RULE].model, N, temperature, seed)
        return {"codes": codes, "images": images, "ms": 1e3 * (time.perf_counter() - start)}
    return shared_result(("vq-generate", temperature, seed), compute)


def nll() -> dict[str, str]:
    """The held-out bits per code the checkpoint records, the prior's and the baselines', formatted."""
    log = prior().log
    return {"ours": f"{log.heldout_bits:.2f}", "unigram": f"{log.unigram_bits:.2f}",
            "cells": f"{log.positional_bits:.2f}", "uniform": f"{log.uniform_bits:.2f}",
            "saved": f"{(log.unigram_bits - log.heldout_bits) * _cells():.1f}"}


def _cells() -> int:
    """Grid cells per digit."""
    h, w = prior().prior.grid
    return h * w


def view() -> None:
    """Sampled digits at the chosen temperature and seed, what the prior scores, and how it was trained."""
    sp = prior()
    h, w = sp.prior.grid
    st.markdown(T("gen.intro", h=h, w=w, k=sp.prior.codebook_size, cells=h * w))
    c = st.columns([3, 1])
    temperature = c[0].select_slider(T("gen.temp"), TEMPS, key="gtemp",
                                        help=T("gen.temp_help", zero=f"{TEMPS[0]:g}", one=f"{AS_TRAINED:g}"))
    seed = c[1].number_input(T("gen.seed"), *SEEDS, key="gseed")
    publish("gtemp", "gseed")
    out = draw(float(temperature), int(seed))
    st.plotly_chart(P.sample_grid(out["images"].numpy(), labels=labels()), width="stretch")
    distinct = len({tuple(g.reshape(-1).tolist()) for g in out["codes"]})
    st.caption(T("gen.caption", n=N, distinct=distinct, ms=f"{out['ms']:.0f}", device=device_label(torch.device("cpu")),
                 t=f"{temperature:g}"))
    m = st.columns(4)
    fmt = nll()
    m[0].metric(T("gen.m.ours"), fmt["ours"])
    m[1].metric(T("gen.m.unigram"), fmt["unigram"])
    m[2].metric(T("gen.m.cells"), fmt["cells"])
    m[3].metric(T("gen.m.uniform"), fmt["uniform"])
    st.markdown(T("gen.nll", **fmt, cells_n=h * w, grids=sp.log.grids.get("heldout", 0)))
    st.plotly_chart(P.prior_log(sp.log.train_bits, sp.log.validation_bits, sp.log.best_epoch, sp.log.unigram_bits,
                                labels=labels()), width="stretch")
    meta, s = sp.meta, sp.settings
    st.caption(T("gen.source", file=prior_path().name, vq=meta["vqvae"], epochs=s.epochs, best=sp.log.best_epoch,
                 fit=sp.log.grids.get("fit", 0), val=sp.log.grids.get("validation", 0),
                 seconds=f"{sp.log.seconds:.0f}", date=meta["date"], cpu=meta["machine"].get("cpu", "?")))
    page.csv_download(T("gen.csv"), pd.DataFrame(out["codes"].reshape(N, -1).numpy()).add_prefix("cell_").assign(
        temperature=temperature, seed=seed), "generated_codes.csv")


def walk(preset: dict) -> dict[str, str]:
    """The numbers a walkthrough step on this view quotes: its temperature, and the held-out bits per code."""
    return nll() | {"t": f"{preset['gtemp']:g}"}
