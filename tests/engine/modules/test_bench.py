"""The modules bench prints JSON with a ratio per twin and size."""

from __future__ import annotations

import json

from engine.modules import bench, twins


def test_bench_prints_a_ratio_for_every_twin_and_size(capsys) -> None:
    bench.main(["--scales", "1", "2", "--rounds", "1", "--calls", "1", "--batches", "2", "3"])
    out = json.loads(capsys.readouterr().out)
    assert set(out["twins"]) == {t.name for t in twins()}
    assert all(len(v["sizes"]) == 2 and v["sizes"][0]["module_over_functional"] > 0 for v in out["twins"].values())
    assert [r["batch"] for r in out["per_sample"]] == [2, 3]
    assert all(r["max_abs_diff"] <= 1e-12 and r["vmap_ms"] > 0 and r["loop_ms"] > 0 for r in out["per_sample"])
