"""Training: loss falls, a checkpoint resumes where it stopped, shipped half-precision weights load back."""

from __future__ import annotations

import inspect
import json

import torch

from engine.specdec.model import GPTConfig
from engine.specdec.train import load_model, ship, train

TINY = GPTConfig(vocab=256, context=32, width=32, layers=1, heads=2)
TEXT = inspect.getsource(json).encode()  # real text that every Python has


def test_loss_falls_and_training_resumes(tmp_path) -> None:
    ckpt = tmp_path / "tiny.ckpt"
    _, losses = train(TEXT, "draft", 120, ckpt, batch=16, lr=3e-3, device=torch.device("cpu"), config=TINY)
    assert sum(losses[-10:]) / 10 < sum(losses[:10]) / 10 - 1.0, "a byte model should learn something fast"
    assert torch.load(ckpt, weights_only=True)["step"] == 120
    _, more = train(TEXT, "draft", 130, ckpt, batch=16, lr=3e-3, device=torch.device("cpu"), config=TINY)
    assert len(more) == 10, "a resumed run only does the missing steps"
    back = load_model(ckpt)
    x = torch.randint(0, 256, (1, 16))
    with torch.no_grad():
        torch.testing.assert_close(back(x), load_model(ckpt)(x))


def test_shipped_weights_load_in_half_precision(tmp_path) -> None:
    model, _ = train(TEXT, "draft", 5, tmp_path / "a.ckpt", batch=4, device=torch.device("cpu"), config=TINY)
    ship(tmp_path / "a.pt", model)
    back = load_model(tmp_path / "a.pt")
    x = torch.randint(0, 256, (1, 16))
    with torch.no_grad():
        torch.testing.assert_close(back(x), model(x), rtol=0, atol=2e-2)
    assert (tmp_path / "a.pt").stat().st_size < (tmp_path / "a.ckpt").stat().st_size / 3


def test_training_can_continue_from_another_models_weights(tmp_path) -> None:
    first, losses = train(TEXT, "draft", 60, tmp_path / "a.ckpt", batch=16, lr=3e-3, device=torch.device("cpu"),
                          config=TINY)
    _, more = train(TEXT, "draft", 5, tmp_path / "b.ckpt", batch=16, lr=1e-4, device=torch.device("cpu"), init=first)
    assert losses[-1] < losses[0] - 0.5
    assert abs(more[0] - losses[-1]) < 0.3, "a continued model starts where the first one stopped, not from scratch"
