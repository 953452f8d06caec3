"""The shared caches: keys from settings dataclasses hit across reruns; several results computed side by side."""

from __future__ import annotations

from dataclasses import dataclass

from ui.cache import plain_key


def _settings_class():
    @dataclass(frozen=True)
    class Settings:  # a page defines this at the top of its script, so every rerun makes a new class
        n: int
        name: str

    return Settings


def test_equal_settings_from_two_reruns_make_the_same_key() -> None:
    first, second = _settings_class(), _settings_class()
    a, b = ("live", first(3, "x"), ("skip",)), ("live", second(3, "x"), ("skip",))
    assert a != b  # what the cache saw before: every rerun missed
    assert plain_key(a) == plain_key(b) and hash(plain_key(a)) == hash(plain_key(b))
    assert plain_key(("live", first(4, "x"))) != plain_key(a)
    assert plain_key("specdec-models") == "specdec-models"


def test_missing_results_are_computed_side_by_side_and_each_once() -> None:
    import threading
    import time

    from ui.cache import shared_results

    calls: list[str] = []
    running, peak = [0], [0]
    lock = threading.Lock()

    def job(name: str):
        def compute() -> str:
            with lock:
                calls.append(name)
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.2)
            with lock:
                running[0] -= 1
            return name.upper()
        return compute

    keys = (("test-shared-results", "a"), ("test-shared-results", "b"))
    t = time.perf_counter()
    got = shared_results({keys[0]: job("a"), keys[1]: job("b")})
    took = time.perf_counter() - t
    assert got == {keys[0]: "A", keys[1]: "B"} and sorted(calls) == ["a", "b"]
    assert peak[0] == 2 and took < 0.35  # side by side, not one after the other (0.4 s)
    again = shared_results({keys[0]: job("a"), keys[1]: job("b")})
    assert again == got and sorted(calls) == ["a", "b"]  # cached: nothing computed twice


def test_in_child_runs_the_work_in_another_process_with_its_progress_and_stops_it_on_a_cancel() -> None:
    """A page's training runs in a forked child (its own GIL): the value and the progress come back, an error
    raised by the progress callback (a visitor who left) kills the child, and with processes off it runs here."""
    import os
    import time

    import pytest

    from engine import forked
    from ui.cache import in_child
    from ui.server import scheduler

    if not forked.available() or not scheduler().processes:
        pytest.skip("no fork here")

    def work(tick) -> int:
        for i in range(3):
            tick(i, f"step {i}")
        return os.getpid()

    seen: list[tuple[float, str]] = []
    pid = in_child(work, lambda done, what="": seen.append((done, what)))
    assert pid != os.getpid()
    assert (0.0, "step 0") in seen  # reports are throttled to one per 0.1 s: the first always goes
    child: list[int] = []

    def slow(tick) -> None:
        tick(0, str(os.getpid()))
        time.sleep(60)

    def leave(done: float, what: str = "") -> None:
        if what:
            child.append(int(what))
            raise KeyboardInterrupt  # what Streamlit's stop does to a run: an exception from a page call

    with pytest.raises(KeyboardInterrupt):
        in_child(slow, leave)
    assert not forked.running(child[0])
    scheduler().processes, was = False, scheduler().processes
    try:
        assert in_child(lambda tick: os.getpid(), lambda *a: None) == os.getpid()
    finally:
        scheduler().processes = was
