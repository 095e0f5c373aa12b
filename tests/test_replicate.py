"""`tagbench compare --seeds`: the replicated statistics on small synthetic seed sets with
known answers, and how runs are found, queued and told apart (the real experiments:
docs/comparing.md)."""

import subprocess

import numpy as np
import pytest

from tagbench.core import params
from tagbench.core.errors import TagbenchError
from tagbench.models.shared import registry
from tagbench.runs import compare, replicate, revisions

CLASSES = ["a", "b", "c"]


def seed_runs(truth, flip, seeds):
    """One tag file per seed: the truth with each cell flipped at rate flip."""
    runs = []
    for seed in seeds:
        rng = np.random.default_rng(1000 + seed)  # not the truth's own stream
        predicted = np.where(rng.random(truth.shape) < flip, 1 - truth, truth)
        runs.append({"classes": CLASSES,
                     "test": {"ids": list(range(len(truth))),
                              "true": [np.flatnonzero(r).tolist() for r in truth],
                              "predicted": [np.flatnonzero(r).tolist() for r in predicted]}})
    return runs


@pytest.fixture(scope="module")
def truth():
    return (np.random.default_rng(0).random((200, 3)) < 0.3).astype(int)


def replicated(a, b, resamples=200):
    row = compare.replicated_baseline(a, b, resamples, 0)
    return {**row, "verdict": compare.verdict(row, compare.Rule("seeds", 0.0, ""))}


def test_an_obvious_difference_is_found(truth):
    row = replicated(seed_runs(truth, 0.25, range(5)), seed_runs(truth, 0.10, range(5, 10)))
    assert row["verdict"] == "better" and row["low"] > 0
    assert row["seeds"] == (5, 5) and row["a"] < row["b"]
    worse = replicated(seed_runs(truth, 0.10, range(5)), seed_runs(truth, 0.25, range(5, 10)))
    assert worse["verdict"] == "worse" and worse["high"] < 0


def test_identical_distributions_are_within_noise(truth):
    row = replicated(seed_runs(truth, 0.15, range(5)), seed_runs(truth, 0.15, range(5, 10)))
    assert row["verdict"] == "within noise" and row["low"] < 0 < row["high"]


def test_the_same_runs_on_both_sides_are_identical(truth):
    runs = seed_runs(truth, 0.15, range(3))
    row = replicated(runs, runs)
    assert row["difference"] == 0 and row["verdict"] == "identical"


@pytest.mark.slow  # 30 comparisons: 3 s
def test_it_does_not_cry_wolf(truth):
    """Thirty null comparisons of 3 seeds a side: about 5% may be called real, not more than
    a few (200 of them found 4%: docs/comparing.md)."""
    alarms = sum(replicated(seed_runs(truth, 0.15, range(k, k + 3)),
                            seed_runs(truth, 0.15, range(k + 5000, k + 5003)), 100)["verdict"]
                 != "within noise" for k in range(0, 300, 10))
    assert alarms <= 4


def test_seeds_that_disagree_widen_the_interval(truth):
    """Same means, more spread over seeds: a wider interval (the seeds are in it, not just
    the test projects)."""
    base = seed_runs(truth, 0.15, range(5))
    steady = replicated(base, seed_runs(truth, 0.15, range(5, 10)))
    spread = replicated(base, seed_runs(truth, 0.05, [10, 11]) + seed_runs(truth, 0.25, [12, 13])
                        + seed_runs(truth, 0.15, [14]))
    assert spread["sd"][1] > 3 * steady["sd"][1]
    assert spread["high"] - spread["low"] > steady["high"] - steady["low"]
    assert spread["detectable"] > steady["detectable"] > steady["high"] - steady["difference"]


def test_runs_of_one_side_must_share_their_split(truth):
    runs = seed_runs(truth, 0.15, range(2))
    runs[1]["test"]["ids"] = [i + 1000 for i in runs[1]["test"]["ids"]]
    with pytest.raises(TagbenchError, match="runs of one side evaluated other test projects"):
        replicated(runs, seed_runs(truth, 0.15, range(2)))


def test_the_table_gives_mean_and_sd_and_the_seeds(truth):
    row = replicated(seed_runs(truth, 0.25, range(3)), seed_runs(truth, 0.10, range(3, 6)))
    result = {"a": "HEAD", "b": "small", "note": None, "seeds": 3, "rows": [
        {"baseline": "cnn", **row, "rule": compare.Rule("seeds", 0.0, "3 seeds a side")},
        {"baseline": "svm", "a": 0.7, "b": 0.7, "difference": 0.0, "low": 0.0, "high": 0.0,
         "rule": compare.UNMEASURED, "verdict": "identical"}]}
    text = compare.markdown(result)
    assert "--seeds 3" in text and "| verdict | seeds |" in text
    assert f"| {row['a']:.4f} ± {row['sd'][0]:.4f} |" in text and "| better | 3 |" in text
    assert "| identical | 1 |" in text
    assert f"- cnn: with 3 seeds a side, a true difference of {row['detectable']:.4f} or more " \
        "is found 80% of the time" in text


# --- which baselines, which seeds, which runs ---------------------------------------------

P = {"seed": 42, "hybrids": {"hybrid_cnn": {"model": "cnn", "rules": "rule_based_stemmed"}},
     "baselines": {"cnn": "neural", "tfidf_svm": "tfidf", "rule_based_stemmed": "simple"},
     "cnn": {"seed": None, "lr": 0.001}, "tfidf_svm": {"seed": 7},
     "rule_based_stemmed": {"seed": None}}


def test_a_baseline_own_seed_replaces_the_global_one_for_it_alone():
    assert registry.seed("cnn", P) == 42 and registry.seed("tfidf_svm", P) == 7
    assert replicate.seeds("cnn", P, 3) == [42, 43, 44]
    assert replicate.seeds("hybrid_cnn", P, 2) == [42, 43]  # its learned member's seed
    assert replicate.section("hybrid_cnn", P) == "cnn"


def test_only_baselines_a_seed_moves_are_replicated():
    floors = {"cnn": 0.03, "tfidf_svm": 0.0}
    assert replicate.seeded("cnn", P, floors) and not replicate.seeded("tfidf_svm", P, floors)
    assert replicate.seeded("hybrid_cnn", P, floors)  # no floor of its own: its member's
    assert replicate.seeded("rule_based_stemmed", P, floors)  # unmeasured: replicated


def test_changed_baselines_are_those_whose_lock_entries_differ(monkeypatch):
    entry = {"deps": [{"path": "x", "md5": "1"}]}
    locks = {"A": {f"{s}@{n}": entry for n in ("cnn", "tfidf_svm", "rule_based_stemmed")
                   for s in ("train", "evaluate")} | {"hybrid@hybrid_cnn": entry}}
    locks["B"] = {**locks["A"], "train@cnn": {"deps": [{"path": "x", "md5": "2"}]},
                  "hybrid@hybrid_cnn": {"deps": [{"path": "y", "md5": "3"}]}}
    monkeypatch.setattr(compare, "lock_stages", lambda commit: locks[commit])
    a, b = replicate.Side("A", "A", P), replicate.Side("B", "B", P)
    assert replicate.changed(a, b) == ["cnn", "hybrid_cnn"]
    assert replicate.changed(a, a) == []


def test_a_run_counts_only_when_its_stages_ran_in_a_chain_with_its_params():
    """An experiment of the member alone leaves the hybrid's entry (and tags) on the old
    model: not a run of the hybrid under the new seed."""
    found = replicate.with_seed(P, "cnn", 43)
    lock = {"train@cnn": {"params": {"params.yaml": {"seed": 42, "cnn": found["cnn"]}},
                          "outs": [{"path": "models/cnn/model", "md5": "new"}]},
            "hybrid@hybrid_cnn": {"deps": [{"path": "models/cnn/model", "md5": "new"}],
                                  "outs": [{"path": "metrics/tags/hybrid_cnn.json"}]}}
    chain = ["train@cnn", "hybrid@hybrid_cnn"]
    assert replicate.built(lock, chain, found)
    stale = {**lock, "hybrid@hybrid_cnn": {"deps": [{"path": "models/cnn/model", "md5": "old"}]}}
    assert not replicate.built(stale, chain, found)
    assert not replicate.built(lock, chain, replicate.with_seed(P, "cnn", 44))  # other params
    assert not replicate.built({"train@cnn": lock["train@cnn"]}, chain, found)  # never built


def test_flags_turn_the_workspace_params_into_a_run():
    wanted = replicate.with_seed({**P, "cnn": {**P["cnn"], "lr": 0.0003}}, "cnn", 44)
    flags = replicate.set_flags(wanted, P)
    assert flags == ["-S", "cnn.seed=44", "-S", "cnn.lr=0.0003"]
    assert params.merge(P, {"cnn": {"seed": 44, "lr": 0.0003}}) == wanted


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_code_changes_are_what_a_stage_reads_and_none_writes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = replicate.Pipeline(deps={"tagbench", "metrics/tags/cnn.json"}, outs={"metrics/tags"})
    for path in ("params.yaml", "dvc.lock", "metrics/tags/cnn.json", "tagbench/a.py",
                 "docs/x.md", "data/raw/v1/tags.json.dvc"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("1\n")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    for path in ("params.yaml", "dvc.lock", "metrics/tags/cnn.json", "docs/x.md"):
        (tmp_path / path).write_text("2\n")
    assert replicate.code_changes("HEAD", revisions.WORKSPACE, files) == []
    for path in ("tagbench/a.py", "data/raw/v1/tags.json.dvc"):
        (tmp_path / path).write_text("2\n")
    assert replicate.code_changes("HEAD", revisions.WORKSPACE, files) == [
        "data/raw/v1/tags.json.dvc", "tagbench/a.py"]
    assert "uncommitted changes (data/raw/v1/tags.json.dvc, tagbench/a.py)" in \
        replicate.runnable(replicate.Side("HEAD", "HEAD", P), files)


@pytest.mark.parametrize("name", ["-x", "--output=/tmp/x", ""])
def test_a_revision_that_would_read_as_an_option_is_refused(name):
    with pytest.raises(TagbenchError, match="would reach git as an option"):
        revisions.resolve(name)
