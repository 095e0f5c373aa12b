"""Where the pipeline keeps what it builds, each path named once in the code (dvc.yaml
declares them again as the stages' outs).

models/<baseline>/model/         the artifact (model.json, weights) plus meta.json
models/<baseline>/threshold.json the decision threshold chosen on val
data/predictions/<baseline>/     val.npy and test.npy: scores (or 0/1 labels) per class
dvclive/<baseline>/              its fit's log (neural: per epoch)
metrics/training/<baseline>.json how long its training took (measured, so never in the model)
metrics/cost/<baseline>.json     its latency, throughput and size (measured by evaluate@)
metrics/baselines/<baseline>.json its val and test macro and micro F1, precision and recall,
                                 and the future set's micro F1 with its interval
metrics/behavior/<baseline>.json its behavioural pass rate (all cases)
metrics/<name>.json              the pipeline's other metrics (data, split, cv, noise)
metrics/details/                 what the headline leaves out: behaviour/<baseline>.json (the
                                 pass rate per kind of case; failed ids: reports/<baseline>/),
                                 faithfulness/<baseline>.json (comprehensiveness), slices.json
metrics/tags/<baseline>.json     each val, test and future project's true and predicted tags
metrics/pr/<baseline>/<split>.json  its precision-recall curve
metrics/explanations/<baseline>.json  its explanations of a few test projects
metrics/tradeoffs.json           the report's table (cost, quality, the recommendation)
reports/                         figures and tables people read

The headline files are dvc.yaml's `metrics:`, so `dvc metrics diff` leads with F1; the rest are
plain outputs (`dvc metrics diff -R --targets metrics/details` on purpose). Everything under
metrics/ and dvclive/ is `cache: false`, in git, so two commits compare from git alone.
tests/test_artifacts.py checks that dvc.yaml declares these paths.
"""

from pathlib import Path

import numpy as np

from tagbench import data
from tagbench.core.errors import TagbenchError
from tagbench.core.io import load_array, read_json, save_arrays

MODELS = Path("models")
PREDICTIONS = Path("data/predictions")
REPORTS = Path("reports")
METRICS = Path("metrics")
TRADEOFFS = METRICS / "tradeoffs.json"
TRADEOFFS_MD = REPORTS / "tradeoffs.md"
TRADEOFFS_PNG = REPORTS / "tradeoffs.png"
PER_CLASS_PNG = REPORTS / "per_class_f1.png"
PR_PNG = REPORTS / "pr_curves.png"
CURVES_PNG = REPORTS / "training_curves.png"
SPLIT_DISTRIBUTION = REPORTS / "split_distribution.json"
SLICES_MD = REPORTS / "slices.md"
SLICES_PNG = REPORTS / "slices.png"
DATASET_VERSIONS = REPORTS / "dataset_versions.md"  # `make compare-versions`, kept in git
LESSON_REPRODUCTION = REPORTS / "lesson_reproduction.md"  # `make reproduce-lesson`
GOEMOTIONS_MD = REPORTS / "goemotions.md"  # `make goemotions`, kept in git
SCALING_MD = Path("benchmarks/results/scaling.md")  # benchmarks/scaling.py, kept in git
CV = METRICS / "cv"  # cv@<baseline>: <baseline>.json
NOISE = METRICS / "noise"  # noise@<baseline>: <baseline>.json
NOISE_FLOOR = REPORTS / "noise_floor.json"  # the last opt-in noise run, kept in git
FLOAT_DRIFT = REPORTS / "float_drift.json"  # `make drift`, kept in git beside it
DATA_STATS = METRICS / "data.json"
SPLIT_STATS = METRICS / "split.json"
TAGS = METRICS / "tags"  # `tagbench compare` reads them
BASELINE_METRICS = METRICS / "baselines"
BEHAVIOR = METRICS / "behavior"
DETAILS = METRICS / "details"  # not in `dvc metrics diff` unless named
BEHAVIOR_KINDS = DETAILS / "behavior"
FAITHFULNESS = DETAILS / "faithfulness"
SLICES = DETAILS / "slices.json"
EXPLANATIONS = METRICS / "explanations"
EXPLANATIONS_HTML = REPORTS / "explanations.html"
PR = METRICS / "pr"
LOGS = Path("dvclive")
TRAINING_TIMES = METRICS / "training"
COSTS = METRICS / "cost"  # latency, throughput, size: measured by each evaluate stage
SCORED = Path("data/scored")  # <baseline>.npz: what its explanations scored, for its hybrids


def one_per_baseline(folder):
    """The path function of a folder that holds one <baseline>.json for each baseline."""
    return lambda name: folder / f"{name}.json"


metrics_path = one_per_baseline(BASELINE_METRICS)
training_time_path = one_per_baseline(TRAINING_TIMES)
cv_path = one_per_baseline(CV)
noise_path = one_per_baseline(NOISE)
cost_path = one_per_baseline(COSTS)
behavior_path = one_per_baseline(BEHAVIOR)
behavior_kinds_path = one_per_baseline(BEHAVIOR_KINDS)
faithfulness_path = one_per_baseline(FAITHFULNESS)
explanations_path = one_per_baseline(EXPLANATIONS)
tags_path = one_per_baseline(TAGS)


def scored_path(name):
    return SCORED / f"{name}.npz"


def save_scored(name, rows):
    """{text as the baseline reads it: its scores}, as its evaluate stage scored them."""
    save_arrays(scored_path(name), texts=np.array(list(rows), dtype=str),
                scores=np.array(list(rows.values())))


def load_scored(name):
    """What save_scored wrote ({} before the baseline's evaluate stage has run)."""
    if not scored_path(name).exists():
        return {}
    found = np.load(scored_path(name), allow_pickle=False)
    return dict(zip(found["texts"].tolist(), found["scores"]))


def model_dir(name, root="."):
    """models/<name>/model under root: the pipeline's (the working directory) or a shipped
    tagger's folder, which holds the same layout."""
    return Path(root) / MODELS / name / "model"


def threshold_path(name, root="."):
    return Path(root) / MODELS / name / "threshold.json"


def predictions_path(name, split):
    return PREDICTIONS / name / f"{split}.npy"


def pr_path(name, split):
    return PR / name / f"{split}.json"


def training_log(name):
    return LOGS / name


def training_history(name):
    """{curve: [value per epoch]} from the baseline's dvclive log (train_loss, val_loss,
    val_f1, ...); {} for a baseline that does not train in epochs."""
    folder = training_log(name) / "plots" / "metrics"
    curves = {}
    for path in sorted(folder.glob("*.tsv")):
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:]]
        curves[path.stem] = [float(value) for _, value in rows]
    return curves


def behavior_failures_path(name):
    return report_dir(name) / "behavior_failures.json"


def report_dir(name):
    """reports/<baseline>/: its per-class report, precision-recall figure, failed cases."""
    return REPORTS / name


def future_path(name):
    """Its recall per tag on the future set (dataset.future)."""
    return report_dir(name) / "future.json"


def per_class_path(name):
    return report_dir(name) / "per_class.json"


def pr_figure_path(name):
    return report_dir(name) / "pr_curve.png"


def project_tags(ids, y_true, y_pred):
    """One split's projects as {ids, true, predicted}, tags as class indices: small enough
    for git, so two commits compare from git alone."""
    return {"ids": list(ids), "true": [np.flatnonzero(row).tolist() for row in y_true],
            "predicted": [np.flatnonzero(row).tolist() for row in y_pred]}


def tag_matrices(split_tags, classes):
    """(ids, y_true, y_pred) back from project_tags."""
    def matrix(rows):
        y = np.zeros((len(rows), len(classes)), dtype=np.uint8)
        for i, row in enumerate(rows):
            y[i, row] = 1
        return y

    return split_tags["ids"], matrix(split_tags["true"]), matrix(split_tags["predicted"])


def load_meta(name, root="."):
    path = model_dir(name, root) / "meta.json"
    if not path.exists():
        raise TagbenchError(f"baseline {name!r} is not trained ({path} is missing): "
                            f"run `dvc repro` to build it")
    return read_json(path)


def load_scores(name, split):
    """The stored scores of one baseline on one split, with the split's true labels."""
    scores = load_array(predictions_path(name, split))
    truth = data.load_split(split)
    if scores.shape != truth.y.shape:
        raise TagbenchError(f"{predictions_path(name, split)}: shape {scores.shape} does not "
                            f"match the {split} split {truth.y.shape}: run `dvc repro`")
    return scores, truth


def evaluation(name):
    """What evaluate@<name> wrote: its metrics, and per split (ids, true tags, predicted tags)."""
    tags = read_json(tags_path(name))
    return read_json(metrics_path(name)), {
        split: tag_matrices(tags[split], tags["classes"]) for split in ("val", "test")}


def future_matrices(tags):
    """(ids, must, ok, predicted) of the future set in a parsed tags file, None without one."""
    found = tags.get("future")
    if found is None:
        return None
    ids, must, predicted = tag_matrices(found, tags["classes"])
    return ids, must, tag_matrices({**found, "true": found["ok"]}, tags["classes"])[1], predicted


def future_tags(name):
    """(ids, must, ok, predicted) of the future set as evaluate@<name> tagged it, None
    without one."""
    return future_matrices(read_json(tags_path(name)))


def shared_truth(evaluations):
    """{split: true tags}: the projects and labels every baseline was evaluated on."""
    (first, (_, reference)), *others = evaluations.items()
    for name, (_, splits) in others:
        for split, (ids, y, _) in splits.items():
            if ids != reference[split][0] or not np.array_equal(y, reference[split][1]):
                raise TagbenchError(f"{tags_path(name)} and "
                                    f"{tags_path(first)} were evaluated on different "
                                    f"{split} projects: run `dvc repro`")
    return {split: y for split, (_, y, _) in reference.items()}


def cross_validation(names, folds):
    """{"folds": k, "baselines": {name: its result}}: what the cv@ stages of these baselines
    wrote for k folds (none at all: k = 1, cross-validation off)."""
    found = {name: read_json(cv_path(name)) for name in names
             if folds > 1 and cv_path(name).exists()}
    kept = {n: r for n, r in found.items() if r["folds"] == folds}
    return {"folds": folds if kept else 1, "baselines": kept}
