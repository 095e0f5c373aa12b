"""The chosen tagger, shipped: its folder built from the pipeline's outputs (artifact), loaded
without DVC or the repository (api), and served over HTTP (service)."""
