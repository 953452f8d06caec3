"""A brute-force reference: evaluate a query by scanning every document's analyzer tokens."""

from __future__ import annotations

import math
import unicodedata

from engine.search import Analyzer, Doc
from engine.search.query import And, Field, Node, Not, Or, Phrase, Prefix, Word
from engine.search.snapshot import keyword


class Brute:
    """Documents as token lists; queries evaluated by scanning them all."""

    def __init__(self, analyzer: Analyzer, docs: list[Doc], k1: float = 1.2, b: float = 0.75) -> None:
        self.an, self.k1, self.b = analyzer, k1, b
        self.docs = {d.id: d for d in docs}
        self.tokens = {d.id: analyzer.tokens(d.text) for d in docs}

    def match(self, node: Node) -> set[str] | None:
        everything = set(self.docs)
        if isinstance(node, Word):
            terms = self.an.terms(node.text, mode="precise")
            if not terms:
                return None
            return {i for i in everything if all(any(t.text == term for t in self.tokens[i]) for term in terms)}
        if isinstance(node, Phrase):
            q = self.an.tokens(node.text, mode="precise")
            if not q:
                return None
            out = set()
            for i in everything:
                have = {(t.text, t.pos) for t in self.tokens[i]}
                starts = {t.pos - q[0].pos for t in self.tokens[i] if t.text == q[0].text}
                if any(all((t.text, s + t.pos) in have for t in q) for s in starts):
                    out.add(i)
            return out
        if isinstance(node, Prefix):
            stem = unicodedata.normalize("NFKC", node.text).lower()
            return {i for i in everything if any(t.text.startswith(stem) for t in self.tokens[i])}
        if isinstance(node, Field):
            return {i for i, d in self.docs.items() if keyword(d.fields.get(node.name, "\0")) == keyword(node.value)}
        if isinstance(node, Not):
            inner = self.match(node.child)
            return None if inner is None else everything - inner
        sets = [s for s in (self.match(c) for c in node.children) if s is not None]
        if not sets:
            return None
        return set.intersection(*sets) if isinstance(node, And) else set.union(*sets)

    def scoring_terms(self, node: Node, negated: bool = False) -> list[str]:
        """Terms of Words and Phrases outside NOT, in query order."""
        if isinstance(node, Word | Phrase):
            return [] if negated else self.an.terms(node.text, mode="precise")
        if isinstance(node, Not):
            return self.scoring_terms(node.child, not negated)
        if isinstance(node, And | Or):
            return [t for c in node.children for t in self.scoring_terms(c, negated)]
        return []

    def bm25(self, doc_id: str, terms: list[str]) -> float:
        """The issue's formula, term by term, from scratch."""
        n = len(self.docs)
        avgdl = sum(len(t) for t in self.tokens.values()) / n
        dl = len(self.tokens[doc_id])
        score = 0.0
        for term in dict.fromkeys(terms):
            df = sum(1 for toks in self.tokens.values() if any(t.text == term for t in toks))
            tf = sum(1 for t in self.tokens[doc_id] if t.text == term)
            if df == 0 or tf == 0:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            score += idf * tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * dl / avgdl))
        return score
