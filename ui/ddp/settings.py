"""The DDP page's cluster and replayed all-reduce, bound to the URL, and the choices its controls offer."""

from dataclasses import dataclass

from engine.ddp import MISTAKES, naive_ring_allreduce, parameter_server_allreduce, ring_allreduce

TASKS = {"ring": ring_allreduce, "naive_ring": naive_ring_allreduce, "parameter_server": parameter_server_allreduce}
SIZES = [6, 12, 24, 48]  # elements in the replayed buffer: small enough to show every value
CAPS = [0.25, 1.0, 4.0, 25.0, 64.0]
MISTAKE_CHOICES = ["none", *MISTAKES]


@dataclass(frozen=True)
class Settings:
    """The cluster and the replayed all-reduce, bound to the URL."""

    n: int
    method: str
    size: int
