"""Bundled example files of the numerics page's "yours" view, written by the scripts beside them."""
