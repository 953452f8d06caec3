"""The API-export page in AppTest: the registry and the generated tree, a typed decorator, the clash, the
two generators, and the shipped Keras comparison, in both languages."""

from __future__ import annotations

import pytest

from tests.pages.apptest import assert_clean, open_page

pytestmark = pytest.mark.slow  # the page smoke test in test_all_pages stays in the fast loop
PAGE = "pages/api_export.py"


def test_default_registry_tree_and_keras_table():
    at = open_page(PAGE)
    assert_clean(at)
    names = at.dataframe[0].value["public name"].tolist()
    assert "demo.math.add" in names and "demo.compat.v1.mul" in names
    assert any("from engine.apiexport.demo.math_ops import add as add" in c.value for c in at.code)
    assert any("same 7 modules" in s.value for s in at.success)
    assert any("exported twice in demo" in c.value for c in at.code)  # the clash, imported for real
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["modules agreeing"] == "129 / 129" and metrics["modules differing"] == "0"


def test_a_typed_decorator_changes_the_tree_and_a_clash_is_refused():
    at = open_page(PAGE, decorator='@demo_export("ops.add", "plus")', module="demo.ops")
    assert_clean(at)
    assert any("import add as add" in c.value for c in at.code)
    at.text_input(key="decorator").set_value('@demo_export("math.multiply")').run()
    assert not at.exception
    assert any("exported twice" in e.value for e in at.error)
    at.text_input(key="decorator").set_value("__import__('os').system('x')").run()
    assert any("decorator call" in w.value.replace("\\\\", "") for w in at.warning)


def test_lazy_module_and_chinese():
    at = open_page(PAGE, "zh", lazy="True")
    assert_clean(at)
    assert any("def __getattr__(name):" in c.value for c in at.code)
    assert any("两个生成器" in h.value for h in at.header)


def test_keras_names_split_by_origin_formatted_from_the_recording():
    from engine import recorded
    from engine.apiexport.bench import names_by_origin

    split = names_by_origin(recorded.load("apiexport", "keras").rows)
    found = sum(split.values())
    at = open_page(PAGE)
    assert_clean(at)
    table = at.dataframe[-1].value.set_index("where the name comes from")
    assert table["names"].tolist() == [f"{split[o]:,}" for o in ("decorator", "version", "mirror", "legacy")]
    rules = found - split["decorator"]
    assert any(f"Only {split['decorator']:,} of the {found:,} regenerated names" in c.value and f"{rules:,} "
               f"({rules / found:.0%})" in c.value for c in at.caption)
