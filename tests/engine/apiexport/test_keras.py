"""Keras 3's public API regenerated from its @keras_export decorators (read, never imported) against the
__init__.py files its wheel ships: every module and every name."""

from __future__ import annotations

import sys

import pytest

from engine.apiexport.keras import check, regenerate_traced
from engine.apiexport.scan import shipped_tree


@pytest.mark.slow  # fetches the 2.4 MB wheel with pip once, then reads 770 files
def test_every_shipped_module_is_regenerated_exactly():
    k = check()
    assert "keras" not in sys.modules  # read as text only
    assert k.files_scanned > 700 and len(k.modules) > 120 and k.names_expected > 3000
    different = [m for m in k.modules if not m.equal]
    assert not different, different
    layers = next(m for m in k.modules if m.module == "keras.layers")
    assert layers.expected == layers.found > 150


@pytest.mark.slow
def test_every_regenerated_name_is_counted_by_the_step_that_placed_it():
    k = check()
    from engine.apiexport.keras import TF_KERAS, fetch
    shipped = shipped_tree(fetch() / "keras", skip=("src",))
    # independent counts from the shipped tree alone: outside the tf.keras copy every name but __version__ is a
    # decorator's; inside it, every name is mirrored or moved from keras._legacy
    outside = sum(len(v) for m, v in shipped.items() if not m.startswith(TF_KERAS))
    inside = sum(len(v) for m, v in shipped.items() if m.startswith(TF_KERAS))
    split = k.names_by_origin
    assert sum(split.values()) == k.names_found == outside + inside
    assert split["decorator"] == outside - 1 and split["version"] == 1
    assert split["mirror"] + split["legacy"] == inside and split["legacy"] > 0
    assert split["mirror"] > 0.4 * k.names_found  # the share the page must show: the rules make half the tree


def test_origins_on_a_small_keras_shaped_source(tmp_path):
    src = tmp_path / "keras" / "src"
    src.mkdir(parents=True)
    (src / "losses.py").write_text(
        "@keras_export(['keras.losses.mean_squared_error', 'keras._legacy.losses.mse'])\n"
        "def mean_squared_error(): pass\n"
        "@keras_export('keras.losses.Huber')\nclass Huber: pass\n", encoding="utf-8")
    tree, origin = regenerate_traced(tmp_path)
    assert origin == {"keras": {"__version__": "version"},
                      "keras.losses": {"Huber": "decorator", "mean_squared_error": "decorator"},
                      "keras._tf_keras.keras": {"__version__": "mirror"},
                      "keras._tf_keras.keras.losses": {"Huber": "mirror", "mse": "legacy"}}
    assert set(tree) == set(origin) and all(set(tree[m]) == set(origin[m]) for m in tree)


@pytest.mark.slow  # fetches a second wheel with pip once
def test_a_second_version_goes_through_the_same_code_and_its_diff_matches_the_shipped_one():
    from engine.apiexport.keras import KERAS, KERAS_OLD, fetch, version_diff
    from engine.apiexport.scan import compare

    old = check(KERAS_OLD)
    assert old.agreeing == len(old.modules) and old.names_found == old.names_expected  # no edits needed
    rows = version_diff()
    assert rows and all(r["regenerated_agrees"] for r in rows)
    # the golden diff, counted here from the shipped files directly
    shipped = {s: shipped_tree(fetch(s) / "keras", skip=("src",)) for s in (KERAS_OLD, KERAS)}
    changed = [d for d in compare(shipped[KERAS_OLD], shipped[KERAS]) if not d.equal]
    assert [r["module"] for r in rows] == [d.module for d in changed]
    assert sum(len(r["added"].split()) for r in rows) == sum(len(d.extra) for d in changed)
