"""nn.Xxx against nn.functional.xxx, live: the same computation twice, and what a Module carries besides."""

from engine.modules.overhead import overhead
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

__all__ = ["BUGGY", "BatchNormStep", "Bridge", "Comparison", "ModeDifference", "ModuleInfo", "Twin", "batchnorm_modes",
           "batchnorm_steps", "bridge", "compare", "example_input", "inspect_module", "moved_by_to", "overhead",
           "state_dict_json", "twin", "twins"]
