"""Shared test helpers: the repo root, and the list of every page the app registers."""

from __future__ import annotations

from pathlib import Path

from ui.registry import HOME, TOPICS

ROOT = Path(__file__).resolve().parent.parent


def all_pages() -> list[str]:
    """Every page script registered in app.py's navigation, home first."""
    return [HOME, *(t.path for t in TOPICS)]


def url_path(page: str) -> str:
    """The URL path streamlit serves `page` at (home is the root)."""
    if page == HOME:
        return ""
    return next(t.slug for t in TOPICS if t.path == page)
