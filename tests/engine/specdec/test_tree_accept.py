"""Medusa's tree acceptance, done in one tensor operation, against the node-by-node rule it replaced."""

from __future__ import annotations

import pytest
import torch

from engine.specdec.drafters import accept_tree, typical_ok


def node_by_node(p, tokens, parents, temperature):
    accepted = [False] * len(tokens)
    for j, (token, parent) in enumerate(zip(tokens, parents, strict=True)):
        if parent < 0 or accepted[parent]:
            row = p[parent + 1]
            accepted[j] = int(row.argmax()) == token if temperature <= 0 else typical_ok(row, token)
    return accepted


@pytest.mark.parametrize("seed", range(15))
@pytest.mark.parametrize("temperature", [0.0, 1.0])
def test_accept_tree_equals_the_node_by_node_rule(seed: int, temperature: float) -> None:
    gen = torch.Generator().manual_seed(seed)
    m = 12
    parents = [-1 if j < 3 else int(torch.randint(0, j, (), generator=gen)) for j in range(m)]
    sharp = 1 + 6 * torch.rand(m + 1, 1, generator=gen, dtype=torch.float64)  # some peaked rows, some flat
    p = torch.softmax(sharp * torch.randn(m + 1, 16, generator=gen, dtype=torch.float64), -1)
    top = p.argmax(-1)
    # half the tokens are their parent row's favourite, so whole branches survive
    tokens = [int(top[pa + 1]) if torch.rand((), generator=gen) < 0.5 else int(torch.randint(0, 16, (),
              generator=gen)) for pa in parents]
    tokens[0] = int(top[0])  # the root's favourite: node 0 passes either rule
    got = accept_tree(p, tokens, parents, temperature)
    assert got == node_by_node(p, tokens, parents, temperature)
    assert got[0] and (seed > 0 or not all(got))  # both outcomes occur
    assert accept_tree(p, [], [], temperature) == []
