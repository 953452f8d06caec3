"""Number formats and mixed precision: bit-exact formats, loss scaling, real gradient statistics."""

from engine.numerics.formats import FORMATS, FormatSpec, get_format
from engine.numerics.rounding import Encoding, decode, decode_encoding, encode, round_array, round_to, ulp
from engine.numerics.scaler import LossScaler

__all__ = ["FORMATS", "Encoding", "FormatSpec", "LossScaler", "decode", "decode_encoding", "encode",
           "get_format", "round_array", "round_to", "ulp"]
