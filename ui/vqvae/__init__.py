"""The VQ-VAE page's views and parts (pages/vqvae.py draws them): one module each."""
