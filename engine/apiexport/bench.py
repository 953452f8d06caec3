"""`python -m engine.apiexport.bench`: both generators on the demo package, and Keras's public API regenerated from
its decorators against the tree its wheel ships (the peer), module by module, and `import demo` eager against
lazy in fresh processes, as JSON. `--record` ships the Keras comparison and the import measurement for the page's
instant view; `--imports-only` measures (and with --record ships) the imports alone."""

from __future__ import annotations

import argparse
import json
import time

from engine import recorded
from engine.apiexport import compare, render_tree, scan_imports, scan_source
from engine.apiexport.keras import KERAS, KERAS_OLD, version_diff
from engine.apiexport.measure import (
    DEMO,
    import_rows,
    import_settings,
    keras_rows,
    keras_settings,
    names_by_origin,
    versions_settings,
)


def main(argv: list[str] | None = None) -> None:
    """Run both comparisons and print JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", action="store_true", help="ship the Keras comparison to engine/apiexport/recorded/")
    ap.add_argument("--imports-only", action="store_true", help="measure eager against lazy imports only; with "
                    "--record, ship that measurement")
    ap.add_argument("--versions-only", action="store_true", help=f"run {KERAS_OLD} through the same code and diff "
                    f"its API against {KERAS}; with --record, ship both")
    args = ap.parse_args(argv)
    if args.versions_only:
        t = time.perf_counter()
        old_rows = keras_rows(KERAS_OLD)
        t_old = time.perf_counter() - t
        t = time.perf_counter()
        diff = version_diff()
        if args.record:
            recorded.save("apiexport", "keras_old", old_rows, keras_settings(KERAS_OLD), t_old)
            recorded.save("apiexport", "keras_diff", diff, versions_settings(), time.perf_counter() - t)
        print(json.dumps({"machine": recorded.machine(), "old": KERAS_OLD,
                          "old_modules_agreeing": f"{sum(r['equal'] for r in old_rows)} / {len(old_rows)}",
                          "old_names": f"{sum(r['found'] for r in old_rows)} / {sum(r['expected'] for r in old_rows)}",
                          "diff": diff}, indent=1))
        return
    t = time.perf_counter()
    imports = import_rows()
    if args.record:
        recorded.save("apiexport", "imports", imports, import_settings(), time.perf_counter() - t)
    if args.imports_only:
        print(json.dumps({"machine": recorded.machine(), "imports": imports}, indent=1))
        return
    t = time.perf_counter()
    by_import = scan_imports("engine.apiexport.demo", "demo", "demo")
    t_import = time.perf_counter() - t
    t = time.perf_counter()
    by_source = scan_source(DEMO, {"demo_export"}, root="demo", base=DEMO.parents[2])
    t_source = time.perf_counter() - t
    t = time.perf_counter()
    rows = keras_rows()
    seconds = time.perf_counter() - t
    if args.record:
        recorded.save("apiexport", "keras", rows, keras_settings(), seconds)
    layers = next(r for r in rows if r["module"] == "keras.layers")
    out = {"machine": recorded.machine(), "imports": imports,
           "demo": {"generators_agree": by_import == by_source,
                    "modules": len(render_tree(by_import)), "names": sum(len(v) for v in by_import.values()),
                    "modules_differing": sum(not d.equal for d in compare(by_import, by_source)),
                    "scan_imports_ms": round(t_import * 1e3, 2), "scan_source_ms": round(t_source * 1e3, 2)},
           "keras": {"spec": KERAS, "peer": "the __init__.py files the wheel ships", "modules": len(rows),
                     "modules_agreeing": sum(r["equal"] for r in rows),
                     "names_expected": sum(r["expected"] for r in rows),
                     "names_regenerated_same_source": sum(r["found"] for r in rows),
                     "names_by_origin": names_by_origin(rows),
                     "keras.layers": f"{layers['found']} of {layers['expected']}",
                     "differences": [r for r in rows if not r["equal"]], "seconds_with_fetch": round(seconds, 1)}}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
