"""The "why" view (part 5): a scan against a posting-list lookup as the collection grows, recorded and re-measured
live, and beside it the same kinds of query on tantivy and SQLite FTS5 as the search bench measured them."""

import pandas as pd
import streamlit as st

from engine import recorded
from engine.search import plots as P
from engine.search.corpus import demo_corpus
from engine.search.inspect import RACE_SIZES, race
from ui import jobs, page
from ui.i18n import plot_labels, translator
from ui.search.session import Settings, base_analyzer
from ui.text.search import TEXT

T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
PEERS = {"glassbox": "glassbox", "tantivy": "tantivy", "fts5": "FTS5"}  # the bench's engines, as the table names them


def view(s: Settings) -> None:
    """Part 5: scanning every document against one posting-list lookup as the collection grows (df held
    fixed), recorded on this machine kind and re-measured live in the background; beside it, the same kinds
    of query on tantivy and SQLite FTS5, as the search bench measured them."""
    st.markdown(T("why.intro"))
    rec = recorded.matching("search", [f"race-{s.mode}"], {"sizes": RACE_SIZES})
    go = st.button(T("why.run"), type="primary")
    if rec is not None:
        jobs.estimate_caption(rec.seconds)
    rows = jobs.live_or_recorded(("race", s.mode), lambda tick: race(
        demo_corpus(), base_analyzer(s.mode), RACE_SIZES, progress=lambda d, n: tick(d, f"{d}/{n}")),
        total=len(RACE_SIZES), start_now=go, unit_s=rec and rec.seconds / len(RACE_SIZES), rec=rec)
    if rows is not None:
        race_table(rows)
    peers = recorded.load("search", "peers")
    if peers is not None:
        peer_table(peers)


def race_table(rows: list[dict]) -> None:
    """The race's figure and table: each time the median of interleaved rounds with its fastest and slowest
    round, beside the counts load cannot change."""
    st.plotly_chart(P.race_figure(rows, PL), width="stretch")
    if any(r.get("busy") for r in rows):
        st.warning(T("why.busy"))

    def ms(r: dict, side: str) -> str:
        return f"{r[f'{side}_ms']:.4f} ({r[f'{side}_lo_ms']:.4f}–{r[f'{side}_hi_ms']:.4f})"

    st.dataframe(pd.DataFrame([{T("why.col.docs"): r["docs"], T("why.col.scan"): ms(r, "scan"),
                                T("why.col.inverted"): ms(r, "inverted"), T("why.col.df"): r["median_df"],
                                T("why.col.scan_read"): r["scan_docs_read"],
                                T("why.col.postings_read"): r["postings_read"]} for r in rows]), hide_index=True)
    st.caption(T("why.table", rounds=rows[0]["rounds"], queries=rows[0]["queries"]))
    page.csv_download(T("csv"), rows, "race.csv")


def peer_table(peers) -> None:
    """The same kinds of query on tantivy and SQLite FTS5, as the search bench measured them: each median with
    the fastest and slowest repeat's median, the 95th percentile, and our ratio to tantivy with its range."""
    st.subheader(T("peers"))
    st.markdown(T("peers.intro", docs=f"{peers.settings['documents']:,}", queries=peers.settings["queries"],
                  repeats=peers.settings["repeats"]))

    def p50(r: dict, e: str) -> str:
        return f"{r[f'{e}_p50_ms']:.4f} ({r[f'{e}_p50_lo_ms']:.4f}–{r[f'{e}_p50_hi_ms']:.4f})"

    rows = []
    for r in peers.rows:
        kind = PL[f"op_{r['kind']}"] if f"op_{r['kind']}" in PL else r["kind"]
        rows.append({T("peers.kind"): kind, **{f"{name} p50 (ms)": p50(r, e) for e, name in PEERS.items()},
                     **{f"{name} p95 (ms)": r[f"{e}_p95_ms"] for e, name in PEERS.items()},
                     T("peers.ratio"): f"{r['glassbox_over_tantivy_p50']:.2f} "
                                       f"({r['glassbox_over_tantivy_p50_lo']:.2f}–{r['glassbox_over_tantivy_p50_hi']:.2f})"})
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    jobs.recorded_caption(peers)
