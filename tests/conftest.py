import io
import os
import runpy
import shutil
import subprocess
import sys
import traceback
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from tagbench.core import params
from tagbench.data import preprocess, readers
from tagbench.models.shared import configs, registry

REPO = Path(__file__).resolve().parents[1]
REPO_PARAMS = yaml.safe_load((REPO / "params.yaml").read_text())  # read once, never changed
# Read once, when huggingface_hub is imported: without it a missing model retries the hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def repo_params():
    return REPO_PARAMS


@pytest.fixture(scope="session")
def dvc_index():
    """dvc.yaml's stages as DVC resolves them, read once per session (DVC takes seconds)."""
    from dvc.repo import Repo

    with Repo(str(REPO)) as repo:
        return [s for s in repo.index.stages if s.relpath == "dvc.yaml"]


def projects(version):
    """The repository's dataset description, pointed at one version of the projects data."""
    description = yaml.safe_load((REPO / "params.yaml").read_text())["dataset"]
    folder = REPO / "data" / "raw" / version
    if not (folder / description["files"]).exists():
        pytest.fail(f"{folder / description['files']} is missing: run `make pull` "
                    f"(make test does it)")
    return {**description, "dir": str(folder)}


@pytest.fixture(scope="session")
def v1_raw():
    """The real v1 data as read: (rows, vocabulary)."""
    return readers.read_dataset(projects("v1"))[:2]


@pytest.fixture(scope="session")
def v1_processed(v1_raw, repo_params):
    """The real v1 data through preprocess: (records, classes)."""
    records, classes, _ = preprocess.apply(*v1_raw, repo_params["data"], repo_params["text"],
                                          repo_params["seed"])
    return records, classes


@pytest.fixture
def workdir(tmp_path, monkeypatch, repo_params):
    """A scratch project folder: params.yaml and the raw data, cwd set to it."""
    shutil.copy(REPO / "params.yaml", tmp_path / "params.yaml")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "raw").symlink_to(REPO / "data" / "raw")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def set_params(path, **changes):
    """Edit params.yaml in place: set_params(p, **{"split.train_size": 1.5})."""
    tree = yaml.load(Path(path).read_text(), Loader=yaml.CSafeLoader)  # libyaml: 10x faster
    for key, value in changes.items():
        parent, _, leaf = key.rpartition(".")
        (params.dotted(tree, parent) if parent else tree)[leaf] = value
    Path(path).write_text(yaml.dump(tree, Dumper=yaml.CSafeDumper, sort_keys=False))


def config_of(name, **changes):
    """A baseline's config: its section of the repository's params.yaml, with changes."""
    section = yaml.safe_load((REPO / "params.yaml").read_text())[name]
    return configs.parse(registry.get(name).config, {**section, **changes})


def run_stage(cwd, stage, *args, fresh=False):
    """Run a stage script as DVC would, in cwd, with its exit code and output as a
    CompletedProcess: in a fresh Python (fresh=True), or in this one, whose imports are
    already made (an error test then takes milliseconds instead of a second)."""
    script = str(REPO / "stages" / f"{stage}.py")
    if fresh:
        return subprocess.run([sys.executable, script, *args], cwd=cwd, capture_output=True,
                              text=True)
    out, err, code, here, argv = io.StringIO(), io.StringIO(), 0, os.getcwd(), sys.argv
    try:
        os.chdir(cwd)
        sys.argv = [script, *args]
        with redirect_stdout(out), redirect_stderr(err):
            runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except Exception:  # what a fresh Python would print and exit 1 with
        code = 1
        err.write(traceback.format_exc())
    finally:
        os.chdir(here)
        sys.argv = argv
    return subprocess.CompletedProcess(sys.argv, code, out.getvalue(), err.getvalue())


def tiny_bert(directory):
    """A randomly initialised 2-layer BERT (hidden 32) with a toy WordPiece vocabulary of
    single letters, saved where `transformer.encoder` can point: no download, no checkpoint."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *letters, *(f"##{c}" for c in letters)]
    (directory / "vocab.txt").write_text("\n".join(vocab) + "\n")
    BertTokenizerFast(vocab_file=str(directory / "vocab.txt")).save_pretrained(directory)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=2, intermediate_size=64, max_position_embeddings=128)
    import torch

    torch.manual_seed(0)
    BertModel(config).save_pretrained(directory)
    return directory


@pytest.fixture(scope="session")
def bert(tmp_path_factory):
    """The tiny BERT's folder, made once per session."""
    return str(tiny_bert(tmp_path_factory.mktemp("tiny-bert")))


BIN = Path(sys.executable).parent
NO_NETWORK = Path(__file__).parent / "nonet"  # its sitecustomize refuses sockets
# The smoke DAG's baselines: one per model class of each family (every module under
# tagbench/models trains, saves, loads and predicts); the unit tests fit every baseline.
SMOKE_BASELINES = ["random_uniform", "rule_based_stemmed", "tfidf_logreg", "tfidf_svm", "cnn",
                   "transformer", "embed_logreg"]
SMOKE_HYBRIDS = ["hybrid_svm", "hybrid_logreg"]  # two: a change to one member re-runs one
# The smoke DAG's params: those baselines, on a sample of v1, with tiny models (the others'
# too: the GoEmotions smoke runs all 14).
SMALL = {"baselines": {name: REPO_PARAMS["baselines"][name] for name in SMOKE_BASELINES},
         "hybrids": {name: REPO_PARAMS["hybrids"][name] for name in SMOKE_HYBRIDS},
         "data.sample": 500, "data.min_tag_freq": 15,
         "tfidf_rf.n_estimators": 10, "tfidf_gbm.n_estimators": 5,
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


@pytest.fixture(scope="session")
def dag(tmp_path_factory, bert):
    """The working tree's tracked and unignored files, committed to a fresh git repo, with
    small params, the raw data pulled and the whole DAG reproduced: built once, shared by the
    smoke and predict tests. A test that changes it puts the committed run back (restore)."""
    root = tmp_path_factory.mktemp("clone")
    files = sh(REPO, "git", "ls-files", "-co", "--exclude-standard").stdout.split()
    for name in files:
        if (REPO / name).is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, root / name)
    set_params(root / "params.yaml", **SMALL, **{"transformer.encoder": bert,  # no download
                                                  "embed_logreg.encoder": bert})
    sh(root, "git", "init", "-q")
    sh(root, "dvc", "remote", "modify", "--local", "store", "url", remote_url())
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-qm", "smoke")
    sh(root, "dvc", "pull", "-q", *map(str, Path(root).glob("data/raw/*/*.dvc")))
    # DVC keeps the lock entries of stages that are gone, here those of the baselines the
    # smoke leaves out, and re-reads and rewrites the whole lock after every stage
    (root / "dvc.lock").unlink()
    sh(root, "dvc", "repro")
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-qm", "repro")
    return root


def restore(root):
    """Back to the committed run: params, lock, metrics and curves from git, outputs from
    the DVC cache."""
    sh(root, "git", "checkout", "params.yaml", "dvc.lock", "metrics", "dvclive", "reports")
    sh(root, "dvc", "checkout", "-f")


@contextmanager
def restored(root):
    """Run the block on the smoke DAG, then restore it, even when an assertion failed, so
    that one failing test cannot leave the next a changed DAG."""
    try:
        yield root
    finally:
        restore(root)
