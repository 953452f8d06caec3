"""The Elasticsearch explain reader (engine.search.es): the bundled examples recompute, one changed number is
reported where it sits, and hostile input is an ArtifactError in under a second."""

from __future__ import annotations

import copy
import json
import math
import random
import time
from pathlib import Path

import pytest

from engine.artifacts import ArtifactError
from engine.search.es import read_explain
from engine.search.lucene import LENGTH_TABLE, length_to_byte, lucene_dl_range

EXAMPLES = Path(__file__).resolve().parents[3] / "engine" / "search" / "examples"
SEARCH = json.loads((EXAMPLES / "es_search_explain.json").read_text(encoding="utf-8"))


def bm25_leaf(t) -> tuple[float, float, float]:
    """The issue's formulas written out again, from the leaf's printed factors."""
    idf = math.log(1 + (t.N - t.n + 0.5) / (t.n + 0.5))
    tf = t.freq / (t.freq + t.k1 * (1 - t.b + t.b * t.dl / t.avgdl))
    return idf, tf, t.boost * idf * tf


def test_search_example_recomputes_and_has_no_problems() -> None:
    got = read_explain((EXAMPLES / "es_search_explain.json").read_text(encoding="utf-8"))
    hits = SEARCH["hits"]["hits"]
    assert [e.doc_id for e in got] == [h["_id"] for h in hits]
    for e, h in zip(got, hits, strict=True):
        assert e.problems == [] and e.unchecked == 0 and e.checked >= 6
        assert e.score == h["_score"]
        assert e.index == "articles"
        for t in e.terms:
            idf, tf, value = bm25_leaf(t)
            assert t.field == "content" and t.term in ("倒排", "索引")
            assert t.idf == pytest.approx(idf, rel=1e-6) and t.tf == pytest.approx(tf, rel=1e-6)
            assert t.value == pytest.approx(value, rel=1e-5)
            assert t.boost == pytest.approx(2.2) and t.k1 == pytest.approx(1.2) and t.b == 0.75
        assert sum(t.value for t in e.terms) == pytest.approx(e.score, rel=1e-6)  # the filter clause adds 0
    approx = [t for e in got for t in e.terms if t.dl_approximate]
    assert approx and all(t.dl > 39 for t in approx)  # Lucene prints "(approximate)" past 39 only


def test_explain_response_reads_one_document() -> None:
    (e,) = read_explain((EXAMPLES / "es_explain.json").read_bytes())
    assert e.doc_id == "a342" and e.matched and e.problems == [] and len(e.terms) == 2
    assert e.tree.description == "sum of:" and e.tree.path == "explanation"


def test_a_phrase_leaf_and_a_synonym_leaf() -> None:
    """Lucene names a phrase's frequency phraseFreq=…, and a synonym's weight Synonym(field:a field:b)."""
    weight = copy.deepcopy(SEARCH["hits"]["hits"][0]["_explanation"]["details"][0])
    weight["description"] = 'weight(content:"倒排 索引" in 12) [PerFieldSimilarity], result of:'
    weight["details"][0]["details"][2]["details"][0]["description"] = "phraseFreq=3.0"
    (e,) = read_explain(json.dumps(weight))
    assert e.problems == [] and (e.terms[0].field, e.terms[0].term, e.terms[0].freq) == ("content", '"倒排 索引"', 3)
    weight["description"] = "weight(Synonym(content:倒排 content:反向) in 12) [PerFieldSimilarity], result of:"
    (e,) = read_explain(json.dumps(weight))
    assert e.problems == [] and e.terms[0].term == "Synonym(content:倒排 content:反向)"


def test_an_explain_that_did_not_match() -> None:
    (e,) = read_explain(json.dumps({"_index": "articles", "_id": "a5", "matched": False, "explanation": {
        "value": 0.0, "description": "no matching term", "details": []}}))
    assert not e.matched and e.score == 0.0 and e.terms == [] and e.problems == []


def test_a_bare_explanation_and_a_missing_boost() -> None:
    """An explanation pasted alone; Lucene leaves the boost out when it is 1 (no k1 + 1 folded in)."""
    weight = copy.deepcopy(SEARCH["hits"]["hits"][0]["_explanation"]["details"][0])
    score = weight["details"][0]
    idf, tf = score["details"][1]["value"], score["details"][2]["value"]
    del score["details"][0]
    score["value"] = weight["value"] = idf * tf
    (e,) = read_explain(json.dumps(weight))
    assert e.problems == [] and e.terms[0].boost == 1.0 and e.terms[0].term == "倒排"


def _tampered(path: list, value: float) -> str:
    data = copy.deepcopy(SEARCH)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return json.dumps(data, ensure_ascii=False)


EXPL = ["hits", "hits", 1, "_explanation"]
W0 = [*EXPL, "details", 0, "details", 0]  # hit 1's first score(freq=…) node


@pytest.mark.parametrize(("path", "value", "code", "where"), [
    ([*W0, "details", 1, "details", 0, "value"], 38, "es.leaf_mismatch", "details[1]"),  # n: the idf no longer fits
    ([*W0, "details", 1, "value"], 3.6, "es.leaf_mismatch", "details[1]"),  # the idf itself
    ([*W0, "details", 2, "details", 0, "value"], 3.0, "es.leaf_mismatch", "details[2]"),  # freq: tf
    ([*W0, "details", 2, "details", 3, "value"], 60.0, "es.leaf_mismatch", "details[2]"),  # dl: tf
    ([*W0, "details", 0, "value"], 2.3, "es.leaf_mismatch", "details[0].details[0]"),  # boost: the score
    ([*EXPL, "value"], 8.05, "es.sum_mismatch", "_explanation"),  # the sum
    ([*EXPL, "details", 0, "value"], 6.0, "es.result_mismatch", "details[0]"),  # a weight vs its score
    (["hits", "hits", 1, "_score"], 8.1, "es.hit_score_mismatch", "_score"),  # the hit's _score
])
def test_one_changed_number_is_reported_where_it_is(path, value, code, where) -> None:
    got = read_explain(_tampered(path, value))
    assert [e.problems for i, e in enumerate(got) if i != 1] == [[]] * 3  # the other hits are untouched
    codes = {p.code for p in got[1].problems}
    assert code in codes, got[1].problems
    assert any(p.position.startswith("hits.hits[1]") and where in p.position for p in got[1].problems)
    assert all(math.isfinite(p.params["recomputed"]) for p in got[1].problems)


def test_tie_broken_max_min_and_product_are_re_added() -> None:
    def leaf(v: float) -> dict:
        return {"value": v, "description": "x", "details": []}

    good = {"value": 2.3, "description": "max plus 0.1 times others of:", "details": [leaf(2.0), leaf(1.0), leaf(2.0)]}
    assert read_explain(json.dumps(good))[0].problems == []
    for desc, value in (("max plus 0.1 times others of:", 2.4), ("max of:", 1.0), ("min of:", 2.0),
                        ("product of:", 3.0), ("sum of:", 4.0)):
        (e,) = read_explain(json.dumps(good | {"description": desc, "value": value}))
        assert len(e.problems) == 1 and e.problems[0].position == "", desc


def test_shapes_it_does_not_know_are_counted_not_checked() -> None:
    e, = read_explain(json.dumps({"value": 3.0, "description": "function score, score mode [multiply]", "details": [
        {"value": 1.5, "description": "field value function: log1p(doc['likes'].value * factor=1.0)", "details": []}]}))
    assert e.problems == [] and e.checked == 0 and e.unchecked == 1


def test_length_table_is_lucenes() -> None:
    """Lucene's BM25 LENGTH_TABLE: exact to 39, then 4 significant bits; tantivy's copy of it ends at 2,013,265,944."""
    assert LENGTH_TABLE[:40] == tuple(range(40)) and LENGTH_TABLE[40:48] == (40, 42, 44, 46, 48, 50, 52, 54)
    assert LENGTH_TABLE[-1] == 2_013_265_944
    for length in [*range(0, 3000), *random.Random(0).sample(range(3000, 2**31 - 1), 2000)]:
        b = length_to_byte(length)
        assert LENGTH_TABLE[b] <= length and (b == 255 or length < LENGTH_TABLE[b + 1])
        lo, hi = lucene_dl_range(LENGTH_TABLE[b])
        assert lo <= length <= hi
    assert lucene_dl_range(41) is None and lucene_dl_range(2.5) is None and lucene_dl_range(39) == (39, 39)


def test_a_bare_explanation_points_at_its_own_paths() -> None:
    bad = {"value": 1.0, "description": "sum of:", "details": [{"value": 1.0, "description": "x", "details": [3]}]}
    with pytest.raises(ArtifactError) as e:
        read_explain(json.dumps(bad))
    assert e.value.position == "details[0].details[0]"


def _deep(n: int) -> str:
    return '{"value": 1, "description": "sum of:", "details": [' * n + "]}" * n


HOSTILE = {
    "empty": "", "blank": "  \n", "truncated": json.dumps(SEARCH)[:5000], "deep_json": "[" * 100_000,
    "deep_json_object": '{"explanation": ' + "[" * 100_000, "garbage_json_array": "[" + "1.5," * 1_300_000 + "0]",
    "deep_explanation": _deep(300), "garbage_text": "x" * (5 * 2**20 - 10),
    "garbage_bytes": random.Random(1).randbytes(5 * 2**20 - 10), "too_big": "x" * (5 * 2**20 + 1),
    "wrong_json": '{"took": 3, "timed_out": false}', "a_list": "[1, 2]", "a_number": "3",
    "no_explanation": json.dumps({"hits": {"hits": [{"_id": "1", "_score": 1.0}]}}),
    "infinite": _tampered([*EXPL, "value"], 1e400), "nan": json.dumps(SEARCH).replace("8.043811", "NaN", 1),
    "negative_n": _tampered([*W0, "details", 1, "details", 0, "value"], -3),
    "b_above_one": _tampered([*W0, "details", 2, "details", 2, "value"], 1.5),
    "zero_avgdl": _tampered([*W0, "details", 2, "details", 4, "value"], 0),
    "n_above_N": _tampered([*W0, "details", 1, "details", 0, "value"], 5000),
    "string_value": _tampered([*EXPL, "value"], "8.04"), "bool_score": _tampered(["hits", "hits", 1, "_score"], True),
    "huge_int": _tampered([*EXPL, "value"], 10**400), "no_description": json.dumps({"value": 1.0}),
    "details_not_list": json.dumps({"value": 1, "description": "sum of:", "details": {"a": 1}}),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_input_is_an_artifact_error_in_under_a_second(name: str) -> None:
    t = time.perf_counter()
    with pytest.raises(ArtifactError) as e:
        read_explain(HOSTILE[name])
    assert time.perf_counter() - t < 1.0, name
    assert type(e.value) is ArtifactError
