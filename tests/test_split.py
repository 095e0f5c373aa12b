import numpy as np

from tagbench import split


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
    from conftest import REPO
    from tagbench import data
    p, t = (REPO / x for x in data.raw_paths("v0"))
    records, classes, _ = data.preprocess(data.read_projects(p), data.read_tags(t),
                                          repo_params["data"], repo_params["text"], 0)
    s = split.split_ids(records, classes, "lesson", 0.7, 1, 0)
    assert [len(s[n]) for n in ("train", "val", "test")] == [1000, 227, 217]
    by_id = {r["id"]: r for r in records}
    assert sum(len(set(by_id[i]["tags"])) for i in s["test"]) == 480
    assert np.unique(s["train"] + s["val"] + s["test"]).size == 1444
