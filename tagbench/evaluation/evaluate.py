"""The evaluate stage's work, for baselines and hybrids alike: a baseline's threshold applied
to val and test, its metrics, each project's predicted tags (small, in git, for `tagbench
compare`), its per-class report and precision-recall curves."""

from tagbench import artifacts, metrics, plots, thresholds
from tagbench.io import read_json, write_json


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

