"""`tagbench predict`: agrees with evaluate, and handles batch input and bad input."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO, run_stage, set_params, tiny_bert
from tagbench import data, metrics

TAGBENCH = str(Path(sys.executable).parent / "tagbench")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project folder with tfidf_svm, rule_based and tiny rnn and transformer models (a
    random BERT made here) trained through the real stages."""
    root = tmp_path_factory.mktemp("predict")
    (root / "params.yaml").write_text((REPO / "params.yaml").read_text())
    bert = tiny_bert(root / "tiny-bert")
    set_params(root / "params.yaml", **{
        "rnn.num_epochs": 1, "rnn.embedding_dim": 8, "rnn.rnn_hidden_dim": 8,
        "rnn.hidden_dim": 8, "transformer.model": str(bert), "transformer.num_epochs": 1})
    (root / "data").mkdir()
    (root / "data" / "raw").symlink_to(REPO / "data" / "raw")
    steps = [("preprocess",), ("stem",), ("split",), ("class_weights",), ("train", "tfidf_svm"),
             ("train", "rule_based"), ("train", "rnn"), ("train", "transformer")]
    steps += [(stage, name) for name in ("tfidf_svm", "rule_based_stemmed", "rnn", "transformer")
              for stage in ("threshold", "evaluate")]
    for step in steps:
        result = run_stage(root, *step)
        assert result.returncode == 0, result.stderr
    return root


def tagbench(root, *args, stdin=None):
    return subprocess.run([TAGBENCH, *args], cwd=root, input=stdin, capture_output=True)


@pytest.mark.parametrize("name", ["tfidf_svm", "rule_based_stemmed", "rnn", "transformer"])
def test_predict_agrees_with_evaluate_to_the_last_digit(project, name, monkeypatch):
    monkeypatch.chdir(project)
    from tagbench.predict import Tagger

    raw = {p["id"]: p for p in data.read_projects(data.raw_paths("v1")[0])}
    test = data.load_split("test")
    texts = [f"{raw[i]['title']} {raw[i]['description']}" for i in test.ids]
    tagger = Tagger(name)
    predicted = data.binarize([r["tags"] for r in tagger.predict(texts)], tagger.classes)
    expected = json.loads((project / "metrics" / f"{name}.json").read_text())["test"]
    assert metrics.overall(test.y, predicted) == expected


def test_single_text(project):
    result = tagbench(project, "predict", "--baseline", "rule_based_stemmed",
                      "Transfer learning with transformers for self-supervised learning")
    assert result.returncode == 0, result.stderr
    tags = result.stdout.decode().strip().split(", ")
    assert {"transfer-learning", "self-supervised-learning", "transformers"} <= set(tags)


def test_default_baseline_probs_and_top(project):
    text = "Object detection with YOLO in PyTorch"
    probs = tagbench(project, "predict", "--probs", text).stdout.decode()
    assert "object-detection (" in probs
    top = tagbench(project, "predict", "--top", "3", "--baseline", "tfidf_svm", text)
    assert top.returncode == 0 and len(top.stdout.decode().strip().split(", ")) == 3


def test_stdin_lines_and_jsonl(project):
    lines = "GANs for faces\nGraph neural networks for molecules\n"
    result = tagbench(project, "predict", "--baseline", "tfidf_svm", stdin=lines.encode())
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["text"] for o in out] == ["GANs for faces", "Graph neural networks for molecules"]
    assert all(set(o) == {"text", "tags", "scores"} for o in out)
    record = json.dumps({"title": "BERT fine-tuning", "description": "for question answering"})
    result = tagbench(project, "predict", "--jsonl", "--baseline", "tfidf_svm",
                      stdin=(record + "\n").encode())
    assert json.loads(result.stdout)["text"] == "BERT fine-tuning for question answering"


@pytest.mark.parametrize("args, stdin, message", [
    (["   "], None, "line 1: empty text"),
    (["--baseline", "nope", "x"], None, "unknown baseline 'nope'"),
    (["--baseline", "cnn", "x"], None, "baseline 'cnn' is not trained"),
    (["--file", "missing.txt"], None, "missing.txt: cannot read"),
])
def test_bad_input_one_line_exit_2(project, args, stdin, message):
    result = tagbench(project, "predict", *args, stdin=stdin)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_bad_lines_are_reported_and_good_ones_answered(project):
    stdin = b'{"title": "GANs", "description": "faces"}\n{broken\n\xff\xfe\n{"title": "RL"}\n'
    result = tagbench(project, "predict", "--jsonl", "--baseline", "tfidf_svm", stdin=stdin)
    assert result.returncode == 2
    answered = [json.loads(line)["text"] for line in result.stdout.decode().splitlines()]
    assert answered == ["GANs faces", "RL"]
    err = result.stderr.decode()
    assert "line 2: invalid JSON" in err and "line 3: not UTF-8" in err


def test_scores_in_order(project, monkeypatch):
    monkeypatch.chdir(project)
    from tagbench.predict import Tagger

    result = Tagger("tfidf_svm").predict(["image segmentation with unet"], top=5)[0]
    values = list(result["scores"].values())
    assert len(values) == 5 and values == sorted(values, reverse=True)
    assert np.isfinite(values).all()


def test_artifacts_from_another_class_list_are_refused(project, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(project, copy, symlinks=True)
    threshold = copy / "models" / "tfidf_svm" / "threshold.json"
    threshold.write_text(json.dumps({"method": "per_class", "threshold": [0.0] * 3,
                                     "at_least_one": False}))
    result = tagbench(copy, "predict", "--baseline", "tfidf_svm", "graph neural networks")
    assert result.returncode == 2
    assert "3 thresholds for" in result.stderr.decode() and "dvc repro threshold@tfidf_svm" \
        in result.stderr.decode()
    meta = copy / "models" / "tfidf_svm" / "model" / "meta.json"
    record = json.loads(meta.read_text())
    meta.write_text(json.dumps({**record, "classes": record["classes"][:-1]}))
    result = tagbench(copy, "predict", "--baseline", "tfidf_svm", "graph neural networks")
    assert result.returncode == 2 and "different class lists" in result.stderr.decode()
    assert len(result.stderr.decode().strip().splitlines()) == 1
