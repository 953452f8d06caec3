"""Tensors from the visitor's own files (issue #33): .npy, .npz and .safetensors, read as data only.

`read_tensors(data, filename)` returns `{name: torch.Tensor}`. Nothing is ever unpickled:
- .npy / .npz: each array's header is parsed first (numpy's own header reader) and the data it declares must
  be exactly what follows, so a header promising 10¹² values costs nothing; object arrays (pickles),
  structured and complex arrays are refused; only then is the array loaded, with `allow_pickle=False`.
  An .npz is a zip of .npy files, opened in memory: at most MAX_MEMBERS members, each read with a bound.
- .safetensors: the `safetensors` package (a JSON header, then raw little-endian data; it checks that the
  header's offsets cover the data exactly).
- .pt, .pth, .pkl, .bin, .ckpt (pickles, or zips of pickles) are refused by name, and so is any file whose
  bytes start with a pickle's protocol opcode.
`tensor_problems` names what a file holds that a quantiser would trip on (NaN, ±inf, an all-zero tensor);
`as_matrix` gives the 2-D view the block-scaling study draws (leading dimensions folded into rows).
"""

from __future__ import annotations

import io
import math
import zipfile

import numpy as np
import torch
from numpy.lib import format as npformat

from engine.artifacts import ArtifactError, MiB, check_size, guarded
from engine.messages import Message, define

TENSOR_LIMIT = 16 * MiB  # the largest file read (4M float32 values)
MAX_MEMBERS = 256  # arrays in one .npz
MAX_STUDY = 1 << 18  # values one study quantises (~1 s, every scheme); a larger tensor: its first rows
PICKLES = (".pt", ".pth", ".pkl", ".pickle", ".bin", ".ckpt", ".joblib")
READABLE = (".npy", ".npz", ".safetensors")

define({
    "numerics.tensors.pickle": "{name} is a pickle ({ext}); pickles can run code when loaded and are never "
                               "opened here: save the tensors with safetensors or numpy.save instead",
    "numerics.tensors.kind": "{name}: only .npy, .npz and .safetensors files are read",
    "numerics.tensors.object": "{name} holds an object array ({dtype}), which is a pickle: refused",
    "numerics.tensors.dtype": "{name} holds {dtype}; the study reads real numbers (floats or integers)",
    "numerics.tensors.length": "{name}: the header declares {expected:,} bytes of data but {actual:,} follow",
    "numerics.tensors.npz_member": "the .npz member {member} is not a .npy array",
    "numerics.tensors.npz_many": "the .npz holds {n:,} members; at most {max:,} are read",
    "numerics.tensors.unpacked": "the .npz unpacks to more than {limit:,} bytes",
    "numerics.tensors.safetensors": "the .safetensors file is not valid (safetensors says: {detail})",
    "numerics.tensors.none": "the file holds no tensor with any values",
    "numerics.tensors.nonfinite": "{name}: {n:,} values are NaN or ±inf (first at {at}: {value}); a block holding "
                                  "one gets a NaN scale",
    "numerics.tensors.zero": "{name} is all zeros: nothing to quantise",
    "numerics.tensors.sampled": "{name} has {n:,} values; the study reads its first {rows:,} rows ({m:,} values)",
})


def _ext(filename: str) -> str:
    name = filename.lower().strip()
    return name[name.rfind("."):] if "." in name else ""


def _npy(data: bytes, name: str) -> np.ndarray:
    """One .npy array from `data`, header checked before anything is loaded; ArtifactError otherwise."""
    fp = io.BytesIO(data)
    try:
        version = npformat.read_magic(fp)
        if version == (1, 0):
            shape, _, dtype = npformat.read_array_header_1_0(fp)
        elif version == (2, 0):
            shape, _, dtype = npformat.read_array_header_2_0(fp)
        else:
            raise ValueError
    except (ValueError, TypeError, SyntaxError, OverflowError, EOFError, KeyError, IndexError, MemoryError):
        raise ArtifactError("artifact.format", expected=".npy") from None
    if dtype.hasobject:
        raise ArtifactError("numerics.tensors.object", name=name, dtype=str(dtype))
    if dtype.names is not None or dtype.subdtype is not None or dtype.kind not in "fiu":
        raise ArtifactError("numerics.tensors.dtype", name=name, dtype=str(dtype))
    count = math.prod(int(s) for s in shape)  # Python ints: a hostile shape cannot overflow
    expected, actual = count * dtype.itemsize, len(data) - fp.tell()
    if expected != actual:
        raise ArtifactError("numerics.tensors.length", name=name, expected=expected, actual=actual)
    return np.load(io.BytesIO(data), allow_pickle=False)


def _npz(data: bytes, limit: int) -> dict[str, np.ndarray]:
    """Every array of an .npz (a zip of .npy members) read in memory, each member's size bounded."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise ArtifactError("artifact.format", expected=".npz") from None
    if len(members) > MAX_MEMBERS:
        raise ArtifactError("numerics.tensors.npz_many", n=len(members), max=MAX_MEMBERS)
    if sum(m.file_size for m in members) > limit:  # what the zip declares; the reads below are bounded anyway
        raise ArtifactError("numerics.tensors.unpacked", limit=limit)
    out, total = {}, 0
    for m in members:
        if m.is_dir() or not m.filename.endswith(".npy"):
            raise ArtifactError("numerics.tensors.npz_member", member=repr(m.filename[:80]))
        try:
            with zf.open(m) as f:
                raw = f.read(limit - total + 1)  # never more than the bound, whatever the header claims
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, NotImplementedError, RuntimeError):
            raise ArtifactError("artifact.format", expected=".npz") from None
        total += len(raw)
        if total > limit:
            raise ArtifactError("numerics.tensors.unpacked", limit=limit)
        name = m.filename[:-4]
        out[name] = _npy(raw, name)
    return out


def _safetensors(data: bytes) -> dict[str, torch.Tensor]:
    """Every tensor of a .safetensors file, by the `safetensors` package (which never unpickles)."""
    from safetensors import SafetensorError
    from safetensors.torch import load

    try:
        return load(data)
    except SafetensorError as e:
        raise ArtifactError("numerics.tensors.safetensors", detail=str(e)[:160]) from None
    except (TypeError, ValueError, KeyError, AttributeError, RuntimeError) as e:  # a dtype torch has no type for
        raise ArtifactError("numerics.tensors.safetensors", detail=str(e)[:160]) from None


def _tensor(name: str, a: np.ndarray | torch.Tensor) -> torch.Tensor:
    if isinstance(a, np.ndarray):  # torch reads native byte order only
        a = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("="))
    t = torch.from_numpy(a) if isinstance(a, np.ndarray) else a
    if t.is_complex() or t.dtype == torch.bool:
        raise ArtifactError("numerics.tensors.dtype", name=name, dtype=str(t.dtype).removeprefix("torch."))
    return t


def read_tensors(data: bytes, filename: str, limit: int = TENSOR_LIMIT) -> dict[str, torch.Tensor]:
    """The named tensors in a .npy, .npz or .safetensors file, read as data only; ArtifactError for anything else."""
    ext = _ext(filename)
    if ext in PICKLES:
        raise ArtifactError("numerics.tensors.pickle", name=filename[:80], ext=ext)
    if ext not in READABLE:
        raise ArtifactError("numerics.tensors.kind", name=filename[:80])
    check_size(data, limit, ext)
    if isinstance(data, str):
        raise ArtifactError("artifact.format", expected=ext)
    data = bytes(data)
    if data[:1] == b"\x80":  # PROTO, the first opcode of every pickle since protocol 2
        raise ArtifactError("numerics.tensors.pickle", name=filename[:80], ext=ext)

    def read() -> dict[str, torch.Tensor]:
        if ext == ".npy":
            arrays: dict = {filename.rsplit("/", 1)[-1][:-4] or "array": _npy(data, filename[:80])}
        elif ext == ".npz":
            arrays = _npz(data, limit)
        else:
            arrays = _safetensors(data)
        tensors = {str(k): _tensor(str(k), v) for k, v in arrays.items()}
        tensors = {k: v for k, v in tensors.items() if v.numel() > 0}
        if not tensors:
            raise ArtifactError("numerics.tensors.none")
        return tensors

    return guarded(read, ext)


def _at(flat: int, shape: tuple[int, ...]) -> str:
    return "[" + ", ".join(map(str, np.unravel_index(flat, shape))) + "]" if shape else "[]"


def tensor_problems(name: str, t: torch.Tensor) -> list[Message]:
    """What a quantiser would trip on in tensor `t`: NaN or ±inf values (with the first one's index), all zeros."""
    x = t.double() if t.is_floating_point() else t.to(torch.float64)
    bad = ~torch.isfinite(x)
    out = []
    if bool(bad.any()):
        first = int(bad.flatten().nonzero()[0])
        out.append(Message("numerics.tensors.nonfinite", name=name, n=int(bad.sum()), at=_at(first, tuple(x.shape)),
                           value=str(float(x.flatten()[first]))))
    elif bool((x == 0).all()):
        out.append(Message("numerics.tensors.zero", name=name))
    return out


def as_matrix(name: str, t: torch.Tensor, max_values: int = MAX_STUDY) -> tuple[torch.Tensor, list[Message]]:
    """`t` as a float64 (rows × last dimension) matrix, cut to its first rows when it has more than `max_values`
    values (said in the returned notes)."""
    x = t.to(torch.float64)
    x = x.reshape(1, -1) if x.ndim <= 1 else x.reshape(-1, x.shape[-1])
    notes = []
    if x.numel() > max_values:
        rows = max(1, max_values // x.shape[1])
        notes.append(Message("numerics.tensors.sampled", name=name, n=x.numel(), rows=rows,
                             m=rows * min(x.shape[1], max_values)))
        x = x[:rows, :max_values] if x.shape[1] > max_values else x[:rows]
    return x, notes
