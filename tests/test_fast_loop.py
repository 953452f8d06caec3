"""The fast loop's list of heavy tests (tests/conftest.py) names tests that exist, and marks them slow; tests marked
`early` run first."""

from __future__ import annotations

import re

import pytest

from tests.conftest import HEAVY, _heavy, early_first
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


class _Item:
    def __init__(self, name: str, early: bool = False) -> None:
        self.name, self.early = name, early

    def get_closest_marker(self, name: str):
        return pytest.mark.early if name == "early" and self.early else None


def test_tests_marked_early_run_first_and_the_rest_keep_their_order() -> None:
    items = [_Item("a"), _Item("walk", early=True), _Item("b"), _Item("c"), _Item("long", early=True)]
    early_first(items)
    assert [i.name for i in items] == ["walk", "long", "a", "b", "c"]
