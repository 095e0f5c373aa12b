"""Decision thresholds: a tag is predicted when its score is strictly above the threshold."""

import numpy as np


def apply(scores, threshold, at_least_one=False):
    """Tags scoring strictly above the threshold (one number, or one per class); with
    at_least_one, a row where no tag passes gets its top-scoring tag."""
    scores = np.asarray(scores)
    decided = (scores > np.asarray(threshold)).astype(np.uint8)
    if at_least_one:
        empty = np.flatnonzero(decided.sum(axis=1) == 0)
        decided[empty, np.argmax(scores[empty], axis=1)] = 1
    return decided


def decide(scores, record):
    """Apply a threshold record as the threshold stage wrote it (evaluate and predict)."""
    return apply(scores, record["threshold"], record["at_least_one"])


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


def best_per_class(y_true, scores, min_support, fallback):
    """Per class, the threshold maximising that class's F1; classes with fewer than
    min_support positives keep the fallback."""
    y, s = np.asarray(y_true), np.asarray(scores)
    return [best_global(y[:, i], s[:, i])[0] if y[:, i].sum() >= min_support else fallback
            for i in range(y.shape[1])]


def choose(y_val, val_scores, meta, config):
    """The threshold record for one baseline (config = params' threshold section).

    Hard-label baselines pass through at their own cut (no scores to rank, so no
    at_least_one); 'fixed' keeps the model's own cut; 'global' and 'per_class' search val.
    """
    if meta["output"] == "labels":
        return {"method": "fixed", "threshold": meta["default_threshold"], "at_least_one": False}
    record = {"method": config["method"], "at_least_one": config["at_least_one"]}
    if config["method"] == "fixed":
        return {**record, "threshold": meta["default_threshold"]}
    threshold, _ = best_global(y_val, val_scores)
    if config["method"] == "global":
        return {**record, "threshold": threshold}
    per_class = best_per_class(y_val, val_scores, config["min_support"], threshold)
    return {**record, "threshold": per_class, "global": threshold}


def cross_fitted(y, scores, meta, config):
    """Predictions on a split whose thresholds were chosen on its other half (even rows
    decided by odd rows' thresholds and back): an out-of-sample val score for a method."""
    decided = np.zeros_like(np.asarray(y), dtype=np.uint8)
    halves = np.arange(len(y)) % 2 == 0
    for fit_rows in (halves, ~halves):
        record = choose(y[fit_rows], scores[fit_rows], meta, config)
        decided[~fit_rows] = decide(scores[~fit_rows], record)
    return decided


def study(meta, val, test, min_support):
    """Macro F1 of every method, with and without at_least_one: on val with the thresholds
    chosen on val itself (in-sample, optimistic), on val cross-fitted (out-of-sample: how to
    choose a method), and on test. val and test are (y, scores) pairs."""
    from tagbench.core.metrics import overall

    results = {}
    for method in ("global", "per_class"):
        row = {}
        for at_least_one, suffix in ((False, ""), (True, "_at_least_one")):
            config = {"method": method, "min_support": min_support, "at_least_one": at_least_one}
            record = choose(*val, meta, config)
            for split, (y, scores) in (("val", val), ("test", test)):
                row[split + suffix] = overall(y, decide(scores, record))["f1"]
            row["val_cross_fitted" + suffix] = overall(
                val[0], cross_fitted(*val, meta, config))["f1"]
        results[method] = row
    return results
