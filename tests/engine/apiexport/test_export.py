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


def test_a_reloaded_module_is_not_a_clash():
    reg, t_export = _fresh()

    def f():
        return 1

    first = f
    t_export("f")(first)

    def f():  # a module reloaded defines a new object at the same address
        return 1

    t_export("f")(f)
    assert f is not first and len(reg.rows()) == 1


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


def test_a_typed_decorator_is_read_as_data_and_applied_to_a_copy():
    from engine.apiexport import parse_decorator, redecorate, registry, scan_imports, tree_of

    tree = scan_imports("engine.apiexport.demo", "demo", "demo")
    live = registry("demo")
    assert tree_of(live, "demo") == tree  # the registry and the import scan describe the same tree
    name, names, v1 = parse_decorator('@demo_export("math.plus", "plus", v1=["add"])')
    assert (name, names, v1) == ("demo_export", ("math.plus", "plus"), ["add"])
    tried = tree_of(redecorate(live, "engine.apiexport.demo.math_ops:add", names, v1), "demo")
    assert tried["demo.math"]["plus"] == "engine.apiexport.demo.math_ops:add" and "add" not in tried["demo.math"]
    assert tree_of(live, "demo") == tree  # the live registry is untouched
    with pytest.raises(ExportError) as e:
        redecorate(live, "engine.apiexport.demo.math_ops:add", ("math.multiply",), [])
    assert e.value.code == "apiexport.clash" and "math_ops:multiply" in e.value.message
    for bad in ("__import__('os')", "demo_export(f())", "demo_export('a', api_name='x')", "x.y('a')", "", "1 +"):
        with pytest.raises(ExportError):
            parse_decorator(bad)
