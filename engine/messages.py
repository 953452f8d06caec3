"""What an engine says to a person, as a stable code with parameters and an English default.

Engines never build sentences for the UI: an error, a note or an explanation part carries a `code`
(e.g. "search.unclosed_quote") and the values it mentions. `text` gives the English default for a
notebook user; a page translates `code` through its own table and fills in the same parameters. Every
code an engine can emit is declared once with `define`, so a test can check that each has a
translation with the same placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping

ENGLISH: dict[str, str] = {}  # code -> English template with {placeholders}


def define(templates: Mapping[str, str]) -> None:
    """Declare codes and their English templates (each code once, across all engines)."""
    for code, text in templates.items():
        if ENGLISH.get(code, text) != text:
            raise ValueError(f"message code {code!r} declared twice with different texts")
        ENGLISH[code] = text


def english(code: str, params: Mapping[str, object]) -> str:
    """The English default of `code` with `params` filled in."""
    return ENGLISH[code].format(**params)


class Message:
    """A note or a label from an engine: a declared code and its parameters."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, **params: object) -> None:
        if code not in ENGLISH:
            raise KeyError(f"undeclared message code {code!r}")
        self.code, self.params = code, params

    @property
    def text(self) -> str:
        """The English default."""
        return english(self.code, self.params)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Message({self.code!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self) -> int:
        return hash((self.code, tuple(sorted(self.params.items()))))


class CodedError(ValueError):
    """An engine error with a declared code and parameters; str() and `message` give the English default."""

    def __init__(self, code: str, **params: object) -> None:
        if code not in ENGLISH:
            raise KeyError(f"undeclared message code {code!r}")
        self.code, self.params = code, params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The English default."""
        return english(self.code, self.params)
