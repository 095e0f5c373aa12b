"""Class weights for the neural baselines' loss."""

import numpy as np

from tagbench.errors import TagbenchError


def class_weights(y, classes, formula="inverse"):
    """{class: weight}: 'inverse' is 1/count (the lesson's), 'balanced' is n / (k * count)."""
    counts = y.sum(axis=0).astype(float)
    missing = [c for c, n in zip(classes, counts) if n == 0]
    if missing:
        raise TagbenchError(f"class_weights: no train example of {missing}")
    if formula == "inverse":
        weights = 1.0 / counts
    else:
        weights = len(y) / (len(classes) * counts)
    return {c: float(w) for c, w in zip(classes, np.round(weights, 10))}
