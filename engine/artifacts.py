"""Shared rules for reading what a user's own systems printed (issue #33): an Elasticsearch explain, nccl-tests
output, vLLM's /metrics, a config.json, a tensor file, a module's source, a package archive.

Every reader takes text or bytes with a stated size limit, never executes, imports or unpickles what it was
given, and raises `ArtifactError` (a ValueError with a message code, its parameters and, where it applies, a
position) and nothing else for bad input. `what` in a message is always the name of a format or a tool
(".npy", "config.json", "nccl-tests"): names read the same in both languages. The helpers here turn the
failures a parser can hit on hostile input (RecursionError, MemoryError, UnicodeDecodeError, JSON errors)
into that one error, so each reader stays short.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from engine.messages import CodedError, define

MiB = 1 << 20
DEFAULT_LIMIT = 5 * MiB  # the largest artifact a reader accepts unless it says otherwise

define({
    "artifact.empty": "the {what} is empty",
    "artifact.too_big": "the {what} is {size:,} bytes; the limit is {limit:,}",
    "artifact.encoding": "the {what} is not UTF-8 text (byte {offset})",
    "artifact.json": "the {what} is not valid JSON at line {line}, column {column}",
    "artifact.too_deep": "the {what} nests too deeply to read",
    "artifact.too_large_to_read": "the {what} needs more memory to read than this server gives one visitor",
    "artifact.format": "this does not look like {expected}",
    "artifact.number_too_long": "the {what} holds a number with thousands of digits",
    "artifact.missing": "{path}: {field} is missing",
    "artifact.bad_value": "{path}: {field} must be {expected}, not {value}",
})

T = TypeVar("T")


class ArtifactError(CodedError):
    """Bad input to a reader: a declared code, its parameters and, where it applies, a `position`, either a
    1-based (line, column) or a JSON path such as "hits.hits[2]._explanation"."""

    def __init__(self, code: str, position: tuple[int, int] | str | None = None, **params: object) -> None:
        super().__init__(code, **params)
        self.position = position


def _size(data: str | bytes) -> int:
    """The size of `data` in bytes as it would arrive in an upload (text counted as UTF-8 without encoding it
    twice for ASCII)."""
    if isinstance(data, bytes | bytearray | memoryview):
        return len(data)
    return len(data) if data.isascii() else len(data.encode("utf-8", "surrogatepass"))


def check_size(data: str | bytes, limit: int, what: str) -> None:
    """Refuse `data` before parsing it when it is empty or larger than `limit` bytes."""
    if not isinstance(data, str | bytes | bytearray | memoryview):
        raise ArtifactError("artifact.format", expected=what)
    n = _size(data)
    if n > limit:
        raise ArtifactError("artifact.too_big", what=what, size=n, limit=limit)
    if n == 0 or (isinstance(data, str) and not data.strip()):
        raise ArtifactError("artifact.empty", what=what)


def as_text(data: str | bytes, limit: int, what: str) -> str:
    """`data` as text, size-checked first: bytes must be UTF-8 (a BOM is dropped)."""
    check_size(data, limit, what)
    if isinstance(data, str):
        return data
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ArtifactError("artifact.encoding", what=what, offset=e.start) from None


def guarded(read: Callable[[], T], what: str) -> T:
    """Run a parser on user input, turning the failures hostile input can cause in any parser into ArtifactError
    (an ArtifactError it raised itself passes through)."""
    try:
        return read()
    except ArtifactError:
        raise
    except RecursionError:
        raise ArtifactError("artifact.too_deep", what=what) from None
    except MemoryError:
        raise ArtifactError("artifact.too_large_to_read", what=what) from None
    except UnicodeError as e:
        raise ArtifactError("artifact.encoding", what=what, offset=getattr(e, "start", 0)) from None


def load_json(data: str | bytes, limit: int = DEFAULT_LIMIT, what: str = "JSON") -> Any:
    """Parse JSON from the user, size-checked first; syntax errors carry their (line, column)."""
    text = as_text(data, limit, what)

    def parse() -> Any:
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise ArtifactError("artifact.json", (e.lineno, e.colno), what=what, line=e.lineno,
                                column=e.colno) from None
        except ValueError:  # Python refuses integers of more than 4,300 digits (int_max_str_digits)
            raise ArtifactError("artifact.number_too_long", what=what) from None

    return guarded(parse, what)


def field(obj: Any, name: str, path: str, kind: type | tuple[type, ...], expected: str) -> Any:
    """`obj[name]`, which must exist and be of `kind`; otherwise an ArtifactError at `path` naming the field."""
    if not isinstance(obj, dict) or name not in obj:
        raise ArtifactError("artifact.missing", path, path=path or "(top)", field=name)
    value = obj[name]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise ArtifactError("artifact.bad_value", path, path=path or "(top)", field=name, expected=expected,
                            value=repr(value)[:40])
    if not isinstance(value, kind):
        raise ArtifactError("artifact.bad_value", path, path=path or "(top)", field=name, expected=expected,
                            value=repr(value)[:40])
    return value
