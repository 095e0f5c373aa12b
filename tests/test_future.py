"""The future set (dataset.future): read with one clear line for bad input, scored under
partial labels, compared with its paired interval, and evidence against a baseline in the
recommendation, never a ground to choose one. That nothing is fitted on it: test_dag.py."""

import json

import numpy as np
import pytest

from tagbench.core import metrics
from tagbench.core.errors import TagbenchError
from tagbench.data import artifacts, preprocess, readers
from tagbench.report import recommend
from tagbench.runs import compare
from tagbench.runs.compare import Rule

CLASSES = ["a", "b", "c"]


def write_lines(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_the_shared_future_set_reads_and_keeps_to_the_classes(repo_params):
    path = repo_params["dataset"]["future"]
    records = readers.read_future(path, repo_params["dataset"]["text"])
    assert len(records) == 59 and all(r["must"] and r["raw"] for r in records)
    kept, dropped = preprocess.future(records, ["pytorch"])
    assert dropped == len(records) - len(kept) > 0
    assert all(r["must"] == ["pytorch"] and set(r["ok"]) <= {"pytorch"} for r in kept)


@pytest.mark.parametrize("row, message", [
    ({"title": "x", "description": "y", "must": "a", "ok": []}, "field 'must' must be a list"),
    ({"title": "x", "description": "y", "must": ["a"]}, "field 'ok' must be a list"),
    ({"title": "", "description": "", "must": ["a"], "ok": []}, "empty text"),
])
def test_a_bad_future_row_is_one_line_naming_the_file_line_and_field(tmp_path, row, message):
    path = write_lines(tmp_path / "future.jsonl", [
        {"title": "t", "description": "d", "must": ["a"], "ok": []}, row])
    with pytest.raises(TagbenchError, match=f"future.jsonl: line 2: .*{message}"):
        readers.read_future(path, ["title", "description"])


def test_partial_labels_count_must_for_recall_and_must_or_ok_for_precision():
    must = np.array([[1, 0, 0], [0, 1, 0]])
    ok = np.array([[0, 1, 0], [0, 0, 0]])
    predicted = np.array([[1, 1, 1], [0, 0, 0]])  # a right, b allowed, c wrong; b missed
    result = metrics.partial(must, ok, predicted, resamples=200)
    assert result["recall"] == 0.5 and result["precision"] == pytest.approx(2 / 3)
    assert result["f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert result["f1_low"] <= result["f1"] <= result["f1_high"]
    assert metrics.per_class_recall(must, predicted, CLASSES) == {
        "a": {"recall": 1.0, "must": 1}, "b": {"recall": 0.0, "must": 1}}


def future_tags(must, ok, predicted, ids=None):
    ids = list(range(len(must))) if ids is None else ids
    tags = artifacts.project_tags(ids, must, predicted)
    return {"classes": CLASSES, "future": {**tags, "ok": artifacts.project_tags(
        ids, ok, predicted)["true"]}}


@pytest.fixture(scope="module")
def future():
    rng = np.random.default_rng(0)
    must = (rng.random((60, 3)) < 0.3).astype(int)
    ok = ((rng.random((60, 3)) < 0.2) & (must == 0)).astype(int)
    return must, ok


def test_future_tags_round_trip(future):
    must, ok = future
    ids, m, o, p = artifacts.future_matrices(future_tags(must, ok, must))
    assert ids == list(range(60)) and np.array_equal(m, must) and np.array_equal(o, ok)
    assert np.array_equal(p, must) and artifacts.future_matrices({"classes": CLASSES}) is None


def test_compare_pairs_the_future_projects_and_holds_a_baseline_to_its_future_floor(future):
    must, ok = future
    a = future_tags(must, ok, np.zeros_like(must))
    b = future_tags(must, ok, must)
    row = compare.compare_future(a, b, resamples=200, seed=0)
    assert row["a"] == 0.0 and row["b"] == 1.0 and row["low"] > 0 and row["paired"]
    assert compare.verdict(row, compare.UNMEASURED) == "better"
    assert compare.compare_future(a, future_tags(must[:59], ok[:59], must[:59]), 200, 0) is None
    rules = compare.future_rules(
        {"rules": Rule("exact", 0.0, "exact"), "cnn": Rule("floor", 0.05, "seed"),
         "gru": Rule("floor", 0.05, "seed")},
        noise_path="missing.json", hybrids={"hybrid_cnn": {"model": "cnn"}})
    assert rules == {"rules": Rule("exact", 0.0, "exact")}  # no future floor measured yet


def test_future_seed_floors_come_from_the_noise_runs_that_scored_it(tmp_path):
    runs = [{"seed": s, "val": 0.5, "test": 0.5 + s / 100, "future": 0.8 + s / 50}
            for s in range(1, 6)]
    path = tmp_path / "noise_floor.json"
    path.write_text(json.dumps({"baselines": {"cnn": {"seed": {"runs": runs}},
                                              "old": {"seed": {"runs": [
                                                  {"seed": 1, "val": 0.5, "test": 0.5}]}}}}))
    floors = compare.seed_floors(path, "future")
    assert set(floors) == {"cnn"} and floors["cnn"] == pytest.approx(
        2 * compare.seed_floors(path)["cnn"])  # twice the spread, twice the floor
    rules = compare.future_rules({"cnn": Rule("floor", 0.05, "seed"),
                                  "hybrid_cnn": Rule("floor", 0.05, "seed")}, path,
                                 hybrids={"hybrid_cnn": {"model": "cnn"}})
    assert rules["hybrid_cnn"] == rules["cnn"] == Rule("floor", floors["cnn"],
                                                       "seed, on the future set")


def test_shown_worse_than_the_rules_on_new_projects_bars_a_baseline_and_chooses_none(future):
    """A baseline far below the reference on the future set is not chosen; one above it is
    chosen only if val chooses it: the future set moves nothing else."""
    must, ok = future
    tagged = {"rules": (list(range(60)), must, ok, must),
              "worse": (list(range(60)), must, ok, np.zeros_like(must)),
              "better": (list(range(60)), must, ok, must | ok)}
    bounds = recommend.future_bounds(tagged, "rules", 200, 0.05, 0)
    assert bounds["worse"] < 0 <= bounds["better"] and "rules" not in bounds
    rows = [{"name": n, "val_f1": f1, "latency_ms": 1.0, "size_mb": 1.0, "throughput": 1e3,
             "behavior_pass": 0.9,
             "faithfulness": {"difference": 0.5}, "future": {"bound": bounds.get(n)}}
            for n, f1 in (("worse", 0.7), ("better", 0.6), ("rules", 0.5))]
    config = {"max_latency_ms": 50, "max_size_mb": 100, "min_throughput": 0, "alpha": 0.05,
              "margin": 0.02,
              "cost_band": 1.5, "cost_floor_ms": 1.0, "cost_floor_mb": 1.0,
              "min_behavior_pass": 0.5, "min_faithfulness": 0.1, "future_reference": "rules"}
    val = {n: np.full(100, r["val_f1"]) for n, r in zip(("worse", "better", "rules"), rows)}
    choice = recommend.recommend(rows, val, config)
    assert choice["recommended"] == "better"
    assert choice["why_not"]["worse"].startswith("shown worse than rules on the future set")
    assert recommend.recommend(rows[1:], val, config)["recommended"] == "better"
    assert recommend.future_bounds({"x": None}, "x", 200, 0.05, 0) == {}
