"""The loss-scale doctor against torch.amp.GradScaler: it calls a step overflowed exactly when GradScaler would
skip it, its safe scale is one GradScaler keeps (and twice it one GradScaler halves), and a forward overflow is
named at the module that made it, with no smaller scale offered."""

from __future__ import annotations

import pytest
import torch

from engine.numerics.doctor import diagnose_step
from engine.numerics.tinylm import Batches, TinyGPT, TinyGPTConfig, training_text

CFG = TinyGPTConfig(context=16, width=32, layers=1, heads=2)


@pytest.fixture(scope="module")
def setup():
    torch.manual_seed(0)
    model = TinyGPT(CFG)
    x, y = Batches(training_text(), CFG.context, 4, 0, torch.device("cpu")).next()
    return model, x, y


def gradscaler_skips(model, x, y, scale: float) -> bool:
    """Whether torch's GradScaler, starting at `scale`, finds inf/NaN in this step (and so lowers its scale)."""
    scaler = torch.amp.GradScaler("cpu", init_scale=scale)
    opt = torch.optim.SGD(model.parameters(), lr=0.0)
    model.zero_grad(set_to_none=True)
    with torch.autocast("cpu", dtype=torch.float16):
        _, loss = model(x, y)
    scaler.scale(loss).backward()
    scaler.step(opt)
    scaler.update()
    model.zero_grad(set_to_none=True)
    return scaler.get_scale() < scale


@pytest.mark.parametrize("log2", [0, 16, 30, 60])
def test_overflow_agrees_with_gradscaler_and_the_safe_scale_is_the_largest(setup, log2: int) -> None:
    model, x, y = setup
    d = diagnose_step(model, x, y, 2.0**log2)
    assert d.overflowed == gradscaler_skips(model, x, y, 2.0**log2)
    assert d.safe_scale is not None and not gradscaler_skips(model, x, y, d.safe_scale)
    if d.overflowed:
        assert gradscaler_skips(model, x, y, 2 * d.safe_scale) and d.fixed_by_smaller_scale
        assert d.first.phase == "backward" and d.first.module == "head"  # the fp16 head's backward overflows first
        assert d.safe_scale == 2.0**log2 / 2**d.halvings
    else:
        assert d.first is None and d.safe_scale == 2.0**log2 and not d.fixed_by_smaller_scale


def test_a_forward_overflow_is_named_and_no_smaller_scale_fixes_it() -> None:
    torch.manual_seed(0)
    model = TinyGPT(CFG)
    x, y = Batches(training_text(), CFG.context, 4, 0, torch.device("cpu")).next()
    with torch.no_grad():
        model.blocks[0].fc.weight.mul_(1e5)  # its fp16 output passes 65504
    d = diagnose_step(model, x, y, 1.0)
    assert d.first.phase == "forward" and d.first.module == "blocks.0.fc" and d.first.op == "Linear"
    assert d.first.infs > 0 and d.safe_scale is None and not d.fixed_by_smaller_scale
    assert gradscaler_skips(model, x, y, 1.0)
    with pytest.raises(ValueError):
        diagnose_step(model, x, y, 0.0)
