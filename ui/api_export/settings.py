"""The API-export page's problem, bound to the URL: the demo symbols it can decorate and the Settings each view
reads."""

from dataclasses import dataclass

ROOT = "demo"
SYMBOLS = {"add": "engine.apiexport.demo.math_ops:add", "multiply": "engine.apiexport.demo.math_ops:multiply",
           "reduce_sum": "engine.apiexport.demo.math_ops:reduce_sum", "relu": "engine.apiexport.demo.layers:relu",
           "Dense": "engine.apiexport.demo.layers:Dense", "_helper": "engine.apiexport.demo.math_ops:_helper"}


@dataclass(frozen=True)
class Settings:
    """The symbol, the decorator typed for it, the generated module shown, eager, lazy or stub; bound to the URL."""

    symbol: str
    decorator: str
    module: str
    mode: str
