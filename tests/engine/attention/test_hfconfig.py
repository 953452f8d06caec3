"""The config.json reader: the bundled examples, the key-name families, tampered files in `.problems`, hostile input
as ArtifactError in under a second, and the costs against the formulas written out here."""

from __future__ import annotations

import json
import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.artifacts import ArtifactError
from engine.attention.gpus import GPUS
from engine.attention.hfconfig import LIMIT, example, examples, from_hf_config

LLAMA, MQA = "llama_style_gqa.config.json", "bigcode_style_mqa.config.json"


def codes(msgs) -> set[str]:
    return {m.code for m in msgs}


def test_examples_are_labelled_and_read_as_gqa_and_mqa() -> None:
    assert examples() == [MQA, LLAMA]
    for name in examples():
        assert json.loads(example(name))["_name_or_path"].startswith("glassbox/example-")
    s = from_hf_config(example(LLAMA))
    assert (s.layers, s.heads, s.kv_heads, s.head_dim, s.dtype, s.kind) == (32, 32, 8, 128, "bfloat16", "GQA")
    assert s.sources["kv_heads"] == "num_key_value_heads"
    assert s.sources["head_dim"] == "hidden_size / num_attention_heads"
    assert not s.problems and not s.notes
    # K and V × 32 layers × 8 K/V heads × 128 values × 2 bytes = 128 KiB per token
    assert s.kv_cache_bytes(1) == 128 * 1024 and s.kv_cache_bytes(8192, 4) == 4 * 8192 * 128 * 1024
    assert s.as_mha().kv_cache_bytes(1) == 4 * s.kv_cache_bytes(1)
    m = from_hf_config(example(MQA).encode())
    assert (m.layers, m.heads, m.kv_heads, m.head_dim, m.dtype, m.kind) == (40, 48, 1, 128, "float16", "MQA")
    assert m.sources["layers"] == "n_layer" and m.sources["kv_heads"] == "multi_query"


@pytest.mark.parametrize(("cfg", "want"), [
    ({"num_hidden_layers": 2, "num_attention_heads": 4, "hidden_size": 64}, (2, 4, 4, 16, "float32")),  # MHA
    ({"n_layer": 12, "n_head": 12, "n_embd": 768, "torch_dtype": "float32"}, (12, 12, 12, 64, "float32")),  # GPT-2
    ({"model_type": "gpt_bigcode", "n_layer": 2, "n_head": 8, "n_embd": 256}, (2, 8, 1, 32, "float32")),
    ({"num_hidden_layers": 60, "num_attention_heads": 71, "num_kv_heads": 1, "hidden_size": 4544,
      "multi_query": True, "dtype": "torch.bfloat16"}, (60, 71, 1, 64, "bfloat16")),  # Falcon, new `dtype` key
    ({"num_hidden_layers": 28, "num_attention_heads": 16, "num_key_value_heads": 16, "head_dim": 256,
      "hidden_size": 3072, "torch_dtype": "bfloat16"}, (28, 16, 16, 256, "bfloat16")),  # Gemma: head_dim given
    ({"torch_dtype": "float16", "text_config": {"num_hidden_layers": 4, "num_attention_heads": 8,
                                                "num_key_value_heads": 2, "hidden_size": 512}},
     (4, 8, 2, 64, "float16")),
])
def test_key_name_families(cfg, want) -> None:
    s = from_hf_config(json.dumps(cfg))
    assert (s.layers, s.heads, s.kv_heads, s.head_dim, s.dtype) == want
    assert not s.problems


def test_notes_say_what_was_assumed() -> None:
    assert codes(from_hf_config('{"n_layer": 1, "n_head": 2, "n_embd": 8}').notes) == {"attention.config.dtype_missing"}
    gemma = from_hf_config(json.dumps({"num_hidden_layers": 1, "num_attention_heads": 16, "head_dim": 256,
                                       "hidden_size": 3072, "torch_dtype": "bfloat16", "sliding_window": 4096}))
    assert codes(gemma.notes) == {"attention.config.head_dim_differs", "attention.config.sliding_window"}


@pytest.mark.parametrize(("key", "value", "code"), [
    ("num_key_value_heads", 6, "attention.config.kv_not_divisor"),  # 32 query heads do not split into 6 groups
    ("num_key_value_heads", 64, "attention.config.kv_not_divisor"),
    ("hidden_size", 4100, "attention.config.hidden_split"),
    ("hidden_size", 4000, "attention.config.rope_odd"),  # 4000 / 32 = 125: RoPE rotates pairs
])
def test_one_number_changed_is_reported(key: str, value: int, code: str) -> None:
    cfg = json.loads(example(LLAMA))
    cfg[key] = value
    assert code in codes(from_hf_config(json.dumps(cfg)).problems)


def test_layer_types_of_another_length_is_reported() -> None:
    cfg = json.loads(example(LLAMA)) | {"layer_types": ["full_attention"] * 32}
    assert not from_hf_config(json.dumps(cfg)).problems
    cfg["num_hidden_layers"] = 30
    assert codes(from_hf_config(json.dumps(cfg)).problems) == {"attention.config.layer_types"}


HOSTILE = {
    "empty": "",
    "blank": "  \n ",
    "truncated": example(LLAMA)[:200],
    "deep": "[" * 100_000 + "]" * 100_000,
    "garbage": os.urandom(5_000_000),
    "garbage_small": os.urandom(1_500_000),
    "text_garbage": "x" * 1_900_000,
    "wrong_format": "model_type: llama\nnum_hidden_layers: 32\n",
    "list": "[1, 2, 3]",
    "no_heads": '{"num_hidden_layers": 2, "hidden_size": 64}',
    "no_size": '{"num_hidden_layers": 2, "num_attention_heads": 4}',
    "zero_layers": '{"num_hidden_layers": 0, "num_attention_heads": 4, "hidden_size": 64}',
    "negative": '{"num_hidden_layers": 2, "num_attention_heads": -4, "hidden_size": 64}',
    "huge": '{"num_hidden_layers": 1e300, "num_attention_heads": 4, "hidden_size": 64}',
    "nan": '{"num_hidden_layers": NaN, "num_attention_heads": 4, "hidden_size": 64}',
    "too_many": '{"num_hidden_layers": 100000000, "num_attention_heads": 4, "hidden_size": 64}',
    "bool": '{"num_hidden_layers": true, "num_attention_heads": 4, "hidden_size": 64}',
    "string": '{"num_hidden_layers": "32", "num_attention_heads": 4, "hidden_size": 64}',
    "long_int": '{"num_hidden_layers": 1' + "0" * 5000 + "}",
    "dtype": '{"num_hidden_layers": 2, "num_attention_heads": 4, "hidden_size": 64, "torch_dtype": "int8"}',
    "dtype_type": '{"num_hidden_layers": 2, "num_attention_heads": 4, "hidden_size": 64, "torch_dtype": [1]}',
    "too_big": " " * (LIMIT + 1),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_an_artifact_error_in_under_a_second(name: str) -> None:
    t = time.perf_counter()
    with pytest.raises(ArtifactError) as e:
        from_hf_config(HOSTILE[name])
    assert time.perf_counter() - t < 1.0
    assert type(e.value) is ArtifactError and e.value.code


def test_positions_point_at_the_field_or_the_line() -> None:
    with pytest.raises(ArtifactError) as e:
        from_hf_config('{"text_config": {"num_hidden_layers": 0, "num_attention_heads": 4}}')
    assert e.value.position == "text_config.num_hidden_layers"
    with pytest.raises(ArtifactError) as e:
        from_hf_config('{\n  "num_hidden_layers": 2,\n  oops\n}')
    assert e.value.position == (3, 3)


def test_cost_follows_the_formulas() -> None:
    """One layer of the Llama-style example at N = 4096 on an H100, written out: naive holds S and P (2 bytes each)
    for 32 heads, causal attention does n(n+1)/2 score pairs × 2 matmuls × 128 × 2 FLOPs, and keeping P for backward
    costs N× the LSE's fp32 row."""
    s, n, gpu = from_hf_config(example(LLAMA)), 4096, GPUS["H100-SXM"]
    c = s.cost(n, gpu)
    out = 32 * n * 128 * 2
    assert c.naive_bytes == 2 * 32 * n * n * 2 + out
    assert out < c.tiled_bytes < 2 * out
    assert c.flops == 32 * (n * (n + 1) // 2) * 2 * 2 * 128
    assert c.tiled.hbm_bytes < c.standard.hbm_bytes / 5 and c.tiled.block >= 64
    assert c.keep_p_bytes == 32 * n * n * 2 and c.lse_bytes == 32 * n * 4
    assert c.hbm_seconds(c.standard) == pytest.approx(c.standard.hbm_bytes / 3352e9)
    assert c.compute_seconds == pytest.approx(c.flops / 989e12)


KEYS = ["num_hidden_layers", "n_layer", "num_attention_heads", "n_head", "num_key_value_heads", "num_kv_heads",
        "multi_query", "head_dim", "hidden_size", "n_embd", "torch_dtype", "dtype", "model_type", "rope_theta",
        "layer_types", "sliding_window", "use_sliding_window", "text_config"]
VALUES = st.recursive(st.none() | st.booleans() | st.integers(-5, 10**7) | st.floats(allow_nan=True)
                      | st.sampled_from(["bfloat16", "auto", "gpt_bigcode", "torch.float16", "x"]),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner,
                                                                                  max_size=4), max_leaves=8)


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=10))
def test_any_json_with_the_keys_gives_a_shape_or_an_artifact_error(cfg) -> None:
    try:
        s = from_hf_config(json.dumps(cfg))
    except ArtifactError:
        return
    assert min(s.layers, s.heads, s.kv_heads, s.head_dim) >= 1 and s.kv_cache_bytes(1) > 0
