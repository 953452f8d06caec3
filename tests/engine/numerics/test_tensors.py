"""read_tensors (issue #33): .npy / .npz / .safetensors read as data, pickles refused, hostile input answered with
ArtifactError in under a second, a tampered value or header caught."""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import time
import zipfile
from functools import cache
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.torch import save

from engine.artifacts import ArtifactError
from engine.numerics.examples.make_weights import EXAMPLE, OUTLIER_COLUMNS, SHAPE, weights
from engine.numerics.tensors import TENSOR_LIMIT, as_matrix, read_tensors, tensor_problems


def npy(a: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=allow_pickle)
    return buf.getvalue()


def code(data: bytes, name: str) -> str:
    with pytest.raises(ArtifactError) as e:
        read_tensors(data, name)
    return e.value.code


def test_the_example_is_a_faithful_safetensors_file() -> None:
    """Its header read by hand, as the format documents it: a little-endian u64 length, JSON, then the data."""
    data = EXAMPLE.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    assert header["proj.weight"]["dtype"] == "BF16" and header["proj.weight"]["shape"] == list(SHAPE)
    assert header["proj.bias"]["dtype"] == "F32" and header["__metadata__"]["format"] == "pt"
    begin, end = header["proj.weight"]["data_offsets"]
    raw = np.frombuffer(data[8 + n + begin:8 + n + end], dtype="<u2").astype(np.uint32) << 16
    by_hand = raw.view(np.float32).reshape(SHAPE)  # bf16 is the top half of a float32
    got = read_tensors(data, EXAMPLE.name)
    assert set(got) == {"proj.weight", "proj.bias"} and got["proj.weight"].dtype == torch.bfloat16
    assert np.array_equal(got["proj.weight"].float().numpy(), by_hand)
    assert torch.equal(got["proj.weight"], weights()["proj.weight"])  # what make_weights.py writes, bit for bit
    col = got["proj.weight"].float().abs().amax(0)
    assert set(col.topk(len(OUTLIER_COLUMNS)).indices.tolist()) == set(OUTLIER_COLUMNS)


@pytest.mark.parametrize("dtype", ["<f2", "<f4", ">f8", "<i8", "u1"])
def test_npy_round_trips(dtype: str) -> None:
    a = (np.arange(24).reshape(2, 3, 4) - 7).astype(dtype)
    got = read_tensors(npy(a), "acts.npy")
    assert list(got) == ["acts"] and np.array_equal(got["acts"].numpy(), a)
    f = np.asfortranarray(a)
    assert np.array_equal(read_tensors(npy(f), "f.npy")["f"].numpy(), a)


@pytest.mark.parametrize("compressed", [False, True])
def test_npz_round_trips(compressed: bool) -> None:
    buf = io.BytesIO()
    w, b = np.random.default_rng(0).normal(size=(8, 16)).astype(np.float32), np.zeros(3, np.float16)
    (np.savez_compressed if compressed else np.savez)(buf, w=w, b=b)
    got = read_tensors(buf.getvalue(), "layer.npz")
    assert np.array_equal(got["w"].numpy(), w) and np.array_equal(got["b"].numpy(), b)


def test_safetensors_dtypes_torch_knows() -> None:
    t = {"a": torch.randn(4, 4).to(torch.float8_e4m3fn), "b": torch.arange(6, dtype=torch.int32)}
    got = read_tensors(save(t), "x.safetensors")
    assert torch.equal(got["a"].float(), t["a"].float()) and torch.equal(got["b"], t["b"])


def test_pickles_are_refused_and_never_opened(tmp_path: Path) -> None:
    """A pickle that would create a file when loaded, in every disguise: nothing is created."""
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (Path.touch, (marker,))

    payload = pickle.dumps(Evil())
    buf = io.BytesIO()
    torch.save({"w": torch.ones(2)}, buf)
    assert code(buf.getvalue(), "model.pt") == "numerics.tensors.pickle"
    for name in ("model.pth", "data.pkl", "pytorch_model.bin", "x.ckpt"):
        assert code(payload, name) == "numerics.tensors.pickle"
    assert code(payload, "w.npy") == "numerics.tensors.pickle"  # a pickle renamed .npy: its first byte says so
    obj = np.array([Evil(), 1], dtype=object)
    assert code(npy(obj, allow_pickle=True), "w.npy") == "numerics.tensors.object"
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as z:
        z.writestr("ok.npy", npy(np.ones(3)))
        z.writestr("evil.npy", npy(obj, allow_pickle=True))
    assert code(zbuf.getvalue(), "w.npz") == "numerics.tensors.object"
    assert not marker.exists()


@pytest.mark.parametrize("a, name", [(np.zeros(3, dtype=[("x", "<f4"), ("y", "<i4")]), "rec.npy"),
                                     (np.ones(3, np.complex64), "c.npy"), (np.ones(3, bool), "b.npy")])
def test_arrays_that_are_not_real_numbers_are_refused(a: np.ndarray, name: str) -> None:
    assert code(npy(a), name) == "numerics.tensors.dtype"


@cache
def _hostile() -> list[tuple[bytes, str, str]]:
    good = npy(np.ones((4, 4), np.float32))
    huge = good.replace(b"(4, 4)", b"(1000000, 1000000)")  # same header length: it declares 8 TB
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.npy", npy(np.zeros(TENSOR_LIMIT // 8 + 64, np.float64)))
    st = EXAMPLE.read_bytes()
    (n,) = struct.unpack("<Q", st[:8])
    return [
        (b"", "x.npy", "artifact.empty"), (b"", "x.safetensors", "artifact.empty"),
        (good[:-5], "x.npy", "numerics.tensors.length"), (good[:20], "x.npy", "artifact.format"),
        (huge, "x.npy", "numerics.tensors.length"),
        (os.urandom(5 << 20), "x.npy", "artifact.format"), (os.urandom(5 << 20), "x.npz", "artifact.format"),
        (b"\x00" + os.urandom(5 << 20), "x.safetensors", "numerics.tensors.safetensors"),
        (st[:-7], "x.safetensors", "numerics.tensors.safetensors"),
        (st[:8] + b"{" * (n - 1) + st[8 + n - 1:], "x.safetensors", "numerics.tensors.safetensors"),
        (b'{"w": [1, 2, 3]}', "x.npy", "artifact.format"), (good, "x.npz", "artifact.format"),
        (good, "weights.h5", "numerics.tensors.kind"), (bomb.getvalue(), "x.npz", "numerics.tensors.unpacked"),
        (b"\x93NUMPY" + os.urandom(TENSOR_LIMIT), "x.npy", "artifact.too_big"),
    ]


@pytest.mark.parametrize("i", range(15))
def test_hostile_input_is_an_artifact_error_in_under_a_second(i: int) -> None:
    data, name, expected = _hostile()[i]
    t = time.perf_counter()
    assert code(data, name) == expected
    assert time.perf_counter() - t < 1.0


def test_a_zip_that_understates_its_size_is_still_read_with_a_bound() -> None:
    """A member whose central directory claims 100 bytes but inflates to more than the limit."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.npy", npy(np.zeros(TENSOR_LIMIT // 8 + 64, np.float64)))
    data = bytearray(buf.getvalue())
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24:cd + 28] = struct.pack("<I", 100)  # the uncompressed size the central directory declares
    t = time.perf_counter()
    assert code(bytes(data), "x.npz") in ("numerics.tensors.unpacked", "artifact.format")
    assert time.perf_counter() - t < 1.0


def test_a_tampered_value_is_reported_and_a_tampered_header_refused() -> None:
    data = bytearray(EXAMPLE.read_bytes())
    (n,) = struct.unpack("<Q", data[:8])
    assert tensor_problems("proj.weight", read_tensors(bytes(data), "w.safetensors")["proj.weight"]) == []
    header = json.loads(data[8:8 + n])
    begin, _ = header["proj.weight"]["data_offsets"]
    at = 8 + n + begin + 2 * (3 * SHAPE[1] + 7)  # row 3, column 7
    data[at:at + 2] = b"\x80\x7f"  # bf16 +inf, little-endian
    found = tensor_problems("proj.weight", read_tensors(bytes(data), "w.safetensors")["proj.weight"])
    assert [m.code for m in found] == ["numerics.tensors.nonfinite"]
    assert found[0].params["at"] == "[3, 7]" and found[0].params["n"] == 1
    tampered = EXAMPLE.read_bytes().replace(b'"data_offsets":[0,', b'"data_offsets":[2,', 1)
    assert code(tampered, "w.safetensors") == "numerics.tensors.safetensors"
    assert [m.code for m in tensor_problems("z", torch.zeros(3))] == ["numerics.tensors.zero"]


def test_as_matrix_folds_leading_dimensions_and_cuts_large_tensors() -> None:
    x, notes = as_matrix("a", torch.arange(24.0).reshape(2, 3, 4))
    assert x.shape == (6, 4) and x.dtype == torch.float64 and notes == []
    assert as_matrix("v", torch.ones(5))[0].shape == (1, 5)
    x, notes = as_matrix("big", torch.ones(100, 10), max_values=250)
    assert x.shape == (25, 10) and notes[0].params["rows"] == 25
