"""reports/tradeoffs.md: the table of every baseline, the recommendation and the rule that
made it, the threshold-method study and cross-validation."""

from tagbench.evaluation.cost import BATCH, BUDGET, LEAST, MOST, ROUNDS
from tagbench.report import seeds

SPLITS = {"temporal": "temporal (train on the oldest projects, val on the next, test on the "
                      "newest)", "iterative": "iterative stratified", "lesson": "the lesson's",
          "given": "the dataset's own"}


def tradeoffs_markdown(rows, front, choice, context):
    """reports/tradeoffs.md: the recommendation and why, then every baseline's numbers (sorted
    by val macro F1), the hybrids' combinations and each tag's positives."""
    lines = [
        "# Which baseline to ship: F1 against cost", "",
        *recommendation_markdown(rows, choice, context), "",
        "## Every baseline", "",
        f"Data {context['version']}: {context['projects']} projects, {context['classes']} tags; "
        f"seed {context['seed']}; split {SPLITS[context['split']]}: val {context['val_size']} "
        f"and test {context['test_size']} projects. Macro F1 with the threshold chosen on val "
        f"({context['threshold']}); 95% bootstrap intervals over {context['resamples']} "
        f"resamples of the projects, the same resamples for every baseline. Rows are sorted "
        f"by val, which chooses; test only reports. Latency: median over val projects at "
        f"batch 1, as many as {BUDGET:g} s takes ({LEAST} to {MOST}), the least of {ROUNDS} "
        f"rounds, whole "
        f"predict path, on this machine "
        f"({context['machine']}), timed by each baseline's evaluate stage and rescaled to one "
        f"machine speed by a reference workload timed in a fresh Python beside it. Training "
        f"time, summed over baselines: {context['train_seconds']:.0f} s. Behavioural tests: "
        f"the share of the hand-written cases in data/behavioral/ passed, all (minimum "
        f"functionality / invariance / directional). Explanations: the share of the val "
        f"split's predicted tags that deleting their 3 most attributed words removes, "
        f"against deleting 3 random words "
        f"(val, because the recommendation reads it). Pareto: no other baseline is as good on "
        f"val macro F1, latency and size, and better on one. A hybrid's size, parameters and "
        f"training time are its two members' together, and its latency runs both. Over model "
        f"seeds: the noise floor's runs (reports/noise_floor.json) of each baseline a seed "
        f"moves (a hybrid is not re-seeded: its member's row); the committed run is one draw. "
        f"{future_note(context)}",
        "",
        "| baseline | val macro F1 [95% CI] | test macro F1 [95% CI] | test macro F1 over model "
        "seeds: mean ± sd | test micro F1 | precision | recall | future set F1 [95% CI] "
        "| ms / project | projects / s (batch 64) | size MB | parameters | train s "
        "| behavioural tests | explanations: tags removed, top 3 words / 3 random | Pareto |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['val_f1']:.3f} [{r['val_f1_low']:.3f}, {r['val_f1_high']:.3f}] "
            f"| {r['test_f1']:.3f} [{r['test_f1_low']:.3f}, {r['test_f1_high']:.3f}] "
            f"| {seeds.cell(r.get('seeds'))} | {r['test_micro_f1']:.3f} "
            f"| {r['test_precision']:.3f} | {r['test_recall']:.3f} | {future_cell(r)} "
            f"| {r['latency_ms']:.2f} | {r['throughput']:.0f} | {r['size_mb']:.2f} "
            f"| {r['parameters']:,} | {r['train_seconds']:.1f} "
            f"| {behavior_cell(r)} "
            f"| {r['faithfulness']['removed']:.0%} / {r['faithfulness']['removed_random']:.0%} "
            f"| {'yes' if r['name'] in front else ''} |")
    return "\n".join(lines + ["", *warnings(rows, context), *hybrids_markdown(rows),
                              *positives_markdown(context)]) + "\n"


def future_note(context):
    """What the future set is, in a sentence (nothing without one)."""
    if not context.get("future_projects"):
        return ""
    return (f"Future set: {context['future_projects']} projects written after the data "
            f"(dataset.future), tagged with the threshold chosen on val; micro F1 of the tags "
            f"the text clearly supports (recall) and of the predicted tags that are supported "
            f"or defensible (precision), with a 95% bootstrap interval over its projects. It "
            f"scores; nothing is fitted or chosen on it.")


def future_cell(row):
    """Future-set F1 with its interval, or nothing without a future set."""
    f = row.get("future")
    return f"{f['f1']:.3f} [{f['f1_low']:.3f}, {f['f1_high']:.3f}]" if f else ""


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
    """The choice and why in a few lines, the rule, and one row per baseline: val F1, the
    bound of its difference to the best, its cost class, chosen or why not."""
    by_name = {r["name"]: r for r in rows}
    budget = (f"at most {context['max_latency_ms']} ms per project and "
              f"{context['max_size_mb']} MB on disk, at least {context['min_throughput']:g} "
              f"projects per second in batches of {BATCH}, passing at least "
              f"{context['min_behavior_pass']:.0%} of the behavioural tests, with explanations "
              f"whose top 3 words remove at least {context['min_faithfulness']:.0%} more of "
              f"the tags than 3 random words")
    lines = ["## Recommendation (chosen on val; test is only reported)", ""]
    name = choice["recommended"]
    if name is None:
        return lines + [f"No baseline fits: {budget}."]
    r = by_name[name]
    lines += [f"**Recommended: {name}**: {context_f1(r, choice)}, test macro F1 "
              f"{r['test_f1']:.3f} [{r['test_f1_low']:.3f}, {r['test_f1_high']:.3f}], "
              f"{r['latency_ms']:.1f} ms per project, {r['size_mb']:.2f} MB, cost class "
              f"{choice['cost_classes'][name]}. `tagbench predict` uses it by default. "
              f"{why(choice, by_name)}", "", rule(choice, context, budget), "",
              "| baseline | val macro F1 | val F1 minus the best's: one-sided bound | cost class "
              "| ms / project | size MB | future set F1 [95% CI] | chosen, or why not |",
              "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        n = row["name"]
        bound = f"{choice['bounds'][n]:+.3f}" if n in choice["bounds"] else ""
        lines.append(f"| {n} | {row['val_f1']:.3f} | {bound} | {choice['cost_classes'][n]} "
                     f"| {row['latency_ms']:.2f} | {row['size_mb']:.2f} | {future_cell(row)} "
                     f"| {choice['why_not'][n]} |")
    return lines


def rule(choice, context, budget):
    """The rule in one paragraph, with the numbers it ran on."""
    m = max(1, len(choice["cheaper"]))
    if choice["by"] == "folds":
        test = (f"a paired t bound over the {context['folds']} cross-validation folds of "
                f"train + val")
    else:
        test = (f"a paired bootstrap over the {context['val_size']} val projects "
                f"({context['resamples']} resamples)")
    return (f"Rule: among the baselines within {budget}, the best val macro F1 stands unless "
            f"one of a cheaper cost class is shown no worse than {choice['margin']} below it: "
            f"the one-sided {1 - choice['alpha'] / m:.1%} lower bound of its val macro F1 "
            f"minus the best's ({test}; alpha {choice['alpha']} shared among the {m} cheaper "
            f"baselines compared, so more comparisons make a swap harder, never easier) lies "
            f"above -{choice['margin']}. Of those shown no worse, the cheapest class wins, then "
            f"the higher val F1. Cost classes: latency and size each in tiers "
            f"{context['cost_band']}x wide (under {context['cost_floor_ms']} ms and "
            f"{context['cost_floor_mb']} MB counted as those), ranked latency first; a hybrid "
            f"costs what its learned member costs." + future_rule(context, choice))


def future_rule(context, choice):
    """The future set's part in the rule: evidence against a baseline, never for one."""
    reference = context.get("future_reference")
    if not reference or not context.get("future_projects"):
        return ""
    return (f" New projects: a baseline shown worse than {reference} on the "
            f"{context['future_projects']} projects of the future set (the one-sided "
            f"{1 - choice['alpha']:.0%} upper bound of its F1 minus {reference}'s, a paired "
            f"bootstrap over those projects, below 0) is not chosen; the future set never "
            f"picks a baseline, val does.")


def why(choice, by_name):
    """The reasons for the choice in a sentence or two."""
    name, best, bounds = choice["recommended"], choice["best_on_val"], choice["bounds"]
    cheaper = choice["cheaper"]
    if name != best:
        text = (f"It costs less than the best on val, {best} ({by_name[best]['val_f1']:.3f}), "
                f"and is shown no worse than {choice['margin']} below it (bound "
                f"{bounds[name]:+.3f}).")
    elif cheaper:
        closest = max(cheaper, key=bounds.get)
        text = (f"It has the best val macro F1 within the budgets, and no cheaper baseline is "
                f"shown within {choice['margin']} of it (the closest, {closest}, bounded at "
                f"{bounds[closest]:+.3f}).")
    else:
        text = "It has the best val macro F1 within the budgets, and none costs less."
    raw = choice["uncorrected"]["recommended"]
    return text + (f" Uncorrected for the comparisons, {raw} would be chosen." if raw != name
                   else "")


def positives_markdown(context):
    """Each tag's positives in val and test, and what macro F1 does with a tag that has none."""
    counts = context.get("positives")
    if not counts:
        return []
    lines = ["Positives per tag (val / test), fewest in val first. Macro F1 weighs every tag "
             "alike; a tag with no positive in a split scores F1 0 there for every baseline "
             "(scikit-learn's zero_division=0), which lowers each macro F1 alike and moves no "
             "comparison, and a tag with few positives moves macro F1 most from resample to "
             "resample (the intervals count it):", "",
             ", ".join(f"{tag} {n} / {counts['test'][tag]}" for tag, n in
                       sorted(counts["val"].items(), key=lambda item: (item[1], item[0]))) + "."]
    return ["", *lines]


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
