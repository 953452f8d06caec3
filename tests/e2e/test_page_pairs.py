"""#29: reaching a page from any other page gives the URL and the view of a direct visit. A walk through the
sidebar crosses every ordered pair of pages once (an Eulerian circuit of the complete directed graph), and each
arrival is compared with a direct visit of the same page in a tab of its own: the URL's parameters, and the value
of every keyed control in the main area. Back and Forward then restore the views they return to.
"""

from __future__ import annotations

import itertools
import time
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.streamlit_wait import wait_for_app_run
from tests.helpers import all_pages, url_path

pytestmark = pytest.mark.e2e
SLUGS = [url_path(p) for p in all_pages()]  # "" is home

# Every keyed control in the main area that holds a value (buttons hold none: a job's Cancel comes and goes), as
# the visitor sees it: its text (label and shown value), the states of
# its options, and its inputs' values. Content that changes from run to run (timings) is never inside a control.
VIEW_JS = """() => [...document.querySelectorAll("[data-testid='stMain'] [class*='st-key-']")]
  .filter(e => e.offsetParent !== null && [...e.classList].some(c => c.startsWith('st-key-')))
  .filter(e => !e.classList.contains('st-key-glassbox-controls'))  // a box: its controls are compared one by one
  .filter(e => e.querySelector('input, textarea, [role=slider], [aria-checked], [aria-pressed], [aria-selected]'))
  .map(e => {
    const key = [...e.classList].find(c => c.startsWith('st-key-'));
    const states = [...e.querySelectorAll('[aria-checked], [aria-pressed], [aria-selected], input, textarea,'
      + ' [role=slider]')].map(x => [x.getAttribute('aria-checked'), x.getAttribute('aria-pressed'),
      x.getAttribute('aria-selected'), x.getAttribute('aria-valuenow'),
      x.type === 'checkbox' || x.type === 'radio' ? x.checked : x.value ?? null].join('/'));
    return key + ' :: ' + e.innerText.trim() + ' :: ' + states.join(',');
  }).sort()"""


def eulerian_circuit(nodes: list[str]) -> list[str]:
    """A closed walk over the complete directed graph on `nodes` that uses every ordered pair exactly once
    (Hierholzer's algorithm)."""
    unused = {a: [b for b in nodes if b != a] for a in nodes}
    stack, circuit = [nodes[0]], []
    while stack:
        here = stack[-1]
        if unused[here]:
            stack.append(unused[here].pop())
        else:
            circuit.append(stack.pop())
    return circuit[::-1]


def test_the_walk_crosses_every_ordered_pair_once() -> None:
    """The circuit holds each ordered pair of different pages once, and nothing else."""
    steps = list(itertools.pairwise(eulerian_circuit(SLUGS)))
    assert len(steps) == len(set(steps)) == len(SLUGS) * (len(SLUGS) - 1)
    assert all(a != b for a, b in steps)
    assert len(eulerian_circuit(["a", "b", "c"])) == 7  # six pairs, back to the start


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _seen(page) -> tuple[dict[str, list[str]], list[str]]:
    wait_for_app_run(page, timeout_ms=300_000)
    return _query(page), page.evaluate(VIEW_JS)


def _direct(tabs, app_url: str) -> dict[str, tuple[dict[str, list[str]], list[str]]]:
    """Each page's URL parameters and view on a direct visit, each in a tab of its own: a Streamlit session of its
    own, which knows only the URL (a fresh browser context per visit would only compile Streamlit's bundle again)."""
    seen = {}
    for slug in SLUGS:
        pg = tabs.new_page()
        pg.goto(f"{app_url}/{slug}")
        seen[slug] = _seen(pg)
        pg.close()
    return seen


def _arrive_like_a_direct_visit(page, slug: str, came_from: str, direct, timeout_s: float = 60) -> None:
    """Read the URL and the controls until they equal the direct visit's (a run that has not yet replaced the
    previous page's elements, or a rerun after the URL is written, only delays this), then compare them."""
    want_query, want_view = direct[slug]
    deadline = time.monotonic() + timeout_s
    while True:
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=300_000)
        query, view = _query(page), page.evaluate(VIEW_JS)
        if (query, view) == (want_query, want_view) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(100)
    assert "None" not in page.url, f"/{came_from} → /{slug}: None in the URL {page.url}"
    assert query == want_query, f"/{came_from} → /{slug}: URL {query}, a direct visit gives {want_query}"
    assert view == want_view, f"/{came_from} → /{slug}: the controls differ from a direct visit's"


@pytest.mark.early  # the longest browser test: started last, it ended the behaviour phase alone
def test_every_page_reached_from_every_other_is_a_direct_visit(tabs, app_url: str) -> None:
    direct = _direct(tabs, app_url)
    walk = eulerian_circuit(SLUGS)
    page = tabs.new_page()
    page.goto(f"{app_url}/{walk[0]}")
    _arrive_like_a_direct_visit(page, walk[0], "(typed)", direct)
    nav = page.get_by_test_id("stSidebarNav")
    start = time.perf_counter()
    for came_from, slug in itertools.pairwise(walk):
        nav.locator(f"a[data-testid='stSidebarNavLink'][href$='/{slug}']").first.click()
        page.wait_for_url(lambda u, s=slug: urlparse(u).path.strip("/") == s, timeout=30_000)
        _arrive_like_a_direct_visit(page, slug, came_from, direct)
    print(f"[pairs] {len(walk) - 1} page changes in {time.perf_counter() - start:.1f} s")
    # the comparison can fail: one control away from the default differs in the URL and in the controls seen
    page.goto(f"{app_url}/modules?mode=eval")
    query, view = _seen(page)
    assert query != direct["modules"][0] and view != direct["modules"][1]
    page.close()
