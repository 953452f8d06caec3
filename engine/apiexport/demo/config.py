"""Constants of the demo package: a value cannot carry attributes, so its module lists it (export_constant)."""

from engine.apiexport.demo._api import demo_export

DEFAULT_DTYPE = "float32"
VERSION = "1.0"

demo_export("config.DEFAULT_DTYPE").export_constant(__name__, "DEFAULT_DTYPE")
demo_export("__version__", v1=["VERSION"]).export_constant(__name__, "VERSION")
