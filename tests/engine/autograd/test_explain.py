"""PyTorch's real error messages, produced now, each recognised and explained with the numbers it names."""

from __future__ import annotations

import pytest

from engine.autograd import ExprError, build, explain_torch, explained, inplace_on_saved, second_backward

X = {"x": "randn(3)", "a": "randn(4)", "w": "randn(2, 3)", "m": "randn(4, 4)", "b": "2.0"}


@pytest.mark.parametrize("src,why", [
    ("out = (w @ a).sum()", "shape"),  # matrix × vector
    ("out = (w @ m).sum()", "shape"),  # matrix × matrix
    ("out = x @ a", "shape"),  # dot
    ("out = x + a", "shape"),  # broadcasting
    ("out = x[5]", "index"),
    ("out = x[0, 1]", "index"),
    ("y = x.sum(); out = y[0]", "index"),
    ("out = x @ b", "dims"),
    ("out = x * (1 / 0)", "number"),
    ("out = x * 10.0 ** 400", "number"),
    ("out = x * (2 @ 3)", "number"),
])
def test_torch_refusals_of_the_language_are_recognised(src, why):
    with pytest.raises(ExprError) as e:
        build(src, X, set())
    assert e.value.code == "autograd.torch"
    told = explained(e.value)
    assert told.code == f"autograd.why.{why}", e.value.params["error"]
    assert told.position == e.value.position and told.params["error"] == e.value.params["error"]


def test_the_labs_errors_are_explained_with_the_versions_pytorch_names():
    twice = second_backward(build("out = (x * x).sum()", {"x": "randn(3)"}, {"x"}))
    assert explain_torch(twice.message).code == "autograd.why.freed"
    ip = inplace_on_saved()
    why = explain_torch(ip.message)
    assert why.code == "autograd.why.inplace"
    assert (why.params["saved"], why.params["now"]) == (ip.version_saved, ip.version_now)  # read from the text


def test_an_unknown_message_is_not_dressed_up():
    assert explain_torch("something PyTorch has never said").code == "autograd.why.other"
    assert explain_torch("one of the variables ... modified by an inplace operation").code == "autograd.why.other"
    other = ExprError("autograd.index", (1, 1))
    assert explained(other) is other
