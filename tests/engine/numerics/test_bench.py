"""The benchmark's comparisons, run small: they must report full agreement with torch."""

from engine.numerics.bench import bench_rounding, bench_scaler


def test_bench_rounding_agrees_with_torch() -> None:
    report = bench_rounding(n=20_000)
    assert set(report) == {"fp64", "fp32", "fp16", "bf16", "fp8_e4m3", "fp8_e5m2"}
    assert all(r["agreement"] == 1.0 for r in report.values())


def test_bench_scaler_agrees_with_gradscaler() -> None:
    assert bench_scaler(steps=400)["scale_agreement"] == 1.0
