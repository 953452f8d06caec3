"""Load and ship weights: the target and everything trained on it, in engine/specdec/weights/ (never pickled)."""

from __future__ import annotations

import os
from dataclasses import asdict
from pathlib import Path

import torch

from engine.specdec.heads import TREE_SIZE, load_drafters, medusa_tree
from engine.specdec.model import GPT
from engine.specdec.models import Models

WEIGHTS = Path(__file__).with_name("weights")


def load_model(path: Path, device: torch.device | str = "cpu") -> GPT:
    """A model from a checkpoint or shipped weights (weights_only: no pickled code is ever run)."""
    blob = torch.load(path, map_location=device, weights_only=True)
    try:
        return GPT.from_state(blob["config"], blob["model"], device)
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None


def ship(path: Path, model: GPT, dtype: torch.dtype = torch.float16) -> None:
    """Half-precision weights for the package (tied head stored once)."""
    state = {k: v.to(dtype) for k, v in model.state_dict().items() if k != "head.weight"}
    torch.save({"config": asdict(model.config), "model": state}, path)


def load_models(directory: Path | None = None, device: torch.device | str = "cpu") -> Models:
    """The shipped target and everything trained on it (draft, Medusa heads, MTP chain), ready to generate."""
    directory = directory or Path(os.environ.get("GLASSBOX_SPECDEC_WEIGHTS", WEIGHTS))
    target_path, drafters_path = directory / "target.pt", directory / "drafters.pt"
    if not target_path.exists() or not drafters_path.exists():
        raise FileNotFoundError(f"no trained weights in {directory}: run `python -m engine.specdec.train` "
                                "(see the README) to train and ship them")
    target = load_model(target_path, device)
    d = load_drafters(drafters_path, target, device)
    # the shipped weights were trained when the tree had 16 nodes; the tree is picked from their held-out
    # accuracy at TREE_SIZE, as training now picks it (the same function and report, so the same tree)
    accuracy = d.report.get("medusa_accuracy")
    tree = medusa_tree(accuracy, TREE_SIZE) if accuracy else d.tree
    return Models(target, d.draft, d.medusa, d.mtp, tree, d.report, d.others)
