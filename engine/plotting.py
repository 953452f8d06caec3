"""What the topic `plots` modules share, so one fix reaches every page: figure labels with English defaults that a
page may translate, logarithmic axes, and error bars from interleaved rounds."""

from __future__ import annotations

from collections.abc import Mapping


def label(defaults: Mapping[str, str], labels: Mapping[str, str] | None, key: str, **fmt: object) -> str:
    """`labels[key]` if given, else `defaults[key]`, with `fmt` filled in."""
    text = (labels or {}).get(key, defaults[key])
    return text.format(**fmt) if fmt else text


def log_axis(title: str | None = None, **extra: object) -> dict:
    """A logarithmic plotly axis labelled at each power of ten as 10ⁿ: plotly's default labels a short log range
    "100 5 2 10 5 2 1" and small values with SI prefixes ("1µ"), which read as nonsense on a chart of seconds."""
    axis: dict = {"type": "log", "dtick": 1, "exponentformat": "power", "minexponent": 4}
    if title is not None:
        axis["title"] = title
    return axis | extra


def range_bars(y: list[float], lo: list[float], hi: list[float], **extra: object) -> dict:
    """Asymmetric plotly error bars from each point's fastest and slowest round (`lo`, `hi`) around its median."""
    return {"type": "data", "symmetric": False, "array": [h - v for v, h in zip(y, hi, strict=True)],
            "arrayminus": [v - low for v, low in zip(y, lo, strict=True)]} | extra
