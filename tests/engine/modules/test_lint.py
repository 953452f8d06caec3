"""The module linter (issue #33): each code caught in a buggy example (with its aliases and spellings), no alarm on
idiomatic code (torch.nn's own source, read through inspect, and modules written here), every finding's message
declared, the source never run, and hostile input refused fast with ArtifactError only."""

from __future__ import annotations

import inspect
import textwrap
import time
from pathlib import Path

import pytest
import torch.nn.modules.activation
import torch.nn.modules.batchnorm
import torch.nn.modules.container
import torch.nn.modules.rnn
import torch.nn.modules.transformer
from torch import nn

from engine.artifacts import ArtifactError
from engine.modules.linter import CODES, LIMIT, MAX_FINDINGS, lint, lint_report

EXAMPLE = Path(__file__).parents[3] / "engine" / "modules" / "examples" / "classifier.py"


def codes(src: str) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in lint(textwrap.dedent(src))]


HEAD = "import torch\nimport torch.nn.functional as F\nfrom torch import nn\n"  # lines 1-3 of every example


@pytest.mark.parametrize(("code", "src", "line"), [
    ("functional_dropout_training", "def f(x):\n    return F.dropout(x, 0.5)\n", 5),
    ("functional_dropout_training", "def f(x):\n    return torch.nn.functional.dropout2d(x, p=0.1)\n", 5),
    ("functional_dropout_training", "from torch.nn.functional import alpha_dropout as ad\ny = ad(x, 0.2)\n", 5),
    ("functional_dropout_training", "y = F.dropout(x, 0.5, training=None)\n", 4),
    ("plain_list_of_modules", "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                              "        self.layers = [nn.Linear(4, 4), nn.ReLU()]\n", 7),
    ("plain_list_of_modules", "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                              "        self.layers = [nn.Linear(4, 4) for _ in range(3)]\n", 7),
    ("plain_list_of_modules", "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                              "        self.heads = {k: nn.Linear(4, 1) for k in 'ab'}\n", 7),
    ("plain_list_of_modules", "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                              "        self.pair = (nn.Linear(4, 4), nn.Linear(4, 4))\n", 7),
    ("plain_list_of_modules", "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                              "        self.layers = tuple(nn.Linear(4, 4) for _ in range(2))\n", 7),
    ("plain_list_of_modules", "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                              "        self.layers = [nn.Linear(4, 4)] * 3\n", 7),
    ("plain_list_of_modules", "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                              "        self.layers = []\n        for _ in range(3):\n"
                              "            self.layers.append(nn.Linear(4, 4))\n", 9),
    ("plain_list_of_modules", "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                              "        layers = [Sub() for _ in range(2)]\n        self.layers = layers\n"
                              "class Sub(nn.Module):\n    pass\n", 8),
    ("tensor_attribute", "class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                         "        self.scale = torch.ones(4)\n", 7),
    ("tensor_attribute", "class M(nn.Linear):\n    def __init__(self):\n        super().__init__(4, 4)\n"
                         "        self.mask = torch.zeros(4, 4).bool().to('cpu')\n", 7),
    ("tensor_attribute", "class M(nn.Module):\n    def __init__(self, on):\n        super().__init__()\n"
                         "        self.mask = torch.ones(4) if on else None\n", 7),
    ("softmax_no_dim", "y = F.softmax(x)\n", 4),
    ("softmax_no_dim", "y = F.log_softmax(x, dtype=torch.float64)\n", 4),
    ("softmax_no_dim", "act = nn.Softmax()\n", 4),
    ("softmax_no_dim", "from torch.nn import LogSoftmax\nact = LogSoftmax(dim=None)\n", 5),
    ("missing_super_init", "class M(nn.Module):\n    def __init__(self):\n        self.w = 1\n", 5),
    ("missing_super_init", "class A(nn.Module):\n    pass\nclass B(A):\n    def __init__(self):\n        pass\n", 7),
])
def test_each_code_is_caught_in_a_buggy_example(code: str, src: str, line: int) -> None:
    found = lint(HEAD + src)
    assert [(f.code, f.line) for f in found] == [(code, line)], [(f.code, f.line, f.message.text) for f in found]
    assert found[0].message.code == f"modules.lint.{code}" and found[0].message.text  # declared, fills in


IDIOMATIC = HEAD + textwrap.dedent('''
    class Mlp(nn.Module):
        def __init__(self, dims, p=0.1):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(dims, dims[1:])])
            self.heads = nn.ModuleDict({k: nn.Linear(dims[-1], 1) for k in "ab"})
            self.seq = nn.Sequential(*[nn.Linear(4, 4) for _ in range(2)])
            self.sizes = [a * 2 for a in dims]
            self.names = {"a": 1}
            self.scale = nn.Parameter(torch.ones(4))
            self.shift = nn.Parameter(torch.zeros(4)) if p else None
            self.register_buffer("mask", torch.zeros(4, dtype=torch.bool))
            self.register_buffer("steps", torch.tensor(0))
            self.steps = torch.tensor(5)  # replaces the registered buffer's value: fine
            self.p = p
            self.act = nn.Softmax(dim=-1)
            self.log = nn.LogSoftmax(1)

        def forward(self, x):
            noise = torch.randn(4)  # a local tensor in forward, not an attribute
            self.cache = [self.layers[0], self.layers[1]]  # references to registered modules
            for layer in self.layers:
                x = F.dropout(layer(x), self.p, self.training)
            x = F.dropout(x, p=self.p, training=self.training) + noise
            return F.softmax(x, dim=-1) + F.log_softmax(x, -1) + x.softmax(-1) + torch.softmax(x, 0)

    class Holder:  # not a module: plain tensors and lists of layers are its own business
        def __init__(self):
            self.t = torch.zeros(3)
            self.layers = [nn.Linear(2, 2)]

    class Base(nn.Module):
        def __init__(self, n):
            nn.Module.__init__(self)
            self.n = n

    class Child(Base):
        def __init__(self):
            Base.__init__(self, 3)

    class Old(nn.Module):
        def __init__(self):
            super(Old, self).__init__()

    class NoInit(nn.Module):
        def forward(self, x, **kw):
            return F.dropout(x, **kw)  # forwarded: cannot tell, so no alarm
''')

TORCH_SOURCES = [torch.nn.modules.activation, torch.nn.modules.batchnorm, torch.nn.modules.container,
                 torch.nn.modules.rnn, torch.nn.modules.transformer, nn.Linear, nn.MultiheadAttention, nn.Embedding,
                 nn.LayerNorm, nn.Softmax, nn.GELU, nn.Flatten, nn.AdaptiveLogSoftmaxWithLoss]


def test_idiomatic_code_gets_no_alarm_and_the_classes_were_read() -> None:
    r = lint_report(IDIOMATIC)
    assert r.findings == [], [(f.code, f.line, f.message.text) for f in r.findings]
    assert set(r.classes) == {"Mlp", "Base", "Child", "Old", "NoInit"} and r.calls > 30
    assert r.notes and r.notes[0].code == "modules.lint.clean"


@pytest.mark.parametrize("obj", TORCH_SOURCES, ids=lambda o: o.__name__)
def test_torch_nn_own_source_gets_no_alarm(obj) -> None:
    r = lint_report(inspect.getsource(obj))
    assert r.findings == [], [(f.code, f.line, f.message.text) for f in r.findings]
    assert r.classes  # its classes were recognised as modules: the silence means something


def test_the_negative_control_one_change_to_idiomatic_code_is_caught() -> None:
    broken = IDIOMATIC.replace("x = F.dropout(x, p=self.p, training=self.training)", "x = F.dropout(x, p=self.p)")
    assert broken != IDIOMATIC and [f.code for f in lint(broken)] == ["functional_dropout_training"]
    broken = IDIOMATIC.replace("nn.ModuleList([nn.Linear", "list([nn.Linear")
    assert [f.code for f in lint(broken)] == ["plain_list_of_modules"]


def test_the_bundled_example_has_one_finding_per_code_on_its_marked_lines() -> None:
    text = EXAMPLE.read_text()
    marked = sorted(i for i, line in enumerate(text.splitlines(), start=1) if "# mistake" in line)
    found = lint(text)
    assert sorted(f.code for f in found) == sorted(CODES)
    # missing_super_init points at the __init__ it is about, one line above the marked assignment
    assert sorted(f.line + (f.code == "missing_super_init") for f in found) == marked
    compile(text, str(EXAMPLE), "exec")  # valid Python, as the tool's format demands (compiled, never run)


def test_the_source_is_never_run() -> None:
    src = "import os\nos.system('touch /tmp/glassbox_lint_ran')\nclass M(nn.Module):\n    pass\n"
    assert lint(src) == [] and not Path("/tmp/glassbox_lint_ran").exists()


@pytest.mark.parametrize(("data", "code"), [
    ("", "artifact.empty"), ("   \n", "artifact.empty"), ("x" * (LIMIT + 1), "artifact.too_big"),
    (bytes(range(256)) * 256, "artifact.encoding"), ('{"a": [1, 2]}', "artifact.format"),
    ("class M(nn.Module:\n", "modules.lint.syntax"), ("def f(:\n    pass", "modules.lint.syntax"),
    ("x = 1" + "0" * 5000, "modules.lint.syntax"), ("a\x00b", "modules.lint.syntax"),
    ("x = " + "(" * 90_000, "modules.lint.syntax"), ("x = " + "-" * 90_000 + "1", "artifact.too_large_to_read"),
    (b"\xff\xfe garbage", "artifact.encoding"), (12, "artifact.format"),
])
def test_hostile_input_is_an_artifact_error(data, code: str) -> None:
    t = time.perf_counter()
    with pytest.raises(ArtifactError) as e:
        lint(data)
    assert e.value.code == code and time.perf_counter() - t < 1.0


def test_a_syntax_error_points_at_its_line_and_column() -> None:
    with pytest.raises(ArtifactError) as e:
        lint("import torch\nclass M(nn.Module:\n    pass\n")
    assert e.value.position[0] == 2 and e.value.params["line"] == 2
    with pytest.raises(ArtifactError) as e:
        lint("x = 1\ny = 2\x00")
    assert e.value.position == (2, 6)


def test_garbage_is_answered_in_under_a_second() -> None:
    import random

    rnd = random.Random(0)
    printable = "".join(rnd.choice("abc()[]{}=+-*/ \n\t:.,'\"#@") for _ in range(LIMIT - 10))
    for data in (rnd.randbytes(5 << 20), "a = (1 +" * (LIMIT // 9), printable):
        t = time.perf_counter()
        with pytest.raises(ArtifactError):
            lint(data)
        assert time.perf_counter() - t < 1.0


@pytest.mark.slow
def test_a_valid_source_at_the_limit_is_read_whole_and_its_findings_cut_to_a_count() -> None:
    data = "y = F.softmax(x)\n" * (LIMIT // 17)
    t = time.perf_counter()
    r = lint_report(data)
    assert time.perf_counter() - t < 3.0  # every line a call and a finding: the densest source there is
    assert len(r.findings) == MAX_FINDINGS and r.total == LIMIT // 17 and r.notes[-1].code == "modules.lint.cut"
    assert [f.line for f in r.findings] == list(range(1, MAX_FINDINGS + 1))
    t = time.perf_counter()
    with pytest.raises(ArtifactError) as e:  # valid Python all through, but no code: not a module's source
        lint("x = 1\n" * (LIMIT // 6))
    assert e.value.code == "artifact.format" and time.perf_counter() - t < 3.0


def test_the_missing_super_init_consequence_is_pytorchs_own_error() -> None:
    from engine.modules.linter import super_init_consequence

    class Mine(nn.Module):  # the same mistake, made independently here
        def __init__(self) -> None:
            self.layer = nn.Linear(2, 2)

    with pytest.raises(AttributeError) as e:
        Mine()
    assert super_init_consequence() == str(e.value).splitlines()[0] and "__init__" in super_init_consequence()
