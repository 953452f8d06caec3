"""Read what nccl-tests' `*_perf` binaries print (`all_reduce_perf -b 8 -e 128M -f 2 -g 8`), recompute it, and fit
the same α–β line the page fits to our own ring.

The format, from nccl-tests' src/util.cu: a `#` preamble (version, "Collective test starting: all_reduce_perf",
the run's parameters), one `#  Rank  r Group  g Pid  p on host device  d [bus] name` line per rank, a header
naming the columns (size count type redop root, then time algbw busbw #wrong out-of-place and again in-place),
one line per size, and a footer with "Out of bounds values" and "Avg bus bandwidth" (the mean busbw over every
out-of-place and in-place measurement). Numbers are printed by `getFloatStr`: "%.2f" when it fits the column,
else fewer decimals, so each number's precision is read from its own text.

What it recomputes, per row and per placement: algbw = size / time (GB/s of 10⁹ bytes; `size` is the larger of
the send and receive buffers, as the tool prints it) and busbw = algbw × the collective's factor, 2(N−1)/N for
all_reduce and (N−1)/N for all_gather and reduce_scatter. A printed value outside the interval its inputs'
printed precision allows is a problem. Deliberately left out: the per-iteration columns' own checks (read, not
checked), the JSON output (`-J`), and MPI runs whose rank lines were cut at 2048 characters (the rank count
then comes from the highest rank number seen).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from engine.artifacts import DEFAULT_LIMIT, ArtifactError, as_text, guarded
from engine.messages import Message, define

WHAT = "nccl-tests"
FACTORS = {"all_reduce": lambda n: 2 * (n - 1) / n, "all_gather": lambda n: (n - 1) / n,
           "reduce_scatter": lambda n: (n - 1) / n, "alltoall": lambda n: (n - 1) / n,
           "gather": lambda n: (n - 1) / n, "scatter": lambda n: (n - 1) / n, "broadcast": lambda n: 1.0,
           "reduce": lambda n: 1.0, "sendrecv": lambda n: 1.0, "hypercube": lambda n: (n - 1) / n}
WORD = {"int8": 1, "uint8": 1, "int32": 4, "uint32": 4, "int64": 8, "uint64": 8, "half": 2, "float": 4,
        "double": 8, "bfloat16": 2, "f8e4m3": 1, "f8e5m2": 1}
MAX_RANKS = 1 << 20
MAX_LINE = 4096  # a longer line is not the tool's
MAX_LINES, MAX_ROWS = 100_000, 4_000  # NCCL_DEBUG=INFO adds lines; -d all -o all: 12 types × 6 ops × 30 sizes

define({
    "nccl.no_table": "no result lines: nccl-tests prints one line per size under a header naming size, count, "
                     "type, redop, time, algbw and busbw",
    "nccl.no_ranks": "no rank lines (\"#  Rank  0 Group  0 Pid …\"): the number of ranks sets busbw's factor",
    "nccl.collective": "the collective is not named (\"# Collective test starting: all_reduce_perf\"): read it as "
                       "one of {choices}",
    "nccl.unknown_collective": "{name} is not a collective nccl-tests measures",
    "nccl.row": "line {line}: {field} must be {expected}, not {value}",
    "nccl.long_line": "line {line} has {n:,} characters; nccl-tests prints short lines",
    "nccl.too_many": "more than {limit:,} {what}: cut the output to one run",
    "nccl.algbw": "line {line}, {place}: algbw is printed as {printed} GB/s, but size / time gives {expected} GB/s",
    "nccl.busbw": "line {line}, {place}: busbw is printed as {printed} GB/s, but algbw × {factor} gives {expected} "
                  "GB/s",
    "nccl.wrong": "line {line}, {place}: the tool itself found {wrong} wrong elements",
    "nccl.avg": "the footer's average bus bandwidth is {printed} GB/s, but the mean of the {n} busbw values is "
                "{expected} GB/s",
    "nccl.fit_points": "a fit needs two sizes with a time above zero",
})


@dataclass(frozen=True)
class RankLine:
    """One `#  Rank …` line: which process and device ran rank `rank`."""

    rank: int
    group: int
    pid: int
    host: str
    device: int
    name: str


@dataclass(frozen=True)
class Measure:
    """One placement's numbers as printed, with the precision (half a unit in the last place) of each."""

    time_us: float
    algbw: float
    busbw: float
    wrong: int | None  # None when the run did not check (the tool prints N/A)
    time_tol: float
    algbw_tol: float
    busbw_tol: float


@dataclass(frozen=True)
class Row:
    """One size: the collective's arguments and its out-of-place and in-place measurements."""

    line: int
    size: int  # bytes, the larger of the send and receive buffers
    count: int  # elements
    type: str
    redop: str
    root: int
    out_of_place: Measure
    in_place: Measure | None


@dataclass(frozen=True)
class NcclRun:
    """A read `*_perf` output: its collective, ranks, rows, the footer's average and what does not add up."""

    collective: str
    ranks: list[RankLine]
    rows: list[Row]
    avg_busbw: float | None  # the footer's "Avg bus bandwidth", when printed
    problems: list[Message] = field(default_factory=list)

    @property
    def world_size(self) -> int:
        """N: ranks counted from the rank lines (the highest rank + 1 when lines were cut)."""
        return max(len(self.ranks), max((r.rank for r in self.ranks), default=-1) + 1)

    @property
    def factor(self) -> float:
        """busbw / algbw for this collective and N."""
        return FACTORS[self.collective](self.world_size)

    def fit(self, place: str = "out_of_place") -> tuple[float, float]:
        """(α in µs, busbw in GB/s) of time = α + size·factor/busbw, least squares in relative error (each size
        weighted by 1/time, since sizes span many orders of magnitude and a plain fit would see only the
        largest)."""
        pts = [(r.size * self.factor, m.time_us) for r in self.rows
               if (m := getattr(r, place)) is not None and m.time_us > 0]
        if len({s for s, _ in pts}) < 2:
            raise ArtifactError("nccl.fit_points")
        s, t = (np.array(v, dtype=float) for v in zip(*pts, strict=True))
        a = np.stack([np.ones_like(s), s], axis=1) / t[:, None]
        (alpha, per_byte), *_ = np.linalg.lstsq(a, np.ones_like(t), rcond=None)
        busbw = 1e-3 / per_byte if per_byte > 0 else math.inf  # bytes per µs -> GB/s: 1e6 / 1e9
        return float(alpha), float(busbw)


# -- reading ----------------------------------------------------------------------------------------------------
_RANK = re.compile(r"#\s*Rank\s+(\d+)\s+Group\s+(\d+)\s+Pid\s+(\d+)\s+on\s+(\S+)\s+device\s+(\d+)\s*"
                   r"(?:\[[^\]]*\])?\s*(.*)$")
_STARTING = re.compile(r"#\s*Collective test starting:\s*(\S+)")
_AVG = re.compile(r"#\s*Avg bus bandwidth\s*:\s*(\S+)")


def _tol(text: str) -> float:
    """Half a unit in the last printed place of a number ("12.34" -> 0.005, "1.2e+03" -> 50)."""
    mantissa, _, exp = text.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (-decimals) * (10.0 ** int(exp) if exp else 1.0)


def _number(text: str, line: int, name: str, integer: bool = False) -> float:
    """A finite, non-negative number from the table, or an ArtifactError naming the line and column."""
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value) or value < 0 or value > 1e18:
        raise ArtifactError("nccl.row", (line, 1), line=line, field=name, expected="a number ≥ 0",
                            value=text[:30])
    return value


def _collective(name: str) -> str:
    """'all_reduce_perf' or 'all_reduce' -> 'all_reduce', checked against the collectives nccl-tests has."""
    base = name.rsplit("/", 1)[-1].removesuffix("_perf").removesuffix("_mpi")
    if base not in FACTORS:
        raise ArtifactError("nccl.unknown_collective", name=base[:40])
    return base


def _columns(header: list[str]) -> dict[str, list[int]]:
    """Where each header name sits among the tokens of a result line (names repeat: out-of-place, in-place)."""
    out: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        out.setdefault("time" if name == "cputime" else "#wrong" if name == "error" else name, []).append(i)
    return out


def _measure(tokens: list[str], cols: dict[str, list[int]], k: int, line: int, place: str) -> Measure | None:
    idx = {name: cols[name][k] for name in ("time", "algbw", "busbw")}
    if max(idx.values()) >= len(tokens):
        return None
    raw = {n: tokens[i] for n, i in idx.items()}
    vals = {n: _number(raw[n], line, f"{place} {n}") for n in raw}
    wrong = None
    if "#wrong" in cols and len(cols["#wrong"]) > k and cols["#wrong"][k] < len(tokens):
        w = tokens[cols["#wrong"][k]]
        wrong = None if w == "N/A" else int(_number(w, line, f"{place} #wrong"))
    return Measure(vals["time"], vals["algbw"], vals["busbw"], wrong, _tol(raw["time"]), _tol(raw["algbw"]),
                   _tol(raw["busbw"]))


def _row(tokens: list[str], cols: dict[str, list[int]], line: int) -> Row:
    size = int(_number(tokens[cols["size"][0]], line, "size", integer=True))
    count = int(_number(tokens[cols["count"][0]], line, "count", integer=True))
    typ, redop = tokens[cols["type"][0]], tokens[cols["redop"][0]]
    root = -1
    if "root" in cols:
        try:
            root = int(tokens[cols["root"][0]])
        except ValueError:
            raise ArtifactError("nccl.row", (line, 1), line=line, field="root", expected="an integer",
                                value=tokens[cols["root"][0]][:30]) from None
    outp = _measure(tokens, cols, 0, line, "out-of-place")
    if outp is None:
        raise ArtifactError("nccl.row", (line, 1), line=line, field="time, algbw, busbw", expected="numbers",
                            value="(missing)")
    inp = _measure(tokens, cols, 1, line, "in-place") if len(cols["time"]) > 1 else None
    return Row(line, size, count, typ, redop, root, outp, inp)


def _infer(rows: list[Row], n: int) -> str:
    """The collective, from what the rows say when the output does not name it: a root means broadcast or
    reduce (not told apart: refused), and for the rest the size is count·word (all_reduce) or count·word·N."""
    r = rows[0]
    word = WORD.get(r.type)
    whole = word is not None and r.size == r.count * word
    if r.root == -1 and r.redop != "none" and whole:
        return "all_reduce"
    if r.root == -1 and word is not None and r.size == r.count * word * n and n > 1:
        return "all_gather" if r.redop == "none" else "reduce_scatter"
    raise ArtifactError("nccl.collective", choices="all_reduce, all_gather, reduce_scatter")


def _parse(text: str, collective: str | None) -> NcclRun:
    ranks: list[RankLine] = []
    rows: list[Row] = []
    named, avg, cols = collective, None, None
    if text.count("\n") > MAX_LINES:
        raise ArtifactError("nccl.too_many", limit=MAX_LINES, what="lines")
    for i, raw in enumerate(text.splitlines(), start=1):
        if len(raw) > MAX_LINE:
            raise ArtifactError("nccl.long_line", (i, 1), line=i, n=len(raw))
        s = raw.strip()
        if not s:
            continue
        if s.startswith("#"):
            if m := _RANK.match(s):
                if len(ranks) >= MAX_RANKS:
                    raise ArtifactError("nccl.row", (i, 1), line=i, field="rank", expected="fewer ranks",
                                        value=m.group(1)[:30])
                rank, group, pid, dev = (int(_number(m.group(k), i, "rank", integer=True)) for k in (1, 2, 3, 5))
                ranks.append(RankLine(rank, group, pid, m.group(4), dev, m.group(6).strip()))
            elif (m := _STARTING.match(s)) and named is None:
                named = m.group(1)
            elif m := _AVG.match(s):
                avg = _number(m.group(1), i, "Avg bus bandwidth")
            elif (tokens := s.lstrip("#").split()) and tokens[:2] == ["size", "count"]:
                cols = _columns(tokens)
                if not {"type", "redop", "time", "algbw", "busbw"} <= cols.keys():
                    cols = None
            continue
        if cols is None:
            continue  # the launcher's own lines (mpirun, NCCL INFO) before the table
        tokens = s.split()
        if not tokens[0].removeprefix("-")[:1].isdigit():
            continue  # NCCL's warnings and INFO lines between rows
        if len(tokens) < 5 + 3:
            raise ArtifactError("nccl.row", (i, 1), line=i, field="the row", expected="a full result line",
                                value=s[:30])
        if len(rows) >= MAX_ROWS:
            raise ArtifactError("nccl.too_many", (i, 1), limit=MAX_ROWS, what="result lines")
        rows.append(_row(tokens, cols, i))
    if cols is None or not rows:
        if "#" in text or "size" in text:
            raise ArtifactError("nccl.no_table")
        raise ArtifactError("artifact.format", expected=WHAT)
    if not ranks:
        raise ArtifactError("nccl.no_ranks")
    n = max(len(ranks), max(r.rank for r in ranks) + 1)
    coll = _collective(named) if named else _infer(rows, n)
    run = NcclRun(coll, ranks, rows, avg)
    run.problems.extend(check(run))
    return run


def read(text: str | bytes, collective: str | None = None, limit: int = DEFAULT_LIMIT) -> NcclRun:
    """Read a `*_perf` output (text or UTF-8 bytes, at most `limit` bytes). The collective comes from the output's
    "Collective test starting" line, else from `collective`, else from the rows; `.problems` lists every printed
    number that does not recompute. Bad input raises ArtifactError only."""
    body = as_text(text, limit, WHAT)
    if collective is not None:
        collective = _collective(collective)
    return guarded(lambda: _parse(body, collective), WHAT)


# -- recomputing ------------------------------------------------------------------------------------------------
def check(run: NcclRun) -> list[Message]:
    """Every printed algbw, busbw and the footer's average that its own inputs, at their printed precision,
    cannot give; and every placement where the tool counted wrong elements."""
    out: list[Message] = []
    f = run.factor
    values: list[tuple[float, float]] = []
    for r in run.rows:
        for place, m in (("out-of-place", r.out_of_place), ("in-place", r.in_place)):
            if m is None:
                continue
            values.append((m.busbw, m.busbw_tol))
            if m.wrong:
                out.append(Message("nccl.wrong", line=r.line, place=place, wrong=m.wrong))
            t_lo, t_hi = max(m.time_us - m.time_tol, 0.0), m.time_us + m.time_tol
            a_lo = r.size / (t_hi * 1e3) if t_hi > 0 else math.inf  # B/µs/1e3 = GB/s
            a_hi = r.size / (t_lo * 1e3) if t_lo > 0 else math.inf
            slack = 1e-9 * max(1.0, m.algbw)
            if not a_lo - m.algbw_tol - slack <= m.algbw <= a_hi + m.algbw_tol + slack:
                out.append(Message("nccl.algbw", line=r.line, place=place, printed=f"{m.algbw:g}",
                                   expected=f"{r.size / (m.time_us * 1e3):.3f}" if m.time_us > 0 else "∞"))
            # busbw must follow from the printed algbw or from size / time, each at its printed precision, so
            # that one tampered number is reported once: where it was changed
            slack = 1e-9 * max(1.0, m.busbw)
            ok = any(f * lo - m.busbw_tol - slack <= m.busbw <= f * hi + m.busbw_tol + slack
                     for lo, hi in ((m.algbw - m.algbw_tol, m.algbw + m.algbw_tol), (a_lo, a_hi)))
            if not ok:
                out.append(Message("nccl.busbw", line=r.line, place=place, printed=f"{m.busbw:g}",
                                   factor=f"{f:.4g}", expected=f"{m.algbw * f:.3f}"))
    if run.avg_busbw is not None and values:
        mean = sum(v for v, _ in values) / len(values)
        tol = sum(t for _, t in values) / len(values) + 5e-6 * max(abs(run.avg_busbw), 1e-12) + 1e-12  # %g: 6 digits
        if abs(mean - run.avg_busbw) > tol:
            out.append(Message("nccl.avg", printed=f"{run.avg_busbw:g}", n=len(values), expected=f"{mean:.6g}"))
    return out


# -- writing (the bundled example, and tests' reference) ---------------------------------------------------------
def float_str(value: float, width: int) -> str:
    """nccl-tests' getFloatStr: two decimals when they fit the column, else one, else none, else an exponent."""
    for fmt in (f"{value:{width}.2f}", f"{value:{width}.1f}", f"{value:{width}.0f}"):
        if len(fmt) <= width:
            return fmt
    return f"{value:{width}.1e}" if width >= 7 else f"{value:{width}.0e}"


def render(collective: str, sizes: list[int], times_us: list[tuple[float, float]], world: int, type_: str = "float",
           redop: str = "sum", host: str = "node", device_name: str = "GPU", banner: str = "") -> str:
    """A `*_perf` output as nccl-tests prints it (src/util.cu's formats) for the given sizes and (out-of-place,
    in-place) times: algbw and busbw computed by the tool's own formulas, the footer's average over both."""
    word = WORD[type_]
    f = FACTORS[collective](world)
    lines = [banner] if banner else []
    lines += ["# nccl-tests version 2.17.6 nccl-headers=22807 nccl-library=22807",
              f"# Collective test starting: {collective}_perf",
              f"# nThread 1 nGpus 1 minBytes {sizes[0]} maxBytes {sizes[-1]} step: 2(factor) warmup iters: 1 "
              "iters: 20 agg iters: 1 validation: 1 graph: 0 unalign: 0", "#", "# Using devices"]
    lines += [f"#  Rank {r:2d} Group {0:2d} Pid {41000 + r:6d} on {host:>10s} device {r:2d} "
              f"[{0:04x}:{0x18 + 0x10 * r:02x}:{0:02x}] {device_name}" for r in range(world)]
    lines += ["#", f"# {'':>10s}  {'':>12s}  {'':>8s}  {'':>6s}  {'':>6s}           out-of-place                "
              "       in-place          ",
              f"# {'size':>10s}  {'count':>12s}  {'type':>8s}  {'redop':>6s}  {'root':>6s}  {'time':>7s}  "
              f"{'algbw':>6s}  {'busbw':>6s}  {'#wrong':>6s}  {'time':>7s}  {'algbw':>6s}  {'busbw':>6s}  "
              f"{'#wrong':>6s} ",
              f"# {'(B)':>10s}  {'(elements)':>12s}  {'':>8s}  {'':>6s}  {'':>6s}  {'(us)':>7s}  {'(GB/s)':>6s}  "
              f"{'(GB/s)':>6s}  {'':>6s}  {'(us)':>7s}  {'(GB/s)':>6s}  {'(GB/s)':>6s}  {'':>6s} "]
    total, n = 0.0, 0
    for size, pair in zip(sizes, times_us, strict=True):
        count = size // word if collective == "all_reduce" else size // word // world
        row = f"{size:12d}  {count:12d}  {type_:>8s}  {redop:>6s}  {-1:6d}"
        for t in pair:
            alg = size / 1e9 / (t / 1e6)
            bus = alg * f
            total, n = total + bus, n + 1
            row += f"  {float_str(t, 7):>7s}  {float_str(alg, 6):>6s}  {float_str(bus, 6):>6s}  {0:6g}"
        lines.append(row)
    lines += [f"# {'Out of bounds values':<20s} : 0 OK", f"# {'Avg bus bandwidth':<20s} : {total / n:g} ", "#",
              f"# Collective test concluded: {collective}_perf", ""]
    return "\n".join(lines)
