"""The autograd page in AppTest: the notes' example drawn and backpropagated, a bad program explained in both
languages, the scalar engine agreeing with torch, the lab."""

from __future__ import annotations

import pytest

from tests.pages.apptest import assert_clean, open_page

pytestmark = pytest.mark.slow  # the page smoke test in test_all_pages stays in the fast loop
PAGE = "pages/autograd.py"


def go(lang: str = "en", **params: str):
    at = open_page(PAGE, lang, **params)
    assert_clean(at)
    return at


def _dot(at) -> str:
    charts = at.get("graphviz_chart")
    assert charts, "no graph drawn"
    return charts[0].proto.spec


def test_default_program_draws_pytorchs_graph_and_backward_reaches_x():
    at = go()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["backward functions"] == "5" and metrics["tensors saved for backward"] == "2"
    assert "MulBackward0" in _dot(at) and "AccumulateGrad" in _dot(at)
    at.slider(key="node").set_value(5).run()
    assert_clean(at)
    assert "grad [4.5, 4.5, 4.5, 4.5]" in _dot(at)
    assert any("AccumulateGrad" in m.value for m in at.markdown)
    table = at.dataframe[-2].value  # the scalar engine against torch
    assert table.iloc[0]["largest |difference|"] == "0.0e+00"


def test_a_bad_program_is_explained_with_a_caret_in_english_and_chinese():
    at = open_page(PAGE, "en", src="y = x.foo()")
    assert not at.exception
    assert any("foo() is not available" in w.value for w in at.warning)
    assert any("^" in c.value for c in at.code)
    zh = open_page(PAGE, "zh", src="y = (x + 1")
    assert not zh.exception
    assert any("没有闭合" in w.value for w in zh.warning)


def test_lab_shows_pytorchs_real_messages():
    at = go()
    codes = [c.value for c in at.code]
    assert any("retain_graph=True" in c for c in codes)
    assert any("modified by an inplace operation" in c for c in codes)
    at.slider(key="calls").set_value(4).run()
    assert any("after 4 calls" in m.value.replace("\\", "") for m in at.markdown)


def test_no_requires_grad_means_no_graph():
    at = go(grad="")
    assert any("recorded no graph" in i.value.replace("\\", "") for i in at.info)
