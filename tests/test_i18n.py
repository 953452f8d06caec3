"""Every string table has both languages, and every literal key a page asks for exists in its table."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import string

import pytest

import ui.text
from tests.helpers import ROOT
from ui.i18n import translate
from ui.registry import TOPICS

TABLES = {m.name: importlib.import_module(f"ui.text.{m.name}").TEXT for m in pkgutil.iter_modules(ui.text.__path__)}
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]


def _fields(s: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(s) if name is not None}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_entry_has_both_languages_with_same_placeholders(table: str) -> None:
    for key, pair in TABLES[table].items():
        assert isinstance(pair, tuple) and len(pair) == 2, f"{table}:{key} is not an (English, 中文) pair"
        en, zh = pair
        assert en.strip() and zh.strip(), f"{table}:{key} has an empty translation"
        assert _fields(en) == _fields(zh), f"{table}:{key} placeholders differ: {en!r} vs {zh!r}"


def test_every_topic_has_a_title_and_blurb() -> None:
    for topic in TOPICS:
        for part in ("title", "blurb"):
            for lang in ("en", "zh"):
                assert translate(TABLES["app"], f"topic.{topic.slug}.{part}", lang)


def _translators(tree: ast.Module) -> dict[str, str]:
    """Map each `X = translator(<table>)` name in a module to the ui.text table it is bound to."""
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ui.text"):
            for alias in node.names:
                if node.module == "ui.text":
                    imported[alias.asname or alias.name] = alias.name + ".module"
                else:
                    imported[alias.asname or alias.name] = node.module.split(".")[-1]
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "translator"):
            arg = node.value.args[0]  # `TEXT` or `module.TEXT`
            name = arg.id if isinstance(arg, ast.Name) else arg.value.id
            bound[node.targets[0].id] = imported[name].removesuffix(".module")
    return bound


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_literal_keys_exist_in_their_table(source) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    bound = _translators(tree)
    for node in ast.walk(tree):
        is_lookup = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in bound
        if is_lookup and node.args and isinstance(node.args[0], ast.Constant):
            key = node.args[0].value
            assert key in TABLES[bound[node.func.id]], f"{source.name}: missing translation key {key!r}"


def test_the_key_scan_sees_the_pages() -> None:
    """Guard against the scan above silently finding nothing."""
    tree = ast.parse((ROOT / "pages" / "home.py").read_text(encoding="utf-8"))
    assert _translators(tree) == {"T": "home", "A": "app"}


@pytest.mark.parametrize("topic", ["numerics", "attention", "search"])
def test_every_plot_label_is_translated(topic: str) -> None:
    """Figures are drawn by the engines in English by default; each page supplies every label in both languages."""
    plots = importlib.import_module(f"engine.{topic}.plots")
    missing = [k for k in plots.LABELS if f"plot.{k}" not in TABLES[topic]]
    assert not missing, f"ui/text/{topic}.py lacks plot labels {missing}"
    for k, english in plots.LABELS.items():
        assert _fields(english) == _fields(TABLES[topic][f"plot.{k}"][0]), k


def test_every_engine_message_code_has_a_translation() -> None:
    """Engines declare each error, note and explanation code once (engine.messages); ui/text/messages.py carries
    the same English default and a Chinese text with the same placeholders, for every code and no other."""
    from engine.messages import ENGLISH
    from tests.test_layering import ENGINE_MODULES

    for m in ENGINE_MODULES:
        if not m.endswith(".bench"):
            importlib.import_module(m)
    table = TABLES["messages"]
    assert len(ENGLISH) > 40, "the engines declared suspiciously few codes"
    assert set(ENGLISH) == set(table), sorted(set(ENGLISH) ^ set(table))
    for code, english in ENGLISH.items():
        assert table[code][0] == english, code
        assert _fields(table[code][1]) == _fields(english), code


def _labels_twice() -> None:
    import streamlit as st

    from engine.search import plots as P
    from ui.i18n import plot_labels
    from ui.text.search import TEXT

    labels = st.session_state.setdefault("labels", plot_labels(TEXT, P.LABELS))  # built once, as at an import
    st.session_state["lang"] = st.session_state.get("next_lang", "en")
    st.write(labels["score"], dict(labels)["score"])


def test_plot_labels_built_once_follow_the_language_of_each_run() -> None:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_labels_twice).run()
    assert [m.value for m in at.markdown] == ["score score"]
    at.session_state["next_lang"] = "zh"
    at.run()
    assert [m.value for m in at.markdown] == ["得分 得分"]
    with pytest.raises(KeyError):
        at.session_state["labels"]["no such label"]
