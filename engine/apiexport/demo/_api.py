"""The demo package's export decorator: TensorFlow's shape, `functools.partial(api_export, api_name=...)`."""

import functools

from engine.apiexport.export import api_export

API = "demo"
demo_export = functools.partial(api_export, api_name=API)
