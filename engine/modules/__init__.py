"""nn.Xxx against nn.functional.xxx, live: the same computation twice, and what a Module carries besides."""

from engine.modules.overhead import overhead
from engine.modules.state import BUGGY, BatchNormStep, ModuleInfo, batchnorm_steps, inspect_module, state_dict_json
from engine.modules.twins import Comparison, Twin, compare, example_input, twin, twins

__all__ = ["BUGGY", "BatchNormStep", "Comparison", "ModuleInfo", "Twin", "batchnorm_steps", "compare",
           "example_input", "inspect_module", "overhead", "state_dict_json", "twin", "twins"]
