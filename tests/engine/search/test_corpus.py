"""Corpora: the bundled demo corpus, upload parsing with clear errors, and the benchmark tag stripper."""

from __future__ import annotations

import pytest

from engine.search import Index
from engine.search.corpus import CorpusError, demo_corpus, parse_upload, strip_tags


def test_demo_corpus(analyzer) -> None:
    docs = demo_corpus()
    assert len(docs) >= 200 and len({d.id for d in docs}) == len(docs)
    assert {d.fields["category"] for d in docs} >= {"搜索", "机器学习", "大模型", "推荐"}
    lengths = sorted(len(d.text) for d in docs)
    assert lengths[0] < 40 and lengths[-1] > 250, "a mix of short and long documents"
    ix = Index(analyzer)
    ix.add_many(docs)
    assert ix.search("倒排 索引").total >= 5
    assert ix.search("region:上海 category:搜索").total >= 3


def test_upload_formats() -> None:
    assert [d.text for d in parse_upload("a.txt", "第一篇\n\n第二篇\n".encode())] == ["第一篇", "第二篇"]
    jl = parse_upload("a.jsonl", '{"id": "x", "text": "内容", "fields": {"region": "北京"}}\n'.encode())
    assert jl[0].id == "x" and jl[0].fields == {"region": "北京"}
    csv = parse_upload("a.csv", "id,title,text,region\n1,标题,正文,上海\n".encode())
    assert csv[0].fields == {"region": "上海"} and csv[0].title == "标题"
    assert parse_upload("gbk.txt", "中文文本".encode("gb18030"))[0].text == "中文文本"
    assert parse_upload("bom.txt", "\ufeff带 BOM".encode())[0].text == "带 BOM"


@pytest.mark.parametrize("name,data,match", [
    ("x.txt", bytes(range(256)) * 4, "neither UTF-8 nor GB18030"),
    ("x.jsonl", b'{"text": "ok"}\n{broken\n', "line 2 is not valid JSON"),
    ("x.jsonl", b'{"title": "no text"}\n', "needs an object"),
    ("x.csv", b"a,b\n1,2\n", "text\" column"),
    ("x.txt", b"\n\n", "no documents"),
    ("x.jsonl", b'{"id": "a", "text": "1"}\n{"id": "a", "text": "2"}\n', "ids repeat"),
])
def test_upload_errors_are_clear(name: str, data: bytes, match: str) -> None:
    with pytest.raises(CorpusError, match=match):
        parse_upload(name, data)


def test_strip_tags() -> None:
    line = "迈向/v  充满/v  希望/n  的/u  [中国/ns  共产党/n]nt  １２月/t"
    assert strip_tags(line) == "迈向充满希望的中国共产党１２月"


@pytest.mark.parametrize(("name", "data", "code"), [
    ("a.txt", b"x" * ((8 << 20) + 1), "corpus.too_big"),
    ("a.txt", ("搜索" * 10_001 + "\n").encode(), "corpus.too_long"),
    ("a.txt", ("a" * 201 + "\n").encode(), "corpus.long_run"),
    ("a.txt", "\n".join(["搜索引擎" * 4_000] * 70).encode(), "corpus.too_much"),
    ("a.txt", "\n".join(f"文档{i}" for i in range(20_001)).encode(), "corpus.too_many"),
    ("a.jsonl", b'{"id": "", "text": "x"}\n', "corpus.bad_id"),
])
def test_uploads_are_bounded_before_any_work(name: str, data: bytes, code: str) -> None:
    """Each limit refuses with its own code, and quickly: nothing reaches jieba (a 4 MB run of `a` never ended)."""
    import time

    t = time.perf_counter()
    with pytest.raises(CorpusError) as err:
        parse_upload(name, data)
    assert err.value.code == code and time.perf_counter() - t < 2.0


def test_a_csv_field_past_csvs_own_limit_gets_the_document_limits_message() -> None:
    """csv's own field limit (131,072 characters) would raise a bare csv.Error: the document limit speaks."""
    with pytest.raises(CorpusError) as err:
        parse_upload("a.csv", ("id,text\n1," + "搜索 " * 50_000 + "\n").encode())
    assert err.value.code == "corpus.too_long"
    assert len(parse_upload("a.csv", ("id,text\n1," + "搜索 " * 6_000 + "\n").encode())[0].text) > 17_000


def test_latin1_text_is_refused_instead_of_read_as_gb18030_nonsense() -> None:
    with pytest.raises(CorpusError) as err:
        parse_upload("a.txt", "Müller Straße, Ça va? déjà vu, naïve café\n".encode("latin-1"))
    assert err.value.code == "corpus.encoding"
    assert parse_upload("b.txt", "倒排索引与搜索引擎\n".encode("gb18030"))[0].text == "倒排索引与搜索引擎"


def test_a_deeply_nested_json_line_is_a_clear_error() -> None:
    with pytest.raises(CorpusError) as err:
        parse_upload("a.jsonl", ("[" * 100_000 + "]" * 100_000 + "\n").encode())
    assert err.value.code == "corpus.json_text"
