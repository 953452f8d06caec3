"""Inverted-index search: jieba analysis, roaring-bitmap postings, boolean/phrase/prefix/field queries,
exact BM25 with explanations, live updates, snapshots, persistence, a recommender's recall channels, the
"why didn't it match?" doctor, and a reader of Elasticsearch's explain output (engine.search.es)."""

from engine.search.analyzer import Analyzer, Token
from engine.search.diagnose import Diagnosis, doctor
from engine.search.index import Index
from engine.search.query import QueryError
from engine.search.results import Hit, SearchResult, TraceStep
from engine.search.snapshot import Doc, Snapshot
from engine.search.store import IndexFormatError

__all__ = ["Analyzer", "Diagnosis", "Doc", "Hit", "Index", "IndexFormatError", "QueryError", "SearchResult", "Snapshot",
           "Token", "TraceStep", "doctor"]
