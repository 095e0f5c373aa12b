"""tagbench compare: the paired and unpaired bootstrap of a difference, verdicts, the
reproduction check and bad revisions (the real DAG's commits: test_dag.py)."""

import subprocess

import numpy as np
import pytest

from tagbench import artifacts, compare
from tagbench.errors import TagbenchError

CLASSES = ["a", "b", "c"]


def tags_file(y_true, y_pred, ids=None, classes=CLASSES):
    ids = list(range(len(y_true))) if ids is None else ids
    return {"classes": classes, "test": artifacts.project_tags(ids, y_true, y_pred)}


def noisy(y, flip, seed):
    rng = np.random.default_rng(seed)
    return np.where(rng.random(y.shape) < flip, 1 - y, y)


@pytest.fixture(scope="module")
def truth():
    return (np.random.default_rng(0).random((300, 3)) < 0.3).astype(int)


def test_project_tags_round_trip(truth):
    predicted = noisy(truth, 0.1, 1)
    ids, y_true, y_pred = artifacts.tag_matrices(tags_file(truth, predicted)["test"], CLASSES)
    assert ids == list(range(300))
    assert np.array_equal(y_true, truth) and np.array_equal(y_pred, predicted)


def test_paired_difference_of_the_same_predictions_is_exactly_zero(truth):
    same = tags_file(truth, noisy(truth, 0.1, 1))
    row = compare.compare_baseline(same, same, 200, 0)
    assert row["paired"] and row["difference"] == 0 and row["low"] == row["high"] == 0
    assert compare.verdict(row, None) == "identical"


def test_paired_interval_is_narrower_than_unpaired_and_finds_a_real_gain(truth):
    a = tags_file(truth, noisy(truth, 0.25, 1))
    b = tags_file(truth, noisy(truth, 0.05, 2))
    paired = compare.compare_baseline(a, b, 500, 0)
    shuffled = tags_file(truth[::-1], noisy(truth, 0.05, 2)[::-1], ids=list(range(1000, 1300)))
    unpaired = compare.compare_baseline(a, shuffled, 500, 0)
    assert paired["paired"] and not unpaired["paired"]
    assert paired["low"] > 0 and compare.verdict(paired, None) == "better"
    assert paired["high"] - paired["low"] < unpaired["high"] - unpaired["low"]


def test_ids_in_another_order_are_still_paired(truth):
    predicted = noisy(truth, 0.1, 1)
    a = tags_file(truth, predicted)
    b = tags_file(truth[::-1], predicted[::-1], ids=list(range(300))[::-1])
    row = compare.compare_baseline(a, b, 200, 0)
    assert row["paired"] and row["difference"] == 0 and row["high"] == 0


def test_unpaired_uses_only_the_shared_classes(truth):
    a = tags_file(truth, truth)
    wider = np.column_stack([truth, np.zeros(300, dtype=int)])
    b = tags_file(wider, wider, classes=CLASSES + ["d"])
    row = compare.compare_baseline(a, b, 100, 0)
    assert not row["paired"] and row["low"] == row["high"] == 0  # "d" left out


@pytest.mark.parametrize("difference, low, high, floor, expected", [
    (0.02, -0.01, 0.05, None, "within noise"),
    (0.02, 0.01, 0.03, 0.025, "within noise (seed floor)"),
    (0.02, 0.01, 0.03, 0.01, "better"),
    (-0.02, -0.03, -0.01, None, "worse"),
])
def test_verdicts(difference, low, high, floor, expected):
    row = {"difference": difference, "low": low, "high": high}
    assert compare.verdict(row, floor) == expected


def test_reproduction_check_is_strict_for_deterministic_baselines():
    rows = [{"baseline": "svm", "a": 0.6, "b": 0.6 + 1e-9, "difference": 1e-9, "floor": 0.0},
            {"baseline": "cnn", "a": 0.65, "b": 0.64, "difference": -0.01, "floor": 0.02},
            {"baseline": "gru", "a": 0.56, "b": 0.50, "difference": -0.06, "floor": 0.02},
            {"baseline": "rules", "a": 0.5, "b": 0.5, "difference": 0.0, "floor": None}]
    failures = compare.reproduction_failures({"rows": rows})
    assert [line.split(":")[0] for line in failures] == ["svm", "gru"]
    assert "deterministic, so it must match" in failures[0] and "make noise" in failures[1]


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd,
                   check=True, capture_output=True)


def test_unknown_revision_and_a_revision_without_tags_are_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "before per-project predictions")
    with pytest.raises(TagbenchError, match="unknown revision or experiment 'nope'"):
        compare.compare("nope", "workspace")
    with pytest.raises(TagbenchError, match="HEAD has no metrics/tags/.*predates them"):
        compare.compare("HEAD", "workspace")
    assert list(tmp_path.iterdir()) == [tmp_path / ".git"]  # nothing written


def test_noise_floors_are_the_seed_range_of_test_f1(tmp_path):
    path = tmp_path / "floor.json"
    path.write_text('{"baselines": {"cnn": {"seed": {"test": {"min": 0.62, "max": 0.65}}},'
                    ' "svm": {"seed": {"test": {"min": 0.6, "max": 0.6}}}, "x": {"seed": null}}}')
    assert compare.noise_floors(path) == pytest.approx({"cnn": 0.03, "svm": 0.0})
    assert compare.noise_floors(tmp_path / "missing.json") == {}
