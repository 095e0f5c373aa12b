"""Multi-label metrics: the lesson's 'overall' numbers (macro over classes) and more."""

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support


def overall(y_true, y_pred):
    """Macro precision, recall and F1 (each class weighted equally, as the lesson computes them),
    plus micro-, weighted- and samples-F1 and the number of positive labels."""
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, average=None, zero_division=0)

    def f1_avg(average):
        return float(f1_score(y_true, y_pred, average=average, zero_division=0))

    return {
        "precision": float(np.mean(precision)),
        "recall": float(np.mean(recall)),
        "f1": float(np.mean(f1)),
        "micro_f1": f1_avg("micro"),
        "weighted_f1": f1_avg("weighted"),
        "samples_f1": f1_avg("samples"),
        "num_samples": int(np.sum(support)),
    }


def per_class(y_true, y_pred, classes, ids):
    """Per class: precision, recall, F1, support and the ids of its TP, FP and FN examples."""
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, average=None, zero_division=0)
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
