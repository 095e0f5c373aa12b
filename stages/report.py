"""Stage report: every baseline side by side (val and test F1 with bootstrap intervals,
latency, throughput, size, parameters, training time), the Pareto front, the recommendation
(chosen on val), the threshold-method study and the comparison figures, the neural
baselines' training curves among them (drawn here from their dvclive logs, so that
restyling a figure never retrains a model)."""

import os

from tagbench import data
from tagbench.core import metrics, plots, thresholds
from tagbench.core.errors import exits_cleanly
from tagbench.core.io import load_array, read_json, write_json, write_text
from tagbench.core.params import every_baseline
from tagbench.data import artifacts
from tagbench.evaluation import cost, explain, params
from tagbench.evaluation.behavior import FIELDS as TEST_TYPES
from tagbench.report import markdown, recommend, seeds


def measure(name, costs, measured, truth, config):
    """One baseline's report row (what evaluate@<name> measured: its metrics and cost, the
    latter rescaled to one machine speed) and its threshold study."""
    meta = artifacts.load_meta(name)
    spent = costs[name]
    parts = spent["parts"]  # a hybrid's size and training time are its members' too
    row = {"name": name, **{f"test_{k}": v for k, v in measured["test"].items()},
           "val_f1": measured["val"]["f1"],
           **{k: spent[k] for k in ("latency_ms", "throughput", "size_mb", "parameters")},
           "train_rows": meta["train_rows"],
           "train_seconds": sum(read_json(artifacts.training_time_path(n))["train_seconds"]
                                for n in parts if artifacts.training_time_path(n).exists())}
    if "hybrid" in spent:
        row["hybrid"] = spent["hybrid"]
    if "future" in measured:
        row["future"] = {k: measured["future"][k] for k in ("f1", "f1_low", "f1_high")}
    row["behavior_pass"] = read_json(artifacts.behavior_path(name))["pass_rate"]
    kinds = read_json(artifacts.behavior_kinds_path(name))
    row["behavior"] = {test: kinds[test]["pass_rate"] for test in TEST_TYPES}
    at3 = read_json(artifacts.faithfulness_path(name))["3"] or {
        "removed": 0.0, "removed_random": 0.0, "difference": 0.0}  # no tag to explain
    row["faithfulness"] = {k: at3[k] for k in ("removed", "removed_random", "difference")}
    val, test = ((truth[s], load_array(artifacts.predictions_path(name, s)))
                 for s in ("val", "test"))
    return row, thresholds.study(meta, val, test, config["min_support"])


def add_intervals(rows, truth, predictions, p):
    """Bootstrap intervals of val and test macro F1 on rows; the val resamples per baseline."""
    resamples = p["report"]["resamples"]
    val_samples = metrics.bootstrap_macro_f1(
        truth["val"], {n: pr["val"] for n, pr in predictions.items()}, resamples, p["seed"])
    test_samples = metrics.bootstrap_macro_f1(
        truth["test"], {n: pr["test"] for n, pr in predictions.items()}, resamples, p["seed"])
    for row in rows:
        row["val_f1_low"], row["val_f1_high"] = metrics.interval(val_samples[row["name"]])
        row["test_f1_low"], row["test_f1_high"] = metrics.interval(test_samples[row["name"]])
    return val_samples


def add_future_bounds(rows, p):
    """Each row's bound against report.future_reference on the future set (recommend.py's
    future_bounds), which can bar it from the choice; the future set chooses nothing."""
    reference, config = p["report"]["future_reference"], p["report"]
    if reference is None:
        return
    tagged = {r["name"]: artifacts.future_tags(r["name"]) for r in rows}
    bounds = recommend.future_bounds(tagged, reference, config["resamples"], config["alpha"],
                                     p["seed"])
    for row in rows:
        if row["name"] in bounds:
            row["future"]["bound"] = round(bounds[row["name"]], 4)


def choose(rows, val_samples, cv, config):
    """The recommendation: on the val bootstrap, or on the folds when cross-validation ran."""
    if cv["folds"] == 1:
        return recommend.recommend(rows, val_samples, config)
    folds = {n: r["val_f1_folds"] for n, r in cv["baselines"].items()}
    for row in rows:
        row["cv_f1"] = cv["baselines"].get(row["name"], {}).get("val_f1_mean")
    return recommend.recommend(rows, folds, config, by_folds=True)


@exits_cleanly
def main():
    p = params.load()
    names, splits = every_baseline(p), read_json(data.SPLITS)
    evaluations = {name: artifacts.evaluation(name) for name in names}
    truth = artifacts.shared_truth(evaluations)
    predictions = {name: {split: labels for split, (_, _, labels) in splits.items()}
                   for name, (_, splits) in evaluations.items()}
    costs = cost.load(names)  # each timed on val by its evaluate stage, rescaled
    rows, studies = [], {}
    for name in names:
        row, studies[name] = measure(name, costs, evaluations[name][0], truth, p["threshold"])
        rows.append(row)
    spread = seeds.committed()
    for row in rows:
        row["seeds"] = spread.get(row["name"])
    val_samples = add_intervals(rows, truth, predictions, p)
    add_future_bounds(rows, p)
    rows.sort(key=lambda r: -r["val_f1"])
    front = recommend.pareto_front(rows)
    cv = artifacts.cross_validation(p["cv"]["baselines"], p["split"]["folds"])
    choice = choose(rows, val_samples, cv, p["report"])
    context = {**read_json(artifacts.DATA_STATS), "seed": p["seed"],
               "test_size": len(truth["test"]), "val_size": len(truth["val"]),
               "threshold": p["threshold"]["method"],
               "resamples": p["report"]["resamples"], "folds": cv["folds"],
               "machine": f"{os.cpu_count()} CPU cores",
               "train_seconds": sum(r["train_seconds"] for r in rows
                                    if r["name"] in p["baselines"]),  # hybrids: no training
               "train_size": len(splits["train"]), "split": splits["method"],
               "missing_classes": {s: r["missing_classes"]
                                   for s, r in read_json(artifacts.SPLIT_STATS).items()},
               "positives": {s: dict(zip(data.load_classes(), truth[s].sum(axis=0).tolist()))
                             for s in ("val", "test")},
               **p["report"]}
    write_json(artifacts.TRADEOFFS, {
        "context": context, "baselines": rows, "pareto_front": front,
        "recommended": choice["recommended"], "recommendation": choice,
        "threshold_study": studies})
    write_text(artifacts.TRADEOFFS_MD, markdown.tradeoffs_markdown(rows, front, choice, context)
               + markdown.cv_markdown(cv) + markdown.threshold_study_markdown(studies))
    plots.tradeoff_scatter(rows, front, artifacts.TRADEOFFS_PNG, choice["recommended"])
    per_class = [metrics.per_class_f1(truth["test"], predictions[r["name"]]["test"])
                 for r in rows]
    plots.heatmap(per_class, [r["name"] for r in rows], data.load_classes(),
                  artifacts.PER_CLASS_PNG,
                  title="test F1 per tag (rows sorted by val macro F1)")
    plots.pr_curves({n: read_json(artifacts.pr_path(n, "test")) for n in names},
                    artifacts.PR_PNG, title="test, all baselines:")
    histories = {n: artifacts.training_history(n) for n in p["baselines"]}
    plots.training_curves({n: h for n, h in histories.items() if "val_loss" in h},
                          artifacts.CURVES_PNG)
    shown = {n: read_json(artifacts.explanations_path(n)) for n in names}
    write_text(artifacts.EXPLANATIONS_HTML, explain.html_page(
        {n: e["projects"] for n, e in shown.items()}, {n: e["method"] for n, e in shown.items()}))
    print(f"recommended: {choice['recommended']} (chosen on val); "
          f"Pareto front: {', '.join(front)}")


if __name__ == "__main__":
    main()
