"""The backward step-through's figure (the autograd page's GIF frames): at frame k exactly the first k nodes that
fired are coloured as fired, the k-th as the one firing now, and every edge climbs from a lower layer."""

from __future__ import annotations

import pytest

from engine.autograd import backward_trace, build, graph_of
from engine.autograd.examples import GRAD, INPUTS
from engine.autograd.graph import Graph
from engine.autograd.plots import CURRENT, DONE, backward_figure, layers

PROGRAMS = ["out = softplus(w @ x).sum() + x.softplus().mean()", "y = (x * x).sin(); out = y.sum()",
            "out = (w @ x).relu().sum() * 2"]


@pytest.mark.parametrize("src", PROGRAMS)
def test_frame_k_colours_the_first_k_fired_nodes(src: str) -> None:
    run = build(src, INPUTS, GRAD, seed=1)
    g, trace = graph_of(run.output), backward_trace(run)
    assert len(trace.fired) >= 3
    colour_of = {n.id: i for i, n in enumerate(g.nodes)}
    for k in range(len(trace.fired) + 1):
        colours = list(backward_figure(g, trace, k).data[0].marker.color)
        fired = [f.node for f in trace.fired[:k]]
        assert [colours[colour_of[n]] for n in fired[:-1]] == [DONE] * max(0, k - 1)
        assert colours.count(DONE) == max(0, k - 1) and colours.count(CURRENT) == (1 if k else 0)
        if k:
            assert colours[colour_of[fired[-1]]] == CURRENT
            assert trace.fired[k - 1].name in backward_figure(g, trace, k).layout.title.text


def test_every_edge_climbs_and_the_output_is_on_top() -> None:
    run = build(PROGRAMS[0], INPUTS, GRAD, seed=1)
    g = graph_of(run.output)
    layer = layers(g)
    assert all(layer[b] > layer[a] for a, b in g.edges)
    assert max(layer.values()) == layer[next(n.id for n in g.nodes if n.kind == "output")]
    # a negative control: an edge pointing down breaks the first property
    reversed_edges = Graph(g.nodes, [(b, a) for a, b in g.edges], g.notes)
    flipped = layers(reversed_edges)
    assert not all(flipped[b] > flipped[a] for a, b in g.edges)
