"""Scoring extractors against gold annotations."""
