"""API export decorators (TensorFlow's @tf_export): names recorded on symbols, a registry per API, two generators
of the public tree (importing, or reading the source with ast), and the check against Keras's shipped tree."""

from engine.apiexport.export import (
           EXPORT_ATTR,
           Export,
           ExportError,
           Registry,
           api_export,
           export_constant,
           names_of,
           parse_decorator,
           redecorate,
           registry,
)
from engine.apiexport.scan import (
           ModuleDiff,
           Tree,
           compare,
           render_tree,
           scan_imports,
           scan_source,
           shipped_tree,
           tree_of,
)

__all__ = ["EXPORT_ATTR", "Export", "ExportError", "ModuleDiff", "Registry", "Tree", "api_export", "compare",
           "export_constant", "names_of", "parse_decorator", "redecorate", "registry", "render_tree", "scan_imports",
           "scan_source", "shipped_tree", "tree_of"]
