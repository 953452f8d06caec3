"""A linter for the user's own nn.Module source: Python's `ast` reads it, nothing is ever executed or imported.

Five mistakes whose consequence the modules page shows live, each found from the syntax alone:
- `functional_dropout_training`: F.dropout (and its kin) called without `training=`: it keeps dropping after eval();
- `plain_list_of_modules`: a list, tuple or dict of modules (comprehensions and `.append` included) assigned to
  self: nn.Module never registers them, so they have no parameters, no state_dict entries, no .to();
- `tensor_attribute`: a tensor factory (torch.zeros, torch.randn, …) assigned to self in __init__: neither a
  parameter nor a buffer;
- `softmax_no_dim`: F.softmax / nn.Softmax and kin without `dim`: an implicit, deprecated choice of dimension;
- `missing_super_init`: an nn.Module subclass whose __init__ never calls its base's __init__.
Names are resolved through the source's own imports (with the usual `torch`, `nn`, `F` when it has none), and
only classes known to be modules (a base from torch.nn, or a module class of the same source) are judged, so
idiomatic code gets no alarm. What it leaves out: anything decided at run time (a module held in a variable
built elsewhere, monkey-patching, exec).
"""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass, field

from torch import nn

from engine.artifacts import ArtifactError, as_text, guarded
from engine.messages import Message, define

LIMIT = 100_000  # bytes: a module file (torch.nn's own rnn.py is 76 KB) parses in a fraction of a second
MAX_FINDINGS = 200  # the first ones, in line order, are reported; the count says how many there were
WHAT = "Python source"
CODES = ("functional_dropout_training", "plain_list_of_modules", "tensor_attribute", "softmax_no_dim",
         "missing_super_init")

define({
    "modules.lint.syntax": "the {what} does not parse at line {line}, column {column}",
    "modules.lint.functional_dropout_training": "{call}(…) without training=: it defaults to training=True, so "
                                                "it keeps dropping after model.eval(); pass training=self.training "
                                                "or use nn.{module}",
    "modules.lint.plain_list_of_modules": "self.{attr} holds modules in a plain {kind}: nn.Module never registers "
                                          "them (no parameters, no state_dict entries, not moved by .to()); use "
                                          "nn.{fix}",
    "modules.lint.tensor_attribute": "self.{attr} = {call}(…) in __init__ is a plain tensor: not a parameter (never "
                                     "trained), not a buffer (not saved, not moved by .to()); use nn.Parameter or "
                                     "self.register_buffer",
    "modules.lint.softmax_no_dim": "{call} without dim: the dimension is chosen implicitly (dim 0 for 0-, 1- and "
                                   "3-D inputs, dim 1 otherwise) and the choice is deprecated; pass dim=-1 or the "
                                   "dimension you mean",
    "modules.lint.missing_super_init": "class {cls}({base}) defines __init__ without calling super().__init__(): "
                                       "the first submodule, parameter or buffer it assigns raises an error",
    "modules.lint.cut": "the first {shown} of {total} findings are listed",
    "modules.lint.clean": "{classes} module class(es) read, {calls} call(s) checked: nothing to report",
})

F_PATH, NN_PATH = "torch.nn.functional", "torch.nn"
DROPOUTS = {"dropout": "Dropout", "dropout1d": "Dropout1d", "dropout2d": "Dropout2d", "dropout3d": "Dropout3d",
            "alpha_dropout": "AlphaDropout", "feature_alpha_dropout": "FeatureAlphaDropout"}
SOFTMAX_F = ("softmax", "log_softmax", "softmin")  # F.softmax(input, dim=None, …): dim is the second argument
SOFTMAX_NN = ("Softmax", "LogSoftmax", "Softmin")  # nn.Softmax(dim=None): dim is the first
FACTORIES = {"zeros", "ones", "empty", "full", "rand", "randn", "randint", "randperm", "tensor", "as_tensor",
             "arange", "linspace", "logspace", "eye", "zeros_like", "ones_like", "empty_like", "full_like",
             "rand_like", "randn_like", "from_numpy", "Tensor", "FloatTensor", "DoubleTensor", "LongTensor",
             "IntTensor", "BoolTensor", "ByteTensor", "HalfTensor"}
NOT_MODULES = {"Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer", "ParameterList",
               "ParameterDict", "Module"}  # torch.nn names that are not module instances a list could hide
CONTAINER_FIX = {"list": "ModuleList", "tuple": "ModuleList", "dict": "ModuleDict"}
DEFAULT_ALIASES = {"torch": "torch", "nn": NN_PATH, "F": F_PATH, "Module": f"{NN_PATH}.Module",
                   "Parameter": f"{NN_PATH}.Parameter"}  # a snippet with no imports means the usual names


@dataclass(frozen=True)
class Finding:
    """One mistake: its code (one of CODES), the 1-based line and column, and the message the page translates."""

    code: str
    line: int
    message: Message
    column: int = 1


@dataclass(frozen=True)
class Report:
    """Every finding, plus what was read: the module classes found and the calls checked (so a clean report
    says how much it looked at)."""

    findings: list[Finding]
    classes: list[str]
    calls: int
    lines: int = 0
    notes: list[Message] = field(default_factory=list)
    total: int = 0  # findings before the list was cut to MAX_FINDINGS


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` as text, or None if `node` is not a plain dotted name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


class _Names:
    """What each name means, from the source's imports (module-level and local), with the usual defaults."""

    def __init__(self, nodes: list[ast.AST]) -> None:
        self.aliases: dict[str, str] = {}
        for node in nodes:
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        self.aliases[a.asname] = a.name
                    else:
                        self.aliases.setdefault(a.name.split(".")[0], a.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""  # a relative import stays relative: the user's own package
                for a in node.names:
                    self.aliases[a.asname or a.name] = f"{base}.{a.name}" if base else a.name

    def resolve(self, node: ast.expr) -> str | None:
        """The full dotted name `node` stands for (torch.nn.functional.dropout for F.dropout), or None."""
        text = _dotted(node)
        if text is None:
            return None
        head, _, rest = text.partition(".")
        full = self.aliases.get(head, DEFAULT_ALIASES.get(head, head))
        full = f"{full}.{rest}" if rest else full
        if full.startswith(f"{NN_PATH}.modules."):  # torch.nn.modules.linear.Linear is torch.nn.Linear
            full = f"{NN_PATH}.{full.rsplit('.', 1)[1]}"
        return full


def _functional(name: str | None) -> str | None:
    """The function's name if `name` is in torch.nn.functional, else None."""
    if name and name.startswith(f"{F_PATH}.") and name.count(".") == 3:
        return name.rsplit(".", 1)[1]
    return None


def _nn_class(name: str | None) -> str | None:
    """The class name if `name` is a class of torch.nn (torch.nn.Linear), else None."""
    if name and name.startswith(f"{NN_PATH}.") and name.count(".") == 2:
        last = name.rsplit(".", 1)[1]
        return last if last[:1].isupper() else None
    return None


def _has_arg(call: ast.Call, keyword: str, position: int) -> bool:
    """Whether `call` passes `keyword` (by name, or at 0-based `position`, or through *args / **kwargs), with a
    value other than a literal None."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return True  # forwarded: cannot tell from the syntax, so no alarm
    for k in call.keywords:
        if k.arg == keyword:
            return not (isinstance(k.value, ast.Constant) and k.value.value is None)
    if len(call.args) > position:
        a = call.args[position]
        return not (isinstance(a, ast.Constant) and a.value is None)
    return False


class _Linter:
    def __init__(self, tree: ast.Module, source: str) -> None:
        self.nodes = list(ast.walk(tree))  # one walk: the passes below reuse it
        self.tree, self.source, self.names = tree, source, _Names(self.nodes)
        self.findings: list[Finding] = []
        self.calls = 0
        self.module_classes: dict[str, ast.ClassDef] = {}
        self._find_module_classes()
        self.registered = self._registered()

    def add(self, code: str, node: ast.AST, **params: object) -> None:
        self.findings.append(Finding(code, getattr(node, "lineno", 1), Message(f"modules.lint.{code}", **params),
                                     getattr(node, "col_offset", 0) + 1))

    def _find_module_classes(self) -> None:
        """Classes with a torch.nn base, or a base that is a module class of this source (to a fixed point)."""
        classes = [n for n in self.nodes if isinstance(n, ast.ClassDef)]
        changed = True
        while changed:
            changed = False
            for c in classes:
                if c.name in self.module_classes:
                    continue
                for b in c.bases:
                    name = self.names.resolve(b) or ""
                    # a torch.nn class, a module class of this source, or a Module imported relatively
                    # (torch.nn's own files: from .module import Module)
                    if _nn_class(name) or name.rsplit(".", 1)[-1] == "Module" or (isinstance(b, ast.Name)
                                                                                   and b.id in self.module_classes):
                        self.module_classes[c.name] = c
                        changed = True
                        break

    def _registered(self) -> set[str]:
        """Names registered anywhere in the source with register_buffer / register_parameter: assigning a tensor
        to such a name later replaces the buffer's value (nn.Module.__setattr__), which is fine."""
        out = set()
        for node in self.nodes:
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("register_buffer", "register_parameter") and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                out.add(node.args[0].value)
        return out

    def is_module_call(self, node: ast.expr) -> bool:
        """Whether `node` constructs a module: nn.Xxx(…) (not a Parameter) or a module class of this source."""
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(node.func.value,
                                                                                              ast.Call):
            return self.is_module_call(node.func.value)  # nn.Linear(4, 4).to(device), .double(), …
        if not isinstance(node, ast.Call):
            return False
        if isinstance(node.func, ast.Name) and node.func.id in self.module_classes:
            return True
        cls = _nn_class(self.names.resolve(node.func))
        return cls is not None and cls not in NOT_MODULES

    def container_of_modules(self, node: ast.expr) -> str | None:
        """"list", "tuple" or "dict" when `node` builds that container holding at least one module."""
        if isinstance(node, ast.List | ast.Tuple):
            kind = "list" if isinstance(node, ast.List) else "tuple"
            return kind if any(self.is_module_call(e) or self.container_of_modules(e) for e in node.elts) else None
        if isinstance(node, ast.Dict):
            return "dict" if any(v is not None and self.is_module_call(v) for v in node.values) else None
        if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return "list" if self.is_module_call(node.elt) or self.container_of_modules(node.elt) else None
        if isinstance(node, ast.DictComp):
            return "dict" if self.is_module_call(node.value) else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Add):  # [nn.Linear(4, 4)] * 3
            return self.container_of_modules(node.left) or self.container_of_modules(node.right)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("list", "tuple",
                                                                                                "dict") \
                and len(node.args) == 1 and not node.keywords:
            inner = self.container_of_modules(node.args[0])
            return node.func.id if inner else None
        return None

    def run(self) -> None:
        for node in self.nodes:
            if isinstance(node, ast.Call):
                self.calls += 1
                self.check_call(node)
        for cls in self.module_classes.values():
            self.check_class(cls)
        self.findings.sort(key=lambda f: (f.line, f.column, f.code))

    def check_call(self, call: ast.Call) -> None:
        full = self.names.resolve(call.func)
        fn = _functional(full)
        if fn in DROPOUTS and not _has_arg(call, "training", 2):
            self.add("functional_dropout_training", call, call=_dotted(call.func), module=DROPOUTS[fn])
        elif fn in SOFTMAX_F and not _has_arg(call, "dim", 1):
            self.add("softmax_no_dim", call, call=f"{_dotted(call.func)}(…)")
        elif _nn_class(full) in SOFTMAX_NN and not _has_arg(call, "dim", 0):
            self.add("softmax_no_dim", call, call=f"{_dotted(call.func)}()")

    def check_class(self, cls: ast.ClassDef) -> None:
        # the last definition wins (the ones before it are typing.overload stubs)
        init = next((f for f in reversed(cls.body) if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
        if init is not None and not self._calls_base_init(init, cls):
            self.add("missing_super_init", init, cls=cls.name, base=", ".join(ast.unparse(b) for b in cls.bases))
        for f in cls.body:
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef):
                self._check_method(f, is_init=f is init)

    def _calls_base_init(self, init: ast.FunctionDef, cls: ast.ClassDef) -> bool:
        bases = {ast.unparse(b) for b in cls.bases}
        for node in ast.walk(init):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "__init__":
                owner = node.func.value
                if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
                    return True
                if ast.unparse(owner) in bases or _nn_class(self.names.resolve(owner)):
                    return True  # Base.__init__(self, …) or nn.Module.__init__(self)
        return False

    def _check_method(self, fn: ast.FunctionDef | ast.AsyncFunctionDef, is_init: bool) -> None:
        self_name = fn.args.args[0].arg if fn.args.args else "self"
        local_lists: dict[str, str] = {}  # local name -> container kind holding modules
        empty_attrs: dict[str, str] = {}  # self.<attr> assigned an empty list or dict -> its kind
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                value = node.value
                if value is None:
                    continue
                kind = self.container_of_modules(value)
                if kind is None and isinstance(value, ast.Name):
                    kind = local_lists.get(value.id)
                for t in targets:
                    if isinstance(t, ast.Name) and kind:
                        local_lists[t.id] = kind
                    attr = self._self_attr(t, self_name)
                    if attr is None:
                        continue
                    if kind:
                        self.add("plain_list_of_modules", node, attr=attr, kind=kind, fix=CONTAINER_FIX[kind])
                    elif isinstance(value, ast.List | ast.Dict) and not (value.keys if isinstance(value, ast.Dict)
                                                                           else value.elts):
                        empty_attrs[attr] = "dict" if isinstance(value, ast.Dict) else "list"
                    elif is_init and attr not in self.registered and (call := self._factory(value)):
                        self.add("tensor_attribute", node, attr=attr, call=call)
                    if isinstance(t, ast.Subscript) and (a := self._self_attr(t.value, self_name)) in empty_attrs \
                            and self.is_module_call(value):  # self.heads["a"] = nn.Linear(…)
                        self.add("plain_list_of_modules", node, attr=a, kind=empty_attrs[a],
                                 fix=CONTAINER_FIX[empty_attrs[a]])
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in ("append", "extend", "insert") and node.args:
                a = self._self_attr(node.func.value, self_name)
                if a in empty_attrs and (self.is_module_call(node.args[-1]) or self.container_of_modules(
                        node.args[-1])):
                    self.add("plain_list_of_modules", node, attr=a, kind=empty_attrs[a],
                             fix=CONTAINER_FIX[empty_attrs[a]])
                    empty_attrs.pop(a)  # once per attribute

    @staticmethod
    def _self_attr(node: ast.expr, self_name: str) -> str | None:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == self_name:
            return node.attr
        return None

    def _factory(self, value: ast.expr) -> str | None:
        """The factory's dotted name when `value` is torch.zeros(…) and kin, possibly followed by methods (either
        branch of a conditional expression counts)."""
        if isinstance(value, ast.IfExp):
            return self._factory(value.body) or self._factory(value.orelse)
        while isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and isinstance(value.func.value, ast.Call):
            value = value.func.value  # torch.zeros(3).to(device).float()
        if not isinstance(value, ast.Call):
            return None
        full = self.names.resolve(value.func)
        if full and full.startswith("torch.") and full.count(".") == 1 and full.split(".")[1] in FACTORIES:
            return _dotted(value.func)
        return None


def super_init_consequence() -> str:
    """PyTorch's own error when a module that skipped super().__init__() assigns a submodule: a class of ours (not
    the user's), run now."""

    class NoSuper(nn.Module):
        def __init__(self) -> None:  # deliberately without super().__init__()
            self.linear = nn.Linear(2, 2)

    try:
        NoSuper()
    except AttributeError as e:
        return str(e).strip().splitlines()[0]
    return ""  # pragma: no cover - torch always raises here


def _parse(text: str) -> ast.Module:
    try:
        with warnings.catch_warnings():  # e.g. "invalid escape sequence": not our business
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except SyntaxError as e:
        line, col = e.lineno or 1, max(1, e.offset or 1)
        if "null bytes" in str(e.msg):
            line = text.count("\n", 0, text.index("\x00")) + 1
            col = text.index("\x00") - (text.rfind("\n", 0, text.index("\x00")) + 1) + 1
        raise ArtifactError("modules.lint.syntax", (line, col), what=WHAT, line=line, column=col) from None
    except ValueError:  # e.g. an integer literal past Python's digit limit
        raise ArtifactError("modules.lint.syntax", (1, 1), what=WHAT, line=1, column=1) from None


def lint_report(source: str | bytes, limit: int = LIMIT) -> Report:
    """Lint `source` (text or UTF-8 bytes, at most `limit` bytes) without running it; raises ArtifactError for
    input that is empty, too big, not UTF-8, not Python, or not code at all."""
    text = as_text(source, limit, WHAT)

    def read() -> Report:
        linter = _Linter(_parse(text), text)
        if not any(isinstance(n, ast.ClassDef | ast.FunctionDef | ast.Call | ast.Import | ast.ImportFrom)
                   for n in linter.nodes):
            raise ArtifactError("artifact.format", expected=WHAT)  # e.g. JSON, which Python reads as a dict
        linter.run()
        found = linter.findings
        notes = [] if found else [Message("modules.lint.clean", classes=len(linter.module_classes),
                                          calls=linter.calls)]
        if len(found) > MAX_FINDINGS:
            notes.append(Message("modules.lint.cut", shown=MAX_FINDINGS, total=len(found)))
        return Report(found[:MAX_FINDINGS], list(linter.module_classes), linter.calls, text.count("\n") + 1, notes,
                      len(found))

    return guarded(read, WHAT)


def lint(source: str | bytes) -> list[Finding]:
    """The findings in `source`, ordered by line (see the module's docstring for the five codes)."""
    return lint_report(source).findings
