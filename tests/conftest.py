"""Test-wide fixtures."""

from __future__ import annotations

import functools
from collections.abc import Callable

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.pages_manager import PagesManager


class _NavigationPagesManager(PagesManager):
    """A PagesManager that never takes Streamlit's legacy `pages/`-folder path.

    AppTest (streamlit 1.67) builds a fresh PagesManager before every run; because our app has a
    `pages/` folder beside app.py, that constructor switches on the legacy multipage mode, so from
    the second run on AppTest executes the page file alone and skips app.py (no sidebar, no
    language switch). The real server keeps the flag off once st.navigation has run (and
    `ui.chrome.ensure_navigation` covers a first visit), so we pin the flag to what st.navigation
    sets; a rerun through the guard would lose the widget values a test has just set.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


def _scan_once(scan: Callable[..., list]) -> Callable[..., list]:
    """Streamlit's scan of every installed distribution for v2 component manifests, done once per test process.

    AppTest (streamlit 1.67) runs the scan at the first run of every AppTest it builds: it parses the metadata of
    each installed package, 0.14 s a time here, 8.5 of the 44 s of tests/pages/test_chinese_ui.py (cProfile). The
    installed packages do not change while the tests run, and the server scans once at start-up, so one scan per
    process gives every AppTest what its own would find."""
    found: list[list] = []

    @functools.wraps(scan)
    def once(*args, **kwargs) -> list:
        if not found:
            found.append(scan(*args, **kwargs))
        return list(found[0])

    return once


manifest_scanner.scan_component_manifests = _scan_once(manifest_scanner.scan_component_manifests)


@pytest.fixture(autouse=True)
def _apptest_uses_navigation(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPagesManager)


@pytest.fixture(autouse=True)
def _no_job_outlives_its_test():
    """A background job a page test started is cancelled and joined when the test ends, so none keeps
    computing into the next test (or into interpreter exit)."""
    yield
    import sys

    if "ui.jobs" in sys.modules:
        sys.modules["ui.jobs"].reset()


# The fast loop (`python3 dev.py test -m "not slow and not e2e"`, aim: ≤ 90 s on 2 cores) leaves to CI what takes
# seconds per test. Page interaction tests (tests/pages/, each running the app in AppTest, often with a model or an
# index behind it) are slow but for test_all_pages, which keeps one render of every page in each language in the
# fast loop; and these, measured at 2–30 s each on 2 shared cores (2026-12-06), are slow wherever they live.
HEAVY = {
    "tests/engine/specdec/test_generate.py::test_trained_drafters_keep_greedy_output_token_for_token",
    "tests/engine/numerics/test_rounding.py::test_all_bit_patterns_of_fp16_and_fp8_round_trip",
    "tests/engine/vqvae/test_vqvae.py::test_a_short_training_learns_and_restarts_keep_codes_alive",
    "tests/engine/numerics/test_lowbit.py::test_a_short_run_per_recipe",
    "tests/engine/search/test_analyzer.py::test_modes_and_user_words",
    "tests/engine/search/test_analyzer.py::test_offsets_and_positions",
    "tests/test_layering.py::test_importing_every_engine_module_loads_no_streamlit",
    "tests/test_export_gif.py::test_a_gif_over_its_byte_limit_shrinks_until_it_fits",
    "tests/test_export_gif.py::test_a_step_through_longer_than_a_gif_is_refused",
    "tests/engine/search/test_index.py::test_parallel_bulk_build_equals_serial",
    "tests/engine/search/test_doctor.py::test_a_dictionary_word_fix_is_rerun_with_the_larger_dictionary",
    "tests/engine/vqvae/test_alternatives.py::test_rotation_changes_only_the_gradient_the_encoder_receives",
    "tests/engine/search/test_bench_peers.py::test_session_cost_measures_both_ways_and_each_session_sees_its_own_document",
    "tests/engine/search/test_query.py::test_plain_query_fast_path_builds_the_general_parsers_tree",
    "tests/engine/search/test_query.py::test_arbitrary_text_raises_only_query_error",
    "tests/engine/attention/test_backward.py::test_bench_row_counts_what_each_forward_keeps_for_backward",
    "tests/engine/specdec/test_train.py::test_loss_falls_and_training_resumes",
    "tests/engine/search/test_pruning.py::test_pruned_equals_exhaustive_and_brute",
    "tests/engine/attention/test_memory_io.py::test_tiled_memory_is_a_fixed_workspace_plus_the_output",
    "tests/engine/attention/test_memory_io.py::test_naive_peak_is_exactly_two_score_matrices",
    "tests/engine/search/test_searcher.py::test_matches_and_scores_equal_brute_force",
    "tests/engine/numerics/test_scaler.py::test_matches_gradscaler",
}


def _heavy(nodeid: str) -> bool:
    """Whether the fast loop leaves this test to CI (see HEAVY)."""
    return nodeid.split("[")[0] in HEAVY or (nodeid.startswith("tests/pages/")
                                             and not nodeid.startswith("tests/pages/test_all_pages.py"))


@pytest.hookimpl(tryfirst=True)  # before pytest's -m selection reads the markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _heavy(item.nodeid):
            item.add_marker(pytest.mark.slow)
    early_first(items)


def early_first(items: list) -> None:
    """Tests marked `early` first, the rest in their order. With two workers a phase ends when its last test does:
    the page-pair walk (80 s) used to start near the end of the behaviour phase and run its last 60 s alone."""
    items.sort(key=lambda item: item.get_closest_marker("early") is None)  # a stable sort
