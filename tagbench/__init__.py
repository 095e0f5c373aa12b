"""tagbench: train and compare baselines for tagging machine-learning projects."""

__version__ = "0.1.0"
