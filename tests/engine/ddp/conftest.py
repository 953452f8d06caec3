"""One cluster per world size for all of this folder's tests: starting one costs a few seconds per rank."""

from __future__ import annotations

import pytest

from engine.ddp import Cluster


@pytest.fixture(scope="session")
def clusters():
    """World size -> a started Cluster, created on first use and closed at the end of the session."""
    made: dict[int, Cluster] = {}

    def get(n: int) -> Cluster:
        if n not in made or not made[n].alive:
            made[n] = Cluster(n)
        return made[n]

    yield get
    for cl in made.values():
        cl.close()
