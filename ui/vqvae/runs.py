"""The trained models every view of the VQ-VAE page reads: the shipped checkpoints or a live run in the
background, their held-out statistics, where they come from, and the rule picker."""

from __future__ import annotations

import streamlit as st

from engine.vqvae import codebook_stats, load_digits
from engine.vqvae import plots as P
from engine.vqvae.model import UPDATES
from engine.vqvae.train import SHIPPED, RunSettings, load_shipped, run, shipped_path
from ui import jobs, page
from ui.cache import shared_resource, shared_result
from ui.chrome import device_label
from ui.i18n import plot_labels, translator
from ui.state import publish
from ui.text.vqvae import TEXT

T = translator(TEXT)


def labels() -> dict[str, str]:
    """The engine's plot labels in the visitor's language (read at draw time)."""
    return plot_labels(TEXT, P.LABELS)


def shipped():
    """The three shipped models, loaded once for the whole server."""
    return shared_resource("vqvae-shipped", load_shipped)


def pace_s() -> float:
    """Seconds per rule-step, from the shipped run on this machine kind (the estimate of a live run)."""
    return sum(h.seconds for _, h in shipped().values()) / (len(UPDATES) * SHIPPED.steps)


def models(settings: RunSettings, start_now: bool = False):
    """The three trained rules for `settings`: the shipped checkpoints for the defaults, else a live run (in the
    background, shared by every visitor once done); None while it has not run."""
    if settings == SHIPPED:
        return shipped()
    return jobs.background(("vqvae", settings), lambda tick: run(settings, callback=lambda i, _n, h: tick(
        i + 1, f"{h.update}: {h.codes_used[-1]} codes")), total=len(UPDATES) * settings.steps,
        start_now=start_now, unit_s=pace_s())


def stats(runs, settings: RunSettings) -> dict:
    """Each rule's codebook statistics on the held-out digits (computed once per settings, shared)."""
    x = load_digits()
    return shared_result(("vq-stats", settings), lambda: {u: codebook_stats(m, x) for u, (m, _) in runs.items()})


def source(runs, settings: RunSettings, rule: str | None = None) -> None:
    """Say where the drawn model comes from (a shipped checkpoint or a live run) and where it was evaluated."""
    m, h = runs[rule or next(iter(runs))]
    where = device_label(next(m.parameters()).device)
    if settings == SHIPPED:
        name = ", ".join(shipped_path(u).name for u in ([rule] if rule else runs))
        st.caption(T("source.shipped" if rule else "source.shipped_all", file=name, steps=f"{len(h.reconstruction):,}",
                     seed=settings.seed, device=where))
    else:
        st.caption(T("source.live", steps=f"{len(h.reconstruction):,}", seed=settings.seed, device=where))


def rule() -> str:
    """The codebook rule picker (bound to the URL)."""
    picked = st.segmented_control(T("rule"), list(UPDATES), format_func=page.formatter(T, "rule", UPDATES),
                                  key="rule") or "ema_restart"
    publish("rule")
    return picked


def none_yet() -> None:
    """What a view says while its settings have not been trained."""
    st.info(T("train.needed"))
