"""Multi-label metrics: the lesson's 'overall' numbers (macro over classes) and more.

Counted with numpy alone, as scikit-learn's `precision_recall_fscore_support` and
`precision_recall_curve` count them (zero_division=0; tests/test_metrics_thresholds.py checks
them against scikit-learn): a stage that scores F1 pays no scikit-learn import (2.5 s)."""

import numpy as np


def _divide(top, bottom):
    """top / bottom, 0 where bottom is 0 (scikit-learn's zero_division=0)."""
    top, bottom = np.asarray(top, dtype=np.float64), np.asarray(bottom, dtype=np.float64)
    return np.divide(top, bottom, out=np.zeros_like(top), where=bottom != 0)


def counts(y_true, y_pred):
    """Per class: (true positives, predicted positives, actual positives)."""
    truth, predicted = np.asarray(y_true, dtype=bool), np.asarray(y_pred, dtype=bool)
    return (truth & predicted).sum(axis=0), predicted.sum(axis=0), truth.sum(axis=0)


def per_class_scores(y_true, y_pred):
    """Per class: precision, recall, F1 and support."""
    tp, predicted, support = counts(y_true, y_pred)
    return (_divide(tp, predicted), _divide(tp, support),
            _divide(2 * tp, predicted + support), support)


def overall(y_true, y_pred):
    """Macro precision, recall and F1 (each class weighted equally, as the lesson computes them)
    and micro F1: a baseline's headline metrics (per class: `per_class`)."""
    precision, recall, f1, _ = per_class_scores(y_true, y_pred)
    tp, predicted, support = counts(y_true, y_pred)
    return {
        "precision": float(np.mean(precision)),
        "recall": float(np.mean(recall)),
        "f1": float(np.mean(f1)),
        "micro_f1": float(_divide(2 * tp.sum(), predicted.sum() + support.sum())),
    }


def per_class(y_true, y_pred, classes, ids):
    """Per class: precision, recall, F1, support and the ids of its TP, FP and FN examples."""
    precision, recall, f1, support = per_class_scores(y_true, y_pred)
    ids = np.asarray(ids)
    report = {}
    for i, c in enumerate(classes):
        truth, pred = y_true[:, i].astype(bool), y_pred[:, i].astype(bool)
        report[c] = {
            "precision": float(precision[i]), "recall": float(recall[i]), "f1": float(f1[i]),
            "support": int(support[i]),
            "tp": ids[truth & pred].tolist(),
            "fp": ids[~truth & pred].tolist(),
            "fn": ids[truth & ~pred].tolist(),
        }
    return report


def precision_recall(y_true, scores):
    """Precision and recall at every distinct score cut, lowest cut first, ending at (1, 0):
    scikit-learn's `precision_recall_curve`."""
    y, s = np.asarray(y_true, dtype=np.float64), np.asarray(scores)
    order = np.argsort(s, kind="mergesort")[::-1]
    y, s = y[order], s[order]
    cuts = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    tp = np.cumsum(y)[cuts]
    predicted = cuts + 1
    recall = np.ones_like(tp) if tp[-1] == 0 else tp / tp[-1]
    return np.r_[_divide(tp, predicted)[::-1], 1.0], np.r_[recall[::-1], 0.0]


def pr_curve(y_true, scores, points=101):
    """Micro-averaged precision-recall curve over all (example, tag) cells, on a fixed recall
    grid (precision interpolated as the best at that recall or more), as plot records."""
    precision, recall = precision_recall(np.ravel(y_true), np.ravel(scores))
    best = np.maximum.accumulate(precision[np.argsort(recall)][::-1])[::-1]
    grid = np.linspace(0, 1, points)
    at = np.searchsorted(np.sort(recall), grid)
    keep = at < len(best)
    return [{"recall": round(float(r), 4), "precision": round(float(best[i]), 6)}
            for r, i in zip(grid[keep], at[keep])]


def resample_counts(n, resamples, seed):
    """(resamples, n): how often each of n examples is drawn in each bootstrap resample."""
    rng = np.random.RandomState(seed)
    return np.stack([np.bincount(rng.randint(0, n, n), minlength=n) for _ in range(resamples)])


def resampled_macro_f1(y_true, y_pred, counts):
    """Macro F1 (zero for a class with no positive and no prediction, as sklearn's
    zero_division=0) on each resample given by counts (resample_counts)."""
    truth, predicted = np.asarray(y_true, dtype=bool), np.asarray(y_pred, dtype=bool)
    tp = counts @ (truth & predicted)
    wrong = counts @ (truth ^ predicted)  # fp + fn
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(2 * tp + wrong > 0, 2 * tp / (2 * tp + wrong), 0.0).mean(axis=1)


def interval(samples, level=0.95):
    """The central `level` percentile interval of bootstrap samples: (low, high)."""
    tail = 100 * (1 - level) / 2
    return tuple(float(q) for q in np.percentile(samples, [tail, 100 - tail]))


def bootstrap_macro_f1(y_true, predictions, resamples=1000, seed=0):
    """Macro F1 of every prediction set (name -> 0/1 matrix) on the same bootstrap resamples
    of the examples, so that differences between them are paired. name -> (resamples,)."""
    counts = resample_counts(len(y_true), resamples, seed)
    return {name: resampled_macro_f1(y_true, predicted, counts)
            for name, predicted in predictions.items()}


def per_class_f1(y_true, y_pred):
    return per_class_scores(y_true, y_pred)[2].tolist()


def partial_counts(must, ok, y_pred):
    """Per project, for partial labels (must: required, ok: allowed, never required):
    (must tags predicted, must tags, predicted tags in must or ok, predicted tags)."""
    must, allowed, pred = (np.asarray(m, dtype=bool) for m in (must, ok, y_pred))
    allowed = allowed | must
    return np.stack([(must & pred).sum(axis=1), must.sum(axis=1),
                     (allowed & pred).sum(axis=1), pred.sum(axis=1)], axis=1)


def partial_f1(totals):
    """(recall, precision, F1) from summed partial_counts (last axis: the four counts)."""
    found, must, right, predicted = np.moveaxis(np.asarray(totals, dtype=np.float64), -1, 0)
    recall, precision = _divide(found, must), _divide(right, predicted)
    return recall, precision, _divide(2 * recall * precision, recall + precision)


def resampled_partial_f1(must, ok, y_pred, counts):
    """Micro F1 under partial labels on each resample given by counts (resample_counts)."""
    return partial_f1(counts @ partial_counts(must, ok, y_pred))[2]


def partial(must, ok, y_pred, resamples=1000, seed=0):
    """Micro F1 under partial labels, the future set's metric: recall of the must tags,
    precision against must and ok, their harmonic mean, with a 95% bootstrap interval over
    the projects."""
    recall, precision, f1 = partial_f1(partial_counts(must, ok, y_pred).sum(axis=0))
    counts = resample_counts(len(must), resamples, seed)
    low, high = interval(resampled_partial_f1(must, ok, y_pred, counts))
    return {"f1": float(f1), "f1_low": low, "f1_high": high, "recall": float(recall),
            "precision": float(precision), "projects": len(must)}


def per_class_recall(must, y_pred, classes):
    """Per class: the recall of its must tags and how many there are (classes with none
    left out)."""
    tp, _, support = counts(must, y_pred)
    return {c: {"recall": float(tp[i] / support[i]), "must": int(support[i])}
            for i, c in enumerate(classes) if support[i]}
