"""reports/tradeoffs.md: the table of every baseline, the recommendation and the rule that
made it, the threshold-method study and cross-validation."""

from tagbench.evaluation.cost import LATENCY_TEXTS, ROUNDS
from tagbench.report.recommend import SAME_SPEED


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
        f"reports. Latency: median over the first {LATENCY_TEXTS} val projects at batch 1 "
        f"(the least of {ROUNDS} rounds), whole predict path, on this machine "
        f"({context['machine']}), timed by each baseline's evaluate stage and rescaled to one "
        f"machine speed by a reference workload timed in a fresh Python beside it. Training "
        f"time, summed over baselines: {context['train_seconds']:.0f} s. Behavioural tests: "
        f"the share of the hand-written cases in data/behavioral/ passed, all (minimum "
        f"functionality / invariance / directional). Explanations: the share of the val "
        f"split's predicted tags that deleting their 3 most attributed words removes, "
        f"against deleting 3 random words "
        f"(val, because the recommendation reads it). Pareto: no other baseline is as good on "
        f"val macro F1, latency and size, and better on one. A hybrid's size, parameters and "
        f"training time are its two members' together, and its latency runs both.",
        "",
        "| baseline | val macro F1 [95% CI] | test macro F1 [95% CI] | test micro F1 | precision "
        "| recall | ms / project | projects / s (batch 64) | size MB | parameters | train s "
        "| behavioural tests | explanations: tags removed, top 3 words / 3 random | Pareto |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['val_f1']:.3f} [{r['val_f1_low']:.3f}, {r['val_f1_high']:.3f}] "
            f"| {r['test_f1']:.3f} [{r['test_f1_low']:.3f}, {r['test_f1_high']:.3f}] "
            f"| {r['test_micro_f1']:.3f} | {r['test_precision']:.3f} | {r['test_recall']:.3f} "
            f"| {r['latency_ms']:.2f} | {r['throughput']:.0f} | {r['size_mb']:.2f} "
            f"| {r['parameters']:,} | {r['train_seconds']:.1f} "
            f"| {behavior_cell(r)} "
            f"| {r['faithfulness']['removed']:.0%} / {r['faithfulness']['removed_random']:.0%} "
            f"| {'yes' if r['name'] in front else ''} |")
    return "\n".join(lines + ["", *warnings(rows, context), *hybrids_markdown(rows),
                              *recommendation_markdown(rows, choice, context)]) + "\n"


def hybrids_markdown(rows):
    """How val combined each hybrid's members, and what it said of the other combinations."""
    lines = [f"- **{r['name']}** = {' + '.join(r['hybrid']['members'])}: "
             f"{combination(r['hybrid']['how'])}, chosen on val (val macro F1: " + ", ".join(
                 f"{combination(how)} {f1:.3f}" for how, f1 in r["hybrid"]["val_f1"].items())
             + ")." for r in rows if "hybrid" in r]
    return ["Hybrids (a learned baseline and the keyword rules, `hybrids` in params.yaml):", "",
            *lines, ""] if lines else []


def combination(how):
    """A hybrid's combination in words."""
    how = str(how)
    return {"union": "the union", "0.0": "the model alone"}.get(how, f"boost {how}")


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
    """The pass rate, all (each test type), or none when no case applied to this dataset."""
    if row["behavior_pass"] is None:
        return "none apply"
    rates = " / ".join("-" if rate is None else f"{rate:.2f}" for rate in row["behavior"].values())
    return f"{row['behavior_pass']:.2f} ({rates})"


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
             f"Rule: among the baselines within {budget}, the cheapest (the smallest on disk "
             f"among those within {SAME_SPEED - 1:.0%} of the fastest one's latency) whose "
             f"val macro F1 is not significantly below the best one's: {test}, p >= "
             f"{choice['alpha']} after Holm's correction for the {len(choice['p_values'])} "
             f"comparisons with the best.", ""]
    name = choice["recommended"]
    if name is None:
        return lines + [f"No baseline fits: {budget}."]
    best = choice["best_on_val"]
    below = {n: p for n, p in choice["p_values"].items() if n not in choice["candidates"]}

    def listed(names):
        return ", ".join(f"{n} (p = {choice['p_values'][n]:.3f}, Holm {choice['p_holm'][n]:.3f})"
                         for n in names) or "none"

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
    lines.append(f"- {correction(choice)}")
    lines += ["", f"**Recommended: {name}**: {context_f1(r, choice)}, test macro F1 "
              f"{r['test_f1']:.3f} [{r['test_f1_low']:.3f}, {r['test_f1_high']:.3f}], "
              f"{r['latency_ms']:.1f} ms per project, {r['size_mb']:.2f} MB. "
              f"`tagbench predict` uses it by default."]
    return lines


def correction(choice):
    """What Holm's correction changed, in one sentence."""
    raw = choice["uncorrected"]
    added = [n for n in choice["candidates"] if n not in raw["candidates"]]
    if raw["recommended"] != choice["recommended"]:
        return (f"Without Holm's correction the recommendation would be {raw['recommended']} "
                f"({', '.join(added)} would count as significantly below the best).")
    if added:
        return (f"Holm's correction keeps {', '.join(added)} as well (significantly below "
                f"the best uncorrected); the recommendation is the same without it.")
    return "Holm's correction changes neither the candidates nor the recommendation."


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
        return ("\n## Cross-validation\n\nOff (`split.folds: 1`, `cv.baselines: []`); "
                "`dvc exp run -S split.folds=5 -S 'cv.baselines=[tfidf_svm,tfidf_logreg]'` "
                "reports mean ± std of val macro F1 over 5 folds of train + val, one cv@ "
                "stage per baseline.\n")
    lines = ["", f"## Cross-validation ({cv['folds']} folds of train + val)", "",
             "| baseline | val macro F1 mean ± std | per fold | seconds |", "|---|---|---|---|"]
    for name, r in sorted(cv["baselines"].items(), key=lambda item: -item[1]["val_f1_mean"]):
        folds = ", ".join(f"{s:.3f}" for s in r["val_f1_folds"])
        lines.append(f"| {name} | {r['val_f1_mean']:.3f} ± {r['val_f1_std']:.3f} | {folds} "
                     f"| {r['seconds']:.0f} |")
    return "\n".join(lines) + "\n"
