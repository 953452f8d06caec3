"""An export decorator shaped like TensorFlow's `api_export`, written from scratch: one symbol, several public names.

`tf_export = functools.partial(api_export, api_name="tensorflow")` in TensorFlow; here
`api_export("math.add", "add", v1=["math.add"], api_name="demo")` used as a decorator records the names
on the symbol itself (the attribute `EXPORT_ATTR`, per API name) and in that API's `Registry`, and returns
the symbol unchanged: same object, same `__code__`, no wrapper. The first name is the canonical one, the
others aliases. A public name claimed by two different symbols, or a name that is not a dotted path of
identifiers, raises `ExportError`. `export_constant` does the same for a module-level value, which cannot
carry an attribute, by listing it on its module.

TensorFlow's two rules on the record are kept: decorating a symbol that already has names in the same API raises
`ExportError` (TensorFlow's `SymbolAlreadyExposedError`), and the record is read from the symbol's own `__dict__`,
never through `getattr`, so a subclass does not inherit its base's public names.
"""

from __future__ import annotations

import keyword
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from engine.messages import CodedError, define

EXPORT_ATTR = "_glassbox_api_names"  # on a symbol: {api_name: {"v2": [...], "v1": [...]}}
CONSTANTS_ATTR = "_glassbox_api_constants"  # on a module: [(api_name, version, public name, attribute)]
S = TypeVar("S")

define({
    "apiexport.bad_name": "“{name}” is not a public name: use dotted identifiers such as math.add",
    "apiexport.no_names": "give at least one public name, e.g. @tf_export(\"math.add\")",
    "apiexport.clash": "{name} ({version}) is exported twice in {api}: by {first} and by {second}",
    "apiexport.decorator_syntax": "write one decorator call with string names, e.g. "
                                  "@demo_export(\"math.add\", \"add\", v1=[\"add\"])",
    "apiexport.decorator_keyword": "the decorator takes names and v1=[...] here, not {name}=",
    "apiexport.not_symbol": "{what} cannot carry export names (export a function or a class; constants go through "
                            "export_constant)",
    "apiexport.already_exposed": "{symbol} is already exposed in {api} as {names}: a symbol is exported once per API",
})


class ExportError(CodedError):
    """A refused export: a bad or missing name, or one public name claimed by two symbols."""


@dataclass(frozen=True)
class Export:
    """One public name of one symbol."""

    api: str
    version: str  # "v2" (the current names) or "v1" (the compatibility names)
    name: str  # the public dotted path below the API root, e.g. math.add
    module: str  # where the symbol is defined
    symbol: str  # its name there
    kind: str  # function, class or constant
    canonical: bool  # the first name given for this symbol and version

    @property
    def source(self) -> str:
        """module:symbol, the address a generated import reads from."""
        return f"{self.module}:{self.symbol}"


class Registry:
    """Every public name one API has handed out, with the symbol behind it."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.exports: dict[tuple[str, str], Export] = {}  # (version, public name) -> export
        self.lock = threading.Lock()

    def add(self, exports: Iterable[Export]) -> None:
        """Record `exports` all or none: a name already held by another symbol raises ExportError. The same
        symbol exporting the same name again (a module reloaded) is not a clash."""
        exports = list(exports)
        with self.lock:
            for e in exports:
                held = self.exports.get((e.version, e.name))
                if held is not None and held.source != e.source:
                    raise ExportError("apiexport.clash", name=e.name, version=e.version, api=self.api,
                                      first=held.source, second=e.source)
            for e in exports:
                self.exports[(e.version, e.name)] = e

    def copy(self) -> Registry:
        """An independent registry with the same exports (to try a decorator without touching this one)."""
        out = Registry(self.api)
        out.exports = dict(self.exports)
        return out

    def rows(self) -> list[Export]:
        """Every export, by version then name."""
        return sorted(self.exports.values(), key=lambda e: (e.version != "v2", e.name))


_REGISTRIES: dict[str, Registry] = {}


def registry(api: str) -> Registry:
    """The process-wide registry of `api` (created on first use)."""
    return _REGISTRIES.setdefault(api, Registry(api))


def check_name(name: object) -> str:
    """`name` if it is a dotted path of identifiers (none a Python keyword), else ExportError."""
    parts = name.split(".") if isinstance(name, str) else []
    if not parts or not all(p.isidentifier() and not keyword.iskeyword(p) for p in parts):
        raise ExportError("apiexport.bad_name", name=str(name)[:60])
    return name


def _exports(api: str, names: tuple[str, ...], v1: Iterable[str] | None, module: str, symbol: str,
             kind: str) -> list[Export]:
    if not names and not v1:
        raise ExportError("apiexport.no_names")
    out = []
    for version, given in (("v2", list(names)), ("v1", list(v1 or []))):
        out += [Export(api, version, check_name(n), module, symbol, kind, i == 0) for i, n in enumerate(given)]
    return out


class api_export:
    """`@api_export("math.add", "add", v1=[...], api_name="demo")`: record the names, return the symbol."""

    def __init__(self, *names: str, api_name: str = "tensorflow", v1: Iterable[str] | None = None,
                 into: Registry | None = None) -> None:
        self.names, self.v1 = tuple(names), list(v1) if v1 is not None else None
        self.api_name = api_name
        self.into = into
        for n in (*self.names, *(self.v1 or [])):
            check_name(n)  # refuse at decoration time, before anything is recorded
        if not self.names and not self.v1:
            raise ExportError("apiexport.no_names")

    @property
    def registry(self) -> Registry:
        """Where the names go: the given registry, else the API's process-wide one."""
        return self.into if self.into is not None else registry(self.api_name)

    def __call__(self, symbol: S) -> S:
        if not callable(symbol) or not hasattr(symbol, "__name__"):
            raise ExportError("apiexport.not_symbol", what=type(symbol).__name__)
        kind = "class" if isinstance(symbol, type) else "function"
        own = own_record(symbol)
        if self.api_name in own:  # TensorFlow: SymbolAlreadyExposedError, checked in __dict__, not by hasattr
            held = own[self.api_name]
            raise ExportError("apiexport.already_exposed", symbol=symbol.__qualname__, api=self.api_name,
                              names=", ".join(held.get("v2") or held.get("v1") or []))
        exports = _exports(self.api_name, self.names, self.v1, symbol.__module__, symbol.__qualname__, kind)
        self.registry.add(exports)
        record: dict[str, dict[str, list[str]]] = dict(own)
        record[self.api_name] = {"v2": list(self.names), "v1": list(self.v1 or [])}
        setattr(symbol, EXPORT_ATTR, record)  # on the symbol itself: no wrapper, the same object comes back
        return symbol

    def export_constant(self, module_name: str, attr: str) -> None:
        """Export `module_name.attr`, a value that cannot carry an attribute, under this decorator's names."""
        import sys

        module = sys.modules[module_name]
        self.registry.add(_exports(self.api_name, self.names, self.v1, module_name, attr, "constant"))
        listed: list[tuple[str, str, str, str]] = list(getattr(module, CONSTANTS_ATTR, []))
        listed += [(self.api_name, "v2", n, attr) for n in self.names]
        listed += [(self.api_name, "v1", n, attr) for n in self.v1 or []]
        setattr(module, CONSTANTS_ATTR, listed)


def export_constant(module_name: str, attr: str, *names: str, api_name: str = "tensorflow",
                    v1: Iterable[str] | None = None) -> None:
    """Export the module-level value `module_name.attr` under `names` (TensorFlow spells it
    `tf_export("name").export_constant(__name__, "ATTR")`)."""
    api_export(*names, api_name=api_name, v1=v1).export_constant(module_name, attr)


def own_record(symbol: Any) -> dict[str, dict[str, list[str]]]:
    """The export record `symbol` itself carries, read from its own `__dict__`: a subclass of an exported class
    has none of its own (getattr would hand it the base's)."""
    own = getattr(symbol, "__dict__", None)
    record = own.get(EXPORT_ATTR) if hasattr(own, "get") else None
    return record if isinstance(record, dict) else {}


def names_of(symbol: Any, api_name: str) -> dict[str, list[str]]:
    """The names `symbol` was exported under in `api_name` ({"v2": [...], "v1": [...]}), or empty lists."""
    return own_record(symbol).get(api_name, {"v2": [], "v1": []})



def parse_decorator(text: str) -> tuple[str, tuple[str, ...], list[str]]:
    """A decorator line typed by a person, read as data with ast (never run): `@tf_export("math.add", "add",
    v1=["add"])` -> ("tf_export", names, v1 names). Only string literals and lists of them are accepted."""
    import ast

    src = str(text).strip().removeprefix("@").strip()
    if not src or len(src) > 400:
        raise ExportError("apiexport.decorator_syntax")
    try:
        node = ast.parse(src, mode="eval").body
    except (SyntaxError, ValueError):
        raise ExportError("apiexport.decorator_syntax") from None
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or not node.func.id.endswith("export"):
        raise ExportError("apiexport.decorator_syntax")  # one call of an export decorator, nothing else

    def strings(n: ast.expr) -> list[str]:
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            return [n.value]
        if isinstance(n, ast.List | ast.Tuple) and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                                                       for e in n.elts):
            return [e.value for e in n.elts]
        raise ExportError("apiexport.decorator_syntax")

    names = tuple(s for a in node.args for s in strings(a))
    v1: list[str] = []
    for k in node.keywords:
        if k.arg != "v1":
            raise ExportError("apiexport.decorator_keyword", name=str(k.arg))
        v1 += strings(k.value)
    for n in (*names, *v1):
        check_name(n)
    if not names and not v1:
        raise ExportError("apiexport.no_names")
    return node.func.id, names, v1


def redecorate(reg: Registry, source: str, names: tuple[str, ...], v1: list[str]) -> Registry:
    """A copy of `reg` in which the symbol at `source` ("module:symbol") carries `names` and `v1` instead of its
    own: what re-decorating it would record, without touching the live symbol. Raises ExportError on a clash."""
    out = reg.copy()
    kept = [e for e in out.exports.values() if e.source == source]
    kind = kept[0].kind if kept else "function"
    out.exports = {k: e for k, e in out.exports.items() if e.source != source}
    module, _, symbol = source.partition(":")
    out.add(_exports(reg.api, names, v1, module, symbol, kind))
    return out
