"""Experiments on several machines, the DVC way: a bare git repository as the shared remote,
a local folder as the shared DVC remote, two clones that each run a different experiment and
push it (`dvc exp push`), and a third that pulls both and compares them."""

import json
import subprocess

import pytest

from conftest import ENV, sh

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def machine(origin, store, path):
    """A clone of the shared repository with the shared DVC remote as its default (in
    config.local: where a real machine keeps its credentials), its data pulled."""
    sh(path.parent, "git", "clone", "-q", "-b", "main", str(origin), str(path))
    sh(path, "dvc", "remote", "add", "--local", "-d", "shared", str(store))
    sh(path, "dvc", "pull", "-q")
    return path


def test_experiments_from_two_machines_meet_in_a_third(dag, tmp_path):
    origin, store = tmp_path / "origin.git", tmp_path / "store"
    sh(tmp_path, "git", "init", "-q", "--bare", str(origin))
    sh(dag, "dvc", "remote", "add", "--local", "exchange", str(store))
    try:
        sh(dag, "dvc", "push", "-q", "-r", "exchange")  # the committed run's data and outputs
    finally:
        sh(dag, "dvc", "remote", "remove", "--local", "exchange")
    sh(dag, "git", "push", "-q", str(origin), "HEAD:refs/heads/main")

    for name, flag in (("a", "tfidf_svm.C=0.05"), ("b", "tfidf_logreg.C=0.05")):
        clone = machine(origin, store, tmp_path / f"machine-{name}")
        sh(clone, "dvc", "exp", "run", "-n", f"exp-{name}", "-S", flag,
           f"evaluate@{flag.split('.')[0]}")
        sh(clone, "dvc", "exp", "push", "origin", f"exp-{name}")  # git refs + DVC outputs

    reviewer = machine(origin, store, tmp_path / "reviewer")
    listed = sh(reviewer, "dvc", "exp", "list", "origin").stdout
    assert "exp-a" in listed and "exp-b" in listed
    for name in ("exp-a", "exp-b"):
        sh(reviewer, "dvc", "exp", "pull", "origin", name)
    shown = json.loads(sh(reviewer, "dvc", "exp", "show", "--json").stdout)
    names = {e["name"] for rev in shown for e in rev.get("experiments") or []}
    assert {"exp-a", "exp-b"} <= names

    compared = sh(reviewer, "tagbench", "compare", "exp-a", "exp-b").stdout
    rows = {line.split(" | ")[0].strip("| "): line for line in compared.splitlines()
            if line.startswith("| ")}
    assert not rows["tfidf_svm"].endswith("| identical |")
    assert not rows["tfidf_logreg"].endswith("| identical |")
    assert rows["cnn"].endswith("| identical |")

    # the outputs came through the DVC remote: exp-a's model is applied, and tags the test
    # projects exactly as exp-a's evaluate stage did, not as the base commit's model does
    sh(reviewer, "dvc", "exp", "apply", "exp-a")
    tags = json.loads((reviewer / "metrics" / "tags" / "tfidf_svm.json").read_text())
    base = json.loads(sh(reviewer, "git", "show", "HEAD:metrics/tags/tfidf_svm.json").stdout)
    assert tags["test"]["predicted"] != base["test"]["predicted"]
    records = {r["id"]: r for r in json.loads(
        (reviewer / "data" / "processed" / "projects.json").read_text())}
    lines = "".join(json.dumps({"text": records[i]["raw"]}) + "\n" for i in tags["test"]["ids"])
    result = subprocess.run(["tagbench", "predict", "--jsonl", "--baseline", "tfidf_svm"],
                            cwd=reviewer, env=ENV, input=lines, capture_output=True, text=True,
                            check=True)
    index = {c: i for i, c in enumerate(tags["classes"])}
    predicted = [sorted(index[t] for t in json.loads(line)["tags"])
                 for line in result.stdout.splitlines()]
    assert predicted == [sorted(p) for p in tags["test"]["predicted"]]
