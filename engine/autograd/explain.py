"""PyTorch's own error messages, told in a sentence a page can translate.

PyTorch writes its errors in English and in its own words; the page quotes them as they are and puts this
explanation beside them. `explain_torch` recognises the refusals this language and the lab can meet (shapes
that do not fit, an index outside the tensor, a matmul of a 0-d value, arithmetic on plain numbers, the freed
graph of a second backward, a saved tensor changed in place) and reads the numbers it names out of the
message itself; anything else gets a sentence that says the quoted message is PyTorch's, untranslated.
"""

from __future__ import annotations

import re

from engine.autograd.parse import ExprError
from engine.messages import Message, define

define({
    "autograd.why.shape": "the shapes of the tensors do not fit this operation (PyTorch's message names them)",
    "autograd.why.index": "the index reaches outside the tensor, or uses more dimensions than it has",
    "autograd.why.dims": "@ needs tensors of at least one dimension on both sides, and a plain number has none",
    "autograd.why.number": "arithmetic on plain numbers failed before any tensor was involved (a division by zero, "
                           "an overflow, or @ between two numbers)",
    "autograd.why.freed": "the first backward freed the tensors this graph saved; a second backward needs them, "
                          "so the first must be called with retain_graph=True",
    "autograd.why.inplace": "the tensor backward needs (an output of {node}) was saved at version {saved}, and an "
                            "in-place change moved it to version {now}: its gradient would use a value that no "
                            "longer exists, so backward refuses",
    "autograd.why.leaf_inplace": "an input that requires grad (a leaf), or a view of one, cannot be changed in "
                                 "place: its gradient is defined for the value it had, so PyTorch refuses at once",
    "autograd.why.other": "PyTorch refused this; its own message is quoted as it wrote it, in English",
})

_RULES = [  # (code, pattern of PyTorch's or Python's message); the first match wins
    ("autograd.why.freed", r"backward through the graph a second time"),
    ("autograd.why.inplace", r"modified by an inplace operation"),
    ("autograd.why.leaf_inplace", r"leaf Variable that requires grad .*in-place"),
    ("autograd.why.dims", r"at least 1D"),
    ("autograd.why.shape", r"size mismatch|cannot be multiplied|must match the size|inconsistent tensor size|"
                           r"shapes? .*(mismatch|cannot)"),
    ("autograd.why.index", r"out of bounds|too many indices|invalid index|Dimension out of range"),
    ("autograd.why.number", r"division by zero|Numerical result out of range|unsupported operand"),
]
_VERSIONS = re.compile(r"output \d+ of (\w+), is at version (\d+); expected version (\d+)")


def explain_torch(message: str) -> Message:
    """What PyTorch's (or Python's) error `message` means, as a message code with the numbers it names."""
    for code, pattern in _RULES:
        if re.search(pattern, message):
            if code == "autograd.why.inplace":
                m = _VERSIONS.search(message)
                if m is None:
                    break
                return Message(code, node=m.group(1), now=int(m.group(2)), saved=int(m.group(3)))
            return Message(code)
    return Message("autograd.why.other")


def explained(error: ExprError) -> ExprError:
    """A torch refusal (code autograd.torch) as the same error, at the same position, with the explanation's code
    and numbers (PyTorch's words stay in params["error"]); any other error as it is."""
    if error.code != "autograd.torch":
        return error
    why = explain_torch(str(error.params.get("error", "")))
    return ExprError(why.code, error.position, error=error.params.get("error", ""), **why.params)
