"""Widget state mirrored in the URL, so a link reproduces a view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import present
from ui.chrome import guarded_callback

_PUBLISHED = "_glassbox_published"  # what this session last wrote to the URL, per parameter


_PAGE = "_glassbox_page"  # the page this session's current run draws
_FRESH = "_glassbox_fresh"  # keys still to be bound afresh in this run, because the visitor arrived from elsewhere
_DEFAULTS = "_glassbox_defaults"  # page → {key: default} of every control bound on it
_KEPT = "_glassbox_kept"  # each bound key's value as of this run, to restore a widget Streamlit forgot


def arrive(page: str) -> None:
    """Call once per run, before the page draws: when the visitor has come from another page, every control the
    page binds starts from the URL, else its default, exactly as on a direct visit. (Pages share some key names,
    such as `view` or `n`: without this, a value set on one page would carry over to the next.)"""
    if st.session_state.get(_PAGE) != page:
        st.session_state[_PAGE] = page
        st.session_state[_FRESH] = set(st.session_state.get(_DEFAULTS, {}).get(page, {})) | _all_bound()
    else:
        st.session_state[_FRESH] = set()
    step = present.take_pending(page)  # a presenter's step from the URL: its preset, before the page draws
    st.session_state[_FRESH] -= set(step)
    st.session_state.update(step)
    _drop_from_url(step)


def _drop_from_url(keys: object) -> None:
    """Take `keys` out of the URL: a step has set them, and the page publishes again those it shows (a key of a
    view the step does not show would otherwise keep the previous step's value in the URL, and bring it back on
    a reload)."""
    for key in keys:  # type: ignore[attr-defined]
        if key in st.query_params:
            del st.query_params[key]


def _all_bound() -> set[str]:
    return {k for keys in st.session_state.get(_DEFAULTS, {}).values() for k in keys}


def page_defaults() -> dict[str, Any]:
    """The default of every control bound on the current page so far (see `bind`)."""
    return dict(st.session_state.get(_DEFAULTS, {}).get(st.session_state.get(_PAGE), {}))


def bind(key: str, default: Any, parse: Callable[[str], Any] = str, param: str | None = None) -> None:
    """Give widget `key` its starting value from the URL parameter (default: the key), else `default`.

    `parse` turns the URL text into a value and raises ValueError (or KeyError) for anything invalid.
    """
    raw = st.query_params.get(param or key)
    st.session_state.setdefault(_DEFAULTS, {}).setdefault(st.session_state.get(_PAGE), {})[key] = default
    kept = st.session_state.setdefault(_KEPT, {})
    fresh = st.session_state.get(_FRESH, set())
    if key in fresh:  # the first run on this page after another: what the key held belongs to that page
        fresh.discard(key)
        st.session_state.pop(key, None)
        kept.pop(key, None)
    if key not in st.session_state and key in kept:
        # Streamlit forgets a widget's value after a run that did not draw it (another view was open): restore it.
        # Only then: assigning a drawn widget's value in every run would also overwrite what a visitor is typing
        # whenever a rerun they did not cause (a job ending) arrives before their Enter.
        st.session_state[key] = kept[key]
    if key in st.session_state:
        published = st.session_state.get(_PUBLISHED, {}).get(param or key)
        if raw is not None and published is not None and raw != published \
                and _text(st.session_state[key]) == published:
            # the URL changed under the page (browser Back or Forward, or an edited address) while the widget did
            # not: follow it. A widget the visitor has just moved wins, even if the URL of the previous run has
            # not reached the browser yet (quick key presses on a slider)
            try:
                st.session_state[key] = kept[key] = parse(raw)
                return
            except (ValueError, KeyError):
                pass
        kept[key] = st.session_state[key]
        return
    try:
        value = parse(raw) if raw is not None else default
    except (ValueError, KeyError):
        value = default
    st.session_state[key] = kept[key] = value


def bind_all(params: list[tuple[str, Any, Callable[[str], Any]]]) -> None:
    """`bind` each (key, default, parse) of a page's URL-bound controls."""
    for key, default, parse in params:
        bind(key, default, parse)


def publish(*keys: str) -> None:
    """Write the current value of each widget `key` back to the URL (a list or tuple as comma-separated items,
    which `items_of` reads back), all in one change: the browser then keeps one history entry per change of
    view or setting, so Back returns to the previous one instead of stepping through single parameters."""
    published = st.session_state.setdefault(_PUBLISHED, {})
    wanted = dict(st.query_params.to_dict())
    for key in keys:
        if key in st.session_state:
            wanted[key] = published[key] = _text(st.session_state[key])
    if wanted != st.query_params.to_dict():
        st.query_params.from_dict(wanted)


def _text(value: Any) -> str:
    """A widget value as the URL holds it."""
    return ",".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def items_of(options: list[str]) -> Callable[[str], list[str]]:
    """A `parse` for `bind` that reads comma-separated items, keeping those among `options`, in order."""

    def parse(raw: str) -> list[str]:
        chosen = [x for x in raw.split(",") if x in options]
        if not chosen and raw:
            raise ValueError(raw)
        return chosen

    return parse


def choice(options: list[str]) -> Callable[[str], str]:
    """A `parse` for `bind` that accepts only one of `options`."""

    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError(raw)
        return raw

    return parse


def number_in(values: list[float] | list[int]) -> Callable[[str], float | int]:
    """A `parse` for `bind` that accepts only one of `values` (numbers, read as their own type)."""
    kind = type(values[0])

    def parse(raw: str) -> float | int:
        v = kind(raw)
        if v not in values:
            raise ValueError(raw)
        return v

    return parse


def int_in(lo: int, hi: int) -> Callable[[str], int]:
    """A `parse` for `bind` that accepts integers in [lo, hi]."""

    def parse(raw: str) -> int:
        v = int(raw)
        if not lo <= v <= hi:
            raise ValueError(raw)
        return v

    return parse


def walkthrough(T: Callable[..., str], presets: dict[int, dict[str, Any]], base: dict[str, Any] | None = None,
                forget: tuple[str, ...] = ()) -> None:
    """Numbered steps (text `walk.N`), each with a button that sets the page's defaults, then `base | presets[N]`,
    into widget state.

    `forget` names session keys dropped on apply (e.g. "results computed for the old settings").
    """

    if present.active():  # the steps become slides on the stage at the top
        present.slides(T, presets, lambda n: page_defaults() | (base or {}) | dict(presets[n]), forget)
        return

    def apply(n: int) -> None:
        # a step sets every control it does not name back to the page's default: a step is a whole view, and
        # must not carry the previous step's settings
        values = page_defaults() | (base or {}) | presets[n]
        st.session_state.update(values)
        _drop_from_url(values)
        for key in forget:
            st.session_state.pop(key, None)

    for n in presets:
        with st.container(border=True):
            st.markdown(f"{n}. {T(f'walk.{n}')}")
            st.button(T("walk.apply", n=n), key=f"walk_{n}", on_click=guarded_callback(apply), args=(n,))


def progress_callback(bar: Any, label: str) -> Callable[[int, int, float], None]:
    """A (step, steps, loss) callback that moves a st.progress bar, for engines that train."""

    def update(step: int, steps: int, loss: float) -> None:
        bar.progress(min(1.0, (step + 1) / max(steps, 1)), text=f"{label} {step + 1}/{steps} · loss {loss:.3f}")

    return update
