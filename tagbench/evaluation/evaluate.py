"""The evaluate stage's work, for baselines and hybrids alike: a baseline's threshold chosen
on val and applied to val, test and the future set (dataset.future: scored, never fitted on),
its metrics, each project's predicted tags (small, in git, for `tagbench compare`), its
per-class report and precision-recall curves; then its behavioural tests, its explanations
and its cost, through one loaded Predictor."""

from tagbench import data
from tagbench.core import metrics, plots, thresholds
from tagbench.core.io import read_json, write_json
from tagbench.core.seeding import seed_everything
from tagbench.data import artifacts
from tagbench.evaluation import behavior, cost, explain
from tagbench.predict import Predictor


def choose_threshold(name, config):
    """Choose a baseline's decision threshold on val (params.yaml's `threshold`)."""
    scores, val = artifacts.load_scores(name, "val")
    choice = thresholds.choose(val.y, scores, artifacts.load_meta(name), config)
    write_json(artifacts.threshold_path(name), choice)
    print(f"{name}: {choice['method']} threshold {choice.get('global', choice['threshold'])}")


def assess(name, p, model=None):
    """Everything measured of a baseline whose threshold is chosen: its metrics, behaviour,
    explanations and cost (model: it, in memory already)."""
    reference = cost.reference_ms()
    tagger = Predictor(name, model=model)
    evaluate(name, future(tagger, p))
    behavior.write(tagger, p)
    explain.write(tagger, p)
    measured = cost.measure(tagger, data.load_split("val").texts, reference)
    print(f"{name}: {measured['latency_ms']:.2f} ms a project, {measured['size_mb']:.2f} MB")


def future(tagger, p):
    """(metrics, project tags) of a tagger on the future set at its threshold chosen on val,
    its per-tag recall written to reports/<baseline>/future.json; ({}, {}) without one."""
    projects = data.load_future()
    if not len(projects):
        return {}, {}
    seed_everything(p["seed"])  # the random baselines draw while being scored
    predicted = thresholds.decide(tagger.scores(projects.texts), tagger.threshold)
    result = metrics.partial(projects.must, projects.ok, predicted, p["report"]["resamples"],
                             p["seed"])
    write_json(artifacts.future_path(tagger.name),
               metrics.per_class_recall(projects.must, predicted, projects.classes))
    tags = {**artifacts.project_tags(projects.ids, projects.must, predicted),
            "ok": artifacts.project_tags(projects.ids, projects.ok, predicted)["true"]}
    print(f"{tagger.name}: future set F1 {result['f1']:.4f} "
          f"[{result['f1_low']:.4f}, {result['f1_high']:.4f}] on {result['projects']} projects")
    return {"future": result}, {"future": tags}


def evaluate(name, future=({}, {})):
    """Apply a baseline's threshold to val and test; write its metrics (with the future
    set's, future: what `future` returned), each project's predicted tags, its per-class
    report and precision-recall curves."""
    record = read_json(artifacts.threshold_path(name))
    results, tags, curves = {**future[0]}, {**future[1]}, {}
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

