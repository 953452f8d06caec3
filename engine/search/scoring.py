"""BM25 exactly as stated, and its explanation as a tree of named factors (like Elasticsearch's _explain).

    score(d) = Σ_t idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))
    idf(t)   = ln(1 + (N − df + 0.5) / (df + 0.5))

N, df and avgdl count live documents; dl is the number of tokens the analyzer emitted for the text.
No length quantisation (unlike Lucene's one-byte norms). Per-term contributions are computed once as
float64 arrays and summed in query-term order; the explanation reads those same numbers back, so
its top value equals the hit's score bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Explanation:
    """A value, what it is, and the factors it was computed from."""

    value: float
    description: str
    details: list[Explanation] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain nested dicts (for JSON or a table)."""
        return {"value": self.value, "description": self.description, "details": [d.to_dict() for d in self.details]}


def idf(n_docs: int, df: int) -> float:
    """ln(1 + (N − df + 0.5)/(df + 0.5))."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def term_scores(tf: np.ndarray, norm: np.ndarray, idf_t: float, k1: float) -> np.ndarray:
    """The BM25 contribution of one term for each candidate (0 where tf is 0); norm = k1·(1 − b + b·dl/avgdl)."""
    return (idf_t * (k1 + 1.0)) * tf / (tf + norm)  # integer tf converts exactly inside each float64 operation


def explain(term: str, contribution: float, tf: int, dl: int, idf_t: float, df: int, n_docs: int, avgdl: float,
            k1: float, b: float) -> Explanation:
    """The factor tree of one term's contribution (its value is `contribution` itself)."""
    tf_part = (tf * (k1 + 1.0)) / (tf + k1 * (1.0 - b + b * dl / avgdl))
    return Explanation(contribution, f"weight(text:{term}) = idf × tf-norm", [
        Explanation(idf_t, "idf = ln(1 + (N − df + 0.5) / (df + 0.5))", [
            Explanation(float(n_docs), "N: live documents"),
            Explanation(float(df), "df: live documents with the term")]),
        Explanation(tf_part, "tf-norm = tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))", [
            Explanation(float(tf), "tf: occurrences in this document"), Explanation(k1, "k1"), Explanation(b, "b"),
            Explanation(float(dl), "dl: tokens in this document"),
            Explanation(avgdl, "avgdl: mean dl of live documents")]),
    ])
