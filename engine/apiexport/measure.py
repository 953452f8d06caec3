"""The API-export page's measurements as plain rows, and the settings each is made (and recorded) with: Keras's
public API regenerated from its decorators against its wheel, and `import demo` eager against lazy. The page runs
them live and `python -m engine.apiexport.bench --record` ships them; a recording is shown while its settings match."""

from __future__ import annotations

from pathlib import Path

from engine.apiexport import scan_imports
from engine.apiexport.imports import import_cost
from engine.apiexport.keras import KERAS, KERAS_OLD, ORIGINS, check

DEMO = Path(__file__).resolve().parent / "demo"


def keras_settings(spec: str = KERAS) -> dict:
    """What a Keras recording was made with: the wheel, and the origins its rows split the names into."""
    return {"spec": spec, "origins": list(ORIGINS)}


def keras_rows(spec: str = KERAS, progress=None) -> list[dict]:
    """The Keras comparison as plain rows (one per public module), as the page and the recording hold it, with the
    module's regenerated names counted by origin (`from_decorator`, `from_version`, `from_mirror`, `from_legacy`)."""
    k = check(spec, progress)
    return [{"module": m.module, "expected": m.expected, "found": m.found, "missing": " ".join(m.missing),
             "extra": " ".join(m.extra), "moved": " ".join(m.moved), "equal": m.equal,
             **{f"from_{o}": k.by_origin.get(m.module, {}).get(o, 0) for o in ORIGINS}} for m in k.modules]


def versions_settings(old: str = KERAS_OLD, new: str = KERAS) -> dict:
    """What a version diff was made with: the two wheels."""
    return {"old": old, "new": new}


def import_settings(rounds: int = 7) -> dict:
    """What an import measurement was made with: the demo tree's root, the name first used, the rounds."""
    return {"root": "demo", "use": "math.add", "rounds": rounds}


def import_rows(rounds: int = 7, progress=None) -> list[dict]:
    """`import demo` in fresh processes, eager against lazy (engine.apiexport.imports), as plain rows."""
    s = import_settings(rounds)
    tree = scan_imports("engine.apiexport.demo", "demo", s["root"])
    return import_cost(tree, s["root"], s["use"], DEMO.parents[2], rounds, progress)


def names_by_origin(rows: list[dict]) -> dict[str, int]:
    """The regenerated names of all modules split by origin (keys of ORIGINS), from `keras_rows`' rows."""
    return {o: sum(r.get(f"from_{o}", 0) for r in rows) for o in ORIGINS}
