"""Arithmetic of the demo package, exported under `demo.math.*` with top-level aliases."""

from engine.apiexport.demo._api import demo_export


@demo_export("math.add", "add", v1=["math.add", "add"])
def add(x: float, y: float) -> float:
    """x + y."""
    return x + y


@demo_export("math.multiply", "multiply", v1=["math.multiply", "multiply", "mul"])
def multiply(x: float, y: float) -> float:
    """x · y."""
    return x * y


@demo_export("math.reduce_sum", v1=["reduce_sum", "math.reduce_sum"])
def reduce_sum(values: list[float]) -> float:
    """The sum of `values`."""
    return float(sum(values))


def _helper(x: float) -> float:
    """Not exported: stays private however the package is imported."""
    return x
