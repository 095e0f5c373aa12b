"""Hybrids: a learned baseline and keyword rules together, from their trained artifacts."""
