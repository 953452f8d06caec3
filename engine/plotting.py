"""What the topic `plots` modules share: figure labels with English defaults that a page may translate."""

from __future__ import annotations

from collections.abc import Mapping


def label(defaults: Mapping[str, str], labels: Mapping[str, str] | None, key: str, **fmt: object) -> str:
    """`labels[key]` if given, else `defaults[key]`, with `fmt` filled in."""
    text = (labels or {}).get(key, defaults[key])
    return text.format(**fmt) if fmt else text
