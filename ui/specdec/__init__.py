"""The speculative-decoding page's views, one module per part (imported by pages/specdec.py and tests only)."""
