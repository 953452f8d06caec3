"""Twins: every verdict computed from real outputs, against what PyTorch documents."""

from __future__ import annotations

import pytest
import torch

from engine.modules import BUGGY, batchnorm_steps, compare, inspect_module, overhead, state_dict_json, twin, twins

BITWISE = ["Linear", "Conv2d", "LayerNorm", "Embedding", "MaxPool2d", "ReLU", "Dropout", "BatchNorm2d"]


@pytest.mark.parametrize("mode", ["train", "eval"])
@pytest.mark.parametrize("name", BITWISE)
def test_module_and_function_are_bitwise_equal_when_called_right(name: str, mode: str) -> None:
    r = compare(twin(name), mode=mode)
    assert r.bitwise_equal and r.verdict.code == "modules.equal_bitwise" and r.max_abs_diff == 0.0
    assert r.functional_call.code == "modules.functional_call_same"


def test_the_dropout_bug_is_real_and_only_in_eval() -> None:
    wrong_eval = compare(twin("Dropout"), mode="eval", naive=True)
    assert not wrong_eval.bitwise_equal and wrong_eval.verdict.code == "modules.differs"
    x = wrong_eval.module_out
    assert torch.equal(wrong_eval.module_out, x) and (wrong_eval.functional_out == 0).any()  # still dropping
    assert compare(twin("Dropout"), mode="train", naive=True).bitwise_equal  # same mask in train: no difference


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
