"""Decision thresholds: a tag is predicted when its score is strictly above the threshold."""

import numpy as np


def apply(scores, threshold):
    return (np.asarray(scores) > threshold).astype(np.uint8)


def best_global(y_true, scores):
    """The one threshold that maximises F1 over all (example, class) cells.

    Candidates cut between consecutive distinct scores, so the result does not depend on
    whether a cut is read as > or >=. Returns (threshold, F1 at it).
    """
    y = np.asarray(y_true).ravel().astype(bool)
    s = np.asarray(scores, dtype=np.float64).ravel()
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last_of_value = np.r_[s[1:] != s[:-1], True]  # cut after each run of equal scores
    tp = np.cumsum(y)[last_of_value]
    predicted = np.flatnonzero(last_of_value) + 1
    f1 = 2 * tp / (predicted + y.sum())
    best = int(np.argmax(f1))
    values = s[last_of_value]
    below = values[best + 1] if best + 1 < len(values) else values[best] - 1.0
    return float((values[best] + below) / 2), float(f1[best])


def choose(y_val, val_scores, meta, method):
    """The threshold record for one baseline: hard-label baselines pass through at their own
    cut; 'fixed' keeps the model's own cut; 'global' searches val."""
    if meta["output"] == "labels" or method == "fixed":
        return {"method": "fixed", "threshold": meta["default_threshold"]}
    threshold, f1 = best_global(y_val, val_scores)
    return {"method": "global", "threshold": threshold, "val_cell_f1": f1}
