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
    at = open_page(PAGE, "zh", mode="lazy")
    assert_clean(at)
    assert any("def __getattr__(name):" in c.value for c in at.code)
    assert any("两个生成器" in h.value for h in at.header)


def test_keras_names_split_by_origin_formatted_from_the_recording():
    from engine import recorded
    from engine.apiexport.measure import names_by_origin

    split = names_by_origin(recorded.load("apiexport", "keras").rows)
    found = sum(split.values())
    at = open_page(PAGE)
    assert_clean(at)
    table = next(d.value for d in at.dataframe if "where the name comes from" in d.value.columns).set_index(
        "where the name comes from")
    assert table["names"].tolist() == [f"{split[o]:,}" for o in ("decorator", "version", "mirror", "legacy")]
    rules = found - split["decorator"]
    assert any(f"Only {split['decorator']:,} of the {found:,} regenerated names" in c.value and f"{rules:,} "
               f"({rules / found:.0%})" in c.value for c in at.caption)


def test_stub_mode_and_tensorflows_two_rules():
    import ast

    at = open_page(PAGE, mode="stub", module="demo.nn")
    assert_clean(at)
    stub = next(c.value for c in at.code if "__all__" in c.value)
    body = ast.parse(stub).body  # the stub shown parses
    assert any(isinstance(n, ast.ImportFrom) and n.names[0].name == "Dense" == n.names[0].asname for n in body)
    assert any("is already exposed in demo as math.add, add" in c.value for c in at.code)
    rules = next(d.value for d in at.dataframe if "what getattr would give" in d.value.columns).set_index("class")
    assert rules.loc["Linear", "its own names (its __dict__)"] == "—"
    assert rules.loc["Linear", "what getattr would give"] == "layers.Dense, nn.Dense"  # the bug the rule avoids
    assert rules.loc["Linear", "in the generated tree"] == "—" and "demo.nn.Dense" in rules.loc["Dense",
                                                                                             "in the generated tree"]
    assert any("generated tree puts Linear under 0 public names" in c.value for c in at.caption)


def _yours(lang: str = "en"):
    at = open_page(PAGE, lang, yours="True")
    assert_clean(at)
    return at


def test_yours_reads_the_example_wheel_and_diffs_it_against_the_sdist():
    from engine.apiexport.archive import read_archive, scan_archive
    from engine.apiexport.examples.make_archives import NEW

    at = _yours()
    new = scan_archive(NEW.read_bytes(), {"demo_export"}, "demo")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["public names"] == str(sum(len(v) for v in new.values()))
    assert metrics["members"] == str(read_archive(NEW.read_bytes()).members)
    assert any("bundled example demo-1.1-py3-none-any.whl" in c.value for c in at.caption)
    diff = [d.value for d in at.dataframe if "added" in d.value.columns][-1].set_index("module")  # yours: last
    assert diff.loc["demo.math", "added"] == "subtract" and diff.loc["demo.activations", "added"] == "relu"
    assert diff.loc["demo.compat.v1", "removed"] == "mul"
    assert "demo.math_ops:reduce_sum → demo.reductions:reduce_sum" in diff.loc["demo.math", "imported from elsewhere"]
    # the edits make_archives applies: subtract (demo, demo.math), relu to demo.activations (one added, one
    # removed), mul dropped from compat.v1, reduce_sum moved (demo.math, compat.v1, compat.v1.math)
    assert any("3 names added, 2 removed and 3 imported from elsewhere, in 5 public modules" in i.value
               for i in at.info)


def test_yours_refuses_a_hostile_upload_with_a_translated_message():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../../evil.py", "x = 1")
    at = _yours()
    at.get("file_uploader")[0].upload("evil.zip", buf.getvalue()).run()
    assert_clean(at)
    assert any("an absolute path or one with .. is refused" in w.value for w in at.warning)
    at = _yours("zh")
    at.get("file_uploader")[0].upload("evil.zip", buf.getvalue()).run()
    assert_clean(at)
    assert any("路径被拒绝" in w.value for w in at.warning)


def test_the_yours_walkthrough_step_is_formatted_from_the_examples():
    at = open_page(PAGE)
    assert any("3 names added, 2 removed and 3 moved, in 5 modules" in m.value for m in at.markdown)
    assert not any(m.label == "public names" for m in at.metric)  # nothing read until asked for


def test_the_download_unpacks_to_a_package_that_reads_back_as_the_same_tree(tmp_path):
    import ast
    import io
    import zipfile

    from engine.apiexport import render_tree, scan_imports, shipped_tree
    from ui.api_export.yours import files_zip

    tree = scan_imports("engine.apiexport.demo", "demo", "demo")
    zipfile.ZipFile(io.BytesIO(files_zip(render_tree(tree, "eager"), "eager"))).extractall(tmp_path / "eager")
    assert shipped_tree(tmp_path / "eager" / "demo", skip=()) == tree
    stubs = zipfile.ZipFile(io.BytesIO(files_zip(render_tree(tree, "stub"), "stub")))
    assert all(n.endswith("/__init__.pyi") for n in stubs.namelist())
    for n in stubs.namelist():
        ast.parse(stubs.read(n))
    assert files_zip(render_tree(tree, "stub"), "stub") == stubs.fp.getvalue()  # the same tree, the same bytes
    at = open_page(PAGE, mode="stub")
    assert_clean(at)
    assert any("Download every generated file (.pyi stub, zip)" in b.proto.label for b in at.get("download_button"))


def test_the_import_measurement_is_formatted_from_the_recording():
    from engine import recorded

    rows = {r["mode"]: r for r in recorded.load("apiexport", "imports").rows}
    at = open_page(PAGE)
    assert_clean(at)
    table = next(d.value for d in at.dataframe if "modules loaded" in d.value.columns).set_index("generated files")
    assert table.loc["eager __init__.py", "modules loaded"] == rows["eager"]["modules"]
    assert table.loc["lazy __init__.py", "modules after the first use"] == rows["lazy"]["modules_after_use"]
    assert rows["lazy"]["modules"] < rows["eager"]["modules"]
    assert any(f"loads {rows['eager']['modules']} modules eagerly and {rows['lazy']['modules']} lazily" in c.value
               for c in at.caption)


def test_the_import_walkthrough_step_quotes_the_recording():
    from engine import recorded

    rows = {r["mode"]: r for r in recorded.load("apiexport", "imports").rows}
    at = open_page(PAGE)
    assert any(f"loads {rows['eager']['modules']} modules; lazy, {rows['lazy']['modules']}, until" in m.value
               and f"brings {rows['lazy']['modules_after_use']}:" in m.value for m in at.markdown)


def test_the_second_keras_version_and_the_golden_diff_come_from_the_recordings():
    from engine import recorded

    old = recorded.load("apiexport", "keras_old").rows
    diff = recorded.load("apiexport", "keras_diff").rows
    at = open_page(PAGE)
    assert_clean(at)
    metrics = [(m.label, m.value) for m in at.metric]
    assert ("modules agreeing", f"{sum(r['equal'] for r in old)} / {len(old)}") in metrics
    assert ("modules whose API changed", str(len(diff))) in metrics
    table = next(d.value for d in at.dataframe if "regenerated diff the same" in d.value.columns).set_index("module")
    assert list(table.index) == [r["module"] for r in diff]
    added = sum(len(r["added"].split()) for r in diff)
    assert any(f"gains {added} names" in c.value and f"in {len(diff)} modules" in c.value for c in at.caption)
