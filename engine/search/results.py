"""What a search returns: ranked hits, how many documents matched, and the trace of its steps."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyroaring import BitMap

from engine.messages import Message, define
from engine.search.query import Node, describe
from engine.search.scoring import Explanation
from engine.search.snapshot import Doc, DocTable

define({
    "search.no_term": "“{text}” has no searchable term (a stopword or punctuation): ignored",
    "search.phrase_no_term": "the phrase “{text}” has no searchable term: ignored",
    "search.nothing": "nothing to search for",
    "search.prefix_expanded": "{prefix}* expanded to {n} terms: {terms}",
})


@dataclass(slots=True)
class TraceStep:
    """One step of a search: what ran (`op`: parse, term, and, or, not, phrase, prefix, field, score, top-k), on
    what (`label`, in query syntax), the resulting set size, the time it took, and the set itself (`docs`,
    internal doc numbers; None for parse, score and top-k), so a page draws the step without asking again."""

    op: str
    label: str
    size: int
    ms: float
    detail: dict = field(default_factory=dict)
    docs: BitMap | None = None


class Hit:
    """A ranked document with its score, the score's explanation tree and an HTML snippet.

    The document itself (`doc`, `doc_id`) is looked up when read, as tantivy's hits carry an address: a
    top 10 that only needs scores never touches the stored documents, each a cache miss on a large index."""

    __slots__ = ("_docs", "docnum", "explanation", "highlight", "score")

    def __init__(self, docnum: int, score: float, docs: DocTable, explanation: Explanation | None = None,
                 highlight: str = "") -> None:
        self.docnum, self.score, self._docs = docnum, score, docs
        self.explanation = explanation  # None when the search was asked not to explain
        self.highlight = highlight  # "" when the search was asked not to highlight

    @property
    def doc(self) -> Doc:
        """The stored document."""
        return self._docs[self.docnum]

    @property
    def doc_id(self) -> str:
        """The document's id."""
        return self._docs[self.docnum].id

    def __repr__(self) -> str:
        return f"Hit(doc_id={self.doc_id!r}, score={self.score!r})"


class SearchResult:
    """Top hits, how many documents matched, the trace of the search, and notes for the user (Messages).

    `query` is the parsed query as a compact string, written when first read: a lean top 10 never reads it,
    and describing an AND of two words costs several microseconds, a twentieth of such a search."""

    __slots__ = ("_query", "hits", "notes", "scored", "terms", "total", "trace")

    def __init__(self, hits: list[Hit], total: int, trace: list[TraceStep], query: str | Node = "",
                 terms: list[str] | None = None, notes: list[Message] | None = None, scored: int | None = None) -> None:
        self.hits, self.total, self.trace, self._query = hits, total, trace, query
        self.terms = terms if terms is not None else []
        self.notes = notes if notes is not None else []
        self.scored = total if scored is None else scored  # documents whose BM25 score was computed

    @property
    def skipped(self) -> int:
        """Matching documents never scored: top-k pruning showed they could not reach the top k."""
        return self.total - self.scored

    @property
    def query(self) -> str:
        """The query as parsed, e.g. AND(倒排, OR(索引, lucene*))."""
        if not isinstance(self._query, str):
            self._query = describe(self._query)
        return self._query

    def __repr__(self) -> str:
        return f"SearchResult(query={self.query!r}, total={self.total}, hits={self.hits!r})"
