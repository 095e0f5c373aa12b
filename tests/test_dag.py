"""Smoke test: the real DAG, end to end, in a temporary clone of the working tree, on small
data (the `dag` fixture, built once per session)."""

import json
import os
import shutil
import subprocess

import numpy as np
import pytest
import yaml

from conftest import ENV, REPO, restored, set_params, sh
from tagbench.core.metrics import overall
from tagbench.data.artifacts import tag_matrices

pytestmark = pytest.mark.slow

def lock_entries(root):
    return yaml.safe_load((root / "dvc.lock").read_text())["stages"]


def metrics(root, name):
    return json.loads((root / "metrics" / "baselines" / f"{name}.json").read_text())


def every_baseline(dag):
    p = yaml.safe_load((dag / "params.yaml").read_text())
    return [*p["baselines"], *p["hybrids"]]


def test_repro_builds_every_baseline(dag):
    baselines = every_baseline(dag)
    classes = json.loads((dag / "data" / "processed" / "classes.json").read_text())
    for name in baselines:
        m = metrics(dag, name)
        tags = json.loads((dag / "metrics" / "tags" / f"{name}.json").read_text())
        for split in ("test", "val"):  # each F1 is the one its projects' tags give
            _, truth, predicted = tag_matrices(tags[split], tags["classes"])
            assert m[split] == overall(truth, predicted) and truth.sum() > 0
        per_class = json.loads((dag / "reports" / name / "per_class.json").read_text())
        assert sorted(per_class) == classes
    chance = metrics(dag, "random_uniform")["test"]["f1"]
    for name in ("rule_based_stemmed", "tfidf_logreg", "tfidf_svm"):  # they learn, or match
        assert metrics(dag, name)["test"]["f1"] > chance + 0.1, name
    hybrids = yaml.safe_load((dag / "params.yaml").read_text())["hybrids"]
    for name, section in hybrids.items():  # the model alone is one of val's choices
        assert metrics(dag, name)["val"]["f1"] >= metrics(dag, section["model"])["val"]["f1"]
    assert "changed" not in sh(dag, "dvc", "status").stdout
    for name in set(baselines) & {"cnn", "rnn", "transformer"}:
        assert (dag / "dvclive" / name / "plots" / "metrics" / "val_loss.tsv").exists()
        assert (dag / "reports" / "training_curves.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((dag / "dvclive" / "tfidf_svm" / "metrics.json").read_text()) == {}


def test_report_ranks_every_baseline(dag):
    baselines = every_baseline(dag)
    tradeoffs = json.loads((dag / "metrics" / "tradeoffs.json").read_text())
    rows = {r["name"]: r for r in tradeoffs["baselines"]}
    assert set(rows) == set(baselines)
    for r in rows.values():
        assert r["test_f1_low"] <= r["test_f1"] <= r["test_f1_high"] and 0 <= r["test_f1"] <= 1
        assert r["latency_ms"] > 0 and r["size_mb"] > 0 and r["throughput"] > 0
        assert r["test_f1"] == metrics(dag, r["name"])["test"]["f1"]  # the evaluate stage's
    assert [r["val_f1"] for r in tradeoffs["baselines"]] == sorted(
        (r["val_f1"] for r in rows.values()), reverse=True)  # val chooses, so val sorts
    assert tradeoffs["recommended"] in tradeoffs["recommendation"]["candidates"]
    assert tradeoffs["pareto_front"] and set(tradeoffs["pareto_front"]) <= set(baselines)
    text = (dag / "reports" / "tradeoffs.md").read_text()
    assert all(f"| {name} |" in text for name in baselines) and "## Recommendation" in text
    for png in ("tradeoffs", "per_class_f1", "pr_curves"):
        assert (dag / "reports" / f"{png}.png").read_bytes()[:4] == b"\x89PNG"
    assert "latency_ms" not in json.dumps(metrics(dag, "cnn"))  # metric files stay clean


CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (.ci/run installs it)")
def test_plots_page_renders_offline(dag, tmp_path):
    template = REPO / "plots" / "template.html"
    assert template.exists(), "run `make install` (it builds the offline template)"
    sh(dag, "dvc", "plots", "show", "--html-template", str(template), "-o", str(tmp_path))
    page = (tmp_path / "index.html").read_text()
    assert "cdn.jsdelivr" not in page
    dom = sh(tmp_path, CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=10000", "--dump-dom", (tmp_path / "index.html").as_uri()
             ).stdout
    vega_plots = page.count("vegaEmbed(")
    assert vega_plots == 3 + 1 + len(every_baseline(dag))  # losses, val F1, each one's PR
    assert dom.count("<canvas") + dom.count("<svg class=\"marks\"") >= vega_plots  # all drew
    assert dom.count("<img") >= 3  # the PNG figures


@pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (.ci/run installs it)")
def test_explanations_page_renders_offline(dag, tmp_path):
    page = dag / "reports" / "explanations.html"
    dom = sh(tmp_path, CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
             page.as_uri()).stdout
    baselines = yaml.safe_load((dag / "params.yaml").read_text())["baselines"]
    assert all(f"<th>{name}<br>" in dom for name in baselines)
    assert dom.count("<mark") > 10
    assert "<script" not in page.read_text() and "<link" not in page.read_text()  # offline


def stages_rerun_by(dag, *flags):
    """The dvc.lock entries a `dvc exp run` with these flags changed; the metrics it wrote
    are returned too, then the committed run is restored."""
    before = lock_entries(dag)
    with restored(dag):
        sh(dag, "dvc", "exp", "run", *flags)
        after = lock_entries(dag)
        written = {str(p.relative_to(dag / "metrics").with_suffix("")): json.loads(p.read_text())
                   for p in (dag / "metrics").glob("**/*.json")}
    return {stage for stage in after if before.get(stage) != after[stage]}, written


@pytest.mark.integration  # experiments and forced retraining: minutes each
def test_exp_run_reruns_only_what_its_params_touch(dag):
    """One experiment changes a baseline's C, turns on 3-fold cv over two baselines and a
    two-seed noise floor of two baselines: only their stages run, the svm's hybrid among
    them and no other hybrid; the split seed asked for is not run (the temporal split has no
    seed to vary)."""
    changed, written = stages_rerun_by(
        dag, "-S", "tfidf_svm.C=0.5", "-S", "split.folds=3",
        "-S", "cv.baselines=[rule_based_stemmed,tfidf_svm]", "-S", "noise.seeds=[1,2]",
        "-S", "noise.split_seeds=[3]", "-S", "noise.baselines=[random_uniform,tfidf_logreg]")
    assert changed == {"train@tfidf_svm", "evaluate@tfidf_svm", "hybrid@hybrid_svm", "slices",
                       "cv@rule_based_stemmed", "cv@tfidf_svm", "noise@random_uniform",
                       "noise@tfidf_logreg", "report", "ship"}  # not hybrid@hybrid_logreg
    cv = {name: written[f"cv/{name}"] for name in ("rule_based_stemmed", "tfidf_svm")}
    for row in cv.values():  # three folds, each scored on its own projects
        assert len(set(row["val_f1_folds"])) == 3
        assert row["val_f1_mean"] == pytest.approx(np.mean(row["val_f1_folds"]), abs=1e-6)
        assert row["folds"] == 3
    assert cv["tfidf_svm"]["val_f1_mean"] > 0.2
    assert written["tradeoffs"]["recommendation"]["by"] == "folds"  # chosen on the folds
    noise = {n: written[f"noise/{n}"]["baselines"][n] for n in ("random_uniform", "tfidf_logreg")}
    logreg = noise["tfidf_logreg"]["seed"]
    assert [r["seed"] for r in logreg["runs"]] == [1, 2]
    assert logreg["test"]["min"] <= logreg["test"]["mean"] <= logreg["test"]["max"]
    assert noise["random_uniform"]["split_seed"] is None  # the temporal split draws no seed


@pytest.mark.integration  # a re-run of one baseline's stages: about a minute
def test_the_comment_lists_the_stages_dvc_reruns_for_a_one_baseline_change(dag):
    """A pull request changing tfidf_svm.C: the stages `dvc repro` runs or restores from the
    run-cache (DVC decides each as it goes; `--dry` lists only those whose own deps changed)
    are the ones the CI comment lists (their dvc.lock entries changed): the svm's chain, its
    hybrid and what reads every baseline."""
    import re

    with restored(dag):
        set_params(dag / "params.yaml", **{"tfidf_svm.C": 0.5})
        log = sh(dag, "dvc", "repro").stdout
        # run, or restored from the run-cache an earlier test's experiment with C=0.5 left
        ran = sorted(re.findall(r"(?:Running stage|Stage) '([^']+)'(?::| is cached)", log))
        comment = sh(dag, "tagbench", "compare", "HEAD", "workspace", "--comment").stdout
    listed = re.findall(r"`([^`]+)`", comment.splitlines()[1])
    assert listed == ran == sorted(["train@tfidf_svm", "evaluate@tfidf_svm", "hybrid@hybrid_svm",
                                    "slices", "report", "ship"])
    assert "| tfidf_svm |" in comment


def test_the_recommendation_never_reads_the_test_split(dag):
    """What every evaluate stage wrote of the test split replaced (each test project's true
    tags rotated to another project, and the test metrics made again from them), then the
    report made again: test F1 moves, the choice does not."""
    from tagbench.core import metrics as scores
    from tagbench.data import artifacts

    before = json.loads((dag / "metrics" / "tradeoffs.json").read_text())
    with restored(dag):
        for name in every_baseline(dag):
            tags_path, metrics_path = (dag / artifacts.tags_path(name),
                                       dag / artifacts.metrics_path(name))
            tags, measured = json.loads(tags_path.read_text()), metrics(dag, name)
            truth = tags["test"]["true"]
            tags["test"]["true"] = truth[1:] + truth[:1]
            _, y_true, y_pred = artifacts.tag_matrices(tags["test"], tags["classes"])
            measured["test"] = scores.overall(y_true, y_pred)
            tags_path.write_text(json.dumps(tags))
            metrics_path.write_text(json.dumps(measured))
        sh(dag, "python", "stages/report.py")
        after = json.loads((dag / "metrics" / "tradeoffs.json").read_text())
    assert [r["test_f1"] for r in after["baselines"]] != [
        r["test_f1"] for r in before["baselines"]]
    for key in ("best_on_val", "candidates", "bounds", "recommended"):
        assert after["recommendation"][key] == before["recommendation"][key]


def test_nothing_is_fitted_or_chosen_on_the_future_set(dag):
    """The future set's labels rotated (each project given another's must and ok tags, in a
    copy that dataset.future names), then `dvc repro`: only the stages that score it re-run,
    every model, threshold and score comes out the same bytes, val is unmoved, and the future
    F1 moves."""
    import re

    rows = [json.loads(line) for line in
            (dag / "data" / "raw" / "future" / "readmes.jsonl").read_text().splitlines()]
    labels = [(r["must"], r["ok"]) for r in rows]
    for row, (must, ok) in zip(rows, labels[1:] + labels[:1]):
        row["must"], row["ok"] = must, ok
    rotated = dag / "rotated.jsonl"
    before = json.loads((dag / "metrics" / "tradeoffs.json").read_text())
    lock = lock_entries(dag)
    with restored(dag):
        rotated.write_text("".join(json.dumps(r) + "\n" for r in rows))
        set_params(dag / "params.yaml", **{"dataset.future": rotated.name})
        try:
            ran = set(re.findall(r"Running stage '([^@']+)", sh(dag, "dvc", "repro").stdout))
        finally:
            rotated.unlink()
        after, moved = (json.loads((dag / "metrics" / "tradeoffs.json").read_text()),
                        lock_entries(dag))
    assert ran <= {"preprocess", "evaluate", "hybrid", "slices", "report", "ship"}
    assert "evaluate" in ran
    for stage, entry in lock.items():  # models and thresholds: the same bytes
        outs = {o["path"]: o["md5"] for o in entry.get("outs", [])
                if o["path"].startswith("models/") or o["path"].startswith("data/predictions")}
        assert outs == {o["path"]: o["md5"] for o in moved[stage].get("outs", [])
                        if o["path"] in outs}, stage
    assert [(r["name"], r["val_f1"]) for r in after["baselines"]] == [
        (r["name"], r["val_f1"]) for r in before["baselines"]]
    assert [r["future"]["f1"] for r in after["baselines"]] != [
        r["future"]["f1"] for r in before["baselines"]]


@pytest.mark.integration  # experiments and forced retraining: minutes each
def test_compare_commits_experiments_and_the_workspace(dag):
    with restored(dag):
        sh(dag, "dvc", "exp", "run", "-n", "svm-tiny-c", "-S", "tfidf_svm.C=0.001",
           "evaluate@tfidf_svm")
        workspace = sh(dag, "tagbench", "compare").stdout  # HEAD against the workspace
        experiment = sh(dag, "tagbench", "compare", "HEAD", "svm-tiny-c").stdout
        check = sh(dag, "tagbench", "compare", "--check", check=False)
    def table(text):
        test = text.split("### The future set")[0]  # the test table; the future set's follows
        return {line.split(" | ")[0].strip("| "): line for line in test.splitlines()
                if line.startswith("| ") and "| baseline |" not in line}

    rows = table(workspace)
    assert "| -0." in rows["tfidf_svm"] and not rows["tfidf_svm"].endswith("| identical |")
    assert all(line.endswith("| identical |") for name, line in rows.items()
               if name != "tfidf_svm")
    assert table(experiment) == rows  # the experiment by name: the same numbers
    assert check.returncode == 2 and check.stderr.startswith("tfidf_svm: test macro F1")
    assert "held to identity" in check.stderr
    reproduced = sh(dag, "tagbench", "compare", "--check")
    assert "reproduces HEAD: identical where exact" in reproduced.stdout
    other_split = sh(dag, "tagbench", "compare", "HEAD~1", "HEAD").stdout
    assert "The two sides differ in their split" in other_split  # the full data's commit


@pytest.mark.integration  # experiments through the queue: a minute
def test_a_replicated_compare_runs_only_the_missing_seeds_and_reuses_them(dag):
    with restored(dag):
        sh(dag, "dvc", "exp", "run", "-n", "uniform-seed7", "-S", "random_uniform.seed=7",
           "evaluate@random_uniform")
        first = sh(dag, "tagbench", "compare", "HEAD", "uniform-seed7", "--seeds", "2").stdout
        again = sh(dag, "tagbench", "compare", "HEAD", "uniform-seed7", "--seeds", "2").stdout
        unknown = sh(dag, "tagbench", "compare", "HEAD", "uniform-seed7", "--seeds", "2",
                     "--baselines", "nope", check=False)
    # only the changed baseline that a seed moves; one new seed a side, then none
    assert "random_uniform: HEAD has 1 of its 2 seeds; running [43]" in first
    assert "random_uniform: uniform-seed7 has 1 of its 2 seeds; running [8]" in first
    assert "running" not in again and "uniform-seed7 has 2 of its 2 seeds" in again
    row = next(line for line in again.splitlines() if line.startswith("| random_uniform |"))
    assert " ± " in row and row.endswith("| 2 |") and "2 seeds a side" in row
    svm = next(line for line in again.splitlines() if line.startswith("| tfidf_svm |"))
    assert svm.endswith("| identical | 1 |")  # deterministic: one run a side
    assert unknown.returncode == 2 and "'nope' is not a baseline of both" in unknown.stderr


@pytest.mark.integration
def test_a_sweep_runs_through_the_queue(dag, monkeypatch):
    from tagbench.runs import tune

    monkeypatch.chdir(dag)
    for key in ("PATH", "PYTHONPATH", "DVC_NO_ANALYTICS", "HF_HUB_OFFLINE"):
        monkeypatch.setenv(key, ENV[key])
    names = tune.queue("tfidf_svm", {"tfidf_svm.C": [0.5, 2]})
    assert len(names) == 2
    tune.run_queue(poll_seconds=1)
    rows = tune.ranked("tfidf_svm", ["tfidf_svm.C"], names)
    assert sorted(row[3]["tfidf_svm.C"] for row in rows) == [0.5, 2]
    assert all(0 < val <= 1 and 0 < test <= 1 for val, test, _, _ in rows)
    assert rows[0][0] >= rows[1][0]  # ranked by val macro F1


def test_failed_stage_loses_nothing(dag):
    lock = (dag / "dvc.lock").read_text()
    with restored(dag):  # cached outputs come back from the cache, metrics from git
        set_params(dag / "params.yaml", **{"split.train_size": 1.5})
        result = sh(dag, "dvc", "repro", check=False)
        assert result.returncode != 0
        assert "split.train_size = 1.5 is out of range" in result.stderr
        assert (dag / "dvc.lock").read_text() == lock
    assert (dag / "data" / "splits.json").exists()
    assert "changed" not in sh(dag, "dvc", "status").stdout


@pytest.mark.integration  # experiments and forced retraining: minutes each
def test_exp_run_on_v2(dag):
    """Another data version through one baseline's stages (the rest would prove nothing new)."""
    with restored(dag):
        sh(dag, "dvc", "exp", "run", "-S", "dataset.dir=data/raw/v2", "evaluate@tfidf_svm")
        stats = json.loads((dag / "metrics" / "data.json").read_text())
        assert stats["version"] == "v2" and stats["classes"] < 35
        assert metrics(dag, "tfidf_svm")["test"]["f1"] > 0.2  # chance is about 0.1


@pytest.mark.integration
def test_the_whole_dag_on_another_dataset_with_its_own_split(dag, tmp_path):
    """GoEmotions (TSV, label ids, its own split, no vocabulary, no behavioural cases) from its
    preset, on a sample, narrowed to the baselines the assertions read (`tagbench only`, as
    a user narrows it); then its report against the published numbers, which reads only the
    run's own baselines."""
    flags = sh(dag, "tagbench", "preset", "params.goemotions.yaml").stdout.split()
    named = ["rule_based_unstemmed", "rule_based_stemmed", "tfidf_logreg", "tfidf_knn",
             "transformer"]
    with restored(dag):
        only = sh(dag, "tagbench", "only", *named).stdout.split()
        sh(dag, "dvc", "exp", "run", "-n", "goemotions-sample", *flags, *only,
           "-S", "data.sample=3000", "-S", "tfidf_knn.max_train_rows=1000",
           "-S", "transformer.num_epochs=1")  # the smoke's few epochs
        stats = json.loads((dag / "metrics" / "data.json").read_text())
        assert stats["version"] == "goemotions" and stats["classes"] > 20
        splits = json.loads((dag / "data" / "splits.json").read_text())
        records = {r["id"]: r for r in json.loads(
            (dag / "data" / "processed" / "projects.json").read_text())}
        assert splits["method"] == "given"
        assert all(records[i]["split"] == name for name in ("train", "val", "test")
                   for i in splits[name])
        assert metrics(dag, "tfidf_logreg")["test"]["f1"] > 0.1
        assert metrics(dag, "rule_based_unstemmed")["test"]["f1"] > 0  # the emotion names
        tradeoffs = (dag / "reports" / "tradeoffs.md").read_text()
        assert "**tfidf_knn** was over its training budget: trained on 1,000 of the" in tradeoffs
        assert "| none apply |" in tradeoffs  # no behavioural cases for emotions
        out = tmp_path / "goemotions.md"
        sh(dag, "tagbench", "published-report", "goemotions-sample",
           "benchmarks/published/goemotions.yaml", "--out", str(out))
        report = out.read_text()
        assert "| BERT-base, fine-tuned (threshold 0.3) | macro f1 | 0.46 |" in report
        assert "| transformer (" in report and "| tfidf_logreg | " in report
        assert "| TF-IDF + logistic regression (binary relevance) | micro f1 | 0.51 |" in report
        assert "### Recommendation" in report


def test_stale_lock_fails_check(dag):
    with restored(dag):
        set_params(dag / "params.yaml", **{"tfidf_svm.C": 0.5})
        result = sh(dag, "tagbench", "check-lock", check=False)
    assert result.returncode == 2
    assert "train@tfidf_svm" in result.stderr and "run `dvc repro`" in result.stderr
    assert "evaluate@" not in result.stderr  # only the stage whose params changed


CHEAP_OUTPUTS = ["data/processed/*.json", "data/splits.json", "data/class_weights.json",
                 "data/predictions/*/*.npy", "models/*/threshold.json", "metrics/*.json",
                 "metrics/baselines/*.json"]
TIMED = {"metrics/tradeoffs.json"}  # latency and throughput: measured, so never identical


def output_hashes(root):
    import hashlib
    return {str(p.relative_to(root)): hashlib.md5(p.read_bytes()).hexdigest()
            for pattern in CHEAP_OUTPUTS for p in sorted(root.glob(pattern))
            if str(p.relative_to(root)) not in TIMED}


def trained(root):
    """{train stage: {out path: md5}} of dvc.lock's models and scores (the fit's log and its
    training time are measured: they differ from run to run)."""
    return {stage: {o["path"]: o["md5"] for o in entry["outs"]
                    if o["path"].startswith(("models/", "data/predictions/"))}
            for stage, entry in lock_entries(root).items() if stage.startswith("train@")}


@pytest.mark.integration  # experiments and forced retraining: minutes each
def test_forced_repro_is_byte_identical(dag):
    """The split and every baseline's training forced again (neural ones included, on CPU),
    then whatever their outputs would change: every model, its scores and every other output
    are the same bytes, so nothing downstream of training re-runs but the report (which
    shows the training times) and ship (which reads the report)."""
    before, models = output_hashes(dag), trained(dag)
    with restored(dag):
        forced = sh(dag, "dvc", "repro", "-f", "-s", "split", "train").stdout
        assert forced.count("Running stage 'train@") == len(models)
        assert trained(dag) == models
        after = sh(dag, "dvc", "repro").stdout
        assert {line for line in after.splitlines() if line.startswith("Running stage")} <= {
            "Running stage 'report':", "Running stage 'ship':"}
        assert output_hashes(dag) == before


def test_interrupted_training_loses_nothing(dag):
    import signal
    import time

    lock = (dag / "dvc.lock").read_text()
    with restored(dag):
        set_params(dag / "params.yaml", **{"cnn.num_epochs": 100000, "cnn.patience": 100000})
        curve = dag / "dvclive" / "cnn" / "plots" / "metrics" / "train_loss.tsv"
        curve.unlink(missing_ok=True)  # so that only the new run's progress counts
        run = subprocess.Popen(["dvc", "repro", "train@cnn"], cwd=dag, env=ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
        deadline = time.time() + 180
        while run.poll() is None and time.time() < deadline and not (
                curve.exists() and len(curve.read_text().splitlines()) > 3):
            time.sleep(0.2)
        assert run.poll() is None, "training ended before it could be interrupted"
        os.killpg(run.pid, signal.SIGTERM)  # SIGINT is ignored in background jobs
        assert run.wait(timeout=60) != 0
        assert (dag / "dvc.lock").read_text() == lock
    sh(dag, "dvc", "repro")
    assert "changed" not in sh(dag, "dvc", "status").stdout


def test_your_own_csv_on_three_named_baselines(dag, tmp_path):
    """A CSV with its own column names, ';'-delimited labels and no vocabulary, described in a
    preset that names three baselines: only their stages, their two hybrids (both members
    in), slices and the report run; the report covers just them; predict answers with its
    choice."""
    import csv
    import re

    rows = json.loads((REPO / "data" / "raw" / "v1" / "projects.json").read_text())[:300]
    folder = dag / "data" / "raw" / "mine"
    folder.mkdir()
    with open(folder / "projects.csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["uid", "headline", "body", "when", "labels"])
        out.writerows([r["id"], r["title"], r["description"], r["created_on"],
                       ";".join(r["tags"])] for r in rows)
    (dag / "params.mine.yaml").write_text(
        "dataset: {dir: data/raw/mine, files: projects.csv, format: csv, id: uid,\n"
        "          text: [headline, body], labels: labels, label_format: delimited,\n"
        "          label_sep: ';', vocabulary: null, date: when, behavior: null}\n"
        "data: {sample: 0, min_tag_freq: 10}\n"
        "baselines: [rule_based_stemmed, tfidf_logreg, tfidf_svm]\n")
    named = {"rule_based_stemmed", "tfidf_logreg", "tfidf_svm", "hybrid_svm", "hybrid_logreg"}
    with restored(dag):
        flags = sh(dag, "tagbench", "preset", "params.mine.yaml").stdout.split()
        log = sh(dag, "dvc", "exp", "run", "-n", "mine", *flags).stdout
        ran = set(re.findall(r"Running stage '([^']+)'", log))
        assert ran == {"preprocess", "stem", "split", "class_weights", "slices", "report",
                       "ship", *(f"{stage}@{n}" for n in named - {"hybrid_svm", "hybrid_logreg"}
                         for stage in ("train", "evaluate")),
                       "hybrid@hybrid_svm", "hybrid@hybrid_logreg"}
        tradeoffs = json.loads((dag / "metrics" / "tradeoffs.json").read_text())
        assert {r["name"] for r in tradeoffs["baselines"]} == named
        text = "a transformer for sentence classification with pytorch"
        chosen = sh(dag, "tagbench", "predict", text).stdout
        assert tradeoffs["recommended"] in named and chosen == sh(
            dag, "tagbench", "predict", "--baseline", tradeoffs["recommended"], text).stdout


def test_adding_a_baseline_runs_its_stages_slices_and_the_report_alone(dag):
    """A baseline added in params.yaml alone (a char n-gram SVM, built like tfidf_svm): its
    train and evaluate stages, slices, the report and ship (which reads the report) run,
    nothing else; it is in the report."""
    import re

    section = yaml.safe_load((dag / "params.yaml").read_text())["tfidf_svm"]
    char = {**section, "like": "tfidf_svm",
            "vectorizer": {**section["vectorizer"], "analyzer": "char_wb", "ngram_min": 2,
                           "ngram_max": 4}}
    with restored(dag):
        tree = yaml.safe_load((dag / "params.yaml").read_text())
        tree["baselines"]["tfidf_svm_char"] = "tfidf"
        tree["tfidf_svm_char"] = char
        (dag / "params.yaml").write_text(yaml.safe_dump(tree, sort_keys=False))
        log = sh(dag, "dvc", "repro").stdout
        ran = set(re.findall(r"Running stage '([^']+)'", log))
        assert ran == {"train@tfidf_svm_char", "evaluate@tfidf_svm_char", "slices", "report",
                       "ship"}
        rows = json.loads((dag / "metrics" / "tradeoffs.json").read_text())["baselines"]
        assert "tfidf_svm_char" in {r["name"] for r in rows}
        assert sh(dag, "tagbench", "check-lock").returncode == 0
