"""The evaluate stage's work, for baselines and hybrids alike: a baseline's threshold chosen
on val and applied to val and test, its metrics, each project's predicted tags (small, in git,
for `tagbench compare`), its per-class report and precision-recall curves; then its
behavioural tests, its explanations and its cost, through one loaded Predictor."""

from tagbench import data
from tagbench.core import metrics, plots, thresholds
from tagbench.core.io import read_json, write_json
from tagbench.data import artifacts
from tagbench.evaluation import behavior, cost, explain
from tagbench.predict import Predictor


def choose_threshold(name, config):
    """Choose a baseline's decision threshold on val (params.yaml's `threshold`)."""
    scores, val = artifacts.load_scores(name, "val")
    choice = thresholds.choose(val.y, scores, artifacts.load_meta(name), config)
    write_json(artifacts.threshold_path(name), choice)
    print(f"{name}: {choice['method']} threshold {choice.get('global', choice['threshold'])}")


def assess(name, p):
    """Everything measured of a baseline whose threshold is chosen: its metrics, behaviour,
    explanations and cost."""
    evaluate(name)
    reference = cost.reference_ms()
    tagger = Predictor(name)
    behavior.write(tagger, p)
    explain.write(tagger, p)
    measured = cost.measure(tagger, data.load_split("val").texts, reference)
    print(f"{name}: {measured['latency_ms']:.2f} ms a project, {measured['size_mb']:.2f} MB")


def evaluate(name):
    """Apply a baseline's threshold to val and test; write its metrics, each project's
    predicted tags, its per-class report and precision-recall curves."""
    record = read_json(artifacts.threshold_path(name))
    results, curves, tags = {}, {}, {}
    for split in ("test", "val"):
        scores, truth = artifacts.load_scores(name, split)
        predicted = thresholds.decide(scores, record)
        results[split] = metrics.overall(truth.y, predicted)
        curves[split] = metrics.pr_curve(truth.y, scores)
        tags[split] = artifacts.project_tags(truth.ids, truth.y, predicted)
        write_json(artifacts.pr_path(name, split), curves[split])
        if split == "test":
            write_json(artifacts.per_class_path(name),
                       metrics.per_class(truth.y, predicted, truth.classes, truth.ids))
    write_json(artifacts.metrics_path(name), results)
    write_json(artifacts.tags_path(name), {"classes": truth.classes, **tags}, indent=None)
    plots.pr_curves(curves, artifacts.pr_figure_path(name), title=name)
    print(f"{name}: test macro F1 {results['test']['f1']:.4f}, val {results['val']['f1']:.4f}")

