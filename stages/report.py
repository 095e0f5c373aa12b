"""Stage report: every baseline side by side (F1 with bootstrap intervals, latency,
throughput, size, parameters, training time), the Pareto front, a recommendation, the
threshold-method study and the comparison figures."""

import os

from tqdm import tqdm

from tagbench import artifacts, data, metrics, params, plots, report, thresholds
from tagbench.errors import exits_cleanly
from tagbench.io import read_json, write_json, write_text
from tagbench.predict import Tagger

OUT = artifacts.REPORTS


def evaluate(name, val, test, config):
    """One baseline's report row, its test predictions and its threshold study."""
    record = read_json(artifacts.threshold_path(name))
    meta = artifacts.load_meta(name)
    val_scores, _ = artifacts.load_scores(name, "val")
    test_scores, _ = artifacts.load_scores(name, "test")
    predicted = thresholds.decide(test_scores, record)
    tagger = Tagger(name)
    latency_ms, throughput = report.latency(tagger, test.texts)
    row = {"name": name, **metrics.overall(test.y, predicted), "latency_ms": latency_ms,
           "throughput": throughput, "size_mb": report.folder_mb(artifacts.model_dir(name)),
           "parameters": int(tagger.model.num_parameters()),
           "train_seconds": meta["train_seconds"]}
    study = thresholds.study(meta, (val.y, val_scores), (test.y, test_scores),
                             config["min_support"])
    return row, predicted, test_scores, study


@exits_cleanly
def main():
    p = params.load()
    val, test = data.load_split("val"), data.load_split("test")
    rows, predictions, curves, studies = [], {}, {}, {}
    for name in tqdm(p["baselines"], desc="report", disable=None):
        row, predictions[name], scores, studies[name] = evaluate(name, val, test, p["threshold"])
        rows.append(row)
        curves[name] = metrics.pr_curve(test.y, scores)
    intervals = metrics.bootstrap_macro_f1(test.y, predictions, p["report"]["resamples"],
                                           p["seed"])
    for row in rows:
        row["f1_low"], row["f1_high"] = intervals[row["name"]]
    rows.sort(key=lambda r: -r["f1"])
    front = report.pareto_front(rows)
    choice = report.recommend(rows, p["report"]["max_latency_ms"], p["report"]["max_size_mb"])
    context = {**read_json(artifacts.DATA_STATS), "seed": p["seed"], "test_size": len(test.y),
               "threshold": p["threshold"]["method"], "resamples": p["report"]["resamples"],
               "machine": f"{os.cpu_count()} CPU cores",
               "train_seconds": sum(r["train_seconds"] for r in rows), **p["report"]}
    write_json(artifacts.TRADEOFFS, {
        "context": context, "baselines": rows, "pareto_front": front,
        "recommended": choice[0], "within_noise_of_recommended": choice[1],
        "threshold_study": studies})
    write_text(OUT / "tradeoffs.md", report.tradeoffs_markdown(rows, front, choice, context)
               + report.cv_markdown(read_json(artifacts.CV))
               + report.threshold_study_markdown(studies))
    plots.tradeoff_scatter(rows, front, OUT / "tradeoffs.png")
    per_class = [metrics.per_class_f1(test.y, predictions[r["name"]]) for r in rows]
    plots.heatmap(per_class, [r["name"] for r in rows], test.classes, OUT / "per_class_f1.png",
                  title="test F1 per tag (rows sorted by macro F1)")
    plots.pr_curves(curves, OUT / "pr_curves.png", title="test, all baselines:")
    print(f"recommended: {choice[0]}; Pareto front: {', '.join(front)}")


if __name__ == "__main__":
    main()
