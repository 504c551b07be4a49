"""Readers of gold corpora (one module per corpus format)."""
