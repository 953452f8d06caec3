"""The search bench's peers and queries (bench-only, like engine.search.bench): tantivy and SQLite FTS5 over the
same jieba tokens as this engine, and the query sets drawn from the corpus, with the raw strings a user would
type and the analysis a peer gets. tantivy is imported when a Tantivy is made (requirements-bench.txt)."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from pathlib import Path

from engine.search.analyzer import Analyzer

KINDS = ("term", "and", "or", "phrase")


def draw_queries(tokens: list[list[tuple[str, int]]], df: Counter, n: int, seed: int) -> dict[str, list[list[str]]]:
    """Term lists per kind, drawn from real documents so every query matches something."""
    rng = random.Random(seed)
    usable = sorted(t for t, c in df.items() if 2 <= c <= 20_000)  # sorted: set order varies per process
    out: dict[str, list[list[str]]] = {k: [] for k in KINDS}
    out["term"] = [[t] for t in rng.sample(usable, n)]
    while len(out["and"]) < n or len(out["phrase"]) < n:
        toks = tokens[rng.randrange(len(tokens))]
        if len(toks) < 4:
            continue
        terms = list(dict.fromkeys(t for t, _ in toks if df[t] <= 20_000))
        if len(out["and"]) < n and len(terms) >= 2:
            out["and"].append(rng.sample(terms, 2))
        i = rng.randrange(len(toks) - 1)
        (a, pa), (b, pb) = toks[i], toks[i + 1]
        if len(out["phrase"]) < n and pb > pa and a != b and pb - pa == len(a):
            out["phrase"].append([a, b])
    out["or"] = [[rng.choice(usable), rng.choice(usable)] for _ in range(n)]
    return out


def analyse_raw(an: Analyzer, kind: str, q: str) -> list[str]:
    """What a peer gets: the raw query analysed by jieba the way the query syntax splits it."""
    if kind == "or":
        return [t for part in q.split(" OR ") for t in an.terms(part, mode="precise")]
    return an.terms(q.strip('"'), mode="precise")


def raw(kind: str, terms: list[str]) -> str:
    """The query string a user would type."""
    joined = {"term": terms[0], "and": " ".join(terms), "or": " OR ".join(terms), "phrase": "".join(terms)}[kind]
    return f'"{joined}"' if kind == "phrase" else joined


class Tantivy:
    """tantivy over space-joined jieba tokens (whitespace tokenizer, positions indexed)."""

    def __init__(self, path: Path) -> None:
        import tantivy

        self.t = tantivy
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("body", stored=False, tokenizer_name="whitespace", index_option="position")
        sb.add_unsigned_field("n", stored=True, fast=True, indexed=False)
        self.schema = sb.build()
        self.index = tantivy.Index(self.schema, path=str(path))

    def build(self, token_lists: list[list[str]]) -> None:
        w = self.index.writer(heap_size=200_000_000, num_threads=1)
        for n, toks in enumerate(token_lists):
            doc = self.t.Document()
            doc.add_text("body", " ".join(toks))
            doc.add_unsigned("n", n)
            w.add_document(doc)
        w.commit()
        w.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def query(self, kind: str, terms: list[str]):
        q = self.t.Query
        if kind == "phrase":
            return q.phrase_query(self.schema, "body", terms)
        parts = [q.term_query(self.schema, "body", t) for t in terms]
        if kind == "term":
            return parts[0]
        occur = self.t.Occur.Must if kind == "and" else self.t.Occur.Should
        return q.boolean_query([(occur, p) for p in parts])

    def top10(self, kind: str, terms: list[str]) -> list:
        return self.searcher.search(self.query(kind, terms), 10).hits

    @staticmethod
    def syntax(kind: str, terms: list[str]) -> str:
        """The analysed query in tantivy's query language: quoted tokens (so no token reads as an operator)."""
        esc = [t.replace("\\", "\\\\").replace('"', '\\"') for t in terms]
        if kind == "phrase":
            return '"' + " ".join(esc) + '"'
        return (" OR " if kind == "or" else " AND ").join(f'"{t}"' for t in esc)

    def top10_raw(self, kind: str, terms: list[str]) -> list:
        """Top 10 for the query string tantivy's own parser reads (the raw-string path)."""
        return self.searcher.search(self.index.parse_query(self.syntax(kind, terms), ["body"]), 10).hits

    def all_ids(self, kind: str, terms: list[str]) -> set[int]:
        res = self.searcher.search(self.query(kind, terms), 100_000)
        return {self.searcher.doc(addr)["n"][0] for _, addr in res.hits}


class Fts5:
    """SQLite FTS5 (contentless, positions kept) over space-joined jieba tokens."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path)

    def build(self, token_lists: list[list[str]]) -> None:
        self.db.execute("CREATE VIRTUAL TABLE t USING fts5(body, content='', tokenize='unicode61 remove_diacritics 0')")
        self.db.executemany("INSERT INTO t(rowid, body) VALUES (?, ?)",
                            ((n, " ".join(toks)) for n, toks in enumerate(token_lists)))
        self.db.commit()
        self.db.execute("INSERT INTO t(t) VALUES ('optimize')")
        self.db.commit()

    @staticmethod
    def match(kind: str, terms: list[str]) -> str:
        quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
        if kind == "phrase":
            return '"' + " ".join(t.replace('"', '""') for t in terms) + '"'
        return (" OR " if kind == "or" else " AND ").join(quoted)

    def top10(self, kind: str, terms: list[str]) -> list:
        return self.db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10",
                               (self.match(kind, terms),)).fetchall()

    top10_raw = top10  # FTS5 has no query API besides its MATCH syntax

    def all_ids(self, kind: str, terms: list[str]) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT rowid FROM t WHERE t MATCH ?", (self.match(kind, terms),))}
