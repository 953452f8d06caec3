"""Why didn't it match? `doctor(index, query, doc_id)` evaluates a query on one document, clause by clause,
names the clauses that keep it out, and proposes fixes it has re-run on the engine.

The verdict is worked out here, independently of the engine's posting lists: the document's text is analysed
again with the index's analyzer (its mode and dictionary), the query's words in precise mode as a search
does, and every clause is decided on those tokens (a phrase by the word-character positions of its terms).
A test holds this verdict equal to the engine's own search over random queries and documents.

Reasons name what fails: a term the document lacks, a word jieba cut differently inside the document (the
characters are there, the term is not), a word only in the title (only the text is searched), a keyword field's
value typed as a word, a phrase whose terms are all there but not at its distances, a field that differs or is
missing, an excluded clause that matches, a deleted or unknown document. Each fix is a rewritten query or words
to add to the dictionary; each is run on the engine (the session's index for a query, a one-document index with
the larger dictionary for words) and says whether the document then matches, and at which rank.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pyroaring import BitMap

from engine.messages import Message, define
from engine.search import searcher
from engine.search.analyzer import Analyzer, Token
from engine.search.index import Index
from engine.search.query import And, Field, Node, Not, Or, Phrase, Prefix, QueryError, Word, _lex, describe, parse
from engine.search.snapshot import Doc, Snapshot, keyword, reader

define({
    "doctor.unknown_id": "there is no document with id {id}",
    "doctor.deleted": "{id} was deleted: its postings stay in their segment until a merge, but a tombstone hides "
                      "it from every search",
    "doctor.nothing": "the query has no searchable term, so it matches nothing",
    "doctor.term_missing": "{clause}: the document has no term {term}",
    "doctor.split": "{clause}: the document's text holds “{term}”, but the analyzer cut it there as {cut}, so {term} "
                    "is not one of its terms",
    "doctor.title_only": "{clause}: {term} is in the title, but only the text is searched",
    "doctor.field_value": "{clause}: {term} is the document's {field}, a keyword field, not a word of its text",
    "doctor.phrase_gap": "{clause}: every term is in the document, but never at the phrase's distances: the phrase "
                         "needs {need}; the document has {have}",
    "doctor.prefix_none": "{clause}: no term of the document starts with {prefix}",
    "doctor.field_missing": "{clause}: the document has no {field} field",
    "doctor.field_mismatch": "{clause}: the document's {field} is {actual}",
    "doctor.excluded": "{clause}: the query leaves out documents matching {inner}, and this one matches it",
    "fix.doc_terms": "search for the document's own terms {terms} instead of {word}",
    "fix.add_word": "add {word} to the dictionary, so the analyzer keeps it whole in the document too",
    "fix.unquote": "drop the quotes around {clause}: its words anywhere, not side by side",
    "fix.use_field": "filter on the field instead: {part}",
    "fix.field_value": "ask for the document's value: {part}",
    "fix.drop": "leave out {clause}",
})

MAX_FIXES = 8


@dataclass
class Clause:
    """One node of the query with its verdict on the document (None: no searchable term, left out)."""

    label: str
    kind: str
    matched: bool | None
    depth: int


@dataclass
class Fix:
    """A proposed change, what it is (`message`), and what the engine made of it: whether the document matched,
    its rank among the hits (1-based) and how many documents matched."""

    message: Message
    query: str | None = None  # the rewritten query, or None for a dictionary fix
    words: tuple[str, ...] = ()  # dictionary words to add
    matched: bool = False
    rank: int | None = None
    total: int = 0


@dataclass
class Diagnosis:
    """The verdict on one document, why it does not match, fixes that were run, and every clause's verdict."""

    matched: bool
    reasons: list[Message]
    fixes: list[Fix]
    clauses: list[Clause] = field(default_factory=list)
    doc_id: str = ""
    query: str = ""


def _kind(node: Node) -> str:
    return type(node).__name__.lower()


class _Doctor:
    """The query evaluated on one live document's tokens, remembering each node's verdict."""

    def __init__(self, snap: Snapshot, doc: Doc) -> None:
        self.snap, self.doc, self.an = snap, doc, snap.analyzer
        self.tokens = self.an.tokens(doc.text)
        self.terms = {t.text for t in self.tokens}
        self.at = {(t.text, t.pos) for t in self.tokens}
        self.verdict: dict[int, bool | None] = {}
        self.labels: dict[int, str] = {}

    def query_tokens(self, text: str) -> list[Token]:
        return self.an.tokens(text, mode="precise")

    def eval(self, node: Node) -> bool | None:
        v = self._eval(node)
        self.verdict[id(node)] = v
        return v

    def _eval(self, node: Node) -> bool | None:
        match node:
            case Word(text=text):
                terms = [t.text for t in self.query_tokens(text)]
                return None if not terms else all(t in self.terms for t in terms)
            case Phrase(text=text):
                q = self.query_tokens(text)
                return None if not q else self.phrase_at(q) is not None
            case Prefix(text=text, pos=pos):
                stem = unicodedata.normalize("NFKC", text).lower()
                n_terms = sum(len(seg.prefix_range(stem)) for seg in self.snap.segments)
                if n_terms > searcher.MAX_PREFIX_TERMS:  # the engine refuses it, and so does the doctor
                    raise QueryError("search.prefix_too_many", pos, prefix=text, limit=searcher.MAX_PREFIX_TERMS)
                return any(t.startswith(stem) for t in self.terms)
            case Field(name=name, value=value, pos=pos):
                kv = (name, keyword(value))
                if kv not in self.snap.keywords and name not in (known := self.snap.field_names()):
                    raise QueryError("search.unknown_field", pos, field=name, fields=", ".join(known) or "—")
                return name in self.doc.fields and keyword(self.doc.fields[name]) == kv[1]
            case Not(child=child):
                inner = self.eval(child)
                return None if inner is None else not inner
            case And(children=cs) | Or(children=cs):
                got = [v for v in (self.eval(c) for c in cs) if v is not None]
                if not got:
                    return None
                return all(got) if isinstance(node, And) else any(got)
        raise TypeError(node)

    def phrase_at(self, q: list[Token]) -> int | None:
        """The position where the document holds the phrase's terms at its distances, or None."""
        first = q[0]
        for t in self.tokens:
            if t.text == first.text:
                start = t.pos - first.pos
                if all((x.text, start + x.pos) in self.at for x in q):
                    return start
        return None


def _live_or_why(snap: Snapshot, doc_id: str) -> tuple[Doc | None, Message | None]:
    doc = snap.get(doc_id)
    if doc is not None:
        return doc, None
    dead = BitMap(range(snap.next_docnum)) - BitMap(snap.live)
    if any((d := snap.doc(n)) is not None and d.id == doc_id for n in dead):
        return None, Message("doctor.deleted", id=doc_id)
    return None, Message("doctor.unknown_id", id=doc_id)


def engine_verdict(source: Snapshot | Index, query: str, doc_id: str) -> tuple[bool, int | None, int]:
    """What the engine's own search says: whether `doc_id` is among the hits, its rank, and the hit count."""
    snap = reader(source)
    res = searcher.search(snap, query, max(snap.n_live, 1), explain_hits=False, highlight_hits=False,
                          trace_steps=False)
    rank = next((i + 1 for i, h in enumerate(res.hits) if h.doc_id == doc_id), None)
    return rank is not None, rank, res.total


class _Spans:
    """Where each parsed node sits in the query text, so a fix can rewrite or drop exactly that part."""

    def __init__(self, q: str) -> None:
        self.q = q
        self.raw = {pos: text for _, text, pos in _lex(q)}

    def span(self, node: Node) -> tuple[int, int] | None:
        match node:
            case Word(pos=p) | Phrase(pos=p) | Prefix(pos=p) | Field(pos=p):
                return (p, p + len(self.raw[p])) if p in self.raw else None
            case Not(child=child, pos=p):
                inner = self.span(child)
                return (p, inner[1]) if inner and isinstance(child, Word | Phrase | Prefix | Field) else None
        return None

    def replace(self, node: Node, text: str) -> str | None:
        s = self.span(node)
        if s is None:
            return None
        return _tidy(self.q[:s[0]] + text + self.q[s[1]:])


def _tidy(q: str) -> str:
    """A query with a part removed, its dangling AND/OR and empty parentheses removed too."""
    prev = None
    while prev != q:
        prev = q
        q = re.sub(r"\(\s*\)", " ", q)
        q = re.sub(r"(^|\()\s*(AND|OR)\s+", r"\1", q)
        q = re.sub(r"\s+(AND|OR)\s*($|\))", r"\2", q)
        q = re.sub(r"\b(AND|OR)\s+(AND|OR)\b", r"\2", q)
    return " ".join(q.split())


class _Explainer:
    """Reasons and candidate fixes for the clauses that keep a document out."""

    def __init__(self, dr: _Doctor, spans: _Spans) -> None:
        self.dr, self.spans = dr, spans
        self.reasons: list[Message] = []
        self.fixes: list[tuple[Message, str | None, tuple[str, ...]]] = []

    def label(self, node: Node) -> str:
        return describe(node)

    def why_not(self, node: Node) -> None:
        """Explain why `node` is False on the document."""
        v = self.dr.verdict.get(id(node))
        if v is not False:
            return
        match node:
            case And(children=cs) | Or(children=cs):
                for c in cs:
                    self.why_not(c)
            case Not(child=child):
                self.reasons.append(Message("doctor.excluded", clause=self.label(node), inner=self.label(child)))
                self.drop(node)
            case Word(text=text):
                self.missing_terms(node, text, [t.text for t in self.dr.query_tokens(text)])
            case Phrase(text=text):
                q = self.dr.query_tokens(text)
                if all(t.text in self.dr.terms for t in q):
                    self.phrase_gap(node, q)
                else:
                    self.missing_terms(node, text, [t.text for t in q])
            case Prefix(text=text):
                self.reasons.append(Message("doctor.prefix_none", clause=self.label(node), prefix=text))
                self.drop(node)
            case Field(name=name):
                if name not in self.dr.doc.fields:
                    self.reasons.append(Message("doctor.field_missing", clause=self.label(node), field=name))
                else:
                    actual = self.dr.doc.fields[name]
                    self.reasons.append(Message("doctor.field_mismatch", clause=self.label(node), field=name,
                                                actual=actual))
                    self.fix(Message("fix.field_value", part=_field(name, actual)), node, _field(name, actual))
                self.drop(node)

    def fix(self, message: Message, node: Node, text: str) -> None:
        q = self.spans.replace(node, text)
        if q:
            self.fixes.append((message, q, ()))

    def drop(self, node: Node) -> None:
        q = self.spans.replace(node, "")
        if q and q != self.spans.q:
            self.fixes.append((Message("fix.drop", clause=self.label(node)), q, ()))

    def missing_terms(self, node: Node, text: str, terms: list[str]) -> None:
        clause = self.label(node)
        an, doc = self.dr.an, self.dr.doc
        norm, back = an._normalize(doc.text)
        title = an._normalize(doc.title)[0] if doc.title else ""
        for term in dict.fromkeys(t for t in terms if t not in self.dr.terms):
            at = norm.find(term)
            if at >= 0:
                lo, hi = back[at], back[at + len(term) - 1] + 1
                over = [t for t in self.dr.tokens if t.start < hi and t.end > lo]
                cut = [t.text for t in over]
                widest = [t for t in cut if not any(o != t and t in o for o in cut)]
                self.reasons.append(Message("doctor.split", clause=clause, term=term, cut=" | ".join(cut) or "—"))
                if widest and isinstance(node, Word):
                    self.fix(Message("fix.doc_terms", terms=" ".join(widest), word=text), node, " ".join(widest))
                self.fixes.append((Message("fix.add_word", word=term), None, (term,)))
                # the characters the document's cut spans there, as one word (in search mode its pieces are indexed)
                whole = doc.text[min(t.start for t in over):max(t.end for t in over)].strip() if over else ""
                if whole and whole != term and len(whole) <= 12 and len(whole.split()) == 1:
                    self.fixes.append((Message("fix.add_word", word=whole), None, (whole,)))
                continue
            fields = [(k, v) for k, v in doc.fields.items() if keyword(v) == keyword(term)]
            if fields:
                name, value = fields[0]
                self.reasons.append(Message("doctor.field_value", clause=clause, term=term, field=name))
                if isinstance(node, Word) and [t.text for t in self.dr.query_tokens(text)] == [term]:
                    self.fix(Message("fix.use_field", part=_field(name, value)), node, _field(name, value))
            elif term in title:
                self.reasons.append(Message("doctor.title_only", clause=clause, term=term))
            else:
                self.reasons.append(Message("doctor.term_missing", clause=clause, term=term))
        self.drop(node)

    def phrase_gap(self, node: Phrase, q: list[Token]) -> None:
        need = " ".join(f"{t.text}@{t.pos - q[0].pos}" for t in q)
        have = " ".join(f"{term}@{','.join(str(t.pos) for t in self.dr.tokens if t.text == term)[:40]}"
                        for term in dict.fromkeys(t.text for t in q))
        self.reasons.append(Message("doctor.phrase_gap", clause=self.label(node), need=need, have=have))
        self.fix(Message("fix.unquote", clause=self.label(node)), node, " ".join(t.text for t in q))
        self.drop(node)


def _field(name: str, value: str) -> str:
    """`name:value`, quoted when the value has a space or a quote (as the query syntax needs)."""
    if re.search(r'[\s()"]', value):
        return f'{name}:"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name}:{value}"


def _analyzer_with(an: Analyzer, words: tuple[str, ...]) -> Analyzer:
    """`an` with `words` added to its dictionary (a copy of the process's loaded dictionary: tens of milliseconds)."""
    return Analyzer(an.mode, (*an.user_words, *words), an.stopwords, an.normalize)


def _run_words(snap: Snapshot, doc: Doc, query: str, words: tuple[str, ...]) -> tuple[bool, int | None, int]:
    """The engine's verdict on `doc` if the dictionary also held `words`: a one-document index with that analyzer
    (plus an empty document carrying every field name, so a filter on a field this document lacks still parses)."""
    ix = Index(_analyzer_with(snap.analyzer, words), snap.k1, snap.b)
    carrier = Doc("\x00fields", "", "", {name: "\x00" for name in snap.field_names()})
    ix.add_many([doc, carrier])
    ok, _, _ = engine_verdict(ix, query, doc.id)
    return ok, None, 0


def doctor(index: Snapshot | Index, query: str, doc_id: str, fixes: bool = True) -> Diagnosis:
    """Why `doc_id` does (not) match `query` on `index`: the verdict, the reasons, and (unless `fixes` is off)
    fixes run on the engine. Raises QueryError for a query the engine would refuse."""
    snap = reader(index)
    node = parse(query)
    doc, why = _live_or_why(snap, doc_id)
    if doc is None:
        _Doctor(snap, Doc(doc_id, "")).eval(node)  # a query the engine refuses is refused here too
        return Diagnosis(False, [why], [], [], doc_id, query)
    dr = _Doctor(snap, doc)
    verdict = dr.eval(node)
    clauses: list[Clause] = []

    def walk(n: Node, depth: int) -> None:
        clauses.append(Clause(describe(n), _kind(n), dr.verdict.get(id(n)), depth))
        for c in (n.children if isinstance(n, And | Or) else (n.child,) if isinstance(n, Not) else ()):
            walk(c, depth + 1)

    walk(node, 0)
    if verdict:
        return Diagnosis(True, [], [], clauses, doc_id, query)
    ex = _Explainer(dr, _Spans(query))
    if verdict is None:
        ex.reasons.append(Message("doctor.nothing"))
    else:
        ex.why_not(node)
    tried, seen = [], set()
    for message, q, words in ex.fixes if fixes else ():
        if (q, words) in seen or len(tried) >= MAX_FIXES:
            continue
        seen.add((q, words))
        try:
            ok, rank, total = engine_verdict(snap, q, doc_id) if q is not None else _run_words(snap, doc, query,
                                                                                               words)
        except QueryError:
            continue  # a rewrite the engine cannot run is no fix
        tried.append(Fix(message, q, words, ok, rank, total))
    tried.sort(key=lambda f: not f.matched)
    return Diagnosis(False, ex.reasons, tried, clauses, doc_id, query)
