"""The query language, parsed into a small tree. Nothing but QueryError leaves `parse`.

    term term          both (implicit AND)          a OR b        either
    NOT a, -a          without a                    ( … )         grouping
    "a phrase"         tokens in this layout        pre*          any term starting with "pre"
    field:value        keyword filter (category, region, …); field:"two words" for values with spaces

A bare word the analyzer splits into several tokens (倒排索引 → 倒排 索引) means all of them (AND);
quote it to require them side by side. Stopwords and punctuation alone match nothing and are
dropped. AND binds tighter than OR; NOT binds tightest. Only terms and phrases score (BM25);
prefixes and field filters only filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.messages import CodedError, define

MAX_QUERY_CHARS = 1000
MAX_DEPTH = 50


define({
    "search.not_text": "a query must be text, not {type}",
    "search.too_long": "the query is longer than {limit} characters",
    "search.nul": "the query contains a NUL character",
    "search.empty": 'the query is empty: type a word, a "phrase", prefix* or field:value',
    "search.unmatched_rp": "this ')' has no matching '('",
    "search.unexpected": "unexpected {text}",
    "search.needs_right": "{op} needs something on its right",
    "search.needs_left": "{op} needs something on its left",
    "search.ends_early": "the query ends where a word was expected",
    "search.not_needs_word": "{op} needs a word after it",
    "search.too_deep": "the query nests too deeply",
    "search.unclosed_paren": "this '(' is never closed",
    "search.empty_parens": "empty parentheses",
    "search.unclosed_quote": "this quote is never closed",
    "search.field_needs_value": "{field}: needs a value, e.g. {field}:beijing",
    "search.prefix_empty": "a prefix needs at least one character before *",
    "search.star_inside": "* is only allowed at the end of a word",
    "search.unknown_field": "unknown field {field}; fields here: {fields}",
    "search.prefix_too_many": "{prefix}* expands to more than {limit} terms: use a longer prefix",
})


class QueryError(CodedError):
    """A query that cannot be parsed: `code` says what is wrong, `position` is the character where it was found,
    `message` is the English default (a page translates `code` with `params`)."""

    def __init__(self, code: str, position: int, query: str = "", **params: object) -> None:
        super().__init__(code, **params)
        self.position, self.query = position, query
        self.args = (f"{self.message} (at character {position})",)


@dataclass(frozen=True, slots=True)
class Word:
    """A bare word; the analyzer turns it into one or more terms."""

    text: str
    pos: int


@dataclass(frozen=True, slots=True)
class Phrase:
    """A quoted phrase."""

    text: str
    pos: int


@dataclass(frozen=True, slots=True)
class Prefix:
    """`pre*`: every term starting with the (normalised) prefix."""

    text: str
    pos: int


@dataclass(frozen=True, slots=True)
class Field:
    """`field:value`: an exact match on a keyword field."""

    name: str
    value: str
    pos: int


@dataclass(frozen=True, slots=True)
class Not:
    """Everything except `child`."""

    child: Node
    pos: int


@dataclass(frozen=True, slots=True)
class And:
    """All children."""

    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    """Any child."""

    children: tuple[Node, ...]


Node = Word | Phrase | Prefix | Field | Not | And | Or

_TOKEN = re.compile(r'\s*(?:(?P<lp>\()|(?P<rp>\))|(?P<minus>-(?=\S))|(?P<phrase>"(?:[^"\\]|\\.)*(?:"|$))'
                    r'|(?P<word>[^\s()"]+(?:"(?:[^"\\]|\\.)*(?:"|$))?))')


def _lex(q: str) -> list[tuple[str, str, int]]:
    out, i = [], 0
    while i < len(q):
        m = _TOKEN.match(q, i)
        if not m or m.end() == i:
            break
        kind = m.lastgroup or ""
        if kind:
            out.append((kind, m.group(kind), m.start(kind)))
        i = m.end()
    return out


class _Parser:
    def __init__(self, q: str) -> None:
        self.q, self.toks, self.i, self.depth = q, _lex(q), 0, 0

    def err(self, code: str, pos: int | None = None, **params: object) -> QueryError:
        return QueryError(code, len(self.q) if pos is None else pos, self.q, **params)

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def is_op(self, name: str) -> bool:
        t = self.peek()
        return t is not None and t[0] == "word" and t[1] == name

    def parse(self) -> Node:
        if not self.toks:
            raise self.err("search.empty", 0)
        node = self.or_expr()
        if self.peek() is not None:
            kind, text, pos = self.peek()
            if kind == "rp":
                raise self.err("search.unmatched_rp", pos)
            raise self.err("search.unexpected", pos, text=text)
        return node

    def or_expr(self) -> Node:
        parts = [self.and_expr()]
        while self.is_op("OR"):
            pos = self.peek()[2]
            self.i += 1
            if self.peek() is None or self.peek()[0] == "rp" or self.is_op("OR"):
                raise self.err("search.needs_right", pos, op="OR")
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_expr(self) -> Node:
        parts = [self.unary()]
        while (t := self.peek()) is not None and t[0] != "rp" and not self.is_op("OR"):
            if self.is_op("AND"):
                pos = t[2]
                self.i += 1
                if self.peek() is None or self.peek()[0] == "rp" or self.is_op("OR"):
                    raise self.err("search.needs_right", pos, op="AND")
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node:
        t = self.peek()
        if t is None:
            raise self.err("search.ends_early")
        kind, text, pos = t
        if kind == "minus" or (kind == "word" and text == "NOT"):
            self.i += 1
            if self.peek() is None or self.peek()[0] == "rp" or self.is_op("OR") or self.is_op("AND"):
                raise self.err("search.not_needs_word", pos, op=text)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.err("search.too_deep", pos)
            node = Not(self.unary(), pos)
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        kind, text, pos = self.peek()
        self.i += 1
        if kind == "lp":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.err("search.too_deep", pos)
            if self.peek() is None:
                raise self.err("search.unclosed_paren", pos)
            if self.peek()[0] == "rp":
                raise self.err("search.empty_parens", pos)
            node = self.or_expr()
            if self.peek() is None or self.peek()[0] != "rp":
                raise self.err("search.unclosed_paren", pos)
            self.i += 1
            self.depth -= 1
            return node
        if kind == "rp":
            raise self.err("search.unmatched_rp", pos)
        if kind == "phrase":
            return Phrase(_unquote(text, pos, self.q), pos)
        if text in ("AND", "OR"):
            raise self.err("search.needs_left", pos, op=text)
        return _word(text, pos, self.q)


def _unquote(text: str, pos: int, q: str) -> str:
    if len(text) < 2 or not text.endswith('"') or (text.endswith('\\"') and not text.endswith('\\\\"')):
        raise QueryError("search.unclosed_quote", pos, q)
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _word(text: str, pos: int, q: str) -> Node:
    name, sep, value = text.partition(":")
    if sep and name and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        if not value:
            raise QueryError("search.field_needs_value", pos + len(name) + 1, q, field=name)
        if value.startswith('"'):
            value = _unquote(value, pos + len(name) + 1, q)
        return Field(name, value, pos)
    if text.endswith("*"):
        stem = text.rstrip("*")
        if not stem:
            raise QueryError("search.prefix_empty", pos, q)
        if "*" in stem:
            raise QueryError("search.star_inside", pos + stem.index("*"), q)
        return Prefix(stem, pos)
    if "*" in text:
        raise QueryError("search.star_inside", pos + text.index("*"), q)
    return Word(text, pos)


_SPECIAL = frozenset('()"*:')


def _parse_plain(q: str) -> Node | None:
    """The tree of a query of bare words, ORs and unspaced "phrases" (what most people type), or None.

    The general parser builds the very same tree (a property test holds them equal) through a dozen
    method calls and regex matches per token; on a short query that is several microseconds, a tenth
    of the whole search. str.split and the lexer's \\s split at the same characters (str.isspace)."""
    groups, cur, at = [], [], 0
    for text in q.split():
        pos = q.find(text, at)  # the gap before it is whitespace, which `text` holds none of
        at = pos + len(text)
        if text == "OR":
            if not cur:
                return None
            groups.append(cur)
            cur = []
        elif text[0] == '"' and text[-1] == '"' and len(text) > 1 and '"' not in text[1:-1] and "\\" not in text:
            cur.append(Phrase(text[1:-1], pos))  # a quoted phrase without spaces or escapes
        elif text in ("AND", "NOT") or text[0] == "-" or not _SPECIAL.isdisjoint(text):
            return None
        else:
            cur.append(Word(text, pos))
    if not cur:
        return None
    groups.append(cur)
    ands = [g[0] if len(g) == 1 else And(tuple(g)) for g in groups]
    return ands[0] if len(ands) == 1 else Or(tuple(ands))


def parse(q: str) -> Node:
    """Parse a query string into a tree; raises QueryError with a position for anything malformed."""
    if not isinstance(q, str):
        raise QueryError("search.not_text", 0, type=type(q).__name__)
    if len(q) > MAX_QUERY_CHARS:
        raise QueryError("search.too_long", MAX_QUERY_CHARS, q, limit=MAX_QUERY_CHARS)
    if "\x00" in q:
        raise QueryError("search.nul", q.index("\x00"), q)
    return _parse_plain(q) or _Parser(q).parse()


def describe(node: Node, labels: dict[int, str] | None = None) -> str:
    """The tree as a compact string, e.g. AND(倒排, OR(索引, lucene*)); `labels` collects every subtree's
    string by id(node), so a caller that labels each step of an evaluation describes the tree once."""
    match node:
        case Word(text=t) | Phrase(text=t):
            out = f'"{t}"' if isinstance(node, Phrase) else t
        case Prefix(text=t):
            out = f"{t}*"
        case Field(name=n, value=v):
            out = f"{n}:{v}"
        case Not(child=c):
            out = f"NOT {describe(c, labels)}"
        case And(children=cs) | Or(children=cs):
            out = f"{type(node).__name__.upper()}({', '.join(describe(c, labels) for c in cs)})"
        case _:
            raise TypeError(node)
    if labels is not None:
        labels[id(node)] = out
    return out
