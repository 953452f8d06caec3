"""The K sweep in the collapse view: codes used and held-out MSE against the codebook size, from the recording
the bench made (labelled with when and where), and its data as CSV."""

from __future__ import annotations

import streamlit as st

from engine.vqvae import plots as P
from engine.vqvae.ksweep import load_ksweep
from ui import page
from ui.vqvae.runs import T, labels


def view() -> None:
    """The recorded sweep, or nothing when no recording of today's settings ships."""
    rec = load_ksweep()
    if rec is None:
        return
    st.subheader(T("ksweep.title"))
    rules = list(dict.fromkeys(r["rule"] for r in rec.rows))
    st.plotly_chart(P.k_sweep(rec.rows, {u: T(f"rule.{u}") for u in rules}, labels=labels()), width="stretch")
    by = {(r["k"], r["rule"]): r for r in rec.rows}
    ks = sorted({r["k"] for r in rec.rows})
    top = ks[-1]
    st.markdown(T("ksweep.says", **{f"used_{u}": by[(top, u)]["codes_used"] for u in rules}, top=top,
                  lo_k=ks[0], mse_lo=f"{by[(ks[0], 'ema_restart')]['mse']:.4f}",
                  mse_hi=f"{by[(top, 'ema_restart')]['mse']:.4f}"))
    st.caption(T("ksweep.recorded", date=rec.date, cpu=rec.machine.get("cpu", "?"), command=rec.command,
                 steps=f"{rec.settings['steps']:,}", seed=rec.settings["seed"], seconds=f"{rec.seconds:.0f}"))
    page.csv_download(T("ksweep.csv"), rec.rows, "vqvae_k_sweep.csv")
