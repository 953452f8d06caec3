"""Every page in Chinese shows no English prose: only names, identifiers, formulas and units may stay in Latin.

Each page is rendered in 中文 through AppTest, in its views and in its error and explanation states, and every
piece of visible text (markdown, labels, options, alerts, tables, metrics, plotly titles, axes, legends and
hover texts; not code blocks or LaTeX) is checked by `english_in`.
"""

from __future__ import annotations

import re

import pytest

from tests.pages.apptest import assert_clean, open_page, visible_text
from ui.registry import HOME
from ui.text.search import TEXT as SEARCH
from ui.text.specdec import TEXT as SPECDEC

# names, identifiers, units and terms of art that Chinese technical writing keeps in Latin letters
_NAMES = """
    BM25 idf tf norm dl avgdl df jieba Roaring Bitmap bitmap
    NFKC Lucene tantivy FTS5 SQLite Elasticsearch JSONL CSV UTF GB18030 text weight score top PyTorch torch SDPA
    FlashAttention Triton CUDA GPU CPU HBM SRAM softmax rowmax rowsum fp fp16 bf16 fp32 fp64 tf32 TF32 FP FP8
    E4M3 E5M2 GradScaler AdamW SGD ulp ulps inf nan NaN Inf ms MiB GiB KiB MB KB GB µs ns TFLOP FLOP FLOPs MTP
    Medusa token tokens Shakespeare ROMEO JULIET Hugging Face transformers lookup gamma alpha tile tiles
    Glassbox Streamlit OR AND NOT Q K V of mantissa exponent sign hex bin demo id ids k1 b N k x y Python PyPI
    pip snownlp English IEEE OCP NVIDIA TensorFloat bfloat
    Linear Conv2d Dropout BatchNorm2d LayerNorm Embedding MaxPool2d ReLU momentum old batch nn functional Module
    ModuleList Parameter state_dict load_state_dict register_buffer persistent strict training eval train scale
    DDP DataParallel gloo NCCL dtype max min MLP GIL SyncBatchNorm DistributedSampler reduction sum all-reduce
    reduce-scatter all-gather torchrun
    sin cos exp log tanh sigmoid relu sqrt abs mean pow detach randn rand ones zeros arange grad grad_fn backward
    requires_grad retain_graph no_grad inference_mode zero_grad ScalarValue AccumulateGrad next_functions
    TensorFlow Keras tf_export keras_export api_export export_constant demo_export wheel ast IDE demo
    __getattr__ __version__ compat v1 v2 add relu multiply reduce_sum Dense helper getattr
    FP6 FP4 E2M3 E3M2 E2M1 E8M0 MX MXFP8 MXFP6 MXFP4 NVFP4 DeepSeek SQNR dB GEMM amax emax ml_dtypes ceil floor
    log2 log10 Transformer head VQ-VAE VQ argmin sg Voronoi k-means EMA MSE scikit-learn weights_only
    loss ema ema_restart content title category region _explain explain
    Flatten GELU Softmax Hessian out SoftplusBackward softplus where
    object cdist dsplit erfc fabs fmax fmin matrix_rank nanpercentile percentile pinv segment_sum
    sobel_edges ssim unique
    MultiOptimizer OptimizerMap
"""
ALLOWED = set(_NAMES.lower().split())
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def _prose_word(w: str) -> bool:
    return len(w) >= 3 and w.lower().strip("'’-") not in ALLOWED


def english_in(text: str) -> str | None:
    """The English prose in `text`, or None: three words in a row of which two are not names or identifiers, or a
    string with no Chinese at all that holds a word of three letters or more that is not one."""
    # code spans, formulas, links, file names and identifiers (a token holding digits, _ . : / | or =) are names
    plain = re.sub(r"`[^`]*`|\$[^$]*\$|https?://\S+", " ", text)
    plain = " ".join(t for t in plain.split() if not re.search(r"[0-9_.:/|=]", t.strip("()（），,;；。")))
    words = _WORD.findall(plain)
    for i in range(len(words) - 2):
        if sum(_prose_word(w) for w in words[i:i + 3]) >= 2:
            run = " ".join(words[i:i + 3])
            if re.search(r"\b" + r"\W+".join(map(re.escape, words[i:i + 3])) + r"\b", plain):
                return run
    if not _CJK.search(text):
        prose = [w for w in words if _prose_word(w)]
        if prose:
            return " ".join(prose)
    return None


def test_the_detector_tells_prose_from_names() -> None:
    assert english_in("this quote is never closed")
    assert english_in("documents")
    assert english_in("查询 was rejected by the parser")
    assert english_in("无法执行该查询：unknown field colour") == "unknown field colour"
    for ok in ("BM25 得分", "jieba 分词", "fp16 · 0x3C00", "SDPA 与 FlashAttention", "1.5 ms", "倒排索引 OR lucene",
               "idf = ln(1 + (N − df + 0.5) / (df + 0.5))", "`region:上海`", "MiB", "u03", "Roaring Bitmap"):
        assert english_in(ok) is None, ok


def _assert_chinese(at, where: str, allow_errors: bool = False, **data) -> None:
    if allow_errors:  # a page that shows a caught mistake in red on purpose
        assert not at.exception, [e.value for e in at.exception]
    else:
        assert_clean(at)
    found = {s: e for s in visible_text(at, **data) if (e := english_in(s))}
    assert not found, f"{where}: English in the 中文 UI: " + "; ".join(f"{e!r} in {s[:80]!r}" for s, e in found.items())


SEARCH_VIEWS = ["search", "trace", "analyzer", "corpus", "recall", "yours", "walkthrough"]


def _zh(table: dict, *keys: str) -> tuple[str, ...]:
    return tuple(table[k][1] for k in keys)


@pytest.mark.parametrize("view", SEARCH_VIEWS)
def test_search_page_in_chinese(view: str) -> None:
    _assert_chinese(open_page("pages/search.py", "zh", view=view), f"search/{view}")


def test_search_internals_in_chinese() -> None:
    """The corpus's own words (it holds English terms such as transformer) are data: their columns are skipped."""
    at = open_page("pages/search.py", "zh", view="internals")
    _assert_chinese(at, "search/internals",
                    data_columns=_zh(SEARCH, "in.col.terms_in_order", "an.col.term", "re.col.title", "in.col.ids"))


@pytest.mark.parametrize("q", ["(倒排 OR", "colour:red", "的", "倒*"])
def test_search_errors_and_notes_in_chinese(q: str) -> None:
    _assert_chinese(open_page("pages/search.py", "zh", q=q), f"search q={q}")


def test_search_explanations_and_chart_in_chinese() -> None:
    at = open_page("pages/search.py", "zh")
    at.toggle(key="chart").set_value(True).run()
    _assert_chinese(at, "search/chart")  # the expanders' score trees are part of the page's markdown


@pytest.mark.parametrize("view", ["formats", "explorer", "range", pytest.param("gradients", marks=pytest.mark.slow),
                                  pytest.param("blocks", marks=pytest.mark.slow),
                                  pytest.param("outlier", marks=pytest.mark.slow), "lowbit",
                                  pytest.param("stochastic", marks=pytest.mark.slow), "yours", "walkthrough"])
def test_numerics_page_in_chinese(view: str) -> None:
    _assert_chinese(open_page("pages/numerics.py", "zh", view=view), f"numerics/{view}")


@pytest.mark.parametrize("x", ["abc", "0x3C000", "1e999", "1e-999"])
def test_numerics_errors_and_notes_in_chinese(x: str) -> None:
    _assert_chinese(open_page("pages/numerics.py", "zh", view="explorer", x=x), f"numerics x={x}")


@pytest.mark.parametrize(("fmt", "x"), [("fp4_e2m1", "nan"), ("fp4_e2m1", "5"), ("e8m0", "0"), ("e8m0", "3"),
                                        ("e8m0", "1e-40"), ("fp6_e3m2", "100")])
def test_numerics_formats_below_fp8_in_chinese(fmt: str, x: str) -> None:
    _assert_chinese(open_page("pages/numerics.py", "zh", view="explorer", fmt=fmt, x=x), f"numerics {fmt} x={x}")


def test_attention_page_in_chinese() -> None:
    _assert_chinese(open_page("pages/attention.py", "zh"), "attention")


@pytest.mark.slow
def test_specdec_page_in_chinese() -> None:
    """The generated text is the model's (English, Shakespeare): its columns and the acceptance view are data."""
    at = open_page("pages/specdec.py", "zh")  # the comparison and the sweep are the recorded ones
    _assert_chinese(at, "specdec", data_columns=_zh(SPECDEC, "col.drafted", "col.emitted", "col.text"),
                    data_markdown=('class="acceptance"',))


def test_home_in_chinese() -> None:
    _assert_chinese(open_page(HOME, "zh"), "home")


@pytest.mark.parametrize("params", [{}, {"twin": "Dropout", "mode": "eval", "naive": "True"},
                                    {"twin": "BatchNorm2d"}, {"bug": "buffer_nonpersistent"}])
def test_modules_page_in_chinese(params: dict) -> None:
    _assert_chinese(open_page("pages/modules.py", "zh", **params), f"modules {params}")


@pytest.mark.slow
@pytest.mark.parametrize("params", [{}, {"mistake": "sampler_padding", "n": "2"}, {"method": "parameter_server",
                                                                                   "state": "1"}])
def test_ddp_page_in_chinese(params: dict) -> None:
    from tests.pages.apptest import settle

    at = settle(open_page("pages/ddp.py", "zh", **params))  # after the cluster's start
    _assert_chinese(at, f"ddp {params}", allow_errors=bool(params.get("mistake")))


@pytest.mark.parametrize("params", [{}, *(pytest.param(p, marks=pytest.mark.slow)
                                         for p in ({"node": "5"}, {"src": "y = x.foo()"}, {"grad": ""}))])
def test_autograd_page_in_chinese(params: dict) -> None:
    """PyTorch's own error messages are shown as code (quoted, as PyTorch wrote them)."""
    _assert_chinese(open_page("pages/autograd.py", "zh", **params), f"autograd {params}")


@pytest.mark.parametrize("params", [{}, *(pytest.param(p, marks=pytest.mark.slow) for p in (
    {"decorator": '@demo_export("math.multiply")'}, {"decorator": "x"}, {"lazy": "True"}))])
def test_api_export_page_in_chinese(params: dict) -> None:
    """Generated code and the clash's traceback line are code blocks; module paths and names are names."""
    at = open_page("pages/api_export.py", "zh", **params)
    _assert_chinese(at, f"api_export {params}", allow_errors="multiply" in params.get("decorator", ""))


@pytest.mark.parametrize("view", ["recon", "collapse", "straight", "toy", "bits", "fsq", "generate", "yours",
                                  "walkthrough"])
def test_vqvae_page_in_chinese(view: str) -> None:
    _assert_chinese(open_page("pages/vqvae.py", "zh", view=view), f"vqvae/{view}")

