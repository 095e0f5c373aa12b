"""The tradeoff report (F1 against latency, size and training cost) and the README tables,
all generated from the pipeline's outputs, never typed by hand."""

import re
import time
from pathlib import Path

import numpy as np

from tagbench import lesson
from tagbench.artifacts import (
    DATASET_VERSIONS,
    FLOAT_DRIFT,
    GOEMOTIONS_MD,
    NOISE_FLOOR,
    SCALING_MD,
    SLICES_MD,
    TRADEOFFS,
    TRADEOFFS_MD,
    metrics_path,
)
from tagbench.io import read_json


def tradeoff_rows():
    """name -> the tradeoff report's row ({} before the report stage has run)."""
    if not TRADEOFFS.exists():
        return {}
    return {row["name"]: row for row in read_json(TRADEOFFS)["baselines"]}


def recommended_baseline(names):
    """The report's recommendation, else the evaluated baseline with the best val macro F1
    (val, never test, picks a model); None when none of names is evaluated."""
    choice = read_json(TRADEOFFS)["recommended"] if TRADEOFFS.exists() else None
    if choice in names:
        return choice
    paths = {n: metrics_path(n) for n in names}
    scored = [(read_json(path)["val"]["f1"], n) for n, path in paths.items() if path.exists()]
    return max(scored)[1] if scored else None


def _fmt(value):
    return "" if value is None else f"{value:.3f}"


def results_table(baselines):
    """Markdown: each baseline's test and val macro F1 beside the lesson's numbers."""
    rows = ["| baseline | test macro F1 | test micro F1 | val macro F1 | lesson (published) "
            "| lesson code re-run |", "|---|---|---|---|---|---|"]
    for name in baselines:
        path = metrics_path(name)
        if not path.exists():
            rows.append(f"| {name} | not built | | | {_fmt(lesson.PUBLISHED_F1.get(name))} "
                        f"| {_fmt(lesson.RERUN_F1.get(name))} |")
            continue
        m = read_json(path)
        rows.append(f"| {name} | {_fmt(m['test']['f1'])} | {_fmt(m['test']['micro_f1'])} "
                    f"| {_fmt(m['val']['f1'])} | {_fmt(lesson.PUBLISHED_F1.get(name))} "
                    f"| {_fmt(lesson.RERUN_F1.get(name))} |")
    return "\n".join(rows)


README_COPIES = {  # block -> the generated report it copies, what builds it, the document
    "tradeoffs": (TRADEOFFS_MD, "dvc repro report", "README.md"),
    "slices": (SLICES_MD, "dvc repro slices", "README.md"),
    "goemotions": (GOEMOTIONS_MD, "make goemotions", "README.md"),
    "scaling": (SCALING_MD, "python benchmarks/scaling.py", "README.md"),
    "noise": (NOISE_FLOOR.with_suffix(".md"), "make noise", "docs/comparing.md"),
    "drift": (FLOAT_DRIFT.with_suffix(".md"), "make drift", "docs/comparing.md"),
    "versions": (DATASET_VERSIONS, "make compare-versions", "docs/comparing.md"),
}
HEAD_ONLY = {"goemotions"}  # copied up to their first section; the rest stays in the report


def readme_copy(block, root="."):
    """A generated report for the README: without its title when it has one, its sections
    one heading level down (or, for HEAD_ONLY blocks, none of them)."""
    path, command, _ = README_COPIES[block]
    path = Path(root) / path
    if not path.exists():
        return f"Not built yet: run `{command}`."
    lines = path.read_text(encoding="utf-8").splitlines()
    if lines[0].startswith("# "):
        lines = lines[1:]
    if block in HEAD_ONLY:
        lines = lines[:next((i for i, line in enumerate(lines) if line.startswith("## ")),
                            len(lines))]
    return "\n".join("#" + line if line.startswith("## ") else line for line in lines).strip()


def replace_block(document, name, content):
    """Replace the text between <!-- name:start --> and <!-- name:end --> markers."""
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
    if not pattern.search(document):
        raise ValueError(f"no <!-- {name}:start --> ... <!-- {name}:end --> block")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), document)


def folder_mb(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file()) / 1e6


LATENCY_TEXTS = 500  # the first texts of val timed (all of the projects' 215)


def latency(tagger, texts, batch_size=64):
    """(median ms per project at batch 1, projects per second at batch_size) over the first
    LATENCY_TEXTS texts, through the whole predict path: cleaning, the model, the threshold."""
    texts = texts[:LATENCY_TEXTS]
    tagger.predict(texts[:batch_size])  # warm-up: lazy imports, first-call allocations
    single = []
    for text in texts:
        start = time.perf_counter()
        tagger.predict([text])
        single.append(time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(0, len(texts), batch_size):
        tagger.predict(texts[i:i + batch_size])
    return 1000 * float(np.median(single)), len(texts) / (time.perf_counter() - start)


def pareto_front(rows):
    """Names of the rows no other row beats: at least as good on F1, latency and size, and
    better on one."""
    def beats(a, b):
        no_worse = (a["f1"] >= b["f1"] and a["latency_ms"] <= b["latency_ms"]
                    and a["size_mb"] <= b["size_mb"])
        better = (a["f1"] > b["f1"] or a["latency_ms"] < b["latency_ms"]
                  or a["size_mb"] < b["size_mb"])
        return no_worse and better

    return [r["name"] for r in rows if not any(beats(o, r) for o in rows)]


def cost(row):
    """What "cheapest" compares: latency to two significant digits (a re-measurement moves
    it in the third), then size on disk."""
    return float(f"{row['latency_ms']:.2g}"), row["size_mb"]


def p_below(best, other, by_folds):
    """One-sided p-value of "best's val macro F1 is above other's": paired bootstrap over
    val projects (scores on the same resamples), or a paired t-test over k folds."""
    if not by_folds:
        from tagbench.metrics import one_sided_p  # scikit-learn: not on predict's path

        return one_sided_p(best, other)
    from scipy.stats import ttest_rel

    if np.array_equal(best, other):
        return 1.0
    return float(ttest_rel(best, other, alternative="greater").pvalue)


def recommend(rows, val_scores, config, by_folds=False):
    """The recommendation, chosen on val (test is only reported): among the baselines within
    config's max_latency_ms and max_size_mb that pass at least min_behavior_pass of the
    behavioural tests and whose explanations beat random deletion by min_faithfulness, the
    cheapest (latency, then size) whose val macro F1 is not
    significantly below the best one's (one-sided, at config['alpha']).

    val_scores: name -> macro F1 on the same val bootstrap resamples, or with by_folds,
    name -> its k-fold val scores (a baseline without them cannot be chosen).
    """
    scored = [r for r in rows if r["name"] in val_scores]
    failing = [r["name"] for r in scored if r["behavior_pass"] is not None
               and r["behavior_pass"] < config["min_behavior_pass"]]
    behaving = [r for r in scored if r["name"] not in failing
                and r["faithfulness"]["difference"] >= config["min_faithfulness"]]
    fitting = [r for r in behaving if r["latency_ms"] <= config["max_latency_ms"]
               and r["size_mb"] <= config["max_size_mb"]]
    choice = {"recommended": None, "best_on_val": None, "candidates": [], "p_values": {},
              "failing_behavior": failing,
              "unfaithful": [r["name"] for r in scored
                             if r["faithfulness"]["difference"] < config["min_faithfulness"]],
              "over_budget": [r["name"] for r in behaving if r not in fitting],
              "not_scored": [r["name"] for r in rows if r["name"] not in val_scores],
              "alpha": config["alpha"], "by": "folds" if by_folds else "val bootstrap"}
    if not fitting:
        return choice
    mean = {r["name"]: float(np.mean(val_scores[r["name"]])) for r in fitting}
    best = max(fitting, key=lambda r: mean[r["name"]])["name"]
    p_values = {r["name"]: p_below(val_scores[best], val_scores[r["name"]], by_folds)
                for r in fitting if r["name"] != best}
    candidates = [r for r in fitting if r["name"] == best or p_values[r["name"]] >= config[
        "alpha"]]
    return {**choice, "recommended": min(candidates, key=cost)["name"], "best_on_val": best,
            "candidates": [r["name"] for r in candidates],
            "p_values": {n: round(p, 4) for n, p in p_values.items()}}


def tradeoffs_markdown(rows, front, choice, context):
    """reports/tradeoffs.md: the context, the table sorted by val macro F1, the recommendation
    and the rule that made it."""
    lines = [
        "# Which baseline to ship: F1 against cost",
        "",
        f"Data {context['version']}: {context['projects']} projects, {context['classes']} tags; "
        f"seed {context['seed']}; val {context['val_size']} and test {context['test_size']} "
        f"projects. Macro F1 with the threshold chosen on val ({context['threshold']}); 95% "
        f"bootstrap intervals over {context['resamples']} resamples of the projects, the same "
        f"resamples for every baseline. Rows are sorted by val, which chooses; test only "
        f"reports. Latency: median over the val split at batch 1, whole predict path, on this "
        f"machine ({context['machine']}). Training time, summed over baselines: "
        f"{context['train_seconds']:.0f} s. Behavioural tests: the share of the hand-written "
        f"cases in data/behavioral/ passed, all (minimum functionality / invariance / "
        f"directional). Explanations: the share of the val split's predicted tags that "
        f"deleting their 3 most attributed words removes, against deleting 3 random words "
        f"(val, because the recommendation reads it).",
        "",
        "| baseline | val macro F1 [95% CI] | test macro F1 [95% CI] | test micro F1 | precision "
        "| recall | ms / project | projects / s (batch 64) | size MB | parameters | train s "
        "| behavioural tests | explanations: tags removed, top 3 words / 3 random | Pareto |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['val_f1']:.3f} [{r['val_f1_low']:.3f}, {r['val_f1_high']:.3f}] "
            f"| {r['f1']:.3f} [{r['f1_low']:.3f}, {r['f1_high']:.3f}] "
            f"| {r['micro_f1']:.3f} | {r['precision']:.3f} | {r['recall']:.3f} "
            f"| {r['latency_ms']:.2f} | {r['throughput']:.0f} | {r['size_mb']:.2f} "
            f"| {r['parameters']:,} | {r['train_seconds']:.1f} "
            f"| {behavior_cell(r)} "
            f"| {r['faithfulness']['removed']:.0%} / {r['faithfulness']['removed_random']:.0%} "
            f"| {'yes' if r['name'] in front else ''} |")
    return "\n".join(lines + ["", *warnings(rows, context),
                              *recommendation_markdown(rows, choice, context)]) + "\n"


def warnings(rows, context):
    """What the table alone does not say: baselines trained on a sample (over their training
    budget), and classes a split lacks entirely (their F1 there is 0 or undefined)."""
    lines = [f"- **{r['name']}** was over its training budget: trained on {r['train_rows']:,} "
             f"of the {context['train_size']:,} train rows ({r['name']}.max_train_rows)."
             for r in rows if r["train_rows"] < context["train_size"]]
    lines += [f"- **Warning**: {len(absent)} class(es) have no {split} row: "
              f"{', '.join(absent)}." for split, absent in context["missing_classes"].items()
              if absent]
    return [*lines, ""] if lines else []


def behavior_cell(row):
    """The pass rate, all (each kind), or none when no case applied to this dataset."""
    if row["behavior_pass"] is None:
        return "none apply"
    kinds = " / ".join("-" if rate is None else f"{rate:.2f}" for rate in row["behavior"].values())
    return f"{row['behavior_pass']:.2f} ({kinds})"


def recommendation_markdown(rows, choice, context):
    """The recommendation section: the rule, then what it found."""
    by_name = {r["name"]: r for r in rows}
    budget = (f"at most {context['max_latency_ms']} ms per project and "
              f"{context['max_size_mb']} MB on disk, passing at least "
              f"{context['min_behavior_pass']:.0%} of the behavioural tests, with explanations "
              f"whose top 3 words remove at least {context['min_faithfulness']:.0%} more of "
              f"the tags than 3 random words")
    if choice["by"] == "folds":
        test = (f"a one-sided paired t-test over the {context['folds']} cross-validation folds "
                f"of train + val")
    else:
        test = (f"a one-sided paired bootstrap over the {context['val_size']} val projects "
                f"({context['resamples']} resamples)")
    lines = ["## Recommendation (chosen on val; test is only reported)", "",
             f"Rule: among the baselines within {budget}, the cheapest (latency to two "
             f"significant digits, then size) whose val macro F1 is not significantly below "
             f"the best one's: {test}, p >= {choice['alpha']}.", ""]
    name = choice["recommended"]
    if name is None:
        return lines + [f"No baseline fits: {budget}."]
    best = choice["best_on_val"]
    below = {n: p for n, p in choice["p_values"].items() if n not in choice["candidates"]}

    def listed(names):
        return ", ".join(f"{n} (p = {choice['p_values'][n]:.3f})" for n in names) or "none"

    r = by_name[name]
    lines += [
        f"- Best val macro F1 within budget: {best} ({context_f1(by_name[best], choice)}).",
        f"- Not significantly below it: {listed([n for n in choice['candidates'] if n != best])}.",
        f"- Significantly below it: {listed(sorted(below, key=below.get))}.",
        f"- Over budget: {', '.join(choice['over_budget']) or 'none'}.",
        f"- Below the behavioural pass rate: {', '.join(choice['failing_behavior']) or 'none'}.",
        f"- Explanations not faithful enough: {', '.join(choice['unfaithful']) or 'none'}."]
    if choice["not_scored"]:
        lines.append(f"- Not cross-validated, so not chosen: {', '.join(choice['not_scored'])}.")
    lines += ["", f"**Recommended: {name}**: {context_f1(r, choice)}, test macro F1 "
              f"{r['f1']:.3f} [{r['f1_low']:.3f}, {r['f1_high']:.3f}], "
              f"{r['latency_ms']:.1f} ms per project, {r['size_mb']:.2f} MB. "
              f"`tagbench predict` uses it by default."]
    return lines


def context_f1(row, choice):
    if choice["by"] == "folds":
        return f"cross-validated val macro F1 {row['cv_f1']:.3f}"
    return f"val macro F1 {row['val_f1']:.3f}"


def threshold_study_markdown(studies):
    """The threshold methods side by side for every baseline (macro F1). "val" reuses the
    thresholds' own val data (optimistic); "val, cross-fitted" chooses on one half of val and
    scores the other: the fair val number to choose a method by."""
    lines = ["", "## Threshold methods (macro F1)", "",
             "Val cross-fitted: thresholds chosen on one half of val, scored on the other "
             "(and back), so a method is not judged on the data it was fitted to.", "",
             "| baseline | method | val | val, cross-fitted | test | + at least one: "
             "val, cross-fitted | test |", "|---|---|---|---|---|---|---|"]
    for name, study in studies.items():
        for method, s in study.items():
            lines.append(f"| {name} | {method} | {s['val']:.3f} | {s['val_cross_fitted']:.3f} "
                         f"| {s['test']:.3f} | {s['val_cross_fitted_at_least_one']:.3f} "
                         f"| {s['test_at_least_one']:.3f} |")
    return "\n".join(lines) + "\n"


def cv_markdown(cv):
    """k-fold val macro F1 per baseline, or how to turn cross-validation on."""
    if cv["folds"] == 1:
        return ("\n## Cross-validation\n\nOff (`split.folds: 1`); `dvc exp run -S split.folds=5` "
                "reports mean ± std of val macro F1 over 5 folds of train + val.\n")
    lines = ["", f"## Cross-validation ({cv['folds']} folds of train + val)", "",
             "| baseline | val macro F1 mean ± std | per fold | seconds |", "|---|---|---|---|"]
    for name, r in sorted(cv["baselines"].items(), key=lambda item: -item[1]["val_f1_mean"]):
        folds = ", ".join(f"{s:.3f}" for s in r["val_f1_folds"])
        lines.append(f"| {name} | {r['val_f1_mean']:.3f} ± {r['val_f1_std']:.3f} | {folds} "
                     f"| {r['seconds']:.0f} |")
    return "\n".join(lines) + "\n"
