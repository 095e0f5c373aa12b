"""The lesson's published table, reproduced on v0 with params.lesson.yaml through the stages."""

import json

import pytest
import yaml

from conftest import REPO, run_stage
from tagbench.core import params
from tagbench.evaluation import params as full
from tagbench.report import lesson

pytestmark = [pytest.mark.slow, pytest.mark.integration]



@pytest.fixture(scope="module")
def lesson_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("lesson")
    preset = yaml.safe_load((REPO / "params.lesson.yaml").read_text())
    merged = params.merge(full.load(REPO / "params.yaml"), preset)
    (root / "params.yaml").write_text(yaml.safe_dump(merged, sort_keys=False))
    (root / "data").mkdir()
    for folder in ("raw", "behavioral"):
        (root / "data" / folder).symlink_to(REPO / "data" / folder)
    stages = [("preprocess",), ("stem",), ("split",)] + [("train", n) for n in lesson.REPRODUCED]
    for stage, *args in stages:
        result = run_stage(root, stage, *args, fresh=True)
        assert result.returncode == 0, result.stderr
    for name in lesson.REPRODUCED:
        result = run_stage(root, "evaluate", name, fresh=True)
        assert result.returncode == 0, result.stderr
    return root


def test_lesson_split_sizes(lesson_run):
    sizes = json.loads((lesson_run / "metrics" / "split.json").read_text())
    assert [sizes[n]["size"] for n in ("train", "val", "test")] == [1000, 227, 217]
    assert sizes["test"]["positives"] == 480


def test_lesson_table_within_tolerance(lesson_run):
    for name, tolerance in lesson.REPRODUCED.items():
        path = lesson_run / "metrics" / "baselines" / f"{name}.json"
        f1 = json.loads(path.read_text())["test"]["f1"]
        assert f1 == pytest.approx(lesson.PUBLISHED_F1[name], abs=tolerance), name
