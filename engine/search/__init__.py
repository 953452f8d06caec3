"""Inverted-index search: jieba analysis, roaring-bitmap postings, boolean/phrase/prefix/field queries,
exact BM25 with explanations, live updates, snapshots, persistence, and a recommender's recall channels."""

from engine.search.analyzer import Analyzer, Token
from engine.search.index import Index
from engine.search.query import QueryError
from engine.search.results import Hit, SearchResult, TraceStep
from engine.search.snapshot import Doc, Snapshot
from engine.search.store import IndexFormatError

__all__ = ["Analyzer", "Doc", "Hit", "Index", "IndexFormatError", "QueryError", "SearchResult", "Snapshot", "Token",
           "TraceStep"]
