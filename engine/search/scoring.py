"""BM25 exactly as stated, and its explanation as a tree of named factors (like Elasticsearch's _explain).

    score(d) = Σ_t idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))
    idf(t)   = ln(1 + (N − df + 0.5) / (df + 0.5))

N, df and avgdl count live documents (Lucene counts deleted ones until a merge); dl is the number of tokens
the analyzer emitted for the text, overlapping tokens of jieba's full and search modes included (a token count,
not a count of positions).
No length quantisation (unlike Lucene's one-byte norms). Per-term contributions are computed once as
float64 arrays and summed in query-term order; the explanation reads those same numbers back, so
its top value equals the hit's score bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from engine.messages import define, english

define({
    "expl.score": "score = Σ BM25 weight of each matched query term",
    "expl.weight": "weight(text:{term}) = idf × tf-norm",
    "expl.idf": "idf = ln(1 + (N − df + 0.5) / (df + 0.5))",
    "expl.n_docs": "N: live documents",
    "expl.df": "df: live documents with the term",
    "expl.tf_norm": "tf-norm = tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))",
    "expl.tf": "tf: occurrences in this document",
    "expl.k1": "k1",
    "expl.b": "b",
    "expl.dl": "dl: tokens in this document",
    "expl.avgdl": "avgdl: mean dl of live documents",
})


@dataclass
class Explanation:
    """A value, what it is (a declared code such as "expl.weight", with its parameters), and the factors it
    was computed from. Read the parts by code, never by parsing the English `description`."""

    value: float
    code: str
    params: dict[str, object] = field(default_factory=dict)
    details: list[Explanation] = field(default_factory=list)

    @property
    def description(self) -> str:
        """The English default of what this value is."""
        return english(self.code, self.params)

    def part(self, code: str) -> Explanation | None:
        """The first direct factor with this code, or None."""
        return next((d for d in self.details if d.code == code), None)


def idf(n_docs: int, df: int) -> float:
    """ln(1 + (N − df + 0.5)/(df + 0.5))."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def length_norm(dl, avgdl: float, k1: float, b: float):
    """k1·(1 − b + b·dl/avgdl): BM25's length factor, for one dl or an array of them."""
    return k1 * (1.0 - b + b * dl / avgdl)


def weight(w: float, tf, norm):
    """One term's BM25 contribution w·tf / (tf + norm) with w = idf·(k1+1) and norm = length_norm(dl): the one
    expression every scorer and the explanation use (0 where tf is 0; scalars or arrays alike)."""
    return w * tf / (tf + norm)  # integer tf converts exactly inside each float64 operation


def term_scores(tf: np.ndarray, norm: np.ndarray, idf_t: float, k1: float) -> np.ndarray:
    """The BM25 contribution of one term for each candidate, or for one candidate given scalars (0 where tf is 0)."""
    return weight(idf_t * (k1 + 1.0), tf, norm)


def explain(term: str, contribution: float, tf: int, dl: int, idf_t: float, df: int, n_docs: int, avgdl: float,
            k1: float, b: float) -> Explanation:
    """The factor tree of one term's contribution (its value is `contribution` itself)."""
    tf_part = weight(k1 + 1.0, tf, length_norm(dl, avgdl, k1, b))
    return Explanation(contribution, "expl.weight", {"term": term}, [
        Explanation(idf_t, "expl.idf", {}, [Explanation(float(n_docs), "expl.n_docs"),
                                             Explanation(float(df), "expl.df")]),
        Explanation(tf_part, "expl.tf_norm", {}, [
            Explanation(float(tf), "expl.tf"), Explanation(k1, "expl.k1"), Explanation(b, "expl.b"),
            Explanation(float(dl), "expl.dl"), Explanation(avgdl, "expl.avgdl")]),
    ])
