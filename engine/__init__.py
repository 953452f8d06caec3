"""Glassbox engines: pure-Python libraries behind each page (never imports streamlit)."""
