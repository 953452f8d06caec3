"""Presenter mode (`?present=1&step=K`, issue #32): the walkthrough as slides in front of a room.

What it does, for every page at once: hides the sidebar, Streamlit's header and toolbar, and the page's
controls; sets text and tables at TYPE_PX; draws the current step's figure full width on a stage at the top
(`spotlight`: the first figure the page drew for the step), its text large beneath it as the caption, with
← → (and Home, End) stepping through the walkthrough with Streamlit's own keyboard shortcuts; ↑ ↓ step the
page's algorithm step-through; the step lives in the URL, so a fresh browser restores it. It never starts
long work by itself (`ui.jobs` asks `active()` before an automatic start): a step whose result is not ready
shows the recording or the progress of a job already running.

How a step is applied: a preset must reach the session before the page draws its widgets (Streamlit refuses
to change a widget's value after it is drawn). Buttons do it in their callback, which runs before the page.
A step that arrives in the URL is found only by the walkthrough, at the end of a run: it is kept as pending
and the page reruns once, and `take_pending` applies it first thing in the next run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from ui.chrome import guarded_callback
from ui.i18n import translator
from ui.text.app import TEXT

T_APP = translator(TEXT)
PARAM, STEP = "present", "step"
_APPLIED = "_glassbox_step_applied"  # (page, step) whose preset this session's controls hold
_PENDING = "_glassbox_step_pending"  # (page, step, values) to apply before the page draws
_stage = threading.local()  # the run's stage container: each session's script runs in its own thread

CONTROLS = ("stSelectbox", "stSlider", "stSelectSlider", "stTextInput", "stTextArea", "stNumberInput",
            "stCheckbox", "stRadio", "stButtonGroup", "stMultiSelect", "stFileUploader", "stButton",
            "stDownloadButton", "stDateInput", "stColorPicker", "stPageLink")
CONTROLS_BOX = "glassbox-controls"  # a page's box of main controls (ui.page.controls_box): hidden whole, not left
# standing as an empty titled frame
SPOTLIGHT_GRAPH_PX = 520  # a graph on the stage: stretched to the full width alone, a tall graph filled several screens
TYPE_PX = 22  # the text's size on a slide, tables included: readable from the back of a room
# st.dataframe draws its cells on a canvas at Streamlit's theme size `sm` (0.875rem of a 16 px root), which no
# CSS font-size reaches: its element is zoomed instead, and its width divided by the zoom, so that the grid lays out
# in width / zoom and is drawn zoomed back to the column's width (zoom alone drew it 1.57× wider than the screen).
DATAFRAME_PX = 14
DATAFRAME_ZOOM = round(TYPE_PX / DATAFRAME_PX, 3)
# the stage's own buttons carry the shortcuts: kept in the page, but off screen, since the keys drive them
_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
%(controls)s { display: none !important; }
.st-key-%(box)s { display: none !important; }
.st-key-glassbox-stage [data-testid="stButton"] { display: block !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stCaptionContainer"] p,
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: %(px)dpx !important; line-height: 1.45; }
[data-testid="stElementContainer"]:has(> [data-testid="stFullScreenFrame"] > [data-testid="stDataFrame"]) {
  zoom: %(zoom)s; width: calc(100%% / %(zoom)s) !important; }
.st-key-glassbox-stage p { font-size: 28px !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%%; }
</style>
"""


def active() -> bool:
    """Whether this run is in presenter mode (`?present=1`)."""
    return st.query_params.get(PARAM) == "1"


def begin() -> None:
    """Call once per run, before the page: the sidebar switch, and in presenter mode the style and the stage at
    the top of the page, with a visible way out."""
    st.sidebar.toggle(T_APP("present.switch"), value=active(), key="_glassbox_present_switch",
                      on_change=guarded_callback(_switch), help=T_APP("present.help"))
    _stage.box = _stage.slide = _stage.steps = _stage.stepper = _stage.text = _stage.figure = None
    if not active():
        return
    st.html(css())
    box = st.container(key="glassbox-stage", border=True)
    box.button(T_APP("present.leave"), key="_glassbox_present_leave", on_click=guarded_callback(_leave),
               shortcut="Escape", type="tertiary", icon=":material/close:")
    _stage.box, _stage.slide, _stage.steps = box, box.container(), box.container()  # the slide above the stepper


def css() -> str:
    """Presenter mode's style: no sidebar, header or controls; text and tables at TYPE_PX."""
    controls = ", ".join(f'[data-testid="stMain"] [data-testid="{c}"]' for c in CONTROLS)
    return _CSS % {"controls": controls, "box": CONTROLS_BOX, "px": TYPE_PX, "zoom": DATAFRAME_ZOOM}


def _switch() -> None:
    if st.session_state.get("_glassbox_present_switch"):
        st.query_params[PARAM] = "1"
    else:
        _leave()


def _leave() -> None:
    st.query_params.pop(PARAM, None)
    st.query_params.pop(STEP, None)


def take_pending(page: str) -> dict[str, Any]:
    """The preset values a step from the URL left for this page (applied by the caller before the page draws),
    or nothing."""
    pending = st.session_state.pop(_PENDING, None)
    if pending is None or pending[0] != page:
        return {}
    st.session_state[_APPLIED] = (page, pending[1])
    return pending[2]


def slides(T: Callable[..., str], presets: Mapping[int, Mapping[str, Any]], values: Callable[[int], dict],
           forget: tuple[str, ...] = ()) -> None:
    """The walkthrough as slides on the stage: step K's text, ← → Home End. `values(n)` gives every control's
    value for step n (the page's defaults, then the step's preset); `forget` names session keys a step drops."""
    steps = list(presets)
    page = st.session_state.get("_glassbox_page")
    raw = st.query_params.get(STEP, str(steps[0]))
    n = int(raw) if raw.isdigit() and int(raw) in presets else steps[0]
    if st.session_state.get(_APPLIED) != (page, n):  # a step from the URL: apply it before the page draws
        for key in forget:
            st.session_state.pop(key, None)
        st.session_state[_PENDING] = (page, n, values(n))
        st.rerun()
    box = _stage.slide if getattr(_stage, "slide", None) is not None else st.container()
    i = steps.index(n)
    with box:
        st.caption(T_APP("present.step", n=i + 1, of=len(steps)))
        _stage.figure = st.container(key="glassbox-spotlight")  # filled by `spotlight` once the page has drawn
        _stage.text = f"{n}. {T(f'walk.{n}')}"
        st.markdown(_stage.text)  # the figure's caption, at the stage's type size
        cols = st.columns(4)
        for col, (label, target, key, icon) in zip(cols, (
                (T_APP("present.first"), steps[0], "Home", ":material/first_page:"),
                (T_APP("present.prev"), steps[max(i - 1, 0)], "Left", ":material/chevron_left:"),
                (T_APP("present.next"), steps[min(i + 1, len(steps) - 1)], "Right", ":material/chevron_right:"),
                (T_APP("present.last"), steps[-1], "End", ":material/last_page:")), strict=True):
            col.button(label, key=f"_glassbox_slide_{key}", shortcut=key, icon=icon,
                       on_click=guarded_callback(_go), args=(page, target, values(target), forget))


def spotlight(figure: tuple[str, Any] | None) -> None:
    """Call after the page: draw the step's figure (the first one the page drew for the step's settings, see
    `ui.export.first_figure`) full width on the stage, above the step's text. Nothing outside a slide."""
    box = getattr(_stage, "figure", None)
    if box is None or figure is None:
        return
    kind, data = figure
    with box:
        if kind == "plotly_chart":
            st.plotly_chart(data, width="stretch", key="_glassbox_spotlight_figure")
        elif kind == "graphviz_chart":
            st.graphviz_chart(data, width="stretch", height=SPOTLIGHT_GRAPH_PX)  # a stretched graph grows tall
        else:
            st.dataframe(data, width="stretch", key="_glassbox_spotlight_table")


def _go(page: str, n: int, values: dict[str, Any], forget: tuple[str, ...]) -> None:
    for key in forget:
        st.session_state.pop(key, None)
    st.session_state.update(values)
    st.session_state[_APPLIED] = (page, n)
    for key in values:  # the page publishes again what the step shows; the rest goes back to its default
        if key in st.query_params:
            del st.query_params[key]
    st.query_params[STEP] = str(n)


def stepper(key: str, last: int) -> None:
    """In presenter mode, ↓ and ↑ move the page's first step-through slider (`key`, over 0..`last`)."""
    if not active() or getattr(_stage, "stepper", None) is not None:  # one page slider takes the keys
        return
    _stage.stepper = key

    def move(by: int) -> None:
        st.session_state[key] = min(max(st.session_state.get(key, 0) + by, 0), last)

    box = _stage.steps if getattr(_stage, "steps", None) is not None else st.container()
    c = box.columns(2)
    c[0].button(T_APP("present.up"), key="_glassbox_step_up", shortcut="Up", on_click=guarded_callback(move),
                args=(-1,), icon=":material/keyboard_arrow_up:")
    c[1].button(T_APP("present.down"), key="_glassbox_step_down", shortcut="Down", on_click=guarded_callback(move),
                args=(1,), icon=":material/keyboard_arrow_down:")


def slide_text() -> str:
    """The text of the slide this run drew ("" outside presenter mode), for an export of the view."""
    return getattr(_stage, "text", None) or ""
