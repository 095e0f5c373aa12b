import subprocess
from pathlib import Path

import yaml

from tagbench.runs.lockcheck import stale_stages


def test_missing_upstream_outputs_are_not_stale_but_edits_are():
    status = {
        "stem": [{"changed deps": {"data/processed/projects.json": "deleted"}},
                 {"changed outs": {"data/processed/projects_stemmed.json": "not in cache"}}],
        "split": [{"changed deps": {"tagbench/data/split.py": "modified"}}],
        "train@tfidf_svm": [{"changed deps": {"params.yaml": {"tfidf_svm": "modified"}}}],
        "random": ["always changed"],
    }
    assert stale_stages(status) == {
        "split": ["tagbench/data/split.py modified"],
        "train@tfidf_svm": ["param tfidf_svm modified"],
    }


def test_no_stage_depends_on_a_folder_of_committed_and_built_files():
    """A fresh clone has the committed half of such a folder only: check-lock finds it
    modified before anything is built."""
    stages = yaml.safe_load(Path("dvc.lock").read_text())["stages"]
    committed = set(subprocess.run(["git", "ls-files"], capture_output=True, text=True,
                                   check=True).stdout.split())
    built = {out["path"] for stage in stages.values() for out in stage.get("outs", [])
             if not any(f == out["path"] or f.startswith(out["path"] + "/") for f in committed)}
    for name, stage in stages.items():
        for dep in stage.get("deps", []):
            folder = dep["path"] + "/"
            mixed = (any(f.startswith(folder) for f in committed)
                     and any(b.startswith(folder) for b in built))
            assert not mixed, f"{name} depends on {dep['path']}, committed and built files"
