"""Twins: every verdict computed from real outputs, against what PyTorch documents."""

from __future__ import annotations

import pytest
import torch

from engine.modules import (
    BUGGY,
    batchnorm_steps,
    compare,
    example_input,
    inspect_module,
    overhead,
    state_dict_json,
    twin,
    twins,
)
from engine.modules.state import batchnorm_modes
from engine.modules.twins import bridge

BITWISE = ["Linear", "Conv2d", "LayerNorm", "Embedding", "MaxPool2d", "ReLU", "Dropout", "BatchNorm2d", "Softmax",
           "Flatten", "GELU"]


@pytest.mark.parametrize("mode", ["train", "eval"])
@pytest.mark.parametrize("name", BITWISE)
def test_module_and_function_are_bitwise_equal_when_called_right(name: str, mode: str) -> None:
    r = compare(twin(name), mode=mode)
    assert r.bitwise_equal and r.verdict.code == "modules.equal_bitwise" and r.max_abs_diff == 0.0
    assert r.functional_call.code == "modules.functional_call_same"


def test_the_dropout_bug_is_real_and_only_in_eval() -> None:
    x = example_input(twin("Dropout"))  # the input compare() draws by default, drawn here independently
    wrong_eval = compare(twin("Dropout"), mode="eval", naive=True)
    assert not wrong_eval.bitwise_equal and wrong_eval.verdict.code == "modules.differs"
    assert torch.equal(wrong_eval.module_out, x)  # nn.Dropout in eval passes its input through, untouched
    assert (wrong_eval.functional_out == 0).any() and not torch.equal(wrong_eval.functional_out, x)  # still dropping
    train = compare(twin("Dropout"), mode="train", naive=True)
    assert train.bitwise_equal and not torch.equal(train.module_out, x)  # the control: in train the module drops


def test_batchnorm_updates_its_statistics_in_train_only() -> None:
    train = compare(twin("BatchNorm2d"), mode="train")
    assert {m.params["where"] for m in train.changed} == {"nn.BatchNorm2d", "F (BatchNorm2d)"}
    assert not compare(twin("BatchNorm2d"), mode="eval").changed


def test_batchnorm_running_statistics_follow_the_formula_over_20_steps() -> None:
    g = torch.Generator().manual_seed(0)
    steps = batchnorm_steps([torch.randn(8, 3, 4, 4, generator=g) * 2 + 1 for _ in range(20)], momentum=0.1)
    assert len(steps) == 20 and max(s.max_err for s in steps) < 1e-6
    assert steps[-1].running_mean[0] == pytest.approx(steps[-1].formula_mean[0], rel=1e-6)


@pytest.mark.parametrize(("name", "params", "buffers", "keys", "missing", "unexpected", "flaky"), [
    ("plain_list", 0, 0, 0, [], ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"], False),
    ("module_list", 4, 0, 4, [], [], False), ("tensor_attr", 2, 0, 2, [], ["scale"], False),
    ("parameter", 3, 0, 3, [], [], False), ("buffer", 2, 1, 3, [], [], False),
    ("buffer_nonpersistent", 2, 1, 2, [], ["scale"], False), ("functional_dropout", 2, 0, 2, [], [], True),
])
def test_registration_counts_equal_hand_counted_expectations(name, params, buffers, keys, missing, unexpected,
                                                             flaky) -> None:
    info = inspect_module(name)
    assert (len(info.parameters), len(info.buffers), len(info.state_dict)) == (params, buffers, keys)
    assert info.optimizer_tensors == params
    assert (info.missing_keys, info.unexpected_keys, info.eval_output_changes) == (missing, unexpected, flaky)


def test_state_dict_json_is_plain_data_and_complete() -> None:
    rows = state_dict_json("buffer")
    assert [r["name"] for r in rows] == ["scale", "linear.weight", "linear.bias"]
    assert rows[1]["shape"] == [4, 4] and len(rows[1]["values"]) == 16 and rows[0]["dtype"] == "float32"


def test_overhead_rows_are_measured_in_rounds() -> None:
    rows = overhead(twins()[0], [1, 4], rounds=3, calls=5)
    assert [r["scale"] for r in rows] == [1, 4] and all(r["ratio_lo"] <= r["ratio"] <= r["ratio_hi"] for r in rows)


def test_unknown_names_are_value_errors() -> None:
    with pytest.raises(ValueError):
        twin("Conv9d")
    with pytest.raises(ValueError):
        inspect_module("nope")
    with pytest.raises(ValueError):
        compare(twin("Linear"), mode="both")
    assert set(BUGGY) >= {"plain_list", "module_list"}


WITH_PARAMETERS = ["Linear", "Conv2d", "BatchNorm2d", "LayerNorm", "Embedding"]


def _negated(m: torch.nn.Module) -> torch.nn.Module:
    with torch.no_grad():
        for p in m.parameters():
            p.neg_()
    return m


@pytest.mark.parametrize("mode", ["train", "eval"])
@pytest.mark.parametrize("name", WITH_PARAMETERS)
def test_functional_call_follows_the_dict_not_the_module(name: str, mode: str) -> None:
    t = twin(name)
    x = example_input(t)
    b = bridge(t, x, mode)
    # independent reference: the functional form fed a module whose own parameters were negated
    with torch.no_grad():
        want = t.functional(_negated(t.make().train(mode == "train")), x)
    assert torch.allclose(b.swapped_out, want, rtol=1e-6, atol=1e-6)
    assert b.module_untouched and b.from_module > 0.1 and b.follows_dict <= 1e-6
    assert b.message().code == "modules.functional_call_follows"
    # the negative control: a "functional_call" that ignores its dict is caught
    ignored = bridge(t, x, mode, call=lambda m, d, args: m(*args))
    assert ignored.message().code == "modules.functional_call_ignored" and ignored.from_module == 0.0


@pytest.mark.parametrize("name", ["Dropout", "MaxPool2d", "ReLU"])
def test_functional_call_has_nothing_to_swap_without_parameters(name: str) -> None:
    b = bridge(twin(name), example_input(twin(name)))
    assert b.swapped == 0 and b.swapped_out is None and b.message().code == "modules.functional_call_nothing"


def test_batchnorm_train_and_eval_measured_against_the_formula() -> None:
    x = torch.randn(8, 3, 4, 4, generator=torch.Generator().manual_seed(0)) * 2 + 1
    r = batchnorm_modes(x)
    xd, eps = x.double(), 1e-5
    flat = xd.transpose(0, 1).reshape(3, -1)
    mean, var_b, var_u = flat.mean(1), flat.var(1, unbiased=False), flat.var(1, unbiased=True)
    shape = (1, 3, 1, 1)
    train = (xd - mean.view(shape)) / (var_b.view(shape) + eps).sqrt()
    rm, rv = 0.1 * mean, 0.9 + 0.1 * var_u  # one momentum-0.1 update from (0, 1)
    eval_ = (xd - rm.view(shape)) / (rv.view(shape) + eps).sqrt()
    assert torch.allclose(r.train_out.double(), train, atol=1e-5)
    assert torch.allclose(r.eval_out.double(), eval_, atol=1e-5)
    assert r.out_diff == pytest.approx(float((train - eval_).abs().max()), rel=1e-5)
    assert r.moved["train"][0] == pytest.approx(float(rm.abs().max()), rel=1e-5)
    assert r.moved["train"][1] == pytest.approx(float((rv - 1).abs().max()), rel=1e-5)
    assert r.moved["eval"] == (0.0, 0.0)
    assert r.message().params["out"] == f"{r.out_diff:.3g}"
    # the control: without running statistics eval normalises like train, and the measurement says so
    flat_bn = batchnorm_modes(x, lambda c: torch.nn.BatchNorm2d(c, track_running_stats=False))
    assert flat_bn.out_diff == 0.0 and flat_bn.moved == {"train": (0.0, 0.0), "eval": (0.0, 0.0)}


def test_batchnorm_twin_shows_the_measured_difference() -> None:
    r = compare(twin("BatchNorm2d"), mode="eval")
    [note] = [n for n in r.notes if n.code == "modules.bn_modes_measured"]
    assert note == batchnorm_modes(example_input(twin("BatchNorm2d"))).message()


def test_to_float64_converts_parameters_and_buffers_but_not_a_plain_attribute() -> None:
    info = inspect_module("tensor_attr")
    kinds = {n: (k, before, after) for n, k, before, after in info.to_float64}
    assert kinds["scale"] == ("attribute", "float32", "float32")
    assert kinds["linear.weight"] == ("parameter", "float32", "float64")
    assert info.to_message().code == "modules.to_left" and info.to_message().params["stayed"] == "scale"
    m = BUGGY["tensor_attr"]()  # checked on the module itself, not through the report
    m.to(torch.float64)
    assert m.scale.dtype == torch.float32 and m.linear.weight.dtype == torch.float64
    # the controls: registered as a buffer, the same tensor moves; in a Python list, nothing does
    assert {n: a for n, _, _, a in inspect_module("buffer").to_float64}["scale"] == "float64"
    assert inspect_module("buffer").to_message().code == "modules.to_all"
    assert inspect_module("plain_list").to_message().code == "modules.to_none"
