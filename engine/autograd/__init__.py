"""Autograd on the user's own expression: a safe little language, PyTorch's real grad_fn graph, backward node by
node, a scalar reverse-mode engine of our own beside it, and the lab of autograd's rules."""

from engine.autograd.build import MAX_ELEMENTS, MAX_INPUTS_CHARS, Run, build, parse_inputs, read_spec
from engine.autograd.explain import explain_torch, explained
from engine.autograd.graph import Fired, Graph, Node, Trace, backward_trace, graph_of, to_dot
from engine.autograd.lab import MODES, accumulation, detach_demo, inplace_on_saved, modes_table, second_backward
from engine.autograd.parse import FUNCTIONS, Expr, ExprError, parse
from engine.autograd.scalar import GradComparison, ScalarValue, compare_grads, scalar_grads
from engine.autograd.second import Hessian, hessian, hessian_of

__all__ = ["FUNCTIONS", "MAX_ELEMENTS", "MAX_INPUTS_CHARS", "MODES", "Expr", "ExprError", "Fired", "GradComparison",
           "Graph", "Hessian", "Node", "Run", "ScalarValue", "Trace", "accumulation", "backward_trace", "build",
           "compare_grads", "detach_demo", "explain_torch", "explained", "graph_of", "hessian", "hessian_of",
           "inplace_on_saved", "modes_table", "parse", "parse_inputs", "read_spec", "scalar_grads",
           "second_backward", "to_dot"]
