"""Smoke test: the real DAG, end to end, in a temporary clone of the working tree, on small data."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, set_params, tiny_bert

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
NO_NETWORK = Path(__file__).parent / "nonet"  # its sitecustomize refuses sockets
SMALL = {"data.sample": 500, "data.min_tag_freq": 15, "tfidf.rf.n_estimators": 10,
         "tfidf.gbm.n_estimators": 5,
         "cnn.num_epochs": 2, "cnn.embedding_dim": 16, "cnn.num_filters": 8,
         "cnn.filter_sizes": [2, 3], "cnn.hidden_dim": 16,
         "rnn.num_epochs": 2, "rnn.embedding_dim": 16, "rnn.rnn_hidden_dim": 16,
         "rnn.hidden_dim": 16, "transformer.num_epochs": 2, "transformer.batch_size": 16,
         "report.resamples": 100}


ENV = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "DVC_NO_ANALYTICS": "1",
       "PYTHONPATH": str(NO_NETWORK), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
       "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@t"}


def sh(cwd, *cmd, check=True):
    result = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True)
    if check and result.returncode:
        raise AssertionError(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def remote_url():
    return os.environ.get("DVC_REMOTE") or str((REPO / ".." / "shared" / "dvc-store").resolve())


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """The working tree's tracked and unignored files, committed to a fresh git repo, with
    small params, the raw data pulled and the whole DAG reproduced."""
    root = tmp_path_factory.mktemp("clone")
    files = sh(REPO, "git", "ls-files", "-co", "--exclude-standard").stdout.split()
    for name in files:
        if (REPO / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, root / name)
    bert = tiny_bert(tmp_path_factory.mktemp("tiny-bert"))  # a local model: no download
    set_params(root / "params.yaml", **SMALL, **{"transformer.model": str(bert)})
    sh(root, "git", "init", "-q")
    sh(root, "dvc", "remote", "modify", "--local", "store", "url", remote_url())
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-qm", "smoke")
    sh(root, "dvc", "pull", "-q", *map(str, Path(root).glob("data/raw/*/*.dvc")))
    sh(root, "dvc", "repro")
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-qm", "repro")
    return root


def test_the_smoke_run_has_no_network(tmp_path):
    code = "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9', timeout=1)"
    result = sh(tmp_path, sys.executable, "-c", code, check=False)
    assert "network access attempted" in result.stderr


def restore(root):
    """Back to the committed run: params, lock, metrics and curves from git, outputs from
    the DVC cache."""
    sh(root, "git", "checkout", "params.yaml", "dvc.lock", "metrics", "dvclive", "reports")
    sh(root, "dvc", "checkout", "-f")


def lock_entries(root):
    return yaml.safe_load((root / "dvc.lock").read_text())["stages"]


def metrics(root, name):
    return json.loads((root / "metrics" / f"{name}.json").read_text())


def test_repro_builds_every_baseline(clone):
    baselines = yaml.safe_load((clone / "params.yaml").read_text())["baselines"]
    classes = json.loads((clone / "data" / "processed" / "classes.json").read_text())
    for name in baselines:
        m = metrics(clone, name)
        for split in ("test", "val"):
            assert 0 <= m[split]["f1"] <= 1 and m[split]["num_samples"] > 0
        per_class = json.loads((clone / "reports" / name / "per_class.json").read_text())
        assert sorted(per_class) == classes
    assert "changed" not in sh(clone, "dvc", "status").stdout
    for name in ("cnn", "rnn", "transformer"):
        assert (clone / "dvclive" / name / "plots" / "metrics" / "val_loss.tsv").exists()
        assert (clone / "reports" / name / "training_curves.png").read_bytes()[:4] == b"\x89PNG"


def test_report_ranks_every_baseline(clone):
    baselines = yaml.safe_load((clone / "params.yaml").read_text())["baselines"]
    tradeoffs = json.loads((clone / "metrics" / "tradeoffs.json").read_text())
    rows = {r["name"]: r for r in tradeoffs["baselines"]}
    assert set(rows) == set(baselines)
    for r in rows.values():
        assert r["f1_low"] <= r["f1"] <= r["f1_high"] and 0 <= r["f1"] <= 1
        assert r["latency_ms"] > 0 and r["size_mb"] > 0 and r["throughput"] > 0
        assert r["f1"] == metrics(clone, r["name"])["test"]["f1"]  # the evaluate stage's F1
    assert [r["f1"] for r in tradeoffs["baselines"]] == sorted(
        (r["f1"] for r in rows.values()), reverse=True)
    assert tradeoffs["pareto_front"] and set(tradeoffs["pareto_front"]) <= set(baselines)
    text = (clone / "reports" / "tradeoffs.md").read_text()
    assert all(f"| {name} |" in text for name in baselines) and "## Recommendation" in text
    for png in ("tradeoffs", "per_class_f1", "pr_curves"):
        assert (clone / "reports" / f"{png}.png").read_bytes()[:4] == b"\x89PNG"
    assert "latency_ms" not in json.dumps(metrics(clone, "cnn"))  # metric files stay clean


CHROMIUM = shutil.which("chromium")


@pytest.mark.skipif(not CHROMIUM and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed (.ci/run installs it)")
def test_plots_page_renders_offline(clone, tmp_path):
    template = REPO / "plots" / "template.html"
    assert template.exists(), "run `make install` (it builds the offline template)"
    sh(clone, "dvc", "plots", "show", "--html-template", str(template), "-o", str(tmp_path))
    page = (tmp_path / "index.html").read_text()
    assert "cdn.jsdelivr" not in page
    dom = sh(tmp_path, CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
             "--virtual-time-budget=10000", "--dump-dom", (tmp_path / "index.html").as_uri()
             ).stdout
    vega_plots = page.count("vegaEmbed(")
    assert vega_plots >= 10  # training curves and precision-recall curves
    assert dom.count("<canvas") + dom.count("<svg class=\"marks\"") >= vega_plots  # all drew
    assert dom.count("<img") >= 5  # the PNG figures


def stages_rerun_by(clone, *flags):
    """The dvc.lock entries a `dvc exp run` with these flags changed; the metrics it wrote
    are returned too, then the committed run is restored."""
    before = lock_entries(clone)
    try:
        sh(clone, "dvc", "exp", "run", *flags)
        after = lock_entries(clone)
        written = {p.stem: json.loads(p.read_text()) for p in (clone / "metrics").glob("*.json")}
    finally:
        restore(clone)
    return {stage for stage in before if before[stage] != after[stage]}, written


def test_exp_run_reruns_only_what_a_param_touches(clone):
    changed, _ = stages_rerun_by(clone, "-S", "cnn.lr=0.003")
    # cv reads every baseline's section (cv.baselines may name any); with split.folds 1 it
    # only rewrites its stub, in about a second
    assert changed == {"train@cnn", "threshold@cnn", "evaluate@cnn", "cv", "report"}


def test_exp_run_on_the_transformer_touches_only_its_stages(clone):
    changed, _ = stages_rerun_by(clone, "-S", "transformer.lr=1e-4")
    assert changed == {"transformer", "threshold@transformer", "evaluate@transformer", "cv",
                       "report"}


def test_kfold_runs_only_the_cv_stage(clone):
    changed, written = stages_rerun_by(clone, "-S", "split.folds=3",
                                       "-S", "cv.baselines=[rule_based_stemmed,tfidf_svm]")
    cv = written["cv"]
    assert changed == {"cv", "report"}
    assert cv["folds"] == 3 and set(cv["baselines"]) == {"rule_based_stemmed", "tfidf_svm"}
    for row in cv["baselines"].values():
        assert len(row["val_f1_folds"]) == 3 and 0 < row["val_f1_mean"] <= 1


def test_a_sweep_runs_through_the_queue(clone, monkeypatch):
    from tagbench import tune

    monkeypatch.chdir(clone)
    for key in ("PATH", "PYTHONPATH", "DVC_NO_ANALYTICS", "HF_HUB_OFFLINE"):
        monkeypatch.setenv(key, ENV[key])
    names = tune.queue("tfidf_svm", {"tfidf.svm.C": [0.5, 2]})
    assert len(names) == 2
    tune.run_queue(poll_seconds=1)
    rows = tune.ranked("tfidf_svm", ["tfidf.svm.C"], names)
    assert sorted(row[3]["tfidf.svm.C"] for row in rows) == [0.5, 2]
    assert all(0 < val <= 1 and 0 < test <= 1 for val, test, _, _ in rows)
    assert rows[0][0] >= rows[1][0]  # ranked by val macro F1


def test_failed_stage_loses_nothing(clone):
    lock = (clone / "dvc.lock").read_text()
    set_params(clone / "params.yaml", **{"split.train_size": 1.5})
    result = sh(clone, "dvc", "repro", check=False)
    assert result.returncode != 0
    assert "split.train_size = 1.5 is out of range" in result.stderr
    assert (clone / "dvc.lock").read_text() == lock
    # cached outputs come back from the cache, `cache: false` metrics from git
    restore(clone)
    assert (clone / "data" / "splits.json").exists()
    assert "changed" not in sh(clone, "dvc", "status").stdout


def test_exp_run_on_v2(clone):
    try:
        sh(clone, "dvc", "exp", "run", "-S", "data.version=v2")
        assert metrics(clone, "data")["version"] == "v2"
        assert metrics(clone, "data")["classes"] < 35
        assert metrics(clone, "tfidf_svm")["test"]["f1"] > 0
    finally:
        restore(clone)


def test_stale_lock_fails_check(clone):
    set_params(clone / "params.yaml", **{"tfidf.svm.C": 0.5})
    result = sh(clone, "tagbench", "check-lock", check=False)
    restore(clone)
    assert result.returncode == 2
    assert "tfidf@svm" in result.stderr and "run `dvc repro`" in result.stderr
    assert "threshold@" not in result.stderr  # only the stage whose params changed


CHEAP_OUTPUTS = ["data/processed/*.json", "data/splits.json", "data/class_weights.json",
                 "data/predictions/*/*.npy", "models/*/threshold.json", "metrics/*.json"]
TIMED = {"metrics/tradeoffs.json"}  # latency and throughput: measured, so never identical


def output_hashes(root):
    import hashlib
    return {str(p.relative_to(root)): hashlib.md5(p.read_bytes()).hexdigest()
            for pattern in CHEAP_OUTPUTS for p in sorted(root.glob(pattern))
            if str(p.relative_to(root)) not in TIMED}


def test_forced_repro_is_byte_identical(clone):
    """Every stage forced again (neural ones included, on CPU): the same bytes."""
    before = output_hashes(clone)
    sh(clone, "dvc", "repro", "-f")
    assert output_hashes(clone) == before


def test_interrupted_training_loses_nothing(clone):
    import signal
    import time

    lock = (clone / "dvc.lock").read_text()
    set_params(clone / "params.yaml", **{"cnn.num_epochs": 100000, "cnn.patience": 100000})
    curve = clone / "dvclive" / "cnn" / "plots" / "metrics" / "train_loss.tsv"
    curve.unlink(missing_ok=True)  # so that only the new run's progress counts
    run = subprocess.Popen(["dvc", "repro", "train@cnn"], cwd=clone, env=ENV,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    deadline = time.time() + 180
    while run.poll() is None and time.time() < deadline and not (
            curve.exists() and len(curve.read_text().splitlines()) > 3):
        time.sleep(0.2)
    assert run.poll() is None, "training ended before it could be interrupted"
    os.killpg(run.pid, signal.SIGTERM)  # SIGINT is ignored in background jobs
    assert run.wait(timeout=60) != 0
    assert (clone / "dvc.lock").read_text() == lock
    restore(clone)
    sh(clone, "dvc", "repro")
    assert "changed" not in sh(clone, "dvc", "status").stdout
