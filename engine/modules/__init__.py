"""nn.Xxx against nn.functional.xxx, live: the same computation twice, what a Module carries besides, per-sample
gradients through torch.func, and a linter for the user's own module source (read with ast, never run)."""

from engine.modules.linter import Finding, Report, lint, lint_report
from engine.modules.overhead import overhead
from engine.modules.persample import per_sample_grads, per_sample_loop
from engine.modules.state import (
    BUGGY,
    BatchNormStep,
    ModeDifference,
    ModuleInfo,
    batchnorm_modes,
    batchnorm_steps,
    inspect_module,
    moved_by_to,
    state_dict_json,
)
from engine.modules.twins import Bridge, Comparison, Twin, bridge, compare, example_input, twin, twins

__all__ = ["BUGGY", "BatchNormStep", "Bridge", "Comparison", "Finding", "ModeDifference", "ModuleInfo", "Report",
           "Twin", "batchnorm_modes", "batchnorm_steps", "bridge", "compare", "example_input", "inspect_module", "lint",
           "lint_report", "moved_by_to", "overhead", "per_sample_grads", "per_sample_loop", "state_dict_json", "twin",
           "twins"]
