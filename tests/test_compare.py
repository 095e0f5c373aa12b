"""tagbench compare: the paired and unpaired bootstrap of a difference, verdicts, the
reproduction check and bad revisions (the real DAG's commits: test_dag.py)."""

import json
import subprocess

import numpy as np
import pytest

from tagbench.core.errors import TagbenchError
from tagbench.data import artifacts
from tagbench.runs import compare, float_drift
from tagbench.runs.compare import UNMEASURED, Rule
from tagbench.studies import noise

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


def test_each_side_is_read_from_its_own_revision(truth, tmp_path, monkeypatch):
    """HEAD's tags file and the workspace's differ: the difference is theirs, in order, and
    the same predictions written twice compare as identical."""
    import json

    from tagbench.core import metrics

    monkeypatch.chdir(tmp_path)
    worse, better = noisy(truth, 0.2, 1), noisy(truth, 0.05, 2)
    path = tmp_path / artifacts.tags_path("svm")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(tags_file(truth, worse)))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "worse")
    path.write_text(json.dumps(tags_file(truth, better)))
    row = compare.compare("HEAD", "workspace", 200, 0, by_name={})["rows"][0]
    expected = metrics.overall(truth, better)["f1"] - metrics.overall(truth, worse)["f1"]
    assert row["difference"] == pytest.approx(expected) and row["low"] > 0
    path.write_text(json.dumps(tags_file(truth, worse.copy())))
    same = compare.compare("HEAD", "workspace", 200, 0, by_name={})["rows"][0]
    assert same["paired"] and same["difference"] == 0 and same["low"] == same["high"] == 0
    assert compare.verdict(same, UNMEASURED) == "identical"


def test_the_pull_request_comment_lists_the_stages_rerun_then_the_table(truth, tmp_path,
                                                                        monkeypatch, capsys):
    """What CI posts: the marker it finds its comment by, the stages whose dvc.lock entries
    changed (one baseline's chain and the report, not the other baseline), the table."""
    import json

    from tagbench import cli

    monkeypatch.chdir(tmp_path)
    lock = {"stages": {f"{stage}@{name}": {"cmd": f"python stages/{stage}.py {name}",
                                           "outs": [{"path": name, "md5": "0"}]}
                       for stage in ("train", "evaluate") for name in ("svm", "rules")}}
    lock["stages"]["report"] = {"cmd": "python stages/report.py"}
    (tmp_path / "dvc.lock").write_text(json.dumps(lock))  # YAML's flow style
    for name, y in (("svm", noisy(truth, 0.2, 1)), ("rules", noisy(truth, 0.3, 3))):
        path = tmp_path / artifacts.tags_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(tags_file(truth, y)))
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    (tmp_path / artifacts.tags_path("svm")).write_text(
        json.dumps(tags_file(truth, noisy(truth, 0.05, 2))))
    for stage in ("train@svm", "evaluate@svm"):
        lock["stages"][stage]["outs"][0]["md5"] = "1"
    lock["stages"]["report"]["deps"] = [{"path": "metrics", "md5": "2"}]
    (tmp_path / "dvc.lock").write_text(json.dumps(lock))
    cli.main(["compare", "HEAD", "workspace", "--comment", "--resamples", "200"])
    body = capsys.readouterr().out.splitlines()
    assert body[:3] == [compare.COMMENT_MARKER,
                        "It re-ran 3 stage(s): `evaluate@svm`, `report`, `train@svm`", ""]
    rows = {line.split(" | ")[0].strip("| "): line for line in body if line.startswith("| ")}
    assert rows["svm"].endswith("| better |") and rows["rules"].endswith("| identical |")


def test_paired_interval_is_narrower_than_unpaired_and_finds_a_real_gain(truth):
    a = tags_file(truth, noisy(truth, 0.25, 1))
    b = tags_file(truth, noisy(truth, 0.05, 2))
    paired = compare.compare_baseline(a, b, 500, 0)
    shuffled = tags_file(truth[::-1], noisy(truth, 0.05, 2)[::-1], ids=list(range(1000, 1300)))
    unpaired = compare.compare_baseline(a, shuffled, 500, 0)
    assert paired["paired"] and not unpaired["paired"]
    assert paired["low"] > 0 and compare.verdict(paired, UNMEASURED) == "better"
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


EXACT = Rule("exact", 0.0, "exact under every float path")


@pytest.mark.parametrize("difference, low, high, rule, expected", [
    (0.02, -0.01, 0.05, UNMEASURED, "within noise"),
    (0.02, 0.01, 0.03, Rule("floor", 0.025, "seed"), "within noise (seed floor)"),
    (0.02, 0.01, 0.03, Rule("floor", 0.025, "float path"), "within noise (float path floor)"),
    (0.02, 0.01, 0.03, Rule("floor", 0.01, "seed"), "better"),
    (0.02, 0.01, 0.03, EXACT, "better"),
    (-0.02, -0.03, -0.01, UNMEASURED, "worse"),
])
def test_verdicts(difference, low, high, rule, expected):
    row = {"difference": difference, "low": low, "high": high}
    assert compare.verdict(row, rule) == expected


def test_reproduction_check_holds_exact_baselines_to_identity_and_others_to_their_floor():
    rows = [{"baseline": "svm", "a": 0.6, "b": 0.6 + 1e-9, "difference": 1e-9, "rule": EXACT},
            {"baseline": "embed", "a": 0.62, "b": 0.618, "difference": -0.002,
             "rule": Rule("floor", 0.004, "float path")},
            {"baseline": "cnn", "a": 0.65, "b": 0.64, "difference": -0.01,
             "rule": Rule("floor", 0.02, "seed")},
            {"baseline": "gru", "a": 0.56, "b": 0.50, "difference": -0.06,
             "rule": Rule("floor", 0.02, "seed")},
            {"baseline": "new", "a": 0.5, "b": 0.49, "difference": -0.01, "rule": UNMEASURED},
            {"baseline": "rules", "a": 0.5, "b": 0.5, "difference": 0.0, "rule": UNMEASURED}]
    failures = compare.reproduction_failures({"rows": rows})
    assert [line.split(":")[0] for line in failures] == ["svm", "gru", "new"]
    assert "held to identity (exact under every float path)" in failures[0]
    assert "held to floor 0.0200 (seed)" in failures[1] and "make noise" in failures[1]
    assert "`make drift`" in failures[2]


def test_the_table_says_which_rule_each_baseline_was_held_to(truth):
    same = tags_file(truth, noisy(truth, 0.1, 1))
    row = {"baseline": "svm", **compare.compare_baseline(same, same, 100, 0), "rule": EXACT,
           "verdict": "identical"}
    floor = {**row, "baseline": "cnn", "rule": Rule("floor", 0.031, "seed")}
    text = compare.markdown({"a": "HEAD", "b": "workspace", "note": None, "rows": [row, floor]})
    assert "| held to | verdict |" in text
    assert "| identity (exact under every float path) | identical |" in text
    assert "| floor 0.0310 (seed) | identical |" in text


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


def test_a_failing_git_is_one_line_with_its_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not a git repository
    with pytest.raises(TagbenchError, match="^git rev-parse failed: fatal: not a git repo"):
        compare.compare("HEAD", "workspace")


def test_seed_floors_bound_the_difference_of_two_runs(tmp_path):
    runs = [{"test": f} for f in (0.60, 0.62, 0.61, 0.63, 0.59)]  # sample std 0.0158
    path = tmp_path / "floor.json"
    path.write_text(json.dumps({"baselines": {
        "cnn": {"seed": {"runs": runs}}, "svm": {"seed": {"runs": [{"test": 0.6}] * 5}},
        "x": {"seed": None}}}))
    t_4 = 8.610  # Student's t, 4 degrees of freedom, two-sided 99.9%
    assert compare.seed_floors(path) == pytest.approx({"cnn": t_4 * 2 ** 0.5 * 0.01581,
                                                       "svm": 0.0}, abs=1e-4)
    assert compare.seed_floors(tmp_path / "missing.json") == {}


def test_an_unchanged_chaotic_baseline_exceeds_its_seed_floor_rarely_and_the_seed_range_often():
    rng = np.random.default_rng(0)
    draws = rng.normal(0.62, 0.02, size=(2000, 12))  # 10 seeds measured, then two runs
    gaps = np.abs(draws[:, 10] - draws[:, 11])
    floors = [noise.seed_floor([{"test": f} for f in d[:10]]) for d in draws]
    assert np.mean(gaps > floors) < 0.003  # 0.001 expected
    assert np.mean(gaps > np.ptp(draws[:, :10], axis=1)) > 0.02  # the range it replaced


def outcome(**baselines):
    """outcome()'s shape: {baseline: (predictions hash, test F1)}."""
    return {n: {"predictions": h, "test": f1} for n, (h, f1) in baselines.items()}


def test_float_drift_finds_the_exact_baselines_and_the_largest_change_of_the_others():
    reference = outcome(svm=("s", 0.677), embed=("e", 0.6253), cnn=("c", 0.643))
    runs = {"aten": outcome(svm=("s", 0.677), embed=("e2", 0.6221), cnn=("c2", 0.650)),
            "mkl": outcome(svm=("s", 0.677), embed=("e3", 0.6260), cnn=("c", 0.643))}
    drift = float_drift.drift(reference, runs)
    assert drift["svm"]["exact"] and drift["svm"]["floor"] == 0
    assert not drift["embed"]["exact"] and drift["embed"]["floor"] == pytest.approx(0.0032)
    assert drift["cnn"]["paths"]["mkl"]["same"] and not drift["cnn"]["exact"]
    assert drift["cnn"]["floor"] == pytest.approx(0.007)
    text = float_drift.markdown({"reference": "0" * 40, "env": {"aten": {"A": "1"},
                                 "mkl": {"M": "2"}}, "baselines": drift})
    assert "| svm | = | = | yes | 0.0000 |" in text
    assert "| embed | -0.0032 | +0.0007 | no | 0.0032 |" in text


def test_each_baseline_is_held_to_identity_or_the_larger_of_its_floors(tmp_path):
    def seeds(*scores):
        return {"seed": {"runs": [{"test": f} for f in scores]}}

    noise_path, drift = tmp_path / "noise.json", tmp_path / "drift.json"
    noise_path.write_text(json.dumps({"baselines": {
        "cnn": seeds(0.60, 0.62, 0.61, 0.63, 0.59), "rf": seeds(0.600, 0.601, 0.600, 0.601, 0.600),
        "embed": seeds(0.6, 0.6), "svm": seeds(0.6, 0.6)}}))
    drift.write_text('{"baselines": {"cnn": {"exact": false, "floor": 0.01},'
                     ' "embed": {"exact": false, "floor": 0.004},'
                     ' "hyb": {"exact": false, "floor": 0.0},'
                     ' "svm": {"exact": true, "floor": 0.0}}}')
    rules = compare.rules(noise_path, drift, hybrids={"hyb": {"model": "cnn"}})
    assert rules["cnn"] == Rule("floor", pytest.approx(0.1926, abs=1e-4), "seed")
    assert rules["embed"] == Rule("floor", 0.004, "float path")
    assert rules["hyb"] == Rule("floor", rules["cnn"].floor, "cnn's seed")  # none of its own
    assert rules["svm"].held_to == "exact"
    assert rules["rf"] == Rule("floor", pytest.approx(0.0067, abs=1e-4),
                               "seed; float path not measured")
    assert compare.rules(tmp_path / "none.json", tmp_path / "none.json") == {}


def test_the_float_path_environment_and_an_unknown_path():
    assert float_drift.environment("aten-default") == "ATEN_CPU_CAPABILITY=default"
    assert float_drift.SECOND_MACHINE in float_drift.PATHS
    with pytest.raises(TagbenchError, match="unknown float path 'fast'; known: aten-default"):
        float_drift.environment("fast")
