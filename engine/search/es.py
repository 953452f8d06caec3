"""Read what Elasticsearch or OpenSearch printed to explain a score, recompute it, and say what does not add up.

`read_explain(text)` takes an `_explain` response, a search response made with `explain=true` (one explanation
per hit) or a bare explanation object, and returns one `EsExplanation` per explanation. Each BM25 leaf is read
in the shape Lucene's BM25Similarity prints (Elasticsearch 7 and 8, OpenSearch):

    weight(body:lucene in 3) [PerFieldSimilarity], result of:
      score(freq=2.0), computed as boost * idf * tf from:
        boost                                        (k1 + 1 times the query boost; absent when it is 1)
        idf, computed as log(1 + (N - n + 0.5) / (n + 0.5)) from:   n, N
        tf, computed as freq / (freq + k1 * (1 - b + b * dl / avgdl)) from:   freq, k1, b, dl, avgdl

and recomputed from its own factors; "sum of", "max of", "min of", "product of", "max plus t times others of"
and "result of" nodes are re-added from their children. Lucene computes in float32, so a claim passes when it
is within 1e-4 relative of the exact formula or of Lucene's own float32 steps. Anything else (a function
score's functions, a constant score) is carried along for drawing and counted as not checked.

`dl` is what Lucene decoded from the field's norm, one byte per document (SmallFloat.intToByte4): lengths up to
39 are exact, longer ones are rounded down to one of a few values per power of two, so "dl, length of field
(approximate)" is the bottom of a range of true lengths (`lucene_dl_range`). Lucene also counts N and n over
deleted documents until a merge drops them. Nothing here imports, executes or unpickles the input.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from engine.artifacts import DEFAULT_LIMIT, ArtifactError, as_text, guarded, load_json
from engine.artifacts import field as get_field
from engine.messages import Message, define
from engine.search.lucene import (
    LENGTH_TABLE,
    REL_TOL,
    byte_to_length,
    close,
    f32_score,
    idf,
    length_to_byte,
    lucene_dl_range,
    tf,
)

# the Lucene arithmetic moved to engine.search.lucene; its names stay importable from here
__all__ = ["LENGTH_TABLE", "REL_TOL", "EsExplanation", "EsNode", "EsTerm", "Problem", "byte_to_length", "close",
           "idf", "length_to_byte", "lucene_dl_range", "read_explain", "tf"]

WHAT = "Elasticsearch _explain"
MAX_DEPTH = 200  # an explanation nested deeper than this is not one Elasticsearch printed

define({
    "es.leaf_mismatch": "{what} is {claimed:.7g}, but its own factors give {recomputed:.7g}",
    "es.sum_mismatch": "a sum is {claimed:.7g}, but its {n} parts add up to {recomputed:.7g}",
    "es.max_mismatch": "a max is {claimed:.7g}, but the largest of its {n} parts is {recomputed:.7g}",
    "es.min_mismatch": "a min is {claimed:.7g}, but the smallest of its {n} parts is {recomputed:.7g}",
    "es.product_mismatch": "a product is {claimed:.7g}, but its {n} parts multiply to {recomputed:.7g}",
    "es.tie_mismatch": "a max plus {tie:g} times the others is {claimed:.7g}, but its {n} parts give {recomputed:.7g}",
    "es.result_mismatch": "a weight is {claimed:.7g}, but the score it is the result of is {recomputed:.7g}",
    "es.hit_score_mismatch": "the hit's _score is {claimed:.7g}, but its explanation says {recomputed:.7g}",
})


class Problem(Message):
    """A claim that does not recompute: a declared code, its numbers, and the JSON path it sits at."""

    __slots__ = ("position",)

    def __init__(self, code: str, position: str, **params: object) -> None:
        super().__init__(code, **params)
        self.position = position

    def __repr__(self) -> str:
        return f"Problem({self.code!r}, {self.position!r}, {self.params!r})"


@dataclass(eq=False, slots=True)
class EsNode:
    """One node of the explanation as printed, with what it is (`kind`), what its parts give (`recomputed`,
    None where not checked) and whether the claim holds (`ok`, None where not checked). Its JSON path is worked
    out when asked (`path`): a large response has tens of thousands of nodes, most never pointed at."""

    value: float
    description: str
    details: list[EsNode] = field(default_factory=list)
    kind: str = "other"
    recomputed: float | None = None
    ok: bool | None = None
    parent: EsNode | None = field(default=None, repr=False)
    index: int = 0  # among the parent's details
    base: str = ""  # the root's own path in the response

    @property
    def path(self) -> str:
        """Where this node sits in the response, e.g. hits.hits[2]._explanation.details[0]."""
        return _path(self.parent, self.index, self.base)


def _path(parent: EsNode | None, index: int, base: str) -> str:
    parts = []
    while parent is not None:
        parts.append(f"details[{index}]")
        parent, index, base = parent.parent, parent.index, parent.base
    return ".".join([p for p in (base, *reversed(parts)) if p])


@dataclass
class EsTerm:
    """One BM25 leaf: the field and term it scores, its factors as printed, and `value` (boost · idf · tf)."""

    field: str
    term: str
    freq: float
    n: float
    N: float
    dl: float
    avgdl: float
    k1: float
    b: float
    boost: float
    value: float
    idf: float
    tf: float
    path: str
    dl_approximate: bool = False  # Lucene said "(approximate)": a length above 39 read back from its norm byte


@dataclass
class EsExplanation:
    """One explained document: its id (if the response says), whether it matched, its score, its BM25 leaves,
    what does not recompute, and the tree itself."""

    score: float
    terms: list[EsTerm]
    problems: list[Problem]
    tree: EsNode
    doc_id: str | None = None
    index: str | None = None
    matched: bool = True
    checked: int = 0  # nodes recomputed from their parts
    unchecked: int = 0  # nodes of a shape this reader does not recompute


# -- reading ----------------------------------------------------------------------------------------------------
_WEIGHT = re.compile(r"weight\((?P<inside>.*) in (?P<doc>-?\d+)\) \[[^\]]*\], result of:", re.S)
_SCORE = re.compile(r"score\((?:doc=\d+,\s*)?freq=(?P<freq>[^,)]*)[^)]*\), computed as boost \* idf \* tf from:", re.S)
_TIE = re.compile(r"max plus (?P<tie>[0-9.eE+-]+) times others of:")
_FIELD_TERM = re.compile(r"(?P<field>[^\s:()\"]+):(?P<term>.*)", re.S)


def _bad_field(path: str, name: str, expected: str, value: object) -> ArtifactError:
    return ArtifactError("artifact.bad_value", path, path=path or "(top)", field=name, expected=expected,
                         value=repr(value)[:40])


def _node(obj: object, parent: EsNode | None, index: int, base: str, depth: int) -> EsNode:
    """The explanation object as an EsNode tree (values and shapes checked, nothing recomputed yet)."""
    if depth > MAX_DEPTH:
        raise ArtifactError("artifact.too_deep", base or None, what=WHAT)
    if not isinstance(obj, dict):
        raise _bad_field(_path(parent, index, base), "explanation", "an object", type(obj).__name__)
    value, description, details = obj.get("value"), obj.get("description"), obj.get("details", [])
    if type(value) not in (int, float) or abs(value) > 3.5e38 or not math.isfinite(value):
        where = _path(parent, index, base)
        if "value" not in obj:
            raise ArtifactError("artifact.missing", where, path=where or "(top)", field="value")
        raise _bad_field(where, "value", "a finite number", value)  # Lucene's values are finite float32
    if type(description) is not str:
        where = _path(parent, index, base)
        if "description" not in obj:
            raise ArtifactError("artifact.missing", where, path=where or "(top)", field="description")
        raise _bad_field(where, "description", "text", description)
    if type(details) is not list:
        raise _bad_field(_path(parent, index, base), "details", "a list", type(details).__name__)
    node = EsNode(float(value), description, parent=parent, index=index, base=base)
    if details:
        node.details = [_node(d, node, i, base, depth + 1) for i, d in enumerate(details)]
    return node


def _part(node: EsNode, *prefixes: str) -> EsNode | None:
    return next((d for d in node.details if d.description.startswith(prefixes)), None)


def _bad(node: EsNode, name: str, expected: str) -> ArtifactError:
    return ArtifactError("artifact.bad_value", node.path, path=node.path or "(top)", field=name, expected=expected,
                         value=f"{node.value:g}")


def _bm25(weight: EsNode, score: EsNode, problems: list[Problem]) -> EsTerm | None:
    """Read and recompute one `score(freq=…), computed as boost * idf * tf from:` node."""
    idf_n = _part(score, "idf, computed as")
    tf_n = _part(score, "tf, computed as")
    if idf_n is None or tf_n is None:
        return None
    boost_n = _part(score, "boost")
    parts = {"n": _part(idf_n, "n,"), "N": _part(idf_n, "N,"), "freq": _part(tf_n, "freq", "phraseFreq", "termFreq"),
             "k1": _part(tf_n, "k1"), "b": _part(tf_n, "b,", "b "), "dl": _part(tf_n, "dl"),
             "avgdl": _part(tf_n, "avgdl")}
    if any(p is None for p in parts.values()):
        return None
    v = {k: p.value for k, p in parts.items()}
    for name, ok, expected in (("n", v["n"] >= 0, "≥ 0"), ("N", v["N"] >= max(v["n"], 1), "≥ n and ≥ 1"),
                               ("freq", v["freq"] >= 0, "≥ 0"), ("k1", v["k1"] >= 0, "≥ 0"),
                               ("b", 0 <= v["b"] <= 1, "between 0 and 1"), ("dl", v["dl"] >= 0, "≥ 0"),
                               ("avgdl", v["avgdl"] > 0, "> 0")):
        if not ok:
            raise _bad(parts[name], name, expected)
    for name, p in parts.items():
        p.kind = name
    boost = boost_n.value if boost_n is not None else 1.0
    for n_, kind in ((idf_n, "idf"), (tf_n, "tf"), (score, "score")):
        n_.kind = kind
    if boost_n is not None:
        boost_n.kind = "boost"
    idf_v = idf(v["n"], v["N"])
    tf_v = tf(v["freq"], v["k1"], v["b"], v["dl"], v["avgdl"])
    claimed = boost * idf_n.value * tf_n.value
    for node, shown, accepted in ((idf_n, idf_v, (idf_v,)), (tf_n, tf_v, (tf_v,)),
                                  (score, claimed, (boost * idf_v * tf_v, claimed))):
        node.recomputed, node.ok = shown, close(node.value, *accepted)
        if not node.ok and node is score:  # maybe only Lucene's float32 steps (a long field loses digits)
            node.ok = close(node.value, f32_score(boost, float(np.float32(idf_v)), v["freq"], v["k1"], v["b"],
                                                   v["dl"], v["avgdl"]))
        if not node.ok:
            problems.append(Problem("es.leaf_mismatch", node.path, what=node.kind, claimed=node.value,
                                    recomputed=shown))
    m = _FIELD_TERM.fullmatch(_WEIGHT.fullmatch(weight.description).group("inside")) if weight is not score else None
    fld, term = (m.group("field"), m.group("term")) if m else ("", "")
    if not m and weight is not score:
        term = _WEIGHT.fullmatch(weight.description).group("inside")
    return EsTerm(fld, term, v["freq"], v["n"], v["N"], v["dl"], v["avgdl"], v["k1"], v["b"], boost, score.value,
                  idf_n.value, tf_n.value, score.path, dl_approximate="approximate" in parts["dl"].description)


def _walk(node: EsNode) -> Iterator[EsNode]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.details))


def _combine(node: EsNode, problems: list[Problem]) -> bool:
    """Re-add a sum, max, min, product or tie-broken max from its children; False if it is none of those."""
    d = node.description
    vals = [c.value for c in node.details]
    tie = _TIE.fullmatch(d)
    if not vals:
        return False
    if d == "sum of:" or d.endswith(", sum of:"):
        kind, got, code = "sum", math.fsum(vals), "es.sum_mismatch"
    elif d == "max of:":
        kind, got, code = "max", max(vals), "es.max_mismatch"
    elif d == "min of:":
        kind, got, code = "min", min(vals), "es.min_mismatch"
    elif d == "product of:" or d.endswith(", product of:"):
        kind, got, code = "product", math.prod(vals), "es.product_mismatch"
    elif tie:
        t = float(tie.group("tie"))
        kind, got, code = "max", max(vals) + t * (math.fsum(vals) - max(vals)), "es.tie_mismatch"
    elif len(vals) == 1 and d.endswith("result of:"):
        kind, got, code = "result", vals[0], "es.result_mismatch"
    else:
        return False
    node.kind, node.recomputed, node.ok = kind, got, close(node.value, got)
    if not node.ok:
        extra = {"tie": float(tie.group("tie"))} if tie else {}
        problems.append(Problem(code, node.path, claimed=node.value, recomputed=got, n=len(vals), **extra))
    return True


def _explained(tree: EsNode, score: float | None, score_path: str, doc_id: str | None, index: str | None,
               matched: bool) -> EsExplanation:
    problems: list[Problem] = []
    terms: list[EsTerm] = []
    seen: set[int] = set()
    for node in _walk(tree):
        if _SCORE.fullmatch(node.description) and id(node) not in seen:
            seen.add(id(node))
            t = _bm25(node, node, problems)
            if t is not None:
                terms.append(t)
        elif _WEIGHT.fullmatch(node.description) and len(node.details) == 1 \
                and _SCORE.fullmatch(node.details[0].description):
            seen.add(id(node.details[0]))
            t = _bm25(node, node.details[0], problems)
            if t is not None:
                terms.append(t)
            node.kind = "weight"
    checked = unchecked = 0
    for node in _walk(tree):
        if node.kind == "other" and node.details:
            _combine(node, problems)
        if node.kind == "weight":
            node.recomputed = node.details[0].value
            node.ok = close(node.value, node.recomputed)
            if not node.ok:
                problems.append(Problem("es.result_mismatch", node.path, claimed=node.value,
                                        recomputed=node.recomputed, n=1))
        if node.ok is not None:
            checked += 1
        elif node.details:
            unchecked += 1
    if score is not None and not close(score, tree.value):
        problems.append(Problem("es.hit_score_mismatch", score_path, claimed=score, recomputed=tree.value))
    problems.sort(key=lambda p: p.position)
    return EsExplanation(tree.value if score is None else score, terms, problems, tree, doc_id, index, matched,
                         checked, unchecked)


def _one(obj: object, path: str) -> EsNode:
    return _node(obj, None, 0, path, 0)


def _read(data: object) -> list[EsExplanation]:
    if not isinstance(data, dict):
        raise ArtifactError("artifact.format", expected=WHAT)
    if "explanation" in data:  # GET index/_explain/id
        tree = _one(data["explanation"], "explanation")
        matched = data.get("matched", True)
        return [_explained(tree, None, "", _text(data.get("_id")), _text(data.get("_index")),
                           matched if isinstance(matched, bool) else True)]
    if "hits" in data:  # GET index/_search?explain=true
        hits = get_field(get_field(data, "hits", "", dict, "an object"), "hits", "hits", list, "a list")
        out = []
        for i, hit in enumerate(hits):
            path = f"hits.hits[{i}]"
            expl = get_field(hit, "_explanation", path, dict, "an explanation object")
            score = hit.get("_score")
            if score is not None and (type(score) not in (int, float) or abs(score) > 3.5e38
                                      or not math.isfinite(score)):
                raise ArtifactError("artifact.bad_value", path, path=path, field="_score", expected="a number",
                                    value=repr(score)[:40])
            out.append(_explained(_one(expl, f"{path}._explanation"),
                                  None if score is None else float(score), f"{path}._score", _text(hit.get("_id")),
                                  _text(hit.get("_index")), True))
        return out
    if "value" in data and "description" in data:  # a bare explanation, as pasted from inside a response
        return [_explained(_one(data, ""), None, "", None, None, True)]
    raise ArtifactError("artifact.format", expected=WHAT)


def _text(v: object) -> str | None:
    return v if isinstance(v, str) else None


def read_explain(text: str | bytes, limit: int = DEFAULT_LIMIT) -> list[EsExplanation]:
    """Every explanation in an Elasticsearch/OpenSearch `_explain` or `explain=true` search response (or a bare
    explanation), each recomputed: raises ArtifactError, and nothing else, for anything that is not one."""
    text = as_text(text, limit, WHAT)
    if text.lstrip()[:1] != "{":  # every form read here is a JSON object: refuse anything else before parsing it
        raise ArtifactError("artifact.format", expected=WHAT)
    data = load_json(text, limit, WHAT)
    return guarded(lambda: _read(data), WHAT)
