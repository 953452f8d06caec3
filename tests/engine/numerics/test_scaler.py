"""LossScaler step by step against torch.amp.GradScaler on the same overflowing / finite gradients."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.numerics import LossScaler


def run_torch(pattern: list[bool], **kw) -> list[tuple[float, bool]]:
    """GradScaler's scale before each step and whether the step changed the parameter."""
    p = torch.nn.Parameter(torch.ones(3))
    opt = torch.optim.SGD([p], lr=0.1)
    gs = torch.amp.GradScaler("cpu", **kw)
    out = []
    for overflow in pattern:
        opt.zero_grad()
        scale = gs.get_scale()
        gs.scale(p.sum()).backward()
        if overflow:
            p.grad[1] = math.inf
        before = p.detach().clone()
        gs.step(opt)
        gs.update()
        out.append((scale, not torch.equal(before, p.detach())))
    out.append((gs.get_scale(), False))
    return out


def run_ours(pattern: list[bool], **kw) -> list[tuple[float, bool]]:
    s = LossScaler(**kw)
    out = []
    for overflow in pattern:
        scale = s.scale
        out.append((scale, s.update(overflow)))
    out.append((s.scale, False))
    assert [e.found_inf for e in s.history] == pattern
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=40), st.integers(1, 5))
def test_matches_gradscaler(pattern: list[bool], interval: int) -> None:
    kw = dict(init_scale=2.0**10, growth_factor=2.0, backoff_factor=0.5, growth_interval=interval)
    assert run_ours(pattern, **kw) == run_torch(pattern, **kw)


def test_defaults_match_gradscaler() -> None:
    gs, s = torch.amp.GradScaler("cpu"), LossScaler()
    assert (s.scale, s.growth_factor, s.backoff_factor, s.growth_interval) == (
        gs.get_scale(), gs.get_growth_factor(), gs.get_backoff_factor(), gs.get_growth_interval())


def test_static_mode_keeps_scale_and_still_skips() -> None:
    s = LossScaler(init_scale=128.0, dynamic=False, growth_interval=1)
    assert [s.update(f) for f in (False, True, False)] == [True, False, True]
    assert {e.scale for e in s.history} == {128.0} and s.scale == 128.0


def test_bad_settings_raise() -> None:
    with pytest.raises(ValueError):
        LossScaler(init_scale=math.nan)
    with pytest.raises(ValueError):
        LossScaler(backoff_factor=1.5)
