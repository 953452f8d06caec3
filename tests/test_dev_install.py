"""dev.py's installer: uv gets the find-links pip is configured with (the local CPU wheel of torch lies there), and
pip takes over where uv cannot be had."""

from __future__ import annotations

import subprocess

import dev


def _pip_config(monkeypatch, text: str) -> None:
    def fake_run(cmd, **kwargs):
        assert cmd[1:] == ["-m", "pip", "config", "list"]
        return subprocess.CompletedProcess(cmd, 0, stdout=text, stderr="")

    monkeypatch.setattr(dev.subprocess, "run", fake_run)


def test_find_links_come_from_pip_files_and_environment_once_each(monkeypatch) -> None:
    _pip_config(monkeypatch, "global.cert='/etc/ssl/certs/ca.crt'\nglobal.find-links='/opt/wheels /srv/w'\n"
                             ":env:.find-links='/opt/wheels'\nglobal.extra-index-url='file:///opt/pypi/simple'\n")
    assert dev._pip_find_links() == ["/opt/wheels", "/srv/w"]


def test_no_find_links_configured(monkeypatch) -> None:
    _pip_config(monkeypatch, "global.cert='/etc/ssl/certs/ca.crt'\n")
    assert dev._pip_find_links() == []


def test_uv_is_skipped_when_asked_and_when_it_cannot_be_installed(monkeypatch) -> None:
    monkeypatch.setenv("GLASSBOX_INSTALLER", "pip")
    assert dev._install_with_uv("requirements.txt") is False
    monkeypatch.setenv("GLASSBOX_INSTALLER", "uv")
    calls = []
    monkeypatch.setattr(dev.subprocess, "run", lambda cmd, **kw: calls.append(cmd) or
                        subprocess.CompletedProcess(cmd, 1))
    monkeypatch.setattr(dev.subprocess, "call", lambda *a, **kw: (_ for _ in ()).throw(AssertionError("uv ran")))
    assert dev._install_with_uv("requirements.txt") is False  # pip could not install uv: pip installs everything
    assert calls and calls[0][-1] == dev.UV
