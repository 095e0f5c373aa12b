"""Slices of the test split (the lesson's bias checks): every baseline's macro and micro F1
on each slice, with a bootstrap interval, flagged when it falls significantly below the same
baseline's F1 on the whole test split.

A slice is a name and one rule in params.yaml's `slices`. Macro F1 on a slice averages the
tags that occur in it; the baseline's overall F1 it is held against averages the same tags
over the whole test split, so a slice is not penalised for the tags it lacks.
"""

import numpy as np

from tagbench.data import text as textlib
from tagbench.evaluation.slice_rules import RULES

MIN_SIZE = 10  # smaller slices are reported but never flagged


def has_alias(cleaned, tags, vocabulary):
    """Does the cleaned text name one of these tags, or one of their aliases, as whole words?"""
    padded = f" {cleaned} "
    names = [n for tag in tags for n in [tag, *vocabulary[tag]["aliases"]]]
    return any(f" {textlib.clean(n)} " in padded for n in names if textlib.clean(n))


def masks(slices, records, vocabulary, all_dates):
    """{slice: boolean mask over records}, without the slices this dataset cannot have (a
    field it lacks: no description, no dates), each said in one line; all_dates: every
    row's date, which fixes the thirds."""
    dated = sorted(d for d in all_dates if d)
    cuts = [dated[len(dated) * i // 3] for i in (1, 2)] if dated else []

    def third(date):
        return None if date is None or not cuts else 1 + sum(date >= c for c in cuts)

    selects = {
        "max_words": lambda r, v: len(r["text"].split()) <= v,
        "max_description_words": lambda r, v: len(r["fields"]["description"].split()) <= v,
        "no_gold_alias": lambda r, v: (not has_alias(r["text"], r["tags"], vocabulary)) == v,
        "created_third": lambda r, v: third(r["date"]) == v,
        "tags": lambda r, v: len(r["tags"]) == v,
        "min_tags": lambda r, v: len(r["tags"]) >= v,
    }
    lacking = {"max_description_words": not all("description" in r["fields"] for r in records),
               "created_third": not cuts}
    result = {}
    for name, rule in slices.items():
        (criterion, value), = rule.items()
        if lacking.get(criterion):
            print(f"slices: {name} ({criterion}) left out: this dataset has no "
                  f"{'description field' if criterion == 'max_description_words' else 'dates'}")
            continue
        result[name] = np.array([selects[criterion](r, value) for r in records], dtype=bool)
    return result


def present_macro_f1(y_true, y_pred, counts):
    """Macro F1 over the tags with a positive in each resample (counts: resample_counts), so a
    rare tag a resample happens to miss does not count as a zero."""
    truth, predicted = np.asarray(y_true, dtype=bool), np.asarray(y_pred, dtype=bool)
    tp, fn = counts @ (truth & predicted), counts @ (truth & ~predicted)
    fp = counts @ (~truth & predicted)
    present = tp + fn > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(present, 2 * tp / (2 * tp + fp + fn), 0.0)
    return f1.sum(axis=1) / np.maximum(present.sum(axis=1), 1)


def slice_scores(mask, y_true, y_pred, counts):
    """Macro F1 over the tags present in the slice (with its bootstrap samples from counts,
    resamples of the slice's rows), micro F1, and the same-tags macro F1 on the whole split."""
    from tagbench.core.metrics import overall

    y, p = y_true[mask], y_pred[mask]
    present = y.any(axis=0)
    return {
        "f1": overall(y[:, present], p[:, present])["f1"],
        "micro_f1": overall(y, p)["micro_f1"],
        "overall_f1": overall(y_true[:, present], y_pred[:, present])["f1"],
        "samples": present_macro_f1(y, p, counts),
    }


def evaluate(masks_, y_true, predictions, resamples, seed):
    """{baseline: {slice: {f1, f1_low, f1_high, micro_f1, overall_f1, below}}}; below: the
    slice's 95% interval lies under the baseline's same-tags F1 on the whole split."""
    from tagbench.core.metrics import interval, resample_counts

    counts = {name: resample_counts(int(m.sum()), resamples, seed) for name, m in masks_.items()}
    table = {}
    for baseline, y_pred in predictions.items():
        table[baseline] = {}
        for name, mask in masks_.items():
            if not mask.any():
                table[baseline][name] = None
                continue
            s = slice_scores(mask, y_true, y_pred, counts[name])
            low, high = interval(s.pop("samples"))
            table[baseline][name] = {**{k: round(v, 6) for k, v in s.items()},
                                     "f1_low": round(low, 6), "f1_high": round(high, 6),
                                     "below": bool(mask.sum() >= MIN_SIZE
                                                   and high < s["overall_f1"])}
    return table


def markdown(slices, sizes, table):
    """reports/slices.md: the rules, then macro F1 [95% CI] per baseline and slice (the
    slices the dataset can have: those in sizes)."""
    names = [name for name in slices if name in sizes]
    lines = ["# Slices of the test split", "",
             "Macro F1 over the tags present in each slice, with a 95% bootstrap interval over "
             "the slice's projects; **bold** (and ▼) where the whole interval lies below the "
             "baseline's F1 on the whole test split over the same tags. Slices under "
             f"{MIN_SIZE} projects are never flagged.", "",
             "| slice | rule | projects |", "|---|---|---|"]
    for name in names:
        (criterion, value), = slices[name].items()
        lines.append(f"| {name} | {criterion}: {value} ({RULES[criterion][1]}) | {sizes[name]} |")
    lines += ["", "| baseline | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
    for baseline, row in table.items():
        cells = []
        for name in names:
            r = row[name]
            if r is None:
                cells.append("empty")
                continue
            cell = f"{r['f1']:.3f} [{r['f1_low']:.3f}, {r['f1_high']:.3f}]"
            cells.append(f"**{cell} ▼** (all {r['overall_f1']:.3f})" if r["below"] else cell)
        lines.append(f"| {baseline} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
