"""Read a Hugging Face `config.json` into the attention shape of the model it describes (issue #33), and cost it.

`from_hf_config(text)` reads layers, query heads, key/value heads (multi-head, grouped-query or multi-query
attention), head_dim and the weights' dtype under the key names transformers' configs use: num_hidden_layers /
num_attention_heads / num_key_value_heads / head_dim / hidden_size / torch_dtype or dtype (Llama, Mistral, Qwen,
Gemma...), n_layer / n_head / n_embd (GPT-2, GPT-BigCode, with multi_query), num_kv_heads / n_head_kv (Falcon),
and a multimodal model's text_config. It never executes anything: the file is JSON and nothing else.
`.problems` lists what does not add up (heads that do not split into key/value groups, a hidden size that does
not split into heads, an odd head_dim under rotary embeddings, a layer_types list of another length); `.notes`
what was assumed. `.cost(n, gpu)` feeds the page's own formulas (guard.estimate, iomodel, backward.saved_bytes).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import torch

from engine.artifacts import ArtifactError, MiB, load_json
from engine.attention.backward import saved_bytes
from engine.attention.gpus import Gpu
from engine.attention.guard import estimate
from engine.attention.iomodel import IOCost, attention_flops, block_for_sram, standard_io, tiled_io
from engine.messages import Message, define

WHAT = "config.json"
LIMIT = 2 * MiB  # real configs are a few KiB; a label map can make one a few hundred
EXAMPLES = Path(__file__).parent / "examples"
DTYPES = {"float32": torch.float32, "float": torch.float32, "float16": torch.float16, "half": torch.float16,
          "bfloat16": torch.bfloat16, "float64": torch.float64, "double": torch.float64}
MAX = {"layers": 10_000, "heads": 65_536, "kv_heads": 65_536, "head_dim": 65_536, "hidden_size": 10_000_000}

define({
    "attention.config.number_too_long": "the {what} holds a number longer than {digits:,} digits",
    "attention.config.kv_not_divisor": "{heads} query heads do not split into groups of the {kv_heads} key/value "
                                       "heads: grouped-query attention gives each K/V head the same number of "
                                       "query heads",
    "attention.config.hidden_split": "hidden_size = {hidden} does not split into {heads} heads ({hidden} / {heads} "
                                     "is not a whole number) and no head_dim is given",
    "attention.config.rope_odd": "head_dim = {head_dim} is odd, but rotary position embeddings (rope_theta is set) "
                                 "rotate pairs of dimensions",
    "attention.config.layer_types": "layer_types lists {listed} layers, num_hidden_layers says {layers}",
    "attention.config.head_dim_differs": "head_dim = {head_dim} is given: heads × head_dim = {inner} differs from "
                                         "hidden_size = {hidden}, so the projections map {hidden} to {inner}",
    "attention.config.dtype_missing": "no torch_dtype or dtype: float32 assumed",
    "attention.config.nested": "read from text_config, the language model inside a multimodal config",
    "attention.config.mqa_default": "gpt_bigcode without multi_query: its default, multi-query (one K/V head), "
                                    "was assumed",
    "attention.config.sliding_window": "sliding_window = {window}: layers that use it keep at most {window} "
                                       "tokens of K and V; the figures here assume full attention",
})


@dataclass(frozen=True)
class LayerCost:
    """One layer's attention at N tokens (causal, batch 1): memory each method allocates, FLOPs, the IO model's HBM
    traffic (summed over query heads) with the time it implies on a GPU, and what a backward keeps."""

    n: int
    naive_bytes: int  # S and P for every head, plus the output (guard.estimate)
    tiled_bytes: int  # the output plus one set of tiles per head
    flops: int
    standard: IOCost
    tiled: IOCost
    keep_p_bytes: int  # P for every head: what autograd on the textbook formula keeps for backward
    lse_bytes: int  # what FlashAttention-2 keeps instead
    gpu: Gpu

    def hbm_seconds(self, io: IOCost) -> float:
        """The time the model's HBM traffic alone takes at the GPU's bandwidth."""
        return io.hbm_bytes / (self.gpu.hbm_gbps * 1e9)

    @property
    def compute_seconds(self) -> float:
        """The time the FLOPs alone take at the GPU's dense tensor throughput."""
        return self.flops / (self.gpu.tflops * 1e12)


@dataclass(frozen=True)
class AttentionShape:
    """What a config.json says about attention; `sources` names the key each value came from."""

    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    dtype: str
    hidden_size: int | None = None
    model_type: str = ""
    sources: dict[str, str] = field(default_factory=dict)
    problems: tuple[Message, ...] = ()
    notes: tuple[Message, ...] = ()

    @property
    def kind(self) -> str:
        """"MHA" (a K/V head per query head), "MQA" (one K/V head) or "GQA" (groups in between)."""
        return "MHA" if self.kv_heads == self.heads else "MQA" if self.kv_heads == 1 else "GQA"

    @property
    def elem_bytes(self) -> int:
        """Bytes per value of the model's dtype."""
        return torch.empty((), dtype=DTYPES[self.dtype]).element_size()

    def kv_cache_bytes(self, tokens: int, batch: int = 1) -> int:
        """Bytes of the K/V cache: K and V, every layer, every K/V head, head_dim values per token."""
        return 2 * self.layers * self.kv_heads * self.head_dim * tokens * batch * self.elem_bytes

    def as_mha(self) -> AttentionShape:
        """The same model with a K/V head per query head: what grouped-query attention saves against."""
        return replace(self, kv_heads=self.heads)

    def cost(self, n: int, gpu: Gpu, causal: bool = True) -> LayerCost:
        """One layer at N tokens through the page's formulas, tiles sized to the GPU's shared memory per SM."""
        if n < 1:
            raise ValueError(f"N must be at least 1, not {n}")
        e, h, d = self.elem_bytes, self.heads, self.head_dim
        block = block_for_sram(gpu.sram_kib * 1024, d, elem_bytes=e)
        est = estimate(n, n, d, h, DTYPES[self.dtype], block, block)
        std, til = standard_io(n, n, d, elem_bytes=e, causal=causal), tiled_io(n, n, d, gpu.sram_kib * 1024,
                                                                             elem_bytes=e, causal=causal)
        keep = saved_bytes(n, n, h, e)
        return LayerCost(n, est.naive, est.tiled, h * attention_flops(n, n, d, causal=causal),
                         IOCost(h * std.hbm_bytes, h * std.flops), IOCost(h * til.hbm_bytes, h * til.flops, til.block),
                         keep["p"], keep["lse"], gpu)


def _int(cfg: dict, names: tuple[str, ...], path: str, cap: int) -> tuple[int, str] | None:
    """The first of `names` present in `cfg`, as an integer in [1, cap], with the key it came from; None if absent."""
    for name in names:
        if name in cfg and cfg[name] is not None:
            value = cfg[name]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= cap:
                raise ArtifactError("artifact.bad_value", f"{path}{name}", path=path.rstrip(".") or "(top)",
                                    field=name, expected=f"an integer from 1 to {cap:,}", value=repr(value)[:40])
            return value, name
    return None


def _need(cfg: dict, names: tuple[str, ...], path: str, cap: int) -> tuple[int, str]:
    found = _int(cfg, names, path, cap)
    if found is None:
        raise ArtifactError("artifact.missing", path.rstrip(".") or None, path=path.rstrip(".") or "(top)",
                            field=" / ".join(names))
    return found


def _dtype(cfg: dict, path: str, notes: list[Message]) -> tuple[str, str]:
    for name in ("torch_dtype", "dtype"):
        raw = cfg.get(name)
        if raw is None or raw == "auto":
            continue
        key = raw.removeprefix("torch.") if isinstance(raw, str) else None
        if key not in DTYPES:
            raise ArtifactError("artifact.bad_value", f"{path}{name}", path=path.rstrip(".") or "(top)", field=name,
                                expected="float32, float16, bfloat16 or float64", value=repr(raw)[:40])
        return {"float": "float32", "half": "float16", "double": "float64"}.get(key, key), name
    notes.append(Message("attention.config.dtype_missing"))
    return "float32", "default"


def _read(cfg: Any) -> AttentionShape:
    if not isinstance(cfg, dict):
        raise ArtifactError("artifact.format", expected=WHAT)
    path, notes, problems = "", [], []
    top = cfg
    if not any(k in cfg for k in ("num_attention_heads", "n_head")) and isinstance(cfg.get("text_config"), dict):
        cfg, path = cfg["text_config"], "text_config."
        notes.append(Message("attention.config.nested"))
    layers, s_layers = _need(cfg, ("num_hidden_layers", "n_layer", "num_layers"), path, MAX["layers"])
    heads, s_heads = _need(cfg, ("num_attention_heads", "n_head", "num_heads"), path, MAX["heads"])
    hidden_found = _int(cfg, ("hidden_size", "n_embd", "d_model"), path, MAX["hidden_size"])
    hidden = hidden_found[0] if hidden_found else None
    kv = _int(cfg, ("num_key_value_heads", "num_kv_heads", "n_head_kv", "multi_query_group_num"), path,
              MAX["kv_heads"])
    model_type = cfg.get("model_type") if isinstance(cfg.get("model_type"), str) else ""
    multi_query = cfg.get("multi_query")
    if kv is None and multi_query is None and model_type == "gpt_bigcode":
        multi_query = True
        notes.append(Message("attention.config.mqa_default"))
    if kv is None:
        kv = (1, "multi_query") if multi_query is True else (heads, "num_attention_heads")
    kv_heads, s_kv = kv
    if heads % kv_heads:
        problems.append(Message("attention.config.kv_not_divisor", heads=heads, kv_heads=kv_heads))
    hd = _int(cfg, ("head_dim", "kv_channels"), path, MAX["head_dim"])
    if hd is not None:
        head_dim, s_hd = hd
        if hidden is not None and heads * head_dim != hidden:
            notes.append(Message("attention.config.head_dim_differs", head_dim=head_dim, inner=heads * head_dim,
                                 hidden=hidden))
    elif hidden is not None:
        head_dim, s_hd = max(1, hidden // heads), f"{hidden_found[1]} / {s_heads}"
        if hidden % heads:
            problems.append(Message("attention.config.hidden_split", hidden=hidden, heads=heads))
    else:
        raise ArtifactError("artifact.missing", path.rstrip(".") or None, path=path.rstrip(".") or "(top)",
                            field="head_dim / hidden_size")
    if head_dim % 2 and cfg.get("rope_theta") is not None:
        problems.append(Message("attention.config.rope_odd", head_dim=head_dim))
    types = cfg.get("layer_types")
    if isinstance(types, list) and len(types) != layers:
        problems.append(Message("attention.config.layer_types", listed=len(types), layers=layers))
    window = cfg.get("sliding_window")
    if isinstance(window, int) and not isinstance(window, bool) and window > 0 and cfg.get("use_sliding_window", True):
        notes.append(Message("attention.config.sliding_window", window=window))
    dtype, s_dtype = _dtype(cfg, path, notes)
    if s_dtype == "default" and path:  # a multimodal config often states the dtype at its top level only
        dtype, s_dtype = _dtype(top, "", [])
        if s_dtype != "default":
            notes.pop(-1)
    sources = {"layers": path + s_layers, "heads": path + s_heads, "kv_heads": path + s_kv, "head_dim": path + s_hd,
               "dtype": s_dtype if s_dtype == "default" else path + s_dtype}
    return AttentionShape(layers, heads, kv_heads, head_dim, dtype, hidden, model_type, sources, tuple(problems),
                          tuple(notes))


def from_hf_config(text: str | bytes) -> AttentionShape:
    """The attention shape a Hugging Face config.json describes; ArtifactError (and nothing else) for bad input."""
    try:
        cfg = load_json(text, LIMIT, WHAT)
    except ArtifactError:
        raise
    except ValueError:  # Python refuses to read an integer of more than its digit limit (a plain ValueError)
        digits = sys.get_int_max_str_digits()
        raise ArtifactError("attention.config.number_too_long", what=WHAT, digits=digits) from None
    return _read(cfg)


def example(name: str) -> str:
    """A bundled example config (written by Glassbox in Hugging Face's format, labelled as an example)."""
    return (EXAMPLES / name).read_text(encoding="utf-8")


def examples() -> list[str]:
    """The bundled example configs' file names."""
    return sorted(p.name for p in EXAMPLES.glob("*.json"))
