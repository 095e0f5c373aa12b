"""tagbench: train and compare baselines for tagging machine-learning projects.

`from tagbench import load_tagger` loads a shipped tagger (tagbench.serving.api); it is
imported on first use, so that no pipeline stage pays for it."""

import importlib

__version__ = "0.1.0"


def __getattr__(name):
    if name == "load_tagger":
        return importlib.import_module("tagbench.serving.api").load_tagger
    raise AttributeError(f"module 'tagbench' has no attribute {name!r}")
