"""Figure conventions every engine's plots share, so one fix reaches every page."""

from __future__ import annotations


def log_axis(title: str | None = None, **extra: object) -> dict:
    """A logarithmic plotly axis labelled at each power of ten as 10ⁿ: plotly's default labels a short log range
    "100 5 2 10 5 2 1" and small values with SI prefixes ("1µ"), which read as nonsense on a chart of seconds."""
    axis: dict = {"type": "log", "dtick": 1, "exponentformat": "power", "minexponent": 4}
    if title is not None:
        axis["title"] = title
    return axis | extra
