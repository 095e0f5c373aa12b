import numpy as np
import pytest
from sklearn.metrics import f1_score, precision_score, recall_score

from tagbench import metrics, thresholds


def test_overall_against_sklearn_with_a_class_without_positives():
    y_true = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 0]])
    y_pred = np.array([[1, 0, 1], [0, 1, 0], [0, 1, 0], [1, 0, 0]])
    got = metrics.overall(y_true, y_pred)
    kw = {"zero_division": 0}
    assert got["precision"] == pytest.approx(precision_score(y_true, y_pred, average="macro", **kw))
    assert got["recall"] == pytest.approx(recall_score(y_true, y_pred, average="macro", **kw))
    assert got["f1"] == pytest.approx(f1_score(y_true, y_pred, average="macro", **kw))
    assert got["f1"] == pytest.approx((0.5 + 1 + 0) / 3)
    assert got["micro_f1"] == pytest.approx(f1_score(y_true, y_pred, average="micro"))
    assert got["samples_f1"] == pytest.approx(f1_score(y_true, y_pred, average="samples", **kw))
    assert got["num_samples"] == 4


def test_per_class_lists_example_ids():
    y_true = np.array([[1], [1], [0]])
    y_pred = np.array([[1], [0], [1]])
    report = metrics.per_class(y_true, y_pred, ["a"], ids=[10, 11, 12])
    assert report["a"]["tp"] == [10] and report["a"]["fn"] == [11] and report["a"]["fp"] == [12]


def brute_force_best_f1(y, scores):
    best = 0.0
    for t in np.unique(scores):
        pred = scores >= t
        tp = (pred & (y == 1)).sum()
        best = max(best, 2 * tp / (pred.sum() + y.sum()))
    return best


@pytest.mark.parametrize("seed", range(5))
def test_global_threshold_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=(30, 4))
    scores = np.round(0.6 * y + rng.random((30, 4)), 1)  # rounding makes ties
    threshold, f1 = thresholds.best_global(y, scores)
    assert f1 == pytest.approx(brute_force_best_f1(y.ravel(), scores.ravel()))
    predicted = thresholds.apply(scores, threshold)
    assert f1_score(y.ravel(), predicted.ravel()) == pytest.approx(f1)


def test_choose_passes_hard_labels_through():
    meta = {"output": "labels", "default_threshold": 0.5}
    assert thresholds.choose(np.ones((2, 2)), np.zeros((2, 2)), meta, "global") == {
        "method": "fixed", "threshold": 0.5}
    meta = {"output": "scores", "default_threshold": 0.0}
    assert thresholds.choose(None, None, meta, "fixed")["threshold"] == 0.0
