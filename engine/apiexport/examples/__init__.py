"""Bundled examples of what a visitor brings to the API-export page, written by the project's own script."""
