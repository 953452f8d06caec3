"""The nccl-tests reader against the tool's own print formats (src/util.cu), its bandwidth formulas, a fit on
exact data, tampered numbers and hostile input."""

from __future__ import annotations

import math
import re
import time
from pathlib import Path

import pytest

from engine.artifacts import ArtifactError
from engine.ddp import nccltests as N

EXAMPLE = Path(N.__file__).parent / "examples" / "all_reduce_perf_example.txt"
# nccl-tests' printf formats: the row preamble "%12li  %12li  %8s  %6s  %6s", then "  %7s  %6s  %6s  %6g" for the
# out-of-place and again for the in-place numbers: right-aligned fields of these widths, two spaces apart
WIDTHS = [12, 12, 8, 6, 6] + [7, 6, 6, 6] * 2
RANK = re.compile(r"^#  Rank [ \d]{2}\d* Group [ \d]{2}\d* Pid [ \d]{6}\d* on [ \S]{10}\S* device [ \d]{2}\d* "
                  r"\[[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\] .+$")


def fixed_width(line: str) -> bool:
    """Whether `line` is the tool's row: each field right-aligned in its width, fields two spaces apart."""
    at = 0
    for k, w in enumerate(WIDTHS):
        if k and line[at:at + 2] != "  ":
            return False
        at += 2 if k else 0
        cell = line[at:at + w]
        if len(cell) != w or not cell.strip() or cell != cell.strip().rjust(w):
            return False
        at += w
    return at == len(line)


def example() -> str:
    return EXAMPLE.read_text()


def test_the_bundled_example_is_in_the_tools_format_and_labelled() -> None:
    lines = example().splitlines()
    assert lines[0].startswith("# EXAMPLE") and "not a measurement" in lines[0]
    rows = [ln for ln in lines if ln and not ln.startswith("#")]
    assert rows and all(fixed_width(ln) for ln in rows), [ln for ln in rows if not fixed_width(ln)][:2]
    ranks = [ln for ln in lines if ln.startswith("#  Rank")]
    assert len(ranks) == 8 and all(RANK.match(ln) for ln in ranks)
    assert "# Collective test starting: all_reduce_perf" in lines
    assert any(re.fullmatch(r"# Avg bus bandwidth {4}: \S+ ", ln) for ln in lines)


def test_reads_the_example_and_every_number_recomputes() -> None:
    run = N.read(example())
    assert run.collective == "all_reduce" and run.world_size == 8 and len(run.rows) == 28
    assert run.ranks[3].device == 3 and run.ranks[0].name == "Example GPU 80GB"
    assert run.problems == []
    r = run.rows[-1]
    assert (r.size, r.count, r.type, r.redop, r.root) == (1 << 30, 1 << 28, "float", "sum", -1)
    assert r.out_of_place.wrong == 0 and r.in_place is not None
    # algbw = size / time, in 10^9 bytes per second, as nccl-tests defines it; busbw = algbw · 2(N−1)/N
    assert r.out_of_place.algbw == pytest.approx(r.size / (r.out_of_place.time_us * 1e-6) / 1e9, abs=0.01)
    assert r.out_of_place.busbw == pytest.approx(r.out_of_place.algbw * 2 * 7 / 8, abs=0.02)


def test_precision_is_read_from_each_number() -> None:
    assert N._tol("12.34") == pytest.approx(0.005) and N._tol("12646") == 0.5 and N._tol("1.2e+03") == 50
    assert [N.float_str(v, 7) for v in (3.14159, 12345.678, 1234567.0, 123456789.0)] == [
        "   3.14", "12345.7", "1234567", "1.2e+08"]


@pytest.mark.parametrize(("code", "also"), [("nccl.algbw", []), ("nccl.busbw", ["nccl.avg"]), ("nccl.avg", []),
                                            ("nccl.wrong", [])])
def test_one_number_changed_is_reported(code: str, also: list[str]) -> None:
    """A changed algbw, busbw (which also moves the footer's mean), average, or a count of wrong elements."""
    lines = example().splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.startswith("  1073741824"))
    tok = lines[i].split()
    if code == "nccl.algbw":
        tok[6] = f"{float(tok[6]) + 0.5:.2f}"  # out-of-place algbw
    elif code == "nccl.busbw":
        tok[11] = f"{float(tok[11]) * 1.01:.2f}"  # in-place busbw
    elif code == "nccl.wrong":
        tok[8] = "3"
    if code != "nccl.avg":
        lines[i] = "  ".join(f"{t:>12s}" for t in tok)
    else:
        k = next(k for k, ln in enumerate(lines) if ln.startswith("# Avg bus bandwidth"))
        lines[k] = re.sub(r": (\S+)", lambda m: f": {float(m.group(1)) * 1.02:g}", lines[k])
    run = N.read("\n".join(lines))
    assert [m.code for m in run.problems] == [code, *also], [m.text for m in run.problems]
    if code != "nccl.avg":
        assert run.problems[0].params["line"] == i + 1


def test_factors_and_the_collective_inferred_from_the_rows() -> None:
    sizes = [1 << k for k in range(12, 24, 2)]
    for coll, factor in (("all_gather", 3 / 4), ("reduce_scatter", 3 / 4), ("all_reduce", 2 * 3 / 4)):
        text = N.render(coll, sizes, [(10 + s / 5e3, 11 + s / 5e3) for s in sizes], 4,
                        redop="none" if coll == "all_gather" else "sum")
        run = N.read(text.replace(f"# Collective test starting: {coll}_perf\n", ""))  # older outputs lack it
        assert run.collective == coll and run.factor == pytest.approx(factor) and run.problems == []
        wrong = N.read(text.replace(f"starting: {coll}_perf", "starting: broadcast_perf"))
        assert wrong.factor == 1.0 and {m.code for m in wrong.problems} == {"nccl.busbw"}


def test_fit_recovers_alpha_and_bus_bandwidth_from_exact_times() -> None:
    sizes = [8 << k for k in range(0, 28)]
    alpha, bus, n = 17.0, 95.0, 4
    f = 2 * (n - 1) / n
    times = [alpha + s * f / (bus * 1e3) for s in sizes]  # µs, with busbw in GB/s = 1e3 bytes per µs
    run = N.read(N.render("all_reduce", sizes, list(zip(times, times, strict=True)), n))
    a, b = run.fit()
    assert a == pytest.approx(alpha, rel=2e-3) and b == pytest.approx(bus, rel=2e-3)  # printed to 0.01 µs
    ex_a, ex_b = N.read(example()).fit()
    assert ex_a == pytest.approx(24, rel=0.05) and ex_b == pytest.approx(180, rel=0.05)  # what it was written from


HOSTILE = {
    "empty": "",
    "blank": "  \n\n ",
    "truncated": example()[: len(example()) // 3],
    "garbage": bytes(range(256)) * 20480,
    "5 MB of digits": "1 2 3 4 5 6 7 8 9 10 11 12 13\n" * 170_000,
    "one long line": "x" * 5_000_000,
    "wrong format": '{"hits": {"hits": []}}',
    "no ranks": "\n".join(ln for ln in example().splitlines() if not ln.startswith("#  Rank")),
    "a word for a time": example().replace("  1073741824     268435456     float     sum      -1  ",
                                           "  1073741824     268435456     float     sum      -1  x", 1),
    "infinite time": re.sub(r"(\n {11}8 +2 +float +sum +-1 +)\S+", r"\1inf", example()),
    "negative size": example().replace("\n           8             2", "\n          -8             2"),
    "too big": "#" * (6 << 20),
    "unknown collective": example().replace("all_reduce_perf", "all_reduce_perf").replace(
        "starting: all_reduce_perf", "starting: rm -rf"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_bad_input_is_an_artifact_error_in_under_a_second(name: str) -> None:
    t = time.perf_counter()
    with pytest.raises(ArtifactError):
        N.read(HOSTILE[name])
    assert time.perf_counter() - t < 1.0


def test_fit_needs_two_sizes() -> None:
    text = N.render("all_reduce", [1024], [(5.0, 5.0)], 2)
    with pytest.raises(ArtifactError):
        N.read(text).fit()
    assert math.isfinite(N.read(N.render("all_reduce", [1024, 4096], [(5.0, 5.0), (6.0, 6.0)], 2)).fit()[1])
