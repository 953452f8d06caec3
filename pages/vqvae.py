"""VQ-VAE: a vector-quantised autoencoder trained on real digits, its codebook, the straight-through gradient,
and why codebooks collapse."""

import streamlit as st

from engine.vqvae import load_digits
from engine.vqvae import plots as P
from engine.vqvae.model import INITS, UPDATES
from engine.vqvae.toy import TOY_RULES
from engine.vqvae.train import SHIPPED, RunSettings
from ui import page, present
from ui.chrome import ensure_navigation
from ui.i18n import plot_labels, translator
from ui.state import bind_all, choice, int_in, items_of, number_in, publish, walkthrough
from ui.text.vqvae import TEXT
from ui.vqvae import bits, collapse, generate, quantizers, recon, straight_through, toy, yours
from ui.vqvae.collapse import BETAS, DECAYS, GRIDS, SIZES
from ui.vqvae.recon import HELD
from ui.vqvae.runs import models, shipped, stats

ensure_navigation()
T = translator(TEXT)
PL = plot_labels(TEXT, P.LABELS)
VIEWS = ["recon", "collapse", "straight", "toy", "bits", "fsq", "generate", "yours", "walkthrough"]
FORMULAS = (r"z_q = e_k,\quad k = \arg\min_j \lVert z_e - e_j \rVert^2",  # one short line each (a phone)
            r"L = \lVert x - \hat x \rVert^2 + \lVert \mathrm{sg}[z_e] - e \rVert^2",
            r"\qquad + \,\beta\,\lVert z_e - \mathrm{sg}[e] \rVert^2",
            r"\hat x = D\bigl(z_e + \mathrm{sg}[z_q - z_e]\bigr)")
PRESETS = {  # walkthrough step -> widget state it sets
    1: {"view": "recon", "rule": "ema_restart"},
    2: {"view": "collapse"},
    3: {"view": "recon", "rule": "loss"},
    4: {"view": "straight", "rule": "ema"},
    5: {"view": "toy", "trule": "kmeans", "tstep": 12},
    6: {"view": "toy", "trule": "ema_restart", "tstep": 12},
    7: {"view": "bits"},
    8: {"view": "collapse", "seed": 1},
    9: {"view": "fsq", "fl1": 8, "fl2": 8, "fspread": 0.25},
    10: {"view": "fsq", "rangle": 120, "rratio": 0.5, "rg": 200},
    11: {"view": "yours", "yk": 64},
    12: {"view": "fsq"},
    13: {"view": "generate", "gtemp": generate.AS_TRAINED},
    14: {"view": "generate", "gtemp": 0.0},
}


def main() -> None:
    """The page, part by part (see ../shared/DESIGN.md)."""
    page.what_and_why(_with(T, what=_split_counts), *FORMULAS)
    view, settings = controls()
    runs = models(settings)
    match view:
        case "recon":
            recon.view(runs, settings)
        case "collapse":
            collapse.view(runs, settings)
        case "straight":
            straight(runs, settings)
        case "toy":
            toy.view()
        case "bits":
            bits.view(runs, settings)
        case "fsq":
            quantizers.view(T, PL)
        case "generate":
            generate.view()
        case "yours":
            yours.view(T, PL, lambda: stats(shipped(), SHIPPED))
        case _:
            st.markdown(T("walk.intro"))
            walkthrough(_walk_text(), PRESETS)
    if present.active() and view != "walkthrough":  # presenter mode: the step's own view, its slide on the stage
        walkthrough(_walk_text(), PRESETS)
    publish("view")


def _walk_text():
    """The translator, with the numbers of the steps that quote results filled in from those results."""
    return _with(T, **{"walk.2": collapse.walk_collapse, "walk.8": collapse.walk_seeds,
                       "walk.9": lambda: quantizers.walk_fsq(PRESETS[9]),
                       "walk.10": lambda: quantizers.walk_rotation(PRESETS[10]),
                       "walk.11": lambda: yours.walk(T), "walk.12": quantizers.walk_study,
                       "walk.13": lambda: generate.walk(PRESETS[13]), "walk.14": lambda: generate.walk(PRESETS[14])})


def controls() -> tuple[str, RunSettings]:
    """Every view's state bound to the URL, the view tabs and (in the collapse view) the training settings."""
    bind_all([("view", "recon", choice(VIEWS)), ("rule", "ema_restart", choice(list(UPDATES))),
              ("digits", HELD[:8], items_of(HELD)), ("code", 0, int_in(0, max(SIZES) - 1)),
              ("steps", SHIPPED.steps, int_in(100, 3000)), ("seed", SHIPPED.seed, int_in(0, 99)),
              ("k", SHIPPED.codebook_size, number_in(SIZES)), ("grid", "4x4", choice(GRIDS)),
              ("beta", SHIPPED.beta, number_in(BETAS)), ("decay", SHIPPED.ema_decay, number_in(DECAYS)),
              ("cinit", SHIPPED.init, choice(list(INITS))),
              ("trule", "kmeans", choice(list(TOY_RULES))), ("tstep", 0, int_in(0, 40)), ("tk", 8, int_in(2, 16)),
              ("yk", 64, int_in(2, 1 << 20)), ("fl1", 5, int_in(3, 16)), ("fl2", 5, int_in(3, 16)),
              ("fspread", 1.0, number_in(quantizers.SPREADS)), ("rangle", 60, int_in(-180, 180)),
              ("rratio", 1.5, number_in([0.25, 0.5, 1.0, 1.5, 2.0, 4.0])), ("rg", 200, int_in(0, 355)),
              ("gtemp", generate.AS_TRAINED, number_in(generate.TEMPS)), ("gseed", 0, int_in(*generate.SEEDS))])
    view = page.view_switch(T, VIEWS)
    return view, collapse.settings_from_state()


def _with(tr, **fill):
    """`tr`, with the text of each key in `fill` formatted from what that function returns (computed when shown)."""
    return lambda key, **kw: tr(key, **(kw | fill[key]())) if key in fill else tr(key, **kw)


def _split_counts() -> dict:
    x = load_digits()
    return {"train": f"{len(x.train_idx):,}", "held": f"{len(x.heldout_idx):,}", "total": f"{len(x):,}"}


def straight(runs, settings: RunSettings) -> None:
    """The straight-through view on the first held-out digits (a sentence quotes their count)."""
    straight_through.view(runs, settings, load_digits().heldout[:32])


main()
