"""Baselines built on torch: the CNN, the GRU, the fine-tuned transformer, frozen embeddings."""
