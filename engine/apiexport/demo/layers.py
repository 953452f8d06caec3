"""A layer class of the demo package, exported in two places, as Keras exports `Dense`."""

from engine.apiexport.demo._api import demo_export


@demo_export("layers.Dense", "nn.Dense")
class Dense:
    """y = w·x + b on plain floats."""

    def __init__(self, w: float, b: float) -> None:
        self.w, self.b = w, b

    def __call__(self, x: float) -> float:
        """Apply the layer."""
        return self.w * x + self.b


@demo_export("nn.relu", "math.relu")
def relu(x: float) -> float:
    """max(x, 0)."""
    return max(x, 0.0)


class Linear(Dense):
    """Dense without a bias, and not exported: it has no public name of its own, and inherits none (TensorFlow
    reads a symbol's names from its own __dict__)."""

    def __init__(self, w: float) -> None:
        super().__init__(w, 0.0)
