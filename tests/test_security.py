"""What docs/security.md promises: an artifact cannot run code when it is loaded, a corrupted
download is refused, and no name reaches git or DVC as an option."""

import os
import pickle
import re
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from tagbench import cli

GADGET = '''
import pathlib

class Gadget:
    """Creates a file when an object of it is unpickled or rebuilt from its state."""
    def __init__(self, path):
        self.path = path

    def __setstate__(self, state):
        pathlib.Path(state["path"]).write_text("ran")

    def __reduce__(self):
        return (pathlib.Path.write_text, (pathlib.Path(self.path), "ran"))
'''


def test_no_model_is_loaded_through_pickle():
    """Every artifact goes through skops, safetensors, JSON or numpy without pickles."""
    loaders = re.compile(r"joblib\.load|pickle\.loads?\(|torch\.load\(|allow_pickle=True")
    found = [f"{path}:{n}" for path in sorted((REPO / "tagbench").rglob("*.py"))
             for n, line in enumerate(path.read_text().splitlines(), 1) if loaders.search(line)]
    assert found == []


def test_a_name_starting_with_a_dash_never_reaches_a_subprocess(monkeypatch, capsys):
    run = subprocess.run

    def guarded(command, *args, **kwargs):
        assert not {"-x", "--output=/tmp/x", "exp"} & set(command), command  # nor a DVC run
        return run(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", guarded)
    monkeypatch.chdir(REPO)
    for argv in (["tune", "--", "-x"], ["compare", "--", "-x", "HEAD"],
                 ["compare", "HEAD", "--", "--output=/tmp/x"],
                 ["tune", "tfidf_svm", "--rank=-x"], ["tune", "tfidf_svm", "--rank="],
                 ["tune", "tfidf_svm", "--point", "1", "--push=-x"]):
        with pytest.raises(SystemExit) as exit:
            cli.main(argv)
        err = capsys.readouterr().err.strip().splitlines()
        assert exit.value.code == 2 and len(err) == 1
        assert "'-x'" in err[0] or "--output=/tmp/x" in err[0] or "''" in err[0]  # as given


@pytest.fixture
def crafted(dag, tmp_path, monkeypatch):
    """A copy of the smoke DAG's tfidf_svm as the working folder, and an importable module
    whose objects write a file when rebuilt: (its model folder, that file)."""
    copy = tmp_path / "copy"
    shutil.copytree(dag / "models" / "tfidf_svm", copy / "models" / "tfidf_svm")
    shutil.copy(dag / "params.yaml", copy / "params.yaml")
    (tmp_path / "gadget.py").write_text(GADGET)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(copy)
    return copy / "models" / "tfidf_svm" / "model", tmp_path / "ran"


def predict(baseline, capsys):
    """`tagbench predict` in this process (the gadget importable): (exit code, stderr lines)."""
    with pytest.raises(SystemExit) as exit:
        cli.main(["predict", "--baseline", baseline, "graph networks"])
    return exit.value.code, capsys.readouterr().err.splitlines()


@pytest.mark.slow
def test_a_crafted_skops_artifact_is_refused_before_it_runs(crafted, capsys):
    import skops.io
    from gadget import Gadget

    model, marker = crafted
    data = skops.io.dumps(Gadget(str(marker)))
    skops.io.loads(data, trusted=["gadget.Gadget"])  # trusted, it runs: the threat is real
    assert marker.exists()
    marker.unlink()
    (model / "model.skops").write_bytes(data)
    assert predict("tfidf_svm", capsys) == (2, [
        "error: models/tfidf_svm/model/model.skops: refused, it holds types this baseline "
        "never saves: gadget.Gadget"])
    assert not marker.exists()


@pytest.mark.slow
def test_a_pickle_in_place_of_an_artifact_is_never_unpickled(crafted, capsys):
    from gadget import Gadget

    model, marker = crafted
    data = pickle.dumps(Gadget(str(marker)))
    pickle.loads(data)  # unpickled, it runs
    assert marker.exists()
    marker.unlink()
    (model / "model.skops").write_bytes(data)
    (model / "model.joblib").write_bytes(data)  # the old name: nothing reads it
    code, err = predict("tfidf_svm", capsys)
    assert code == 2 and len(err) == 1 and not marker.exists()
    assert "models/tfidf_svm/model/model.skops: not a skops model file" in err[0]


@pytest.mark.slow
def test_a_weights_file_that_is_not_safetensors_is_one_line(dag, tmp_path, monkeypatch,
                                                           capsys):
    copy = tmp_path / "copy"
    shutil.copytree(dag / "models" / "cnn", copy / "models" / "cnn")
    shutil.copy(dag / "params.yaml", copy / "params.yaml")
    (copy / "models" / "cnn" / "model" / "weights.safetensors").write_bytes(b"\x80\x04junk")
    monkeypatch.chdir(copy)
    code, err = predict("cnn", capsys)
    assert code == 2 and len(err) == 1
    assert "models/cnn/model/weights.safetensors: not a safetensors file" in err[0]


def dvc(cwd, *args):
    return subprocess.run([sys.executable, "-m", "dvc", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, "DVC_NO_ANALYTICS": "1"})


@pytest.mark.slow
def test_a_corrupted_file_in_the_remote_is_refused_on_pull(tmp_path):
    """The project's own DVC config (remote `store`, verify = true) against a local remote
    with one object overwritten: `dvc pull` fails and the file is not checked out."""
    repo, remote = tmp_path / "repo", tmp_path / "remote"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    assert dvc(repo, "init", "-q").returncode == 0
    shutil.copy(REPO / ".dvc" / "config", repo / ".dvc" / "config")
    assert dvc(repo, "config", "remote.store.verify").stdout.strip() == "true"
    assert dvc(repo, "remote", "modify", "--local", "store", "url", str(remote)).returncode == 0
    (repo / "projects.csv").write_text("title,tags\ngraph networks,graphs\n")
    assert dvc(repo, "add", "-q", "projects.csv").returncode == 0
    assert dvc(repo, "push", "-q").returncode == 0
    [stored] = [p for p in remote.rglob("*") if p.is_file()]
    stored.chmod(0o644)
    stored.write_text("title,tags\ngraph networks,malware\n")
    shutil.rmtree(repo / ".dvc" / "cache")
    (repo / "projects.csv").unlink()
    result = dvc(repo, "pull")
    assert result.returncode != 0 and not (repo / "projects.csv").exists()
    assert "projects.csv" in result.stderr
