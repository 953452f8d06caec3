"""Take the presenter-mode screenshots in this folder: every topic page at walkthrough step 1, in English and
Chinese, 1400 × 1000, in Chromium against a fresh local server (`.venv/bin/python docs/presenter/take.py`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

import dev  # noqa: E402
from tests.e2e.streamlit_wait import wait_for_app_run  # noqa: E402
from ui.registry import TOPICS  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> None:
    """One screenshot per page and language, palette-quantised to keep the repository small."""
    with sync_playwright() as p, dev.serve(OUT / "server.log") as (url, _):
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        for topic in TOPICS:
            for lang in ("en", "zh"):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"{url}/{topic.slug}?lang={lang}&present=1&step=1")
                wait_for_app_run(page, timeout_ms=300_000)
                page.wait_for_timeout(1500)  # a step from the URL costs one rerun; charts settle
                wait_for_app_run(page, timeout_ms=300_000)
                shot = OUT / f"{topic.slug}-step1-{lang}.png"
                page.screenshot(path=str(shot))
                Image.open(shot).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(shot, optimize=True)
                page.close()
                print(shot.name, flush=True)
    (OUT / "server.log").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
