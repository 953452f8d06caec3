"""API export decorators (TensorFlow's @tf_export): names recorded on symbols, a registry per API, two generators
of the public tree (importing, or reading the source with ast), a package's .zip or .tar.gz read as data
(`scan_archive`), and the check against Keras's shipped tree."""

from engine.apiexport.archive import Package, read_archive, scan_archive
from engine.apiexport.export import (
           EXPORT_ATTR,
           Export,
           ExportError,
           Registry,
           api_export,
           export_constant,
           names_of,
           own_record,
           parse_decorator,
           redecorate,
           registry,
)
from engine.apiexport.scan import (
           ModuleDiff,
           Tree,
           compare,
           render_tree,
           scan_files,
           scan_imports,
           scan_source,
           shipped_tree,
           tree_of,
)

__all__ = ["EXPORT_ATTR", "Export", "ExportError", "ModuleDiff", "Package", "Registry", "Tree", "api_export", "compare",
           "export_constant", "names_of", "own_record", "parse_decorator", "read_archive", "redecorate", "registry",
           "render_tree", "scan_archive", "scan_files", "scan_imports", "scan_source", "shipped_tree", "tree_of"]
