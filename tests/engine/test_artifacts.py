"""The shared reader rules (engine/artifacts.py): hostile input becomes ArtifactError, fast, and nothing else."""

import time

import pytest

from engine.artifacts import ArtifactError, as_text, field, load_json


@pytest.mark.parametrize("data", ["", "   \n", b"", "[" * 100_000, '{"a": [1, 2', b"\xff\xfe\x00garbage",
                                  "x" * (5 * 2**20 + 1), bytes(range(256)) * 20_000, "[" + "9" * 5000 + "]"])
def test_hostile_json_is_an_artifact_error_in_under_a_second(data) -> None:
    t = time.perf_counter()
    with pytest.raises(ArtifactError):
        load_json(data, what="config.json")
    assert time.perf_counter() - t < 1.0


def test_json_errors_point_at_line_and_column() -> None:
    with pytest.raises(ArtifactError) as e:
        load_json('{\n  "a": 1,\n  "b": }', what="config.json")
    assert e.value.position == (3, 8) and e.value.code == "artifact.json"


def test_size_is_checked_in_bytes_before_decoding() -> None:
    with pytest.raises(ArtifactError) as e:
        as_text("中" * 400, limit=1000, what=".txt")  # 400 characters, 1,200 UTF-8 bytes
    assert e.value.params["size"] == 1200
    assert as_text("中" * 300, limit=1000, what=".txt") == "中" * 300
    assert as_text("\ufeffok".encode(), limit=10, what=".txt") == "ok"  # a BOM is dropped


def test_field_names_the_path_and_refuses_bool_for_numbers() -> None:
    assert field({"n": 3}, "n", "hits[0]", int, "an integer") == 3
    with pytest.raises(ArtifactError) as e:
        field({"n": True}, "n", "hits[0]", int, "an integer")
    assert e.value.position == "hits[0]" and e.value.code == "artifact.bad_value"
    with pytest.raises(ArtifactError) as e:
        field({}, "n", "hits[0]", int, "an integer")
    assert e.value.code == "artifact.missing"
