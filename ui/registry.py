"""The topic pages the app serves. app.py, the home page and the page tests all read this list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """A topic page: its script (relative to the repo root), URL slug and icon."""

    path: str
    slug: str
    icon: str


HOME = "pages/home.py"
TOPICS: list[Topic] = [
    Topic("pages/search.py", "search", "🔎"),
    Topic("pages/attention.py", "attention", "🧮"),
    Topic("pages/numerics.py", "numerics", "🔢"),
    Topic("pages/specdec.py", "specdec", "🎯"),
    Topic("pages/modules.py", "modules", "🧩"),
    Topic("pages/ddp.py", "ddp", "🔗"),
    Topic("pages/autograd.py", "autograd", "🔁"),
    Topic("pages/api_export.py", "api_export", "🏷️"),
    Topic("pages/vqvae.py", "vqvae", "🧱"),
]
