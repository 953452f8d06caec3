"""The fast loop's list of heavy tests (tests/conftest.py) names tests that exist, and marks them slow."""

from __future__ import annotations

import re

from tests.conftest import HEAVY, _heavy
from tests.helpers import ROOT


def test_every_heavy_test_named_exists() -> None:
    for nodeid in HEAVY:
        path, name = nodeid.split("::")
        assert re.search(rf"^def {name}\(", (ROOT / path).read_text(encoding="utf-8"), re.MULTILINE), nodeid


def test_page_interactions_are_slow_and_one_render_per_page_is_not() -> None:
    assert _heavy("tests/pages/test_search_page.py::test_default_query_finds_and_explains")
    assert not _heavy("tests/pages/test_all_pages.py::test_page_renders_without_errors[pages/search.py-en]")
    assert _heavy("tests/engine/numerics/test_rounding.py::test_all_bit_patterns_of_fp16_and_fp8_round_trip[bf16]")
    assert not _heavy("tests/engine/numerics/test_rounding.py::test_nearest_even_ties")
