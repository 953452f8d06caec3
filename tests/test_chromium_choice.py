"""Which Chromium the browser tests and the export renderer drive (ui/render.system_chromium)."""

from __future__ import annotations

import pytest

from ui import render


def test_the_variable_wins_then_the_lightest_chromium_installed(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    shell, full = tmp_path / "chromium-headless-shell", tmp_path / "chromium"
    monkeypatch.setattr(render, "CHROMIUMS", (str(shell), str(full)))
    assert render.system_chromium({}) == str(full)  # none installed: the last, which the skip message names
    full.touch()
    assert render.system_chromium({}) == str(full)
    shell.touch()
    assert render.system_chromium({}) == str(shell)  # both: the headless shell
    assert render.system_chromium({"GLASSBOX_CHROMIUM": "/opt/chrome"}) == "/opt/chrome"
