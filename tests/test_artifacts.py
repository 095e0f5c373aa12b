"""Every path the pipeline writes is named once, in tagbench/data/artifacts.py (and
tagbench/data/__init__.py for the data): dvc.yaml's outs, metrics and plots must be exactly
those."""

import pytest

from conftest import REPO
from tagbench import data
from tagbench.data import artifacts
from tagbench.evaluation import params
from tagbench.serving import artifact


@pytest.fixture(scope="module")
def outs(dvc_index):
    """{stage: [(declared path, is a plot)]} of dvc.yaml."""
    return {s.addressing: [(str(out.def_path), bool(out.plot)) for out in s.outs]
            for s in dvc_index}


def baseline_paths(name):
    return {artifacts.model_dir(name), artifacts.threshold_path(name),
            artifacts.predictions_path(name, "val").parent, artifacts.training_log(name),
            artifacts.training_time_path(name),
            artifacts.metrics_path(name), artifacts.tags_path(name),
            artifacts.pr_path(name, "val"), artifacts.pr_path(name, "test"),
            artifacts.report_dir(name), artifacts.cost_path(name),
            artifacts.behavior_path(name), artifacts.behavior_kinds_path(name),
            artifacts.faithfulness_path(name), artifacts.explanations_path(name),
            artifacts.scored_path(name)}


@pytest.mark.slow  # DVC takes 3 s to import and read dvc.yaml
def test_every_evaluate_stage_declares_its_precision_recall_plot(outs):
    """So a new baseline (or hybrid) gets its chart from the foreach alone, nothing to list."""
    p = params.load(REPO / "params.yaml")
    stages = {**{n: f"evaluate@{n}" for n in p["baselines"]},
              **{n: f"hybrid@{n}" for n in p["hybrids"]}}
    for name, stage in stages.items():
        plots = [path for path, plot in outs[stage] if plot]
        assert plots == [str(artifacts.pr_path(name, "test"))]


@pytest.mark.slow  # DVC takes 3 s to import and read dvc.yaml
def test_dvc_yaml_declares_exactly_the_paths_artifacts_names(outs):
    p = params.load(REPO / "params.yaml")
    trained = {artifacts.training_log, artifacts.training_time_path}  # not a hybrid's
    expected = {str(path) for name in p["baselines"] for path in baseline_paths(name)} | {
        str(path) for name in p["hybrids"] for path in baseline_paths(name)
        - {f(name) for f in trained}} | {str(p) for p in (
        data.PROCESSED, data.STEMMED, data.CLASSES, data.VOCABULARY, data.LABELS, data.SPLITS,
        data.CLASS_WEIGHTS, artifacts.DATA_STATS, artifacts.SPLIT_STATS,
        artifacts.SPLIT_DISTRIBUTION, artifacts.TRADEOFFS,
        artifacts.TRADEOFFS_MD, artifacts.TRADEOFFS_PNG, artifacts.PER_CLASS_PNG,
        artifacts.PR_PNG, artifacts.SLICES, artifacts.SLICES_MD, artifacts.SLICES_PNG,
        artifacts.EXPLANATIONS_HTML, artifacts.CURVES_PNG, data.FUTURE, artifact.SHIPPED)} | {
        str(path) for name in p["cv"]["baselines"] for path in [artifacts.cv_path(name)]} | {
        str(path) for name in p["noise"]["baselines"] for path in [artifacts.noise_path(name)]}
    outs = {path for stage in outs.values() for path, _ in stage}
    assert outs - expected == set(), "dvc.yaml writes paths artifacts.py does not name"
    assert expected - outs == set(), "artifacts.py names paths no stage of dvc.yaml writes"


@pytest.mark.slow  # DVC takes 3 s to import and read dvc.yaml
def test_dvc_metrics_are_the_headline_alone(dvc_index):
    """`dvc metrics diff` shows each baseline's F1, precision, recall and behavioural pass
    rate, and the data's and split's numbers; the details are plain outputs."""
    p = params.load(REPO / "params.yaml")
    names = [*p["baselines"], *p["hybrids"]]
    declared = {str(out.def_path) for s in dvc_index for out in s.outs if out.metric}
    assert declared == {str(path) for path in (
        *map(artifacts.metrics_path, names), *map(artifacts.behavior_path, names),
        artifacts.DATA_STATS, artifacts.SPLIT_STATS,
        *map(artifacts.cv_path, p["cv"]["baselines"]),
        *map(artifacts.noise_path, p["noise"]["baselines"]))}
