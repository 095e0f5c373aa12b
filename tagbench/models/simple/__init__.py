"""Baselines without learning: random tags and keyword rules."""
