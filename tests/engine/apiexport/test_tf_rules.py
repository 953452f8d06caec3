"""TensorFlow's two rules on export records (tensorflow/python/util/tf_export.py, `api_export.set_attr`): a symbol
already exposed in an API cannot be exported again (SymbolAlreadyExposedError there, ExportError here), and the
record is read from the symbol's own `__dict__`, so a subclass never inherits its base's names. Each check has a
negative control: the getattr reading TensorFlow warns against, put back, makes it fail. And the .pyi stubs
render_tree writes parse, re-export every name, and (where mypy is installed) make a type checker see through a
lazy module."""

from __future__ import annotations

import ast
import functools
import importlib
import sys
import textwrap
from pathlib import Path

import pytest

from engine.apiexport import ExportError, Registry, api_export, names_of, render_tree, scan_imports
from engine.apiexport import export as export_mod
from engine.apiexport import scan as scan_mod

ROOT = Path(__file__).resolve().parents[3]


def _fresh(api: str = "t") -> tuple[Registry, functools.partial]:
    reg = Registry(api)
    return reg, functools.partial(api_export, api_name=api, into=reg)


def test_exporting_a_symbol_twice_in_one_api_is_refused_and_records_nothing():
    reg, t_export = _fresh()

    @t_export("math.add")
    def add(x, y):
        return x + y

    with pytest.raises(ExportError) as e:
        t_export("math.plus")(add)
    assert e.value.code == "apiexport.already_exposed"
    assert "add" in e.value.message and "math.add" in e.value.message
    assert [r.name for r in reg.rows()] == ["math.add"] and names_of(add, "t")["v2"] == ["math.add"]
    _, other = _fresh("other")
    assert other("plus")(add) is add  # another API keeps its own record, as tf_export and keras_export do
    assert names_of(add, "other")["v2"] == ["plus"] and names_of(add, "t")["v2"] == ["math.add"]


def test_a_subclass_has_no_names_and_can_be_exported_under_its_own():
    reg, t_export = _fresh()

    @t_export("layers.Base")
    class Base:
        pass

    class Child(Base):
        pass

    assert names_of(Child, "t") == {"v2": [], "v1": []}  # getattr would hand it layers.Base
    assert t_export("layers.Child")(Child) is Child  # not "already exposed": the record it saw was its base's
    assert names_of(Child, "t")["v2"] == ["layers.Child"] and names_of(Base, "t")["v2"] == ["layers.Base"]
    assert sorted(r.source.rsplit(".", 1)[-1] for r in reg.rows()) == ["Base", "Child"]


def test_negative_control_a_hasattr_check_refuses_the_subclass(monkeypatch):
    """With the record read through getattr (what TensorFlow's __dict__ check avoids) the subclass's own export
    is refused as 'already exposed': the test above would fail."""
    _, t_export = _fresh()
    monkeypatch.setattr(export_mod, "own_record", lambda s: getattr(s, export_mod.EXPORT_ATTR, {}))

    @t_export("layers.Base")
    class Base:
        pass

    class Child(Base):
        pass

    with pytest.raises(ExportError):
        t_export("layers.Child")(Child)


@pytest.fixture
def zoo(tmp_path, monkeypatch):
    """A package on disk: an exported base class and, below it in the same module, an unexported subclass."""
    pkg = tmp_path / "gbzoo"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "layers.py").write_text(textwrap.dedent("""
        import functools
        from engine.apiexport.export import Registry, api_export

        zoo_export = functools.partial(api_export, api_name="zoo", into=Registry("zoo"))


        @zoo_export("layers.Layer", "Layer")
        class Layer:
            pass


        class Conv(Layer):  # not exported
            pass


        @zoo_export("layers.Dense")
        class Dense(Layer):
            pass
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "gbzoo"
    for m in [m for m in sys.modules if m.split(".")[0] == "gbzoo"]:
        monkeypatch.delitem(sys.modules, m)


def test_scan_imports_does_not_export_a_subclass_under_its_base_names(zoo):
    tree = scan_imports(zoo, "zoo", "zoo")
    assert tree == {"zoo": {"Layer": "gbzoo.layers:Layer"},
                    "zoo.layers": {"Dense": "gbzoo.layers:Dense", "Layer": "gbzoo.layers:Layer"}}


def test_negative_control_getattr_exports_the_subclass_under_its_base_names(zoo, monkeypatch):
    monkeypatch.setattr(scan_mod, "own_record", lambda s: getattr(s, export_mod.EXPORT_ATTR, {}))
    tree = scan_imports(zoo, "zoo", "zoo")
    assert tree["zoo.layers"]["Layer"] in {"gbzoo.layers:Layer", "gbzoo.layers:Conv", "gbzoo.layers:Dense"}
    assert "gbzoo.layers:Conv" in str(tree)  # the bug the rule prevents: Conv published as zoo.layers.Layer


DEMO_TREE = {"demo": {"add": "engine.apiexport.demo.math_ops:add",
                      "__version__": "engine.apiexport.demo.config:VERSION"},
             "demo.math": {"add": "engine.apiexport.demo.math_ops:add"},
             "demo.nn": {"Dense": "engine.apiexport.demo.layers:Dense"}}


def test_stubs_parse_and_re_export_every_name_of_the_lazy_table():
    stubs, lazy = render_tree(DEMO_TREE, "stub"), render_tree(DEMO_TREE, "lazy")
    assert stubs.keys() == lazy.keys() == {"demo", "demo.math", "demo.nn"}
    for m, text in stubs.items():
        body = ast.parse(text, filename=f"{m}/__init__.pyi").body
        imports = [a for n in body if isinstance(n, ast.ImportFrom) for a in n.names]
        assert all(a.asname == (a.asname or a.name) and a.asname for a in imports)  # `import X as X`: re-exported
        all_ = next(ast.literal_eval(n.value) for n in body if isinstance(n, ast.Assign)
                    and n.targets[0].id == "__all__")
        table = next(ast.literal_eval(n.value) for n in ast.parse(lazy[m]).body if isinstance(n, ast.Assign)
                     and n.targets[0].id == "_LAZY")
        assert sorted(all_) == sorted(table) == sorted(a.asname for a in imports)
        assert not [n for n in body if isinstance(n, ast.FunctionDef)]  # a stub declares, it runs nothing
    assert "from demo import math as math" in stubs["demo"]
    with pytest.raises(ValueError):
        render_tree(DEMO_TREE, "pyi")


@pytest.mark.slow
def test_mypy_sees_through_a_lazy_module_only_with_its_stub(tmp_path):
    api = pytest.importorskip("mypy.api")
    for with_stub in (True, False):
        out = tmp_path / ("with" if with_stub else "without")
        for m, text in render_tree(DEMO_TREE, "lazy").items():
            folder = out.joinpath(*m.split("."))
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "__init__.py").write_text(text)
            if with_stub:
                (folder / "__init__.pyi").write_text(render_tree(DEMO_TREE, "stub")[m])
        (out / "use.py").write_text("import demo\n\ndemo.math.add(1.0, 'two')\n")
        stdout, _, _ = api.run([str(out / "use.py"), "--follow-imports=silent", "--ignore-missing-imports",
                                "--no-incremental", "--cache-dir=/dev/null", "--python-executable", sys.executable])
        flagged = 'Argument 2 to "add" has incompatible type "str"' in stdout
        assert flagged == with_stub, stdout  # without the stub, __getattr__ makes every name Any: nothing seen
    importlib.invalidate_caches()
