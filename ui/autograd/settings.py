"""The autograd page's program, its inputs and which of them require grad: the Settings the views read."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """The program, its inputs and which of them require grad, bound to the URL."""

    src: str
    vals: str
    grad: tuple[str, ...]
    dtype: str
    seed: int
