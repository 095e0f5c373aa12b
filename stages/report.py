"""Stage report: every baseline side by side (val and test F1 with bootstrap intervals,
latency, throughput, size, parameters, training time), the Pareto front, the recommendation
(chosen on val), the threshold-method study and the comparison figures."""

import os

from tqdm import tqdm

from tagbench import artifacts, data, metrics, params, plots, report, thresholds
from tagbench.errors import exits_cleanly
from tagbench.io import read_json, write_json, write_text
from tagbench.predict import Tagger

OUT = artifacts.REPORTS


def evaluate(name, val, test, config):
    """One baseline's report row, its val and test predictions and its threshold study."""
    record = read_json(artifacts.threshold_path(name))
    meta = artifacts.load_meta(name)
    val_scores, _ = artifacts.load_scores(name, "val")
    test_scores, _ = artifacts.load_scores(name, "test")
    predicted = {"val": thresholds.decide(val_scores, record),
                 "test": thresholds.decide(test_scores, record)}
    tagger = Tagger(name)
    latency_ms, throughput = report.latency(tagger, test.texts)
    row = {"name": name, **metrics.overall(test.y, predicted["test"]),
           "val_f1": metrics.overall(val.y, predicted["val"])["f1"], "latency_ms": latency_ms,
           "throughput": throughput, "size_mb": report.folder_mb(artifacts.model_dir(name)),
           "parameters": int(tagger.model.num_parameters()),
           "train_seconds": meta["train_seconds"]}
    study = thresholds.study(meta, (val.y, val_scores), (test.y, test_scores),
                             config["min_support"])
    return row, predicted, test_scores, study


def add_intervals(rows, val, test, predictions, p):
    """Bootstrap intervals of val and test macro F1 on rows; the val resamples per baseline."""
    resamples = p["report"]["resamples"]
    val_samples = metrics.bootstrap_macro_f1(
        val.y, {n: pr["val"] for n, pr in predictions.items()}, resamples, p["seed"])
    test_samples = metrics.bootstrap_macro_f1(
        test.y, {n: pr["test"] for n, pr in predictions.items()}, resamples, p["seed"])
    for row in rows:
        row["val_f1_low"], row["val_f1_high"] = metrics.interval(val_samples[row["name"]])
        row["f1_low"], row["f1_high"] = metrics.interval(test_samples[row["name"]])
    return val_samples


def choose(rows, val_samples, cv, config):
    """The recommendation: on the val bootstrap, or on the folds when cross-validation ran."""
    if cv["folds"] == 1:
        return report.recommend(rows, val_samples, config)
    folds = {n: r["val_f1_folds"] for n, r in cv["baselines"].items()}
    for row in rows:
        row["cv_f1"] = cv["baselines"].get(row["name"], {}).get("val_f1_mean")
    return report.recommend(rows, folds, config, by_folds=True)


@exits_cleanly
def main():
    p = params.load()
    val, test = data.load_split("val"), data.load_split("test")
    rows, predictions, curves, studies = [], {}, {}, {}
    for name in tqdm(p["baselines"], desc="report", disable=None):
        row, predictions[name], scores, studies[name] = evaluate(name, val, test, p["threshold"])
        rows.append(row)
        curves[name] = metrics.pr_curve(test.y, scores)
    val_samples = add_intervals(rows, val, test, predictions, p)
    rows.sort(key=lambda r: -r["val_f1"])
    front = report.pareto_front(rows)
    cv = read_json(artifacts.CV)
    choice = choose(rows, val_samples, cv, p["report"])
    context = {**read_json(artifacts.DATA_STATS), "seed": p["seed"], "test_size": len(test.y),
               "val_size": len(val.y), "threshold": p["threshold"]["method"],
               "resamples": p["report"]["resamples"], "folds": cv["folds"],
               "machine": f"{os.cpu_count()} CPU cores",
               "train_seconds": sum(r["train_seconds"] for r in rows), **p["report"]}
    write_json(artifacts.TRADEOFFS, {
        "context": context, "baselines": rows, "pareto_front": front,
        "recommended": choice["recommended"], "recommendation": choice,
        "threshold_study": studies})
    write_text(OUT / "tradeoffs.md", report.tradeoffs_markdown(rows, front, choice, context)
               + report.cv_markdown(cv) + report.threshold_study_markdown(studies))
    plots.tradeoff_scatter(rows, front, OUT / "tradeoffs.png", choice["recommended"])
    per_class = [metrics.per_class_f1(test.y, predictions[r["name"]]["test"]) for r in rows]
    plots.heatmap(per_class, [r["name"] for r in rows], test.classes, OUT / "per_class_f1.png",
                  title="test F1 per tag (rows sorted by val macro F1)")
    plots.pr_curves(curves, OUT / "pr_curves.png", title="test, all baselines:")
    print(f"recommended: {choice['recommended']} (chosen on val); "
          f"Pareto front: {', '.join(front)}")


if __name__ == "__main__":
    main()
