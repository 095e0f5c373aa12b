import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tagbench import data

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_params():
    return yaml.safe_load((REPO / "params.yaml").read_text())


@pytest.fixture(scope="session")
def v1_raw():
    projects_path, tags_path = (REPO / p for p in data.raw_paths("v1"))
    if not projects_path.exists():
        pytest.fail(f"{projects_path} is missing: run `make pull` (make test does it)")
    return data.read_projects(projects_path), data.read_tags(tags_path)


@pytest.fixture(scope="session")
def v1_processed(v1_raw, repo_params):
    """The real v1 data through preprocess: (records, classes)."""
    records, classes, _ = data.preprocess(*v1_raw, repo_params["data"], repo_params["text"],
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
    params = yaml.safe_load(Path(path).read_text())
    for dotted, value in changes.items():
        node = params
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node[key]
        node[leaf] = value
    Path(path).write_text(yaml.safe_dump(params, sort_keys=False))


def run_stage(cwd, stage, *args):
    """Run a stage script as DVC would, in cwd; returns the CompletedProcess."""
    return subprocess.run([sys.executable, str(REPO / "stages" / f"{stage}.py"), *args],
                          cwd=cwd, capture_output=True, text=True)


def tiny_bert(directory):
    """A randomly initialised 2-layer BERT (hidden 32) with a toy WordPiece vocabulary of
    single letters, saved where `transformer.model` can point: no download, no checkpoint."""
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
