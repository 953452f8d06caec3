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
