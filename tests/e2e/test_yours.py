"""Bring your own artifact (#33), in a browser: each page's "yours" view draws its bundled example, then the same
example pasted (text formats) or uploaded (binary ones) as a visitor would, with no error; hostile text gives
a translated message, never a traceback."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.streamlit_wait import wait_for_app_run
from tests.helpers import ROOT

pytestmark = pytest.mark.e2e
EX = ROOT / "engine"
# page -> (URL query that opens its "yours" view, the example, True when it is pasted rather than uploaded)
PAGES = {
    "search": ("view=yours", EX / "search/examples/es_explain.json", True),
    "attention": ("yours=True", EX / "attention/examples/llama_style_gqa.config.json", True),
    "specdec": ("yours=True", EX / "specdec/examples/vllm_metrics_example.prom", True),
    "ddp": ("view=yours", EX / "ddp/examples/all_reduce_perf_example.txt", True),
    "modules": ("yours=True", EX / "modules/examples/classifier.py", True),
    "numerics": ("view=yours", EX / "numerics/examples/outlier-weights.safetensors", False),
    "vqvae": ("view=yours", EX / "vqvae/examples/digits-codes.npy", False),
    "api_export": ("yours=True", EX / "apiexport/examples/demo-1.0.tar.gz", False),
}


def _no_traceback(page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "Traceback" not in page.inner_text("body")


@pytest.mark.parametrize("slug", list(PAGES))
def test_the_example_then_the_same_artifact_brought_by_the_visitor(page, app_url: str, slug: str) -> None:
    query, example, paste = PAGES[slug]
    page.goto(f"{app_url}/{slug}?lang=en&{query}")
    wait_for_app_run(page, timeout_ms=300_000)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("bundled example", exact=False).first).to_be_visible(timeout=60_000)
    _no_traceback(page)
    if paste:
        box = main.get_by_role("textbox", name="Paste it here")
        box.fill(example.read_text(encoding="utf-8"))
        box.press("Control+Enter")
        expect(main.get_by_text("characters you pasted", exact=False).first).to_be_visible(timeout=60_000)
    else:
        main.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(str(example))
        expect(main.get_by_text(f"your file {example.name}", exact=False).first).to_be_visible(timeout=60_000)
    wait_for_app_run(page, timeout_ms=120_000)
    _no_traceback(page)
    expect(main.get_by_text("Could not read it", exact=False)).to_have_count(0)
    if paste:  # hostile text: a translated message, never a traceback
        box = main.get_by_role("textbox", name="Paste it here")
        box.fill("[" * 5000)
        box.press("Control+Enter")
        expect(main.get_by_text("Could not read it", exact=False).first).to_be_visible(timeout=60_000)
        _no_traceback(page)
