"""Streamlit-side helpers shared by app.py and the pages: translation, registry, sidebar chrome."""
