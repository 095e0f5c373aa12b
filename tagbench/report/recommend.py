"""The recommendation, chosen on val: the Pareto front of F1 against latency and size, and
the cheapest baseline whose val macro F1 is not significantly below the best one's (Holm's
correction for the number of comparisons), among those within the budget, the behavioural
pass rate and the faithfulness floor."""

import numpy as np

from tagbench.core.io import read_json
from tagbench.data.artifacts import TRADEOFFS, metrics_path


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


def pareto_front(rows):
    """Names of the rows no other row beats: at least as good on val macro F1 (val chooses;
    test only reports), latency and size, and better on one."""
    def beats(a, b):
        no_worse = (a["val_f1"] >= b["val_f1"] and a["latency_ms"] <= b["latency_ms"]
                    and a["size_mb"] <= b["size_mb"])
        better = (a["val_f1"] > b["val_f1"] or a["latency_ms"] < b["latency_ms"]
                  or a["size_mb"] < b["size_mb"])
        return no_worse and better

    return [r["name"] for r in rows if not any(beats(o, r) for o in rows)]


SAME_SPEED = 1.1  # latencies within 10% of the fastest: one speed (a re-measurement moves
                  # a baseline's by a few percent; two baselines sharing a predict path, such
                  # as a hybrid and its member, differ by less)


def cheapest(rows):
    """The name of the cheapest row: the smallest on disk among those within SAME_SPEED of
    the fastest one's latency."""
    fastest = min(r["latency_ms"] for r in rows)
    fast = [r for r in rows if r["latency_ms"] <= SAME_SPEED * fastest]
    return min(fast, key=lambda r: (r["size_mb"], r["latency_ms"]))["name"]


def p_below(best, other, by_folds):
    """One-sided p-value of "best's val macro F1 is above other's": paired bootstrap over
    val projects (scores on the same resamples), or a paired t-test over k folds."""
    if not by_folds:
        from tagbench.core.metrics import one_sided_p  # scikit-learn: not on predict's path

        return one_sided_p(best, other)
    from scipy.stats import ttest_rel

    if np.array_equal(best, other):
        return 1.0
    return float(ttest_rel(best, other, alternative="greater").pvalue)


def holm(p_values):
    """Holm's step-down adjustment (Holm 1979) of m p-values: the i-th smallest times
    (m - i + 1), never below the one before it, at most 1. Rejecting where the adjusted p is
    below alpha keeps the chance of any false rejection among the m at most alpha."""
    adjusted, running = {}, 0.0
    for i, (name, p) in enumerate(sorted(p_values.items(), key=lambda item: item[1])):
        running = max(running, min(1.0, (len(p_values) - i) * p))
        adjusted[name] = running
    return adjusted


def recommend(rows, val_scores, config, by_folds=False):
    """The recommendation, chosen on val (test is only reported): among the baselines within
    config's max_latency_ms and max_size_mb that pass at least min_behavior_pass of the
    behavioural tests and whose explanations beat random deletion by min_faithfulness, the
    cheapest (`cheapest`) whose val macro F1 is not
    significantly below the best one's (one-sided, at config['alpha'], Holm-adjusted for the
    comparisons made; "uncorrected" says what the raw p-values would have chosen).

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
    adjusted = holm(p_values)

    def kept(p):
        return [r for r in fitting if r["name"] == best or p[r["name"]] >= config["alpha"]]

    candidates = kept(adjusted)
    return {**choice, "recommended": cheapest(candidates), "best_on_val": best,
            "candidates": [r["name"] for r in candidates],
            "p_values": {n: round(p, 4) for n, p in p_values.items()},
            "p_holm": {n: round(p, 4) for n, p in adjusted.items()},
            "uncorrected": {"recommended": cheapest(kept(p_values)),
                            "candidates": [r["name"] for r in kept(p_values)]}}
