"""The decoding fast path (engine.specdec.kvslab) against the plain blocks of engine.transformer: same logits in
float64 through chunks, truncation, a tree's row selection, slab growth and a weight change."""

from __future__ import annotations

import pytest
import torch
from torch.nn.functional import linear

from engine.specdec import GPT, GPTConfig, kvslab
from engine.specdec.kvslab import SlabCache
from engine.transformer import KVCache


def _model(seed: int = 0, dtype: torch.dtype = torch.float64) -> GPT:
    torch.manual_seed(seed)
    return GPT(GPTConfig(context=64, width=32, layers=2, heads=4)).to(dtype).eval()


def test_chunks_truncation_and_selection_match_the_plain_path() -> None:
    m = _model()
    x = torch.randint(0, 256, (1, 40))
    with torch.no_grad():
        fast, plain = m.new_cache(), KVCache(m.config.layers)
        assert isinstance(fast, SlabCache)
        for a, b in ((0, 9), (9, 10), (10, 30)):
            torch.testing.assert_close(m(x[:, a:b], fast), m(x[:, a:b], plain), rtol=0, atol=1e-12)
        fast.truncate(25)
        plain.truncate(25)
        torch.testing.assert_close(m(x[:, 25:33], fast), m(x[:, 25:33], plain), rtol=0, atol=1e-12)
        keep = torch.tensor([*range(20), 23, 27, 30])  # rows of an accepted tree path, out of a longer pass
        fast.select(keep)
        plain.select(keep)
        assert fast.length == plain.length == len(keep)
        torch.testing.assert_close(m(x[:, 33:36], fast), m(x[:, 33:36], plain), rtol=0, atol=1e-12)


@pytest.mark.parametrize(("dtype", "atol"), [(torch.float64, 1e-12), (torch.float32, 2e-5)])
def test_the_slab_grows_and_new_weights_are_used(dtype: torch.dtype, atol: float,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kvslab, "PACK_FROM", 0)  # this small model's float32 weights take oneDNN too
    m = _model(1, dtype)  # float32 takes oneDNN's packed weights (where built in), float64 F.linear
    x = torch.randint(0, 256, (1, 50))
    with torch.no_grad():
        small = SlabCache(m.config.layers, rows=4)  # forced to grow (and copy) several times
        parts = [m(x[:, a:a + 5], small) for a in range(0, 50, 5)]
        torch.testing.assert_close(torch.cat(parts, 1), m(x), rtol=0, atol=atol)
        before = m(x[:, :8], m.new_cache())
        m.blocks[0].fc.weight.mul_(1.5)  # in place, as an optimizer step would: the packed copy must follow
        after = m(x[:, :8], m.new_cache())
        assert (after - before).abs().max() > 1e-3  # negative control: the change shows
        torch.testing.assert_close(after, m(x[:, :8]), rtol=0, atol=atol)


@pytest.mark.skipif(not torch.backends.mkldnn.is_available(), reason="oneDNN is not built into this torch")
@pytest.mark.parametrize(("out", "inp"), [(1536, 512), (512, 2048)])  # the target's qkv and MLP output shapes
def test_a_packed_linear_agrees_with_f_linear_at_every_row_count(out: int, inp: int) -> None:
    """oneDNN's packed weights give F.linear's result to float32 rounding, fed 1 row (a decoding step) or more
    (a verify pass, a tree)."""
    gen = torch.Generator().manual_seed(out)
    weight, bias = torch.randn(out, inp, generator=gen) * 0.02, torch.randn(out, generator=gen) * 0.01
    x = torch.randn(17, inp, generator=gen)
    assert weight.numel() >= kvslab.PACK_FROM
    lin = (weight, kvslab._pack(weight), bias)
    assert lin[1] is not None  # oneDNN is taken for a weight this large
    with torch.inference_mode():
        for rows in (1, 2, 5, 17):
            torch.testing.assert_close(kvslab._linear(x[:rows], lin), linear(x[:rows], weight, bias),
                                       rtol=0, atol=1e-5)
        wrong = (weight, kvslab._pack(weight * 1.001), bias)  # negative control: a stale packed copy is caught
        assert not torch.allclose(kvslab._linear(x, wrong), linear(x, weight, bias), rtol=0,
                                  atol=1e-5)


def test_a_cache_refuses_another_batch_size() -> None:
    m = _model(2)
    with torch.no_grad():
        cache = m.new_cache()
        m(torch.randint(0, 256, (1, 5)), cache)
        with pytest.raises(ValueError, match="batch"):
            m(torch.randint(0, 256, (2, 1)), cache)


def test_an_mtp_module_on_the_fast_path_matches_its_plain_forward(monkeypatch: pytest.MonkeyPatch) -> None:
    """An MTP depth over a SlabCache (its projection and block on packed weights) gives the plain forward's states
    over a growing KVCache, chunk by chunk, to float32 rounding."""
    from engine.specdec.heads import MTPModule

    monkeypatch.setattr(kvslab, "PACK_FROM", 0)  # this small module's weights take oneDNN too
    torch.manual_seed(4)
    c = GPTConfig(context=64, width=32, layers=2, heads=4)
    module = MTPModule(c).eval()
    hidden, emb = torch.randn(1, 20, 32), torch.randn(1, 20, 32)
    with torch.inference_mode():
        fast, plain = SlabCache(1, 64), KVCache(1)
        for a, b in ((0, 7), (7, 9), (9, 20)):
            torch.testing.assert_close(module(hidden[:, a:b], emb[:, a:b], fast),
                                       module(hidden[:, a:b], emb[:, a:b], plain), rtol=0, atol=2e-5)
        if torch.backends.mkldnn.is_available():
            assert module.proj.__dict__["_slab_packed"][1][1] is not None  # the projection took oneDNN
