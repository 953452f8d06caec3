"""#29: a walkthrough step is a whole view. Applied after any other step it gives exactly the controls it gives
applied alone (presenter mode's `step=K` applies a step from the URL, as a fresh browser would)."""

from __future__ import annotations

import importlib
import re

import pytest

from tests.pages.apptest import open_page
from ui.registry import TOPICS


def _steps(slug: str) -> list[int]:
    """The page's walkthrough steps: the `walk.N` texts of its table (one per preset)."""
    table = importlib.import_module(f"ui.text.{slug}").TEXT
    return sorted(int(m.group(1)) for k in table if (m := re.fullmatch(r"walk\.(\d+)", k)))


def _controls(at) -> dict[str, str]:
    """Every control the page published to the URL, without the step itself."""
    return {k: v for k, v in at.query_params.items() if k not in ("step",)}


@pytest.mark.slow
@pytest.mark.parametrize("topic", TOPICS, ids=[t.slug for t in TOPICS])
def test_every_step_after_another_equals_the_step_alone(topic) -> None:
    steps = _steps(topic.slug)
    assert len(steps) >= 2, f"{topic.slug}: no walkthrough presets found"
    alone = {}
    for n in steps:
        at = open_page(topic.path, present="1", step=str(n))
        assert not at.exception, [e.value for e in at.exception]
        alone[n] = _controls(at)
    after = open_page(topic.path, present="1", step=str(steps[-1]))  # from the last step, every step in turn
    for n in steps:
        after.query_params["step"] = str(n)
        after.run()
        assert not after.exception, [e.value for e in after.exception]
        got = _controls(after)
        differ = {k: (got.get(k), alone[n].get(k)) for k in set(got) | set(alone[n]) if got.get(k) != alone[n].get(k)}
        assert not differ, f"{topic.slug} step {n} after another differs from step {n} alone: {differ}"
