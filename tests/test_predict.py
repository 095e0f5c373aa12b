"""`tagbench predict`: agrees with evaluate, and handles batch input and bad input."""

import contextlib
import io
import json
import math
import os
import re
import subprocess
import sys
import unittest.mock
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO
from tagbench import cli, data
from tagbench.core import metrics

TAGBENCH = str(Path(sys.executable).parent / "tagbench")


pytestmark = pytest.mark.slow  # they read the smoke DAG's trained baselines (conftest.dag)
NAMES = ["tfidf_svm", "rule_based_stemmed", "cnn", "transformer", "embed_logreg", "hybrid_svm"]


def tagbench(root, *args, stdin=None):
    """`tagbench *args` in root: in this process (the models' imports are paid once), with
    its exit code, stdout and stderr as a subprocess would give them."""
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(stdin or b""))
    code, before = 0, os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                unittest.mock.patch("sys.stdin", stdin):
            cli.main(list(args))
    except SystemExit as e:
        code = e.code
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(args, code, out.getvalue().encode(),
                                       err.getvalue().encode())


def test_the_command_line_entry_point(dag):
    """The installed `tagbench` script, in its own process, as a user runs it."""
    result = subprocess.run([TAGBENCH, "predict", "--baseline", "nope", "x"], cwd=dag,
                            capture_output=True)
    lines = result.stderr.decode().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and "unknown baseline 'nope'" in lines[0]


@pytest.mark.parametrize("name", NAMES)
def test_predict_agrees_with_evaluate_to_the_last_digit(dag, name, monkeypatch):
    monkeypatch.chdir(dag)
    from tagbench.predict import Predictor

    test = data.load_split("test", "raw")
    texts = test.texts
    tagger = Predictor(name)
    predicted = data.binarize([r["tags"] for r in tagger.predict(texts)], tagger.classes)
    expected = json.loads((dag / "metrics" / "baselines" / f"{name}.json").read_text())["test"]
    assert metrics.overall(test.y, predicted) == expected


def test_single_text(dag):
    result = tagbench(dag, "predict", "--baseline", "rule_based_stemmed",
                      "Reinforcement learning with transformers and graph embeddings")
    assert result.returncode == 0, result.stderr
    tags = result.stdout.decode().strip().split(", ")
    assert {"reinforcement-learning", "transformers", "graphs", "embeddings"} <= set(tags)


def test_the_default_baseline_is_the_recommendation(dag):
    text = "Image classification with convolutional networks in PyTorch"
    recommended = json.loads((dag / "metrics" / "tradeoffs.json").read_text())["recommended"]
    probs = tagbench(dag, "predict", "--probs", text).stdout.decode().strip()
    assert probs == tagbench(dag, "predict", "--probs", "--baseline", recommended,
                             text).stdout.decode().strip()
    others = {tagbench(dag, "predict", "--probs", "--baseline", name, text).stdout.decode().strip()
              for name in ("random_uniform", "tfidf_logreg", "tfidf_svm") if name != recommended}
    assert probs not in others  # the other baselines would be told apart
    classes = json.loads((dag / "data" / "processed" / "classes.json").read_text())
    for item in probs.split(", "):  # each tag with its score
        tag, score = re.fullmatch(r"(\S+) \((-?[0-9.]+)\)", item).groups()
        assert tag in classes and math.isfinite(float(score))


def test_top_shows_that_many_tags_and_refuses_fewer_than_one(dag):
    text = "Image classification with convolutional networks in PyTorch"
    top = tagbench(dag, "predict", "--top", "3", "--baseline", "tfidf_svm", text)
    assert top.returncode == 0 and len(top.stdout.decode().strip().split(", ")) == 3
    zero = tagbench(dag, "predict", "--top", "0", "--baseline", "tfidf_svm", text)
    assert zero.returncode == 2 and not zero.stdout
    assert "--top: expected a whole number of 1 or more, got '0'" in zero.stderr.decode()


def test_stdin_lines_and_jsonl(dag):
    lines = "GANs for faces\nGraph neural networks for molecules\n"
    result = tagbench(dag, "predict", "--baseline", "tfidf_svm", stdin=lines.encode())
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["text"] for o in out] == ["GANs for faces", "Graph neural networks for molecules"]
    assert all(set(o) == {"text", "tags", "scores"} for o in out)
    record = json.dumps({"title": "BERT fine-tuning", "description": "for question answering"})
    result = tagbench(dag, "predict", "--jsonl", "--baseline", "tfidf_svm",
                      stdin=(record + "\n").encode())
    assert json.loads(result.stdout)["text"] == "BERT fine-tuning for question answering"
    numbers = (json.dumps({"title": 3, "description": "a number"}) + "\n" + record + "\n")
    result = tagbench(dag, "predict", "--jsonl", "--baseline", "tfidf_svm",
                      stdin=numbers.encode())
    assert result.returncode == 2
    assert result.stderr.decode().splitlines()[0] == (
        "error: line 1: field 'title' must be a string, got int 3")
    assert [json.loads(line)["text"] for line in result.stdout.decode().splitlines()] == [
        "BERT fine-tuning for question answering"]  # the good line is still answered


def test_explain_names_the_words_behind_each_predicted_tag(dag):
    text = "Graph neural networks for molecules"
    result = tagbench(dag, "explain", "--json", "--baseline", "rule_based_stemmed", text)
    explained = json.loads(result.stdout)
    predicted = json.loads(tagbench(dag, "predict", "--baseline", "rule_based_stemmed",
                                    stdin=text.encode()).stdout)["tags"]
    assert list(explained["tags"]) == predicted and explained["baseline"] == "rule_based_stemmed"
    assert explained["method"] == "word occlusion"
    for tag in predicted:  # the alias that matched is what carries the tag
        assert explained["tags"][tag]["words"], tag
    readable = tagbench(dag, "predict", "--explain", "--baseline", "tfidf_svm", text)
    assert readable.returncode == 0
    assert readable.stdout.decode().startswith("tfidf_svm (coefficient x tf-idf): Graph")


def test_a_hybrid_says_which_member_gave_each_tag(dag):
    text = "Graph neural networks for molecules, object detection in PyTorch"
    explained = json.loads(tagbench(dag, "explain", "--json", "--baseline", "hybrid_svm",
                                    text).stdout)["tags"]
    rules = json.loads(tagbench(dag, "predict", "--baseline", "rule_based_stemmed",
                                stdin=text.encode()).stdout)["tags"]
    assert explained and all(e["from"] and e["words"] for e in explained.values())
    assert all(set(e["from"]) <= {"tfidf_svm", "rule_based_stemmed"} for e in explained.values())
    assert {t for t, e in explained.items() if "rule_based_stemmed" in e["from"]} <= set(rules)
    readable = tagbench(dag, "predict", "--explain", "--baseline", "hybrid_svm", text)
    assert ", from " in readable.stdout.decode()


def test_a_hybrid_refuses_a_member_retrained_since(dag, tmp_path, monkeypatch):
    import shutil

    from tagbench.core.errors import TagbenchError
    from tagbench.predict import Predictor

    for name in ("hybrid_svm", "tfidf_svm", "rule_based_stemmed"):
        shutil.copytree(dag / "models" / name, tmp_path / "models" / name)
    monkeypatch.chdir(tmp_path)
    assert Predictor("hybrid_svm").predict(["object detection"])
    meta = tmp_path / "models" / "tfidf_svm" / "model" / "meta.json"
    meta.write_text(meta.read_text() + "\n")
    with pytest.raises(TagbenchError, match="models/hybrid_svm/model: built on another tfidf_svm"):
        Predictor("hybrid_svm")


@pytest.mark.parametrize("args, stdin, message", [
    (["   "], None, "line 1: empty text"),
    (["--explain", "  "], None, "line 1: empty text"),
    (["--baseline", "nope", "x"], None, "unknown baseline 'nope'"),
    (["--file", "missing.txt"], None, "missing.txt: cannot read"),
])
def test_bad_input_one_line_exit_2(dag, args, stdin, message):
    result = tagbench(dag, "predict", *args, stdin=stdin)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_an_untrained_baseline_is_one_line(tmp_path):
    (tmp_path / "params.yaml").write_text((REPO / "params.yaml").read_text())
    result = tagbench(tmp_path, "predict", "--baseline", "cnn", "x")
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "baseline 'cnn' is not trained" in lines[0]


def test_bad_lines_are_reported_and_good_ones_answered(dag):
    stdin = b'{"title": "GANs", "description": "faces"}\n{broken\n\xff\xfe\n{"title": "RL"}\n'
    result = tagbench(dag, "predict", "--jsonl", "--baseline", "tfidf_svm", stdin=stdin)
    assert result.returncode == 2
    answered = [json.loads(line)["text"] for line in result.stdout.decode().splitlines()]
    assert answered == ["GANs faces", "RL"]
    err = result.stderr.decode()
    assert "line 2: invalid JSON" in err and "line 3: not UTF-8" in err


def test_scores_in_order(dag, monkeypatch):
    monkeypatch.chdir(dag)
    from tagbench.predict import Predictor

    result = Predictor("tfidf_svm").predict(["image segmentation with unet"], top=5)[0]
    values = list(result["scores"].values())
    assert len(values) == 5 and values == sorted(values, reverse=True)
    assert np.isfinite(values).all()


def test_artifacts_from_another_class_list_are_refused(dag, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(dag / "models" / "tfidf_svm", copy / "models" / "tfidf_svm")
    shutil.copy(dag / "params.yaml", copy / "params.yaml")
    threshold = copy / "models" / "tfidf_svm" / "threshold.json"
    threshold.write_text(json.dumps({"method": "per_class", "threshold": [0.0] * 3,
                                     "at_least_one": False}))
    result = tagbench(copy, "predict", "--baseline", "tfidf_svm", "graph neural networks")
    assert result.returncode == 2
    assert "3 thresholds for" in result.stderr.decode() and "dvc repro evaluate@tfidf_svm" \
        in result.stderr.decode()
    meta = copy / "models" / "tfidf_svm" / "model" / "meta.json"
    record = json.loads(meta.read_text())
    meta.write_text(json.dumps({**record, "classes": record["classes"][:-1]}))
    result = tagbench(copy, "predict", "--baseline", "tfidf_svm", "graph neural networks")
    assert result.returncode == 2 and "different class lists" in result.stderr.decode()
    assert len(result.stderr.decode().strip().splitlines()) == 1
