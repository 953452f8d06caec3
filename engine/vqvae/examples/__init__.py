"""Bundled examples of what a visitor brings to the VQ-VAE page, written by the project's own scripts."""
