"""Every baseline behind one interface: fit(texts, y, ...), predict_scores(texts), save(dir),
load(dir).

A baseline declares which text it reads (`input`: cleaned or stemmed), whether it outputs
scores to threshold or hard 0/1 labels (`output`), and the cut its own predict would use
(`default_threshold`). Torch kinds (neural, transformer) import torch and transformers
only when asked for.
"""

import importlib

KINDS = {
    "random": "tagbench.models.simple:RandomTagger",
    "rule_based": "tagbench.models.simple:RuleBasedTagger",
    "tfidf": "tagbench.models.tfidf:TfidfModel",
    "neural": "tagbench.models.neural:NeuralTagger",
    "transformer": "tagbench.models.transformer:TransformerTagger",
}


def model_class(kind):
    """The class of a baseline kind, imported on first use."""
    module, name = KINDS[kind].split(":")
    return getattr(importlib.import_module(module), name)
