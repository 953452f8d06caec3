"""The shipped default view (engine.ddp.snapshot): it decodes to the engine's own result types with the numbers the
engine would check, round-trips exactly, and builds nothing but the listed classes from a file."""

from __future__ import annotations

import numpy as np
import pytest

from engine.ddp import snapshot
from engine.ddp.allreduce import AllReduceResult, contributors
from engine.ddp.equivalence import Equivalence
from engine.messages import Message


@pytest.mark.parametrize("n", [2, 3, 4])
def test_the_shipped_view_holds_every_default_result_as_engine_objects(n: int) -> None:
    loaded = snapshot.load(n)
    assert loaded is not None, "run python -m engine.ddp.bench --view-only --record"
    rec, results = loaded
    assert set(results) == {snapshot.key_of(k) for k, _, _ in snapshot.default_calls(n)}
    ring = results[snapshot.key_of(("allreduce", "ring", snapshot.SIZE))]
    assert isinstance(ring, AllReduceResult) and ring.world_size == n and ring.result_equal_to_gloo
    assert contributors(ring)[-1] == [[tuple(range(n))] * n] * n  # the recorded snapshots still add up
    eq = results[snapshot.key_of(("eq", "mlp", "float64", None, "ring"))]
    assert isinstance(eq, Equivalence) and eq.equal and max(eq.per_step_grad_diff) <= 1e-12
    assert isinstance(eq.explanation, Message) and eq.buckets[0].allreduce.inputs[0].dtype == np.float64
    assert rec.machine["cores"] >= 1 and rec.date


def test_encode_decode_round_trips_and_refuses_other_types() -> None:
    _, results = snapshot.load(3)
    for value in results.values():
        again = snapshot.decode(snapshot.encode(value))
        assert snapshot.encode(again) == snapshot.encode(value)
    with pytest.raises(KeyError):
        snapshot.decode({"__dc__": "Popen", "args": ["rm"]})
    with pytest.raises(ValueError):
        snapshot.decode({"__np__": "object", "shape": [1], "b64": ""})
