"""The lab's answers, computed live, against what PyTorch documents."""

from __future__ import annotations

from engine.autograd import accumulation, build, detach_demo, inplace_on_saved, modes_table, second_backward

DEFAULT = ("y = x + 2; z = y*y*3; out = z.mean()", {"x": "ones(2, 2)"}, {"x"})


def test_k_backward_calls_give_k_times_the_gradient_and_zero_grad_resets():
    acc = accumulation(build(*DEFAULT), calls=5)
    assert acc.leaf == "x" and acc.worst_ratio_error == 0.0  # 4.5 · k is exact in binary
    assert [g[0] for g in acc.grads] == [4.5 * k for k in range(1, 6)]
    assert acc.after_zero == [0.0] * 4


def test_second_backward_raises_only_when_something_was_freed():
    twice = second_backward(build(*DEFAULT))
    assert twice.raised and "retain_graph=True" in twice.message and twice.saved_tensors == 2
    nothing = second_backward(build("out = x.sum()", {"x": "ones(3)"}, {"x"}))
    assert not nothing.raised and nothing.saved_tensors == 0


def test_detach_shares_storage_and_version_counter():
    d = detach_demo()
    assert d.same_storage and not d.requires_grad and d.source_after_edit[0] == 100.0
    assert d.version_after == d.version_before + 1


def test_inplace_change_to_a_saved_tensor_is_refused():
    e = inplace_on_saved()
    assert "modified by an inplace operation" in e.message and e.version_now == e.version_saved + 1


def test_modes_table():
    rows = {m.mode: m for m in modes_table()}
    assert rows["plain"].requires_grad and rows["plain"].saved_bytes > 0 and rows["plain"].dropout_active
    assert not rows["no_grad"].requires_grad and rows["no_grad"].saved_bytes == 0 and rows["no_grad"].dropout_active
    assert rows["inference_mode"].inference_tensor and not rows["inference_mode"].usable_later
    assert rows["no_grad"].usable_later and rows["detach"].usable_later and not rows["detach"].requires_grad
    assert rows["eval"].requires_grad and not rows["eval"].dropout_active  # eval() changes layers, not autograd


def test_accumulation_watches_a_leaf_backward_reaches():
    """a requires grad but detach() cuts it off: its .grad stays None, so the lab watches x instead."""
    acc = accumulation(build("d = a.detach(); out = (d * x).sum()", {"a": "randn(3)", "x": "randn(3)"}, {"a", "x"}),
                       calls=2)
    assert acc.leaf == "x" and acc.calls == 2 and acc.worst_ratio_error == 0.0
