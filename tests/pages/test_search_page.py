"""AppTest of the search page: every view, queries good and bad, analyzer, uploads, edits, recall."""

from __future__ import annotations

import pytest

from tests.pages.apptest import assert_clean, open_page

PAGE = "pages/search.py"


def go(**params: str):
    at = open_page(PAGE, **params)
    assert_clean(at)
    return at


def text_of(at) -> str:
    """The page's markdown and its HTML snippets (st.html), as one text."""
    return "\n".join([*(m.value for m in at.markdown), *(h.proto.body for h in at.get("html"))])


def test_default_query_finds_and_explains() -> None:
    at = go()
    assert "matching documents" in text_of(at)
    assert "<mark>" in text_of(at)
    assert len(at.expander) >= 1  # an explanation per hit
    at.toggle(key="chart").set_value(True).run()
    assert_clean(at)
    assert len(at.get("plotly_chart")) == 1
    assert any(d.value is not None for d in at.get("download_button"))


@pytest.mark.parametrize("q", ["(倒排 OR", '"unclosed', "region:", "a*b", "OR", "colour:red", ")"])
def test_bad_queries_get_a_message(q: str) -> None:
    at = go(q=q)
    assert at.warning and "cannot be run" in at.warning[0].value


def test_query_box_updates_results_and_url() -> None:
    at = go()
    at.text_input(key="q").set_value("category:推荐 region:北京").run()
    assert_clean(at)
    assert "matching documents" in text_of(at)
    assert at.query_params["q"] == "category:推荐 region:北京"


def test_stopword_only_query_explains_itself() -> None:
    at = go(q="的")
    assert any("stopword" in i.value for i in at.info)


@pytest.mark.parametrize("view", ["trace", "analyzer", "internals", "corpus", "recall", "walkthrough"])
def test_each_view_renders(view: str) -> None:
    at = go(view=view)
    assert at.main.children


def test_trace_shows_posting_strips() -> None:
    at = go(view="trace", q="倒排 索引")
    assert len(at.get("plotly_chart")) >= 3  # steps + one strip per term


def test_analyzer_modes_and_user_word() -> None:
    at = go(view="analyzer")
    assert len(at.dataframe) == 3
    full = at.dataframe[1].value
    precise = at.dataframe[0].value
    assert len(full) > len(precise), "full mode lists overlapping words"
    word_box = next(t for t in at.text_input if "dictionary" in t.label)
    word_box.set_value("倒排列表").run()
    next(b for b in at.button if "re-index" in b.label).click().run()
    assert_clean(at)
    assert "倒排列表" in " ".join(c.value for c in at.caption)


def test_upload_small_file_and_non_utf8_file() -> None:
    at = go(view="corpus")
    next(r for r in at.main.radio if r.label == "Corpus").set_value("upload").run()
    at.file_uploader[0].set_value(("mine.txt", "第一篇 倒排索引\n第二篇 搜索引擎\n".encode(), "text/plain")).run()
    next(b for b in at.button if b.label == "Use this corpus").click().run()
    assert_clean(at)
    assert any("Loaded 2 documents" in s.value for s in at.success)
    at.file_uploader[0].set_value(("bad.txt", bytes(range(256)) * 8, "text/plain")).run()
    next(b for b in at.button if b.label == "Use this corpus").click().run()
    assert_clean(at)
    assert any("neither UTF-8 nor GB18030" in w.value for w in at.warning)


def test_add_then_delete_a_document() -> None:
    at = go(view="corpus")
    form_inputs = {t.label: t for t in at.text_input}
    form_inputs["id"].set_value("mine1")
    at.text_area[0].set_value("独一无二的测试词语 量子检索")
    next(b for b in at.button if b.label == "Save").click().run()
    assert_clean(at)
    assert any("Saved mine1" in s.value for s in at.success)
    at.segmented_control(key="view").set_value("search").run()
    at.text_input(key="q").set_value("量子检索").run()
    assert "1 matching documents" in text_of(at)
    at.segmented_control(key="view").set_value("corpus").run()
    at.selectbox[1].set_value("mine1").run()
    next(b for b in at.button if b.label == "Delete this document").click().run()
    assert_clean(at)
    at.segmented_control(key="view").set_value("search").run()
    assert "0 matching documents" in text_of(at)


def test_recall_for_a_user() -> None:
    at = go(view="recall", user="u05")
    merged = at.dataframe[0].value
    assert 0 < len(merged) <= sum([4, 4, 3, 3])
    assert merged.iloc[:, 0].is_unique
    at.selectbox(key="user").set_value("u07").run()
    assert_clean(at)


def test_hits_with_identical_explanations_render() -> None:
    """Two documents with the same text give identical charts; each still needs its own element."""
    at = go(view="corpus")
    for doc_id in ("twin-a", "twin-b"):
        form_inputs = {t.label: t for t in at.text_input}
        form_inputs["id"].set_value(doc_id)
        at.text_area[0].set_value("孪生文档 完全相同")
        next(b for b in at.button if b.label == "Save").click().run()
        assert_clean(at)
    at.segmented_control(key="view").set_value("search").run()
    at.text_input(key="q").set_value("孪生文档").run()
    assert_clean(at)
    assert "2 matching documents" in text_of(at)


def test_one_sessions_edits_never_reach_another_session() -> None:
    alice, bob = go(view="corpus"), go(view="search", q="独家秘密词汇")
    form_inputs = {t.label: t for t in alice.text_input}
    form_inputs["id"].set_value("alice-only")
    alice.text_area[0].set_value("独家秘密词汇 只属于 alice")
    next(b for b in alice.button if b.label == "Save").click().run()
    assert any("Saved alice-only" in s.value for s in alice.success)
    bob.run()
    assert "0 matching documents" in text_of(bob)
    alice.segmented_control(key="view").set_value("search").run()
    alice.text_input(key="q").set_value("独家秘密词汇").run()
    assert "1 matching documents" in text_of(alice)


def _save(at, doc_id: str, text: str) -> None:
    {t.label: t for t in at.text_input}["id"].set_value(doc_id)
    at.text_area[0].set_value(text)
    next(b for b in at.button if b.label == "Save").click().run()
    assert_clean(at)


def test_the_query_survives_other_views_and_their_widgets() -> None:
    at = go(q="倒排 索引")
    at.text_input(key="q").set_value("量子 OR 检索").run()
    at.segmented_control(key="view").set_value("analyzer").run()
    next(c for c in at.checkbox if c.label == "Drop stopwords").set_value(False).run()
    at.segmented_control(key="view").set_value("search").run()
    assert_clean(at)
    assert at.text_input(key="q").value == "量子 OR 检索"


def test_clicking_the_active_view_keeps_it() -> None:
    at = go(view="trace")
    at.segmented_control(key="view").set_value(None).run()
    assert_clean(at)
    assert at.segmented_control(key="view").value == "trace" and at.query_params["view"] in ("trace", ["trace"])


def test_changing_the_analyzer_mode_keeps_this_sessions_edits() -> None:
    at = go(view="corpus")
    _save(at, "mine-mode", "独一无二的测试词语 量子检索")
    assert at.selectbox[1].options[1] == "mine-mode"  # the saved document is offered first, right away
    at.selectbox[1].set_value("d001").run()
    next(b for b in at.button if b.label == "Delete this document").click().run()
    assert_clean(at)
    at.selectbox(key="mode").set_value("precise").run()
    assert_clean(at)
    assert "mine-mode" in at.selectbox[1].options and "d001" not in at.selectbox[1].options  # both edits kept
    at.segmented_control(key="view").set_value("search").run()
    at.text_input(key="q").set_value("量子检索").run()
    assert "1 matching documents" in text_of(at)
    assert "205 documents (precise mode, 2 segment(s), 1 deleted)" in " ".join(c.value for c in at.caption)


@pytest.mark.slow
def test_a_dictionary_word_twice_is_refused_and_the_dictionary_is_in_the_url() -> None:
    at = go(view="analyzer")
    box = next(t for t in at.text_input if "dictionary" in t.label)
    box.set_value("倒排列表").run()
    next(b for b in at.button if "re-index" in b.label).click().run()
    assert at.query_params["words"] in ("倒排列表", ["倒排列表"])
    next(b for b in at.button if "re-index" in b.label).click().run()
    assert_clean(at)
    assert any("already" in i.value for i in at.info)
    again = go(view="analyzer", words="倒排列表")  # a link carries the dictionary
    assert "倒排列表" in " ".join(c.value for c in again.caption)


def test_another_session_keeps_its_own_documents_and_dictionary() -> None:
    alice, bob = go(view="corpus"), go(view="search", q="的 倒排")
    alice.selectbox[1].set_value("d001").run()
    next(b for b in alice.button if b.label == "Delete this document").click().run()
    alice.segmented_control(key="view").set_value("analyzer").run()
    next(t for t in alice.text_input if "dictionary" in t.label).set_value("倒排列表").run()
    next(b for b in alice.button if "re-index" in b.label).click().run()
    assert_clean(alice)
    assert "204 documents" in " ".join(c.value for c in alice.caption)
    bob.segmented_control(key="view").set_value("analyzer").run()
    assert "倒排列表" not in " ".join(c.value for c in bob.caption)
    assert "205 documents" in " ".join(c.value for c in bob.caption)
    bob.segmented_control(key="view").set_value("corpus").run()
    assert "d001" in bob.selectbox[1].options


def test_the_error_caret_counts_double_width_characters() -> None:
    from ui.page import display_width

    assert display_width("倒排 OR") == 7 and display_width("ａb") == 3
    at = go(q="倒排 索引 (")
    code = at.code[0].value.splitlines()
    assert code[0] == "倒排 索引 (" and code[1] == " " * display_width("倒排 索引 ") + "^"


def test_the_race_and_the_peers_are_shown_as_recorded_with_their_ranges() -> None:
    """The page shows the shipped recordings faithfully: every time with its fastest and slowest round (or repeat),
    and the counts beside them. What the race claims (df held fixed, the scan losing in every round) is checked
    on the engine itself: tests/engine/search/test_inspect.py."""
    from engine import recorded

    at = go(view="why")
    captions = " ".join(c.value for c in at.caption)
    assert captions.count("python -m engine.search.bench --record") == 2  # the race and the peers' figures
    race, peers = (d.value for d in at.dataframe[-2:])
    rec = recorded.load("search", "race-search")
    assert list(race["documents N"]) == [r["docs"] for r in rec.rows]
    assert list(race["scan ms / query: median (fastest–slowest round)"]) == [
        f"{r['scan_ms']:.4f} ({r['scan_lo_ms']:.4f}–{r['scan_hi_ms']:.4f})" for r in rec.rows]
    assert list(race["postings the lookup read"]) == [r["postings_read"] for r in rec.rows]
    assert f"in {rec.rows[0]['rounds']} interleaved rounds" in captions
    peer = recorded.load("search", "peers")
    assert list(peers["query kind"]) == ["term", "and", "or", "phrase"]
    assert list(peers["tantivy p50 (ms)"]) == [
        f"{r['tantivy_p50_ms']:.4f} ({r['tantivy_p50_lo_ms']:.4f}–{r['tantivy_p50_hi_ms']:.4f})" for r in peer.rows]
    assert {"glassbox p95 (ms)", "FTS5 p50 (ms)"} <= set(peers.columns)
    assert f"ran {peer.settings['repeats']} times" in text_of(at)


def test_walkthrough_phrase_step_counts_come_from_the_index() -> None:
    """Step 3 contrasts a phrase with its words anywhere: its counts are this index's, and the phrase (which checks
    positions) finds fewer documents than the same two words without them."""
    from engine.search import Analyzer, Index
    from engine.search.corpus import demo_corpus

    ix = Index(Analyzer("search"))
    ix.add_many(demo_corpus())
    phrase, both = ix.search('"倒排索引"', 1).total, ix.search("倒排 索引", 1).total
    assert phrase < both  # the preset really exercises positions
    at = go(view="walkthrough")
    step3 = next(m.value for m in at.markdown if m.value.startswith("3."))
    assert f"the phrase finds {phrase} documents, the two words anywhere {both}" in step3
    at.button(key="walk_3").click().run()
    assert_clean(at)
    assert at.text_input(key="q").value == '"倒排索引"' and f"{phrase} matching documents" in text_of(at)
    note = " ".join(c.value for c in at.caption)
    assert "precise mode" in note and "ik_max_word" in note and "ik_smart" in note and "length dl" in note


def test_walkthrough_recall_step_fills_all_four_channels() -> None:
    """Step 7 promises four channels: its preset brings a search term (without one the term channel is empty)."""
    at = go(view="walkthrough", quota_term="0")  # the preset restores the quotas too
    assert "four channels" in next(m.value for m in at.markdown if m.value.startswith("7."))
    at.button(key="walk_7").click().run()
    assert_clean(at)
    merged = at.dataframe[0].value
    assert set(merged["admitted by"]) == {"search term", "region", "behaviour", "preference"}


def test_analyzer_view_says_overlapping_tokens_count_in_the_document_length() -> None:
    from engine.search import Analyzer
    from ui.text.search import TEXT

    at = go(view="analyzer")
    sample = TEXT["an.sample"][0]
    dl = {mode: len(Analyzer(mode).tokens(sample)) for mode in ("precise", "full", "search")}
    assert dl["search"] > dl["precise"]
    assert (f"dl = {dl['precise']} in precise mode, {dl['full']} in full mode and {dl['search']} in search mode"
            in " ".join(c.value for c in at.caption))
    assert [len(d.value) for d in at.dataframe[:3]] == [dl["precise"], dl["full"], dl["search"]]


def test_how_production_engines_differ_is_said_where_it_belongs() -> None:
    internals = " ".join(c.value for c in go(view="internals").caption)
    assert "delta-encoded and bit-packed in blocks of 128" in internals and "skip data" in internals
    assert "until a merge" in internals
    trace = text_of(go(view="trace"))
    assert "WAND" in trace and "MaxScore" in trace


def test_a_link_reproduces_the_trace_step_and_the_recall_quotas() -> None:
    at = go(view="trace", q="倒排 索引 -lucene", tstep="1")
    assert at.slider(key="tstep").value == 1
    at = go(view="trace", q="倒排", tstep="99")  # past the last step: the last step
    assert at.slider(key="tstep").value == at.slider(key="tstep").max
    at = go(view="recall", user="u03", quota_term="3", rq="索引")
    assert at.slider(key="quota_term").value == 3 and at.text_input(key="rq").value == "索引"
    assert at.query_params["quota_term"] == "3"


def test_the_view_follows_the_url_when_it_changes_under_the_page() -> None:
    """Browser Back rewrites the URL and reruns the page: the widgets follow the URL, not the session's last
    value (which would write itself back and undo the Back)."""
    at = go(view="search")
    at.segmented_control(key="view").set_value("trace").run()
    assert at.query_params["view"] == "trace"
    at.query_params["view"] = "search"  # what Back does
    at.run()
    assert at.segmented_control(key="view").value == "search" and at.query_params["view"] == "search"


# -- the "yours" view (issue #33): the doctor and an Elasticsearch explain of the visitor's own ----------------
def test_yours_view_reads_the_bundled_explain_and_runs_the_doctor() -> None:
    at = go(view="yours")
    assert "bundled example es_search_explain.json" in " ".join(c.value for c in at.caption)
    assert any("recomputes within 1e-4" in s.value for s in at.success)
    assert "4 explanation(s)" in text_of(at) and "0 that do not add up" in text_of(at)
    assert "stands for any true length from 120 to 127" in text_of(at)  # formatted from the example's dl = 120
    assert "sum of ✓ recomputes" in text_of(at)  # the tree, in the page's own style
    assert any("does not match" in i.value for i in at.info)  # the doctor starts on a document that fails
    assert at.query_params["view"] == "yours" and "es.paste" not in at.query_params


def test_yours_view_reports_a_tampered_paste_and_a_bad_one() -> None:
    import json
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "engine" / "search" / "examples" / "es_explain.json"
    data = json.loads(example.read_text(encoding="utf-8"))
    data["explanation"]["details"][0]["details"][0]["details"][1]["details"][0]["value"] = 38  # n: 37 -> 38
    at = go(view="yours")
    at.text_area(key="es.paste").set_value(json.dumps(data, ensure_ascii=False)).run()
    assert_clean(at)
    said = [w.value.replace("\\", "") for w in at.warning]  # markdown escapes the path's punctuation
    assert any("idf is" in w and "(at explanation.details[0].details[0].details[1])" in w for w in said), said
    at.text_area(key="es.paste").set_value('{"hits": {"hits": [{"_id": "1"').run()
    assert_clean(at)
    assert any("Could not read it" in w.value and "not valid JSON" in w.value for w in at.warning)
    assert at.query_params.get("es.paste") is None  # the URL never holds the data


def test_yours_view_says_when_elasticsearch_did_not_match() -> None:
    at = go(view="yours")
    at.text_area(key="es.paste").set_value('{"_id": "a5", "matched": false, "explanation": {"value": 0.0, '
                                           '"description": "no matching term", "details": []}}').run()
    assert_clean(at)
    assert any("a5 did not match" in i.value for i in at.info)


def test_yours_view_bad_paste_is_translated() -> None:
    at = go(lang="zh", view="yours")
    at.text_area(key="es.paste").set_value('{"took": 3}').run()
    assert_clean(at)
    said = [w.value.replace("\\", "") for w in at.warning]
    assert any("无法读取" in w and "这看起来不是 Elasticsearch _explain" in w for w in said), said


def test_doctor_names_a_phrase_gap_and_applies_its_fix() -> None:
    at = go(view="yours", q='"倒排索引"', dr_doc="d035")  # d035 holds 倒排 and 索引, never side by side
    assert "never at the phrase's distances" in text_of(at)
    assert any("does not match" in i.value for i in at.info)
    apply = [b for b in at.button if b.label == "Apply" and not b.disabled]
    assert apply, "a fix that works can be applied"
    apply[0].click().run()
    assert_clean(at)
    assert at.text_input(key="q").value == "倒排 索引" and at.query_params["q"] == "倒排 索引"
    assert any("d035" in s.value and "matches the query" in s.value for s in at.success)


def test_doctor_on_an_unknown_document_from_the_url() -> None:
    at = go(view="yours", q="倒排", dr_doc="no-such-doc")
    assert_clean(at)
    assert "there is no document with id no\\-such\\-doc" in text_of(at)


def test_yours_view_in_chinese_shows_no_english_prose() -> None:
    from tests.pages.apptest import visible_text
    from tests.pages.test_chinese_ui import english_in
    from ui.text.search import TEXT

    at = go(lang="zh", view="yours")
    data = (TEXT["dr.col.clause"][1], TEXT["es.col.field"][1], TEXT["es.col.term"][1])
    found = {s: e for s in visible_text(at, data_columns=data) if (e := english_in(s))}
    assert not found, found


def test_live_view_counts_against_top_k() -> None:
    # an OR of two common words with k = 5: pruning skips documents, and the sentence gives the engine's counts
    at = go(q="时 OR 用", k="5")
    captions = " ".join(c.value for c in at.caption)
    assert "Count against top-k" in captions and "skipped" in captions
    # negative control: an AND query is never pruned, so every match is scored
    at = go(q="倒排 索引")
    captions = " ".join(c.value for c in at.caption)
    assert "all" in captions and "were scored" in captions and "skipped" not in captions
