"""The shared caches hit for equal settings even when a rerun defined the settings class anew."""

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
