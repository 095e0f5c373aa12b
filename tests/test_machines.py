"""Experiments on several machines, the DVC way: a bare git repository as the shared remote,
a local folder as the shared DVC remote, two clones that each run one point of a sweep's grid
and push it (`tagbench tune --point N --push origin`: `dvc exp run`, `dvc exp push`), and a
third that pulls them, ranks them (`tagbench tune --rank origin`) and compares them. These
are the steps of .github/workflows/sweep.yml, whose runners are the machines."""

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

    for number in (1, 2):  # sweeps.yaml's tfidf_svm grid: C=0.3 with word 1-grams, 2-grams
        clone = machine(origin, store, tmp_path / f"machine-{number}")
        sh(clone, "tagbench", "tune", "tfidf_svm", "--point", str(number), "--push", "origin")

    reviewer = machine(origin, store, tmp_path / "reviewer")
    ranking = sh(reviewer, "tagbench", "tune", "tfidf_svm", "--rank", "origin")
    assert "tfidf_svm-3: not on origin" in ranking.stderr  # no machine ran it
    rows = [line.split(" | ") for line in ranking.stdout.splitlines()
            if line.startswith(("| 1 ", "| 2 "))]
    assert sorted(row[1] for row in rows) == ["tfidf_svm-1", "tfidf_svm-2"]
    assert float(rows[0][4]) >= float(rows[1][4])  # best val macro F1 first
    shown = json.loads(sh(reviewer, "dvc", "exp", "show", "--json").stdout)
    names = {e["name"] for rev in shown for e in rev.get("experiments") or []}
    assert {"tfidf_svm-1", "tfidf_svm-2"} <= names

    compared = sh(reviewer, "tagbench", "compare", "tfidf_svm-1", "tfidf_svm-2").stdout
    rows = {line.split(" | ")[0].strip("| "): line for line in compared.splitlines()
            if line.startswith("| ")}
    assert not rows["tfidf_svm"].endswith("| identical |")
    assert rows["tfidf_logreg"].endswith("| identical |")
    assert rows["cnn"].endswith("| identical |")

    # the outputs came through the DVC remote: point 1's model is applied, and tags the test
    # projects exactly as its evaluate stage did, not as the base commit's model does
    sh(reviewer, "dvc", "exp", "apply", "tfidf_svm-1")
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
