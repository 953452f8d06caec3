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
    table = _ours(at)
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


def test_pytorchs_messages_stand_beside_a_chinese_sentence():
    from tests.pages.test_chinese_ui import english_in

    zh = go("zh")
    codes = [c.value for c in zh.code]
    assert any("retain_graph=True" in c for c in codes) and any("inplace operation" in c for c in codes)
    infos = [i.value.replace("\\", "") for i in zh.info]
    assert any("retain_graph=True" in i and "第一次 backward" in i for i in infos)
    assert any("版本为 0" in i and "版本 1" in i for i in infos)  # the versions read from PyTorch's own text
    assert all(english_in(i) is None for i in infos), infos
    bad = open_page(PAGE, "zh", src="out = (w @ a).sum()", vals="w = randn(2, 3); a = randn(4)", grad="w")
    assert not bad.exception
    assert any("形状" in w.value for w in bad.warning) and all(english_in(w.value) is None for w in bad.warning)
    assert any("size mismatch" in c.value for c in bad.code)  # PyTorch's words, quoted as code


def _ours(at):
    """The table of our scalar engine against torch."""
    return next(d.value for d in at.dataframe if "largest |difference|" in d.value.columns)


def test_a_leaf_without_grad_is_not_compared_and_float32_is_labelled():
    at = go(src="d = a.detach(); out = (d * x).sum()", vals="a = randn(3); x = randn(3)", grad="a,x")
    table = _ours(at).set_index("input")
    assert table.loc["a", "largest |difference|"].startswith("not compared")
    assert table.loc["a", "torch .grad (float64)"].startswith("None")
    assert table.loc["x", "largest |difference|"] == "0.0e+00"
    f32 = go(dtype="float32")
    cell = _ours(f32).iloc[0]
    assert "float32 rounding" in cell["largest |difference|"] and "torch .grad (float32)" in cell.index


def test_hostile_inputs_are_refused_with_a_short_quote():
    at = open_page(PAGE, "en", vals="x = " + "-" * 5000 + "1")
    assert not at.exception
    assert any("longer than 4000 characters" in w.value for w in at.warning)
    quotes = [c.value for c in at.code if c.language != "python"]  # the caret's quote (the Function is Python)
    assert quotes and all(len(c) < 200 for c in quotes)  # a window around the caret, never the whole input


def test_the_hessian_is_drawn_and_checked_against_torch() -> None:
    from engine.autograd import build
    from engine.autograd.examples import EXAMPLES
    from engine.autograd.second import hessian_of, max_difference, torch_hessian

    src, vals, grad = EXAMPLES["second"]
    at = open_page(PAGE, "en", src=src, vals="; ".join(f"{k} = {v}" for k, v in vals.items()), grad=",".join(grad))
    assert not at.exception, [e.value for e in at.exception]
    run = build(src, vals, set(grad))
    h = hessian_of(run)
    diff = max_difference(h.matrix, torch_hessian(run))
    assert any(f"equal torch.autograd.functional.hessian's to {diff:.1e}" in s.value for s in at.success)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hessian"] == "4×4" and metrics["nonzero entries"] == str(int((h.matrix != 0).sum()))
    assert any("Rows and columns, in order: x, y." in c.value for c in at.caption)
    charts = at.get("graphviz_chart")
    assert len(charts) == 2  # the program's graph, and the one backward recorded for the gradient
    second = charts[1].proto.spec
    assert f"({h.second_graph_nodes} backward functions)" in " ".join(e.label for e in at.expander)
    assert second.count("shape=box") == h.second_graph_nodes and '"grad' in second


def test_a_detached_gradient_has_a_zero_hessian_in_chinese() -> None:
    at = open_page(PAGE, "zh", src="d = x.detach()\nout = (d * x).sum()", vals="x = randn(3)", grad="x")
    assert not at.exception
    assert any("所有二阶导数都是零" in i.value for i in at.info)


def test_the_newer_words_run_on_the_page_and_match_our_engine() -> None:
    from engine.autograd.examples import EXAMPLES

    src, vals, grad = EXAMPLES["attention"]
    at = open_page(PAGE, "en", src=src, vals="; ".join(f"{k} = {v}" for k, v in vals.items()), grad=",".join(grad))
    assert_clean(at)
    dot = _dot(at)
    for name in ("PermuteBackward0", "SoftmaxBackward0", "WhereBackward0", "MaxBackward0"):  # walk.7 names them
        assert name in dot, name
    table = _ours(at)
    assert all(float(d) <= 1e-12 for d in table["largest |difference|"])


@pytest.mark.parametrize(("lang", "said"), [("en", "only allowed as the condition of where"),
                                            ("zh", "比较只能用作 where")])
def test_a_comparison_outside_where_is_refused_with_a_caret(lang: str, said: str) -> None:
    at = open_page(PAGE, lang, src="y = (x > 0) * x", vals="x = randn(3)", grad="x")
    assert not at.exception
    assert any(said in w.value for w in at.warning)
    assert any("^" in c.value for c in at.code)


def test_the_custom_function_is_checked_and_runs_in_the_users_program() -> None:
    from engine.autograd.custom import check_custom
    from engine.autograd.examples import EXAMPLES

    src, vals, grad = EXAMPLES["custom"]
    at = open_page(PAGE, "en", src=src, vals="; ".join(f"{k} = {v}" for k, v in vals.items()), grad=",".join(grad))
    assert_clean(at)
    assert "SoftplusBackward" in _dot(at)
    c = check_custom()
    assert any(f"gradient to {c.max_diff_grad:.1e}, gradcheck accepts it" in s.value for s in at.success)
    assert any("class Softplus(torch.autograd.Function)" in k.value for k in at.code)
    assert all(float(d) <= 1e-12 for d in _ours(at)["largest |difference|"])


def test_the_hook_walkthrough_step_shows_both_columns() -> None:
    at = go(src="y = x * 2\nout = (y * x).sum()", vals="x = [1.0, -2.0, 3.0]", grad="x", hook="y", hscale="10.0")
    table = next(d.value for d in at.dataframe if "input .grad, hook ×10" in d.value.columns)
    assert table.iloc[0]["input .grad, no hook"] == "[4, -8, 12]"
    assert table.iloc[0]["input .grad, hook ×10"] == "[22, -44, 66]"
    assert any("y.grad after backward is None: yes" in m.value for m in at.markdown)


@pytest.mark.parametrize(("lang", "said"), [("en", "backward refused"), ("zh", "反向传播却拒绝了")])
def test_an_in_place_change_in_the_users_program_is_caught_by_the_version_counter(lang: str, said: str) -> None:
    from engine.autograd.examples import EXAMPLES

    src, vals, grad = EXAMPLES["inplace"]
    at = open_page(PAGE, lang, src=src, vals="; ".join(f"{k} = {v}" for k, v in vals.items()), grad=",".join(grad))
    assert_clean(at)
    assert "ExpBackward0" in _dot(at)  # the forward ran and its graph is drawn
    assert any("modified by an inplace operation" in c.value for c in at.code)  # PyTorch's own words
    table = next(d.value for d in at.dataframe if len(d.value.columns) == 2 and "y" in d.value.iloc[:, 0].tolist())
    assert dict(zip(table.iloc[:, 0], table.iloc[:, 1], strict=True))["y"] == 1
    if lang == "en":
        assert any("saved at version 0" in i.value and "to version 1" in i.value for i in at.info)
        assert any("backward refused" in w.value for w in at.warning)
    else:
        assert any("原地修改" in w.value for w in at.warning)
    assert not any("Second order" in h.value for h in at.header)  # the sections that run backward are skipped
