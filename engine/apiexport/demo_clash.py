"""A deliberate clash, kept outside the demo package: a second function claims demo.math.add.

Importing this module raises ExportError naming both symbols; the page does so to show the message a
developer would see."""

from engine.apiexport.demo import math_ops  # noqa: F401 - the first claimant must be registered
from engine.apiexport.demo._api import demo_export


@demo_export("math.add")
def add_saturating(x: float, y: float) -> float:
    """x + y, clipped to [−1, 1]: a different function under a name already taken."""
    return max(-1.0, min(1.0, x + y))
