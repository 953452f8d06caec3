"""Keras 3's public API regenerated from its @keras_export decorators (read, never imported) against the
__init__.py files its wheel ships: every module and every name."""

from __future__ import annotations

import sys

import pytest

from engine.apiexport.keras import check

pytestmark = pytest.mark.slow  # fetches the 2.4 MB wheel with pip once, then reads 770 files


def test_every_shipped_module_is_regenerated_exactly():
    k = check()
    assert "keras" not in sys.modules  # read as text only
    assert k.files_scanned > 700 and len(k.modules) > 120 and k.names_expected > 3000
    different = [m for m in k.modules if not m.equal]
    assert not different, different
    layers = next(m for m in k.modules if m.module == "keras.layers")
    assert layers.expected == layers.found > 150
