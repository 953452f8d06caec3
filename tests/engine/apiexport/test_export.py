"""The decorator: names recorded on the very same object, aliases, v1 names, constants, and every refusal."""

from __future__ import annotations

import functools

import pytest

from engine.apiexport import ExportError, Registry, api_export, export_constant, names_of


def _fresh() -> tuple[Registry, functools.partial]:
    reg = Registry("t")
    return reg, functools.partial(api_export, api_name="t", into=reg)


def test_the_decorated_function_is_returned_unchanged():
    reg, t_export = _fresh()

    def add(x, y):
        return x + y

    code, before = add.__code__, add
    out = t_export("math.add", "add", v1=["math.add", "add", "plus"])(add)
    assert out is before and out.__code__ is code and out(2, 3) == 5
    assert names_of(add, "t") == {"v2": ["math.add", "add"], "v1": ["math.add", "add", "plus"]}
    rows = reg.rows()
    assert [(e.version, e.name, e.canonical) for e in rows] == [
        ("v2", "add", False), ("v2", "math.add", True), ("v1", "add", False), ("v1", "math.add", True),
        ("v1", "plus", False)]
    assert {e.source for e in rows} == {f"{__name__}:test_the_decorated_function_is_returned_unchanged.<locals>.add"}


def test_classes_keep_their_identity_too():
    _, t_export = _fresh()

    class Dense:
        pass

    assert t_export("layers.Dense")(Dense) is Dense and names_of(Dense, "t")["v2"] == ["layers.Dense"]


def test_one_name_two_symbols_is_a_clash_naming_both():
    reg, t_export = _fresh()

    @t_export("math.add")
    def add(x, y):
        return x + y

    with pytest.raises(ExportError) as e:
        @t_export("math.add")
        def add_other(x, y):
            return x + y
    assert e.value.code == "apiexport.clash"
    assert "add_other" in e.value.message and ".add" in e.value.message.split(" and by ")[0]
    assert len(reg.rows()) == 1  # nothing of the refused export was recorded


def test_the_same_symbol_again_is_not_a_clash():
    reg, t_export = _fresh()

    def f():
        return 1

    t_export("f")(f)
    t_export("f")(f)  # a module reloaded re-runs its decorators
    assert len(reg.rows()) == 1


@pytest.mark.parametrize("name", ["", "math.", ".add", "math add", "1x", "math.class", "a-b", None, 3])
def test_invalid_names_are_refused(name):
    with pytest.raises(ExportError) as e:
        api_export(name, api_name="t", into=Registry("t"))
    assert e.value.code == "apiexport.bad_name"


def test_no_names_and_non_symbols_are_refused():
    with pytest.raises(ExportError):
        api_export(api_name="t")
    with pytest.raises(ExportError) as e:
        api_export("x", api_name="t", into=Registry("t"))(42)
    assert e.value.code == "apiexport.not_symbol"


def test_constants_are_listed_on_their_module():
    import sys
    import types

    mod = types.ModuleType("glassbox_test_constants")
    mod.LIMIT = 10
    sys.modules[mod.__name__] = mod
    try:
        reg = Registry("t")
        api_export("config.LIMIT", api_name="t", into=reg).export_constant(mod.__name__, "LIMIT")
        assert mod._glassbox_api_constants == [("t", "v2", "config.LIMIT", "LIMIT")]
        assert reg.rows()[0].kind == "constant" and reg.rows()[0].source == f"{mod.__name__}:LIMIT"
        export_constant(mod.__name__, "LIMIT", "LIMIT2", api_name="t2")
    finally:
        del sys.modules[mod.__name__]
