import numpy as np
import pytest

from tagbench.core.errors import TagbenchError
from tagbench.data import binarize, preprocess, readers, split


def test_disjoint_and_complete(v1_processed):
    records, classes = v1_processed
    s = split.split_ids(records, classes, "iterative", 0.7, 2, 42)
    ids = [set(s[n]) for n in ("train", "val", "test")]
    assert not (ids[0] & ids[1]) and not (ids[0] & ids[2]) and not (ids[1] & ids[2])
    assert ids[0] | ids[1] | ids[2] == {r["id"] for r in records}
    assert 980 <= len(ids[0]) <= 1030 and 200 <= len(ids[1]) <= 240 and 200 <= len(ids[2]) <= 240


def test_same_seed_same_ids_other_seed_other_ids(v1_processed):
    records, classes = v1_processed
    a = split.split_ids(records, classes, "iterative", 0.7, 2, 42)
    b = split.split_ids(records, classes, "iterative", 0.7, 2, 42)
    c = split.split_ids(records, classes, "iterative", 0.7, 2, 7)
    assert a == b
    assert a["test"] != c["test"]


def test_stratified(v1_processed):
    records, classes = v1_processed
    s = split.split_ids(records, classes, "iterative", 0.7, 2, 42)
    report = split.label_distribution(records, classes, s)
    for name in ("train", "val", "test"):
        assert report[name]["mean_abs_deviation"] < 0.01
        assert all(share > 0 for share in report[name]["share"].values())


def test_lesson_split_on_v0(repo_params):
    from conftest import projects
    rows, vocabulary, _ = readers.read_dataset(projects("v0"))
    records, classes, _ = preprocess.apply(rows, vocabulary, repo_params["data"],
                                          repo_params["text"], 0)
    s = split.split_ids(records, classes, "lesson", 0.7, 1, 0)
    assert [len(s[n]) for n in ("train", "val", "test")] == [1000, 227, 217]
    by_id = {r["id"]: r for r in records}
    assert sum(len(set(by_id[i]["tags"])) for i in s["test"]) == 480
    assert np.unique(s["train"] + s["val"] + s["test"]).size == 1444


def test_kfold_is_disjoint_complete_and_stratified(v1_processed):
    records, classes = v1_processed
    ids = [r["id"] for r in records]
    y = binarize([r["tags"] for r in records], classes)
    folds = split.kfold_ids(ids, y, 5, order=2, seed=42)
    assert len(folds) == 5
    flat = [i for fold in folds for i in fold]
    assert len(flat) == len(set(flat)) and set(flat) == set(ids)
    assert all(abs(len(f) - len(ids) / 5) <= 0.05 * len(ids) for f in folds)
    position = {i: row for row, i in enumerate(ids)}
    overall = y.mean(axis=0)
    for fold in folds:
        share = y[[position[i] for i in fold]].mean(axis=0)
        assert np.abs(share - overall).max() < 0.02  # every class's share within 2 points
    assert folds == split.kfold_ids(ids, y, 5, order=2, seed=42)


def test_cv_mean_is_the_mean_of_the_folds(monkeypatch):
    from tagbench.studies import cv

    scores = iter([0.5, 0.7, 0.6])
    monkeypatch.setattr(cv, "folds", lambda p: [["a"], ["b"], ["c"]])
    monkeypatch.setattr(cv.training, "train_and_score",
                        lambda name, p, train, held_out: {"val": next(scores)})
    row = cv.cross_validate("x", {"split": {"folds": 3}})
    assert row["folds"] == 3
    assert row["val_f1_folds"] == [0.5, 0.7, 0.6] and row["val_f1_mean"] == np.mean([.5, .7, .6])
    assert row["val_f1_std"] == np.std([0.5, 0.7, 0.6], ddof=1)
    assert cv.cross_validate("x", {"split": {"folds": 1}}) == {"folds": 1}


def test_the_default_temporal_split_tests_on_projects_newer_than_any_trained_on(
        v1_processed, repo_params):
    records, classes = v1_processed
    assert repo_params["split"]["method"] == "temporal"
    s = split.split_ids(records, classes, "temporal", 0.7, 2, 42)
    date = {r["id"]: str(r["date"]) for r in records}
    newest = {name: max(date[i] for i in s[name]) for name in ("train", "val")}
    assert newest["train"] <= min(date[i] for i in s["val"])
    assert newest["val"] <= min(date[i] for i in s["test"])
    assert s == split.split_ids(records, classes, "temporal", 0.7, 2, 7)  # no seed moves it
    assert not split.seeded(records, "temporal") and split.seeded(records, "iterative")


def test_without_dates_the_temporal_split_is_iterative_and_a_given_split_stays(v1_processed):
    records, classes = v1_processed
    undated = [{**r, "date": None} for r in records]
    assert split.method_used(undated, "temporal") == "iterative"
    assert split.split_ids(undated, classes, "temporal", 0.7, 2, 42) == split.split_ids(
        undated, classes, "iterative", 0.7, 2, 42)
    some = [{**r, "date": None} if i == 3 else r for i, r in enumerate(records)]
    with pytest.raises(TagbenchError, match="needs a date .* on every row; 1 have none"):
        split.split_ids(some, classes, "temporal", 0.7, 2, 42)
    given = [{**r, "split": "train" if i % 3 else "test" if i % 2 else "val"}
             for i, r in enumerate(records)]
    assert split.method_used(given, "temporal") == "given"
