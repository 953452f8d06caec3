"""Text analysis for the search engine: NFKC + lower-case normalisation, jieba segmentation, stopwords.

Every Analyzer owns its own `jieba.Tokenizer`, so one user's dictionary words never leak into
another's analysis. Jieba's default dictionary is loaded once per process and shared: an Analyzer
without words of its own reads it as is, one with words gets a copy to add them to. Normalisation runs
character by character and keeps a map back to the original text, so every Token carries offsets into
the text the user typed (for highlighting), even where NFKC changes the length (a ligature becomes two
letters). Jieba's three modes:
- "precise": one segmentation, the most likely one;
- "full": every dictionary word found anywhere (overlapping);
- "search": precise, plus the shorter dictionary words inside long words (better recall).
Every token counts in a document's length (BM25's dl), so the overlapping tokens of "full" and "search"
lengthen it. Queries are analysed in "precise" mode whatever the index's mode (as Elasticsearch users pair
IK's ik_max_word at index time with ik_smart at query time): a query is cut once, so it neither demands nor
scores again each overlapping piece of its own words.
Punctuation and whitespace never become terms. HMM guessing of unknown words is off in every mode,
so the same text always yields the same terms at index and at query time.

Each token also carries `pos`: the number of word characters (letters, digits, CJK) before it in
the normalised text. Phrase queries compare these, so "数据 结构", "数据结构" and "数据-结构" lay out
alike, and the overlapping tokens of the "full" and "search" modes keep their true places.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Sequence
from itertools import accumulate
from typing import NamedTuple

import jieba

MODES = ("precise", "full", "search")
DEFAULT_STOPWORDS = frozenset({
    "的", "了", "和", "与", "及", "或", "是", "在", "也", "就", "都", "而", "之", "其", "这",
    "那", "个", "着", "把", "被", "对", "于", "从", "以", "为", "等", "吗", "呢", "吧", "啊",
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on", "or", "that", "the",
    "this", "to", "was", "were", "with",
})
jieba.setLogLevel(logging.WARNING)
_BASE: tuple[dict[str, int], int] | None = None  # jieba's default prefix dictionary (word -> count) and its total
_BASE_LOCK = threading.Lock()


def _base_dictionary() -> tuple[dict[str, int], int]:
    """jieba's default dictionary, loaded once per process. Each `jieba.Tokenizer` loads its own otherwise: 0.55 s and
    about 50 MB a time here (each search session, each analyzer view, each page test), where a copy is 0.02 s."""
    global _BASE
    with _BASE_LOCK:
        if _BASE is None:
            tk = jieba.Tokenizer()
            tk.initialize()
            _BASE = (tk.FREQ, tk.total)
    return _BASE


def _tokenizer(user_words: tuple[str, ...]) -> jieba.Tokenizer:
    """A ready tokenizer holding the default dictionary plus `user_words`. Without words it shares the process's
    dictionary, which nothing then writes to (an Analyzer adds words only here); with words it adds them to a copy."""
    freq, total = _base_dictionary()
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = (dict(freq) if user_words else freq), total, True
    for w in user_words:
        tk.add_word(w)
    return tk


class Token(NamedTuple):
    """A term, its [start, end) character offsets into the original text, and its word-character position.

    A named tuple rather than a frozen dataclass: a query makes a handful, a document hundreds, and a frozen
    dataclass's __init__ costs several times more."""

    text: str
    start: int
    end: int
    pos: int = 0


_WORD_CHAR = re.compile(r"[^\W_]")  # exactly the characters str.isalnum() accepts, found in one C call


def _is_word(term: str) -> bool:
    return _WORD_CHAR.search(term) is not None


class Analyzer:
    """Normalise, segment with jieba (`mode`), drop stopwords; deterministic for a given dictionary."""

    def __init__(self, mode: str = "search", user_words: tuple[str, ...] | list[str] = (),
                 stopwords: frozenset[str] | set[str] | None = None, normalize: bool = True) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
        self.mode = mode
        self.normalize = normalize
        self.stopwords = frozenset(DEFAULT_STOPWORDS if stopwords is None else stopwords)
        self.user_words = tuple(user_words)
        self._jieba = _tokenizer(self.user_words)
        self._fold: dict[int, str] = {}  # characters NFKC + lower-case changes, learnt as they appear
        self._seen: set[str] = set()
        self._lock = threading.Lock()  # one cut at a time: a jieba Tokenizer keeps no promise of thread safety

    def config(self) -> dict:
        """Everything that determines this analyzer's output (saved with an index)."""
        return {"mode": self.mode, "user_words": list(self.user_words), "stopwords": sorted(self.stopwords),
                "normalize": self.normalize}

    @classmethod
    def from_config(cls, cfg: dict) -> Analyzer:
        """Rebuild an analyzer saved by `config`."""
        return cls(cfg["mode"], tuple(cfg["user_words"]), frozenset(cfg["stopwords"]), cfg["normalize"])

    def _normalize(self, text: str) -> tuple[str, Sequence[int]]:
        """Per-character NFKC + lower-case, and for each output character the input index it came from."""
        if not self.normalize:
            return text, range(len(text))
        if not self._seen.issuperset(text):  # learn each new character once; str.translate then folds in C
            unseen = set(text) - self._seen
            for ch in unseen:
                folded = unicodedata.normalize("NFKC", ch).lower()
                if folded != ch:
                    self._fold[ord(ch)] = folded
            self._seen |= unseen
        norm = text.translate(self._fold)
        if len(norm) == len(text):
            return norm, range(len(text))
        return norm, [i for i, ch in enumerate(text) for _ in self._fold.get(ord(ch), ch)]

    def _segments(self, norm: str, mode: str) -> list[tuple[str, int, int]]:
        with self._lock:
            if mode == "full":
                words, out, pos = self._jieba.cut(norm, cut_all=True, HMM=False), [], 0
                for w in words:  # cut_all yields words in order of their start; recover the offsets
                    start = norm.find(w, pos)
                    if start < 0:
                        continue
                    out.append((w, start, start + len(w)))
                    pos = start
                return out
            return list(self._jieba.tokenize(norm, mode="search" if mode == "search" else "default", HMM=False))

    def tokens(self, text: str, mode: str | None = None) -> list[Token]:
        """The terms of `text` with offsets into `text` itself (`mode` overrides the analyzer's, e.g. for queries)."""
        if not isinstance(text, str):
            raise TypeError(f"expected text, got {type(text).__name__}")
        if not text:
            return []
        norm, back = self._normalize(text)
        word_chars = list(accumulate(map(str.isalnum, norm), initial=0))
        out = []
        stop = self.stopwords
        for word, start, end in self._segments(norm, mode or self.mode):
            term = word.strip()
            if term in stop or not _is_word(term):
                continue
            lead = start + len(word) - len(word.lstrip())
            out.append(Token(term, back[lead], back[end - 1] + 1, word_chars[lead]))
        return out

    def layout(self, text: str, mode: str | None = None) -> list[tuple[str, int]]:
        """Each term of `text` with its word-character offset from the first term's: a phrase's shape."""
        toks = self.tokens(text, mode)
        return [(t.text, t.pos - toks[0].pos) for t in toks]

    def terms(self, text: str, mode: str | None = None) -> list[str]:
        """Just the term strings of `tokens(text)`."""
        return [t.text for t in self.tokens(text, mode)]
