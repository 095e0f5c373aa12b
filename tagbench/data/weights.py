"""Class weights for the neural baselines' loss."""

import numpy as np

from tagbench.core.errors import TagbenchError


def class_weights(y, classes, formula="inverse"):
    """{class: weight} from the train labels: 'inverse' is 1/count (the lesson's),
    'balanced' n / (k * count), 'sqrt_ratio' sqrt(negatives / positives): a positive example
    of a rare tag counts more, but less than the full ratio would make it."""
    counts = y.sum(axis=0).astype(float)
    missing = [c for c, n in zip(classes, counts) if n == 0]
    if missing:
        raise TagbenchError(f"class_weights: no train example of {missing}")
    if formula == "inverse":
        weights = 1.0 / counts
    elif formula == "balanced":
        weights = len(y) / (len(classes) * counts)
    else:
        weights = np.sqrt((len(y) - counts) / counts)
    return {c: float(w) for c, w in zip(classes, np.round(weights, 10))}
