"""engine.device: the badge must describe the device torch would really use."""

import torch

from engine.device import describe_device, pick_device


def test_pick_device_matches_torch() -> None:
    assert pick_device().type == ("cuda" if torch.cuda.is_available() else "cpu")
    assert pick_device("cpu").type == "cpu"


def test_cpu_description() -> None:
    info = describe_device(torch.device("cpu"))
    assert info.kind == "cpu" and info.threads == torch.get_num_threads() >= 1
    assert info.torch_version == torch.__version__
    assert f"{info.threads} threads" in info.label()
