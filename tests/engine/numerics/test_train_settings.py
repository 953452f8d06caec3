"""One frozen settings object for a numerics training run (#29): the object form trains exactly what the keyword
form trains, and a different setting trains something else."""

from __future__ import annotations

import dataclasses

import pytest

from engine.numerics.tinylm import TinyGPTConfig
from engine.numerics.training import TrainRunSettings, train, train_run

TINY = TinyGPTConfig(context=16, width=32, layers=1, heads=2)


@pytest.mark.slow
def test_the_object_form_trains_what_the_keyword_form_trains() -> None:
    s = TrainRunSettings(mode="fp16_scaled", steps=4, seed=3, config=TINY, batch=2, init_scale=2.0**20,
                         growth_interval=2, optimizer="sgd", lr=0.05)
    a = train(s)
    b = train_run("fp16_scaled", steps=4, seed=3, config=TINY, batch=2, init_scale=2.0**20, growth_interval=2,
                  optimizer="sgd", lr=0.05)
    assert a.losses == b.losses and a.skipped == b.skipped and a.scale_history == b.scale_history
    assert train(dataclasses.replace(s, seed=4)).losses != a.losses  # the comparison can tell runs apart
    low = TrainRunSettings(steps=3, config=TINY, batch=2, recipe="mxfp4")
    assert train(low).losses == train_run("fp32", steps=3, config=TINY, batch=2, recipe="mxfp4").losses


def test_the_settings_are_frozen_hashable_and_name_every_keyword() -> None:
    import inspect

    s = TrainRunSettings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.steps = 3  # type: ignore[misc]
    assert hash(s) == hash(TrainRunSettings())
    keywords = set(inspect.signature(train_run).parameters) - {"progress", "device"}
    assert {f.name for f in dataclasses.fields(TrainRunSettings)} == keywords
