"""The decoding fast path of the byte-level GPTs: a preallocated KV cache and prepacked weights.

Profiling a verify pass over γ + 1 = 5 tokens against a one-token step (torch.profiler, one thread, thread CPU
time) found three costs that grow with the tokens fed but are not the weight reads the theory counts:
- the linears' kernel (below);
- the KV cache grew by `torch.cat`, copying every cached key and value of every layer on every pass;
- each layer built its own boolean mask (ones, tril), which SDPA then turned into an additive one.
Here the weights are kept prepacked for oneDNN (below), the cache is a slab written in place (`truncate` and
`select` just move its length or gather rows), and one additive mask serves every layer; a one-token step needs
no mask at all. The arithmetic is the model's own (`Block.forward`), so outputs agree with the plain path to
rounding, and greedy decoding stays identical across methods (both run this path).

The linears: MKL's sgemm behind `F.linear` (and `addmm` on an (in, out) copy, tried before) is not
bandwidth-bound on this AMD CPU at 2–8 rows: over all of the target's weights, one thread, 2 rows cost 1.7×
one row and 5 rows 1.5× (measured with `python -m engine.specdec.profile`). oneDNN's matmul on weights
reordered once into its blocked layout (`mkldnn._linear_pointwise`, the op PyTorch's own CPU compiler emits)
costs about the same at 1 to 8 rows, so a verify pass over γ + 1 tokens costs about one decoding step, as the
theory assumes. Its results agree with `F.linear`'s to float32 rounding (as 1 and 5 rows of `F.linear` agree
with each other: neither is bit-identical across row counts). Where oneDNN is absent (or off CPU, or not
float32), and for weights below PACK_FROM elements (the draft model's, where oneDNN's fixed cost per call
dominates), `F.linear` serves.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

PACK_FROM = 512 * 512  # weights this large take oneDNN; below it its per-call cost (~15–25 µs) beats MKL's (measured)
SPARE = 64  # slab rows beyond the context: a Medusa tree's nodes sit past the last committed position


class SlabCache:
    """Keys and values of the tokens processed so far, in one preallocated (layers, B, heads, rows, head_dim)
    slab per kind; the first `length` rows are valid."""

    def __init__(self, layers: int, rows: int = 0) -> None:
        self.layers, self.rows, self.length = layers, rows, 0
        self.k: torch.Tensor | None = None
        self.v: torch.Tensor | None = None

    def _room(self, like: torch.Tensor, batch: int, heads: int, head_dim: int, needed: int) -> None:
        """Allocate the slab on first use, and grow it (copying the valid rows) when `needed` rows do not fit."""
        if self.k is not None and self.k.shape[1] == batch and needed <= self.k.shape[3]:
            return
        if self.k is not None and self.length and self.k.shape[1] != batch:
            raise ValueError(f"the cache holds a batch of {self.k.shape[1]}, not {batch}")
        rows = max(needed, self.rows, 2 * (0 if self.k is None else self.k.shape[3]))
        k = like.new_empty(self.layers, batch, heads, rows, head_dim)
        v = like.new_empty(self.layers, batch, heads, rows, head_dim)
        if self.k is not None and self.length:
            k[:, :, :, :self.length] = self.k[:, :, :, :self.length]
            v[:, :, :, :self.length] = self.v[:, :, :, :self.length]
        self.k, self.v = k, v

    def truncate(self, length: int) -> None:
        """Forget everything after the first `length` tokens (a rejected draft)."""
        self.length = min(self.length, max(0, length))

    def select(self, keep: torch.Tensor) -> None:
        """Keep only the cached rows listed in `keep` (the accepted path of a candidate tree), in that order."""
        n = len(keep)
        # rows already in place (the committed prefix: keep starts 0, 1, 2, …) need no copy; gathering only the
        # rest moves the accepted path's few rows instead of the whole cache on every step
        moved = (keep != torch.arange(n)).nonzero()
        start = int(moved[0]) if len(moved) else n
        if self.k is not None and start < n:
            rest = keep[start:]
            self.k[:, :, :, start:n] = self.k[:, :, :, rest]  # the gather copies first, so rows may overlap
            self.v[:, :, :, start:n] = self.v[:, :, :, rest]
        self.length = n


def _onednn(weight: torch.Tensor) -> bool:
    """Whether `weight` should take oneDNN's prepacked matmul: a float32 CPU tensor of at least PACK_FROM
    elements (the draft model's small ones are faster through `F.linear`), oneDNN built in."""
    return (weight.device.type == "cpu" and weight.dtype == torch.float32 and weight.numel() >= PACK_FROM
            and torch.backends.mkldnn.is_available())


def _packed(blocks) -> list[tuple[tuple[torch.Tensor, torch.Tensor | None, torch.Tensor], ...]]:
    """Each block's four layers as `_layer` gives them."""
    return [(_layer(b.qkv), _layer(b.proj), _layer(b.fc), _layer(b.out)) for b in blocks]


def _layer(layer: nn.Linear) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
    """An nn.Linear as (weight, its oneDNN-packed copy or None, bias), kept on the layer and rebuilt when the weight
    changed (its storage or its in-place write count) or the bias tensor was replaced."""
    key = (layer.weight.data_ptr(), layer.weight._version, id(layer.bias))
    cached = layer.__dict__.get("_slab_packed")
    if cached is None or cached[0] != key:
        with torch.inference_mode(False), torch.no_grad():  # ordinary tensors, usable in and out of inference
            cached = (key, (layer.weight, _pack(layer.weight), layer.bias))
        object.__setattr__(layer, "_slab_packed", cached)  # not a submodule or a buffer: never saved
    return cached[1]


def _pack(weight: torch.Tensor) -> torch.Tensor | None:
    """oneDNN's blocked copy of an (out, in) weight, or None where `_linear` should use `F.linear`."""
    return torch.ops.mkldnn._reorder_linear_weight(weight.detach(), None) if _onednn(weight) else None


def _linear(x: torch.Tensor, lin: tuple[torch.Tensor, torch.Tensor | None, torch.Tensor]) -> torch.Tensor:
    """x (T, in) times the layer (weight (out, in), its packed copy, bias): oneDNN on the packed copy where there
    is one, else PyTorch's own linear."""
    weight, packed, bias = lin
    if packed is None or x.dtype != torch.float32:
        return F.linear(x, weight, bias)
    return torch.ops.mkldnn._linear_pointwise(x, packed, bias, "none", [], "")


def linear(layer: nn.Linear, x: torch.Tensor) -> torch.Tensor:
    """`layer(x)` for an nn.Linear on the fast path, x (..., in) (an MTP module's projection: several rows a step)."""
    return _linear(x.reshape(-1, x.shape[-1]), _layer(layer)).view(*x.shape[:-1], -1)


def _attn_mask(mask: torch.Tensor | None, t: int, past: int, like: torch.Tensor) -> torch.Tensor | None:
    """One additive mask for every layer: `mask` (True = may attend) or causal; a single new token sees every cached
    one and needs none."""
    if mask is None:
        if t == 1:
            return None
        mask = torch.ones(t, past + t, dtype=torch.bool, device=like.device).tril(diagonal=past)
    return torch.zeros(mask.shape, dtype=like.dtype, device=like.device).masked_fill_(~mask, float("-inf"))


def _block(block, lins, flat: torch.Tensor, b: int, t: int, cache: SlabCache, i: int, past: int,
           attn: torch.Tensor | None) -> torch.Tensor:
    """`Block.forward`'s arithmetic on flat rows (B·T, width), its keys and values written into layer `i` of the
    slab at rows past … past + T."""
    qkv_w, proj_w, fc_w, out_w = lins
    heads, w = block.heads, flat.shape[1]
    hd, end = w // heads, past + t
    qkv = _linear(block.ln1(flat), qkv_w).view(b, t, 3, heads, hd)
    q = qkv[:, :, 0].transpose(1, 2)  # (B, heads, T, hd)
    cache.k[i, :, :, past:end] = qkv[:, :, 1].transpose(1, 2)
    cache.v[i, :, :, past:end] = qkv[:, :, 2].transpose(1, 2)
    y = F.scaled_dot_product_attention(q, cache.k[i, :, :, :end], cache.v[i, :, :, :end], attn_mask=attn)
    flat = flat + _linear(y.transpose(1, 2).reshape(b * t, w), proj_w)
    return flat + _linear(F.gelu(_linear(block.ln2(flat), fc_w)), out_w)


def hidden_states(model, idx: torch.Tensor, cache: SlabCache, positions: torch.Tensor | None = None,
                  mask: torch.Tensor | None = None) -> torch.Tensor:
    """`CausalLM.hidden_states` over a SlabCache: final normed states (B, T, width) of the new tokens `idx`."""
    b, t = idx.shape
    past, c = cache.length, model.config
    if positions is None:
        if past + t > c.context:
            raise ValueError(f"position {past + t - 1} is past the model's context of {c.context}")
        positions = torch.arange(past, past + t, device=idx.device)
    elif int(positions.max()) >= c.context:
        raise ValueError(f"position {int(positions.max())} is past the model's context of {c.context}")
    x = model.tok(idx) + model.pos(positions)  # (B, T, W)
    w = c.width
    cache._room(x, b, c.heads, w // c.heads, past + t)
    attn = _attn_mask(mask, t, past, x)
    flat = x.reshape(b * t, w)
    for i, (block, lins) in enumerate(zip(model.blocks, _packed(model.blocks), strict=True)):
        flat = _block(block, lins, flat, b, t, cache, i, past, attn)
    cache.length = past + t
    return model.ln(flat.view(b, t, w))


def block_forward(block, x: torch.Tensor, cache: SlabCache, mask: torch.Tensor | None = None) -> torch.Tensor:
    """`Block.forward(x, cache, mask)` of a lone block (an MTP depth) over a one-layer SlabCache."""
    b, t, w = x.shape
    past = cache.length
    cache._room(x, b, block.heads, w // block.heads, past + t)
    flat = _block(block, _packed([block])[0], x.reshape(b * t, w), b, t, cache, 0, past,
                  _attn_mask(mask, t, past, x))
    cache.length = past + t
    return flat.view(b, t, w)
