"""The speculative-decoding page's peer: the same methods in Hugging Face transformers, as code to copy."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

HF_CODE = '''from transformers import AutoModelForCausalLM, AutoTokenizer

tok = AutoTokenizer.from_pretrained("big-model")
target = AutoModelForCausalLM.from_pretrained("big-model")
draft = AutoModelForCausalLM.from_pretrained("small-model")   # same tokenizer
inputs = tok("ROMEO:", return_tensors="pt")

# speculative sampling with a draft model ("assisted generation")
out = target.generate(**inputs, assistant_model=draft, do_sample=True, temperature=1.0, max_new_tokens=200)
# prompt lookup: drafts copied from the context, no second model
out = target.generate(**inputs, prompt_lookup_num_tokens=10, max_new_tokens=200)'''


def peer(T: Callable[..., str]) -> None:
    """How the same two methods are called in transformers."""
    st.header(T("hf"))
    st.markdown(T("hf.intro"))
    st.code(HF_CODE, language="python")
