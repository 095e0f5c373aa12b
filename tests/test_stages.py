"""Stage scripts on bad input: one line on stderr naming the file, key or value; exit 2."""

import json
import shutil
import sys

import pytest

from conftest import REPO, run_stage, set_params, sh


@pytest.fixture
def raw_copy(workdir):
    """The workdir with its own copy of v1 to break."""
    (workdir / "data" / "raw").unlink()
    shutil.copytree(REPO / "data" / "raw" / "v1", workdir / "data" / "raw" / "v1",
                    ignore=shutil.ignore_patterns("*.dvc"))
    return workdir / "data" / "raw" / "v1"


def assert_one_line_error(result, *fragments):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_preprocess_writes_the_outputs(workdir):
    result = run_stage(workdir, "preprocess", fresh=True)  # as DVC runs it
    assert result.returncode == 0, result.stderr
    stats = json.loads((workdir / "metrics" / "data.json").read_text())
    assert (stats["projects"], stats["classes"]) == (1444, 35)


def test_missing_raw_file(raw_copy):
    (raw_copy / "projects.json").unlink()
    assert_one_line_error(run_stage(raw_copy.parents[2], "preprocess"),
                          "data/raw/v1/projects.json", "not found")


def test_malformed_json(raw_copy):
    (raw_copy / "tags.json").write_text('[{"tag": "nlp",')
    assert_one_line_error(run_stage(raw_copy.parents[2], "preprocess"),
                          "data/raw/v1/tags.json", "malformed JSON")


def test_project_without_title(raw_copy):
    projects = json.loads((raw_copy / "projects.json").read_text())
    del projects[3]["title"]
    (raw_copy / "projects.json").write_text(json.dumps(projects))
    assert_one_line_error(run_stage(raw_copy.parents[2], "preprocess"),
                          "projects.json: row 4: no field 'title'")


@pytest.mark.parametrize("key, value, fragment", [
    ("dataset.dir", "data/raw/v9", "data/raw/v9/projects.json: file not found"),
    ("data.min_tag_freq", 100000, "min_tag_freq = 100000 leaves no class"),
    ("split.train_size", 1.5, "split.train_size = 1.5"),
])
def test_bad_params_stop_the_stage(workdir, key, value, fragment):
    set_params("params.yaml", **{key: value})
    assert_one_line_error(run_stage(workdir, "preprocess"), fragment)


@pytest.mark.parametrize("key, value", [("tfidf_svm.C", -1), ("tfidf_knn.n_neighbors", 0),
                                        ("tfidf_svm.vectorizer.analyzer", "chars")])
def test_bad_model_params_stop_before_training(workdir, key, value):
    set_params("params.yaml", **{key: value})
    assert_one_line_error(run_stage(workdir, "train", "tfidf_svm"), key)
    assert not (workdir / "models").exists()


def test_the_smoke_runs_stages_have_no_network(tmp_path):
    code = "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9', timeout=1)"
    result = sh(tmp_path, sys.executable, "-c", code, check=False)
    assert "network access attempted" in result.stderr
