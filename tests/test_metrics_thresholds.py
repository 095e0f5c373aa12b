import numpy as np
import pytest
from sklearn.metrics import f1_score, precision_score, recall_score

from tagbench.core import metrics, thresholds


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
    assert set(got) == {"precision", "recall", "f1", "micro_f1"}  # the headline, no more


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


def config(method="global", at_least_one=False, min_support=2):
    return {"method": method, "min_support": min_support, "at_least_one": at_least_one}


def test_choose_passes_hard_labels_through():
    meta = {"output": "labels", "default_threshold": 0.5}
    assert thresholds.choose(np.ones((2, 2)), np.zeros((2, 2)), meta, config()) == {
        "method": "fixed", "threshold": 0.5, "at_least_one": False}
    meta = {"output": "scores", "default_threshold": 0.0}
    assert thresholds.choose(None, None, meta, config("fixed"))["threshold"] == 0.0


def test_per_class_thresholds_beat_one_global_and_fall_back_when_rare():
    # class 0 separates at 0.7, class 1 at 0.2; class 2 has one positive (below min_support)
    y = np.array([[1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 0], [0, 1, 0], [1, 0, 0]])
    s = np.array([[.9, .3, .1], [.8, .1, .2], [.6, .25, .9], [.5, .15, .3], [.4, .35, .2],
                  [.75, .05, .1]])
    meta = {"output": "scores", "default_threshold": 0.5}
    record = thresholds.choose(y, s, meta, config("per_class"))
    assert record["threshold"][0] == pytest.approx(0.675) and record["threshold"][1] == 0.2
    assert record["threshold"][2] == record["global"]
    assert np.array_equal(thresholds.decide(s, record)[:, :2], y[:, :2])
    glob = thresholds.choose(y, s, meta, config())
    assert f1_score(y, thresholds.decide(s, glob), average="macro") < f1_score(
        y, thresholds.decide(s, record), average="macro")


def test_at_least_one_adds_the_top_tag_only_where_none_passes():
    s = np.array([[0.1, 0.3, 0.2], [0.9, 0.1, 0.8]])
    assert thresholds.apply(s, 0.5).tolist() == [[0, 0, 0], [1, 0, 1]]
    assert thresholds.apply(s, 0.5, at_least_one=True).tolist() == [[0, 1, 0], [1, 0, 1]]
    assert thresholds.apply(s, [0.05, 0.5, 0.5]).tolist() == [[1, 0, 0], [1, 0, 1]]


def test_threshold_study_reports_every_method():
    rng = np.random.default_rng(0)
    y = (rng.random((40, 3)) < 0.3).astype(int)
    s = 0.5 * y + rng.random((40, 3))
    study = thresholds.study({"output": "scores", "default_threshold": 0.5}, (y, s), (y, s), 2)
    assert set(study) == {"global", "per_class"}
    assert set(study["global"]) == {"val", "test", "val_at_least_one", "test_at_least_one",
                                    "val_cross_fitted", "val_cross_fitted_at_least_one"}
    assert study["global"]["val_cross_fitted"] <= study["global"]["val"] + 0.1
    assert study["per_class"]["val"] >= study["global"]["val"] - 1e-9


def test_pr_curve_is_on_a_recall_grid_with_falling_precision():
    rng = np.random.default_rng(1)
    y = (rng.random((50, 4)) < 0.3).astype(int)
    curve = metrics.pr_curve(y, 0.4 * y + rng.random((50, 4)))
    recalls = [p["recall"] for p in curve]
    precisions = [p["precision"] for p in curve]
    assert recalls[0] == 0 and recalls[-1] == 1 and recalls == sorted(recalls)
    assert precisions == sorted(precisions, reverse=True)
    assert precisions[-1] >= y.mean()  # full recall costs at most predicting everything


def test_bootstrap_interval_brackets_the_point_and_shares_resamples():
    rng = np.random.default_rng(2)
    y = (rng.random((200, 5)) < 0.3).astype(int)
    good = np.where(rng.random(y.shape) < 0.9, y, 1 - y)
    bad = np.where(rng.random(y.shape) < 0.6, y, 1 - y)
    samples = metrics.bootstrap_macro_f1(y, {"good": good, "bad": bad, "same": good}, 300)
    low, high = metrics.interval(samples["good"])
    assert low < metrics.overall(y, good)["f1"] < high
    assert np.array_equal(samples["same"], samples["good"])  # the same resamples for all
    assert metrics.interval(samples["bad"])[1] < low
    assert np.all(samples["good"] > samples["bad"])  # paired: good wins every resample


def test_paired_bootstrap_against_every_possible_resample():
    """Three projects: all 3**3 resamples enumerated; each resampled macro F1 is sklearn's on
    those rows, and the paired difference is taken resample by resample."""
    import itertools

    y = np.array([[1, 0, 1], [0, 1, 0], [1, 1, 0]])
    a = np.array([[1, 0, 0], [0, 1, 1], [1, 0, 0]])
    b = np.array([[1, 0, 1], [0, 0, 0], [1, 1, 1]])
    draws = list(itertools.product(range(3), repeat=3))
    counts = np.stack([np.bincount(d, minlength=3) for d in draws])
    fa, fb = (metrics.resampled_macro_f1(y, p, counts) for p in (a, b))
    for row, draw in enumerate(draws):
        rows = list(draw)
        expected_a = f1_score(y[rows], a[rows], average="macro", zero_division=0)
        expected_b = f1_score(y[rows], b[rows], average="macro", zero_division=0)
        assert fa[row] == pytest.approx(expected_a)
        assert fb[row] - fa[row] == pytest.approx(expected_b - expected_a)
    assert np.any(fb > fa) and np.any(fb < fa)  # both signs occur: the bound is not trivial
    assert metrics.interval(fb - fa, 0.5) == tuple(np.percentile(fb - fa, [25, 75]))


def test_cross_fitting_decides_each_half_with_the_other_halfs_thresholds():
    rng = np.random.default_rng(3)
    y = (rng.random((20, 3)) < 0.4).astype(int)
    s = 0.5 * y + rng.random((20, 3))
    y2, s2 = np.repeat(y, 2, axis=0), np.repeat(s, 2, axis=0)  # both halves alike
    meta, cfg = {"output": "scores", "default_threshold": 0.5}, config("per_class")
    full = thresholds.choose(y2, s2, meta, cfg)
    assert np.array_equal(thresholds.cross_fitted(y2, s2, meta, cfg),
                          thresholds.decide(s2, full))
    odd_rows_flipped = y2.copy()
    odd_rows_flipped[1::2] = 1 - odd_rows_flipped[1::2]  # the other half now disagrees
    assert not np.array_equal(thresholds.cross_fitted(odd_rows_flipped, s2, meta, cfg),
                              thresholds.decide(s2, full))


def test_numpy_counts_match_scikit_learn_on_random_tag_matrices():
    """F1, precision and recall per class and overall, and the precision-recall curve, as
    scikit-learn gives them (zero_division=0), on 200 random multi-label cases with ties."""
    from sklearn.metrics import precision_recall_curve

    rng = np.random.RandomState(0)
    for _ in range(200):
        n, k = rng.randint(2, 40), rng.randint(2, 8)
        y_true = (rng.rand(n, k) < rng.rand()).astype(int)
        y_pred = (rng.rand(n, k) < rng.rand()).astype(int)
        scores = np.round(rng.rand(n, k), rng.randint(1, 4))
        kw = {"average": None, "zero_division": 0}
        got = metrics.overall(y_true, y_pred)
        assert got["f1"] == pytest.approx(np.mean(f1_score(y_true, y_pred, **kw)))
        assert got["micro_f1"] == pytest.approx(
            f1_score(y_true, y_pred, average="micro", zero_division=0))
        assert got["precision"] == pytest.approx(np.mean(precision_score(y_true, y_pred, **kw)))
        assert got["recall"] == pytest.approx(np.mean(recall_score(y_true, y_pred, **kw)))
        assert metrics.per_class_f1(y_true, y_pred) == pytest.approx(
            f1_score(y_true, y_pred, **kw).tolist())
        if y_true.any():
            precision, recall, _ = precision_recall_curve(y_true.ravel(), scores.ravel())
            ours = metrics.precision_recall(y_true.ravel(), scores.ravel())
            assert np.allclose(ours[0], precision) and np.allclose(ours[1], recall)
