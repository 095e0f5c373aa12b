"""The recommendation, chosen on val: the Pareto front of F1 against latency and size, cost
classes, and the best val macro F1 within the budgets unless a cheaper class is shown no
worse than a margin below it (non-inferiority: the burden of proof on the cheaper model)."""

import numpy as np

from tagbench.core import metrics
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


def tiers(values, band, floor):
    """Each value's tier (0 the least): sorted, a value more than band times its tier's first
    starts the next; values under floor count as floor."""
    tier, first, of = -1, None, {}
    for value in sorted({max(v, floor) for v in values}):
        if first is None or value > band * first:
            tier, first = tier + 1, value
        of[value] = tier
    return [of[max(v, floor)] for v in values]


def cost_classes(rows, config):
    """name -> cost class, 0 the cheapest: a latency tier and a size tier (`tiers`, within
    config's cost_band above their floors), ranked latency first. A hybrid costs what its
    learned member costs (the rules add about 0.01 MB and well under a millisecond)."""
    names = [r["name"] for r in rows]
    latency = tiers([r["latency_ms"] for r in rows], config["cost_band"], config["cost_floor_ms"])
    size = tiers([r["size_mb"] for r in rows], config["cost_band"], config["cost_floor_mb"])
    pairs = dict(zip(names, zip(latency, size)))
    for r in rows:
        member = r.get("hybrid", {}).get("members", [None])[0]
        if member in pairs:
            pairs[r["name"]] = pairs[member]
    rank = {pair: i for i, pair in enumerate(sorted(set(pairs.values())))}
    return {name: rank[pair] for name, pair in pairs.items()}


def lower_bound(other, best, level, by_folds):
    """The one-sided (1 - level) lower confidence bound of other's val macro F1 minus best's:
    the level quantile of their paired bootstrap differences, or with folds the paired
    t bound over the folds."""
    difference = np.asarray(other, dtype=float) - np.asarray(best, dtype=float)
    if not by_folds:
        return float(np.quantile(difference, level))
    if np.ptp(difference) == 0:
        return float(difference[0])
    from scipy.stats import t  # not on predict's path

    spread = difference.std(ddof=1) / np.sqrt(len(difference))
    return float(difference.mean() - t.ppf(1 - level, len(difference) - 1) * spread)


def future_bounds(tagged, reference, resamples, alpha, seed):
    """name -> the one-sided (1 - alpha) upper bound of its future-set F1 minus reference's,
    over the same bootstrap resamples of the future projects (tagged: name -> (ids, must, ok,
    predicted), artifacts.future_tags'); {} when the reference has no future set."""
    if tagged.get(reference) is None:
        return {}
    counts = metrics.resample_counts(len(tagged[reference][0]), resamples, seed)
    samples = {n: metrics.resampled_partial_f1(*t[1:], counts)
               for n, t in tagged.items() if t is not None}
    return {n: float(np.quantile(s - samples[reference], 1 - alpha))
            for n, s in samples.items() if n != reference}


def over_budget(r, config):
    """Which budget a row is over, in words (the first of latency, size, throughput), or None."""
    if r["latency_ms"] > config["max_latency_ms"]:
        return (f"{r['latency_ms']:.1f} ms a project, over the {config['max_latency_ms']:g} ms "
                f"budget")
    if r["size_mb"] > config["max_size_mb"]:
        return f"{r['size_mb']:.0f} MB, over the {config['max_size_mb']:g} MB budget"
    if r["throughput"] < config["min_throughput"]:
        return (f"{r['throughput']:.0f} projects/s in batches, under the "
                f"{config['min_throughput']:g} budget")
    return None


def excluded(rows, val_scores, config):
    """name -> why it cannot be chosen whatever its F1: not scored, behaviour, explanations,
    budget, shown worse than the reference on the future set (in that order)."""
    why = {}
    for r in rows:
        future = r.get("future", {}).get("bound")
        if r["name"] not in val_scores:
            why[r["name"]] = "not cross-validated"
        elif r["behavior_pass"] is not None and r["behavior_pass"] < config["min_behavior_pass"]:
            why[r["name"]] = (f"passes {r['behavior_pass']:.0%} of the behavioural tests, "
                              f"under {config['min_behavior_pass']:.0%}")
        elif r["faithfulness"]["difference"] < config["min_faithfulness"]:
            why[r["name"]] = "explanations no better than random words"
        elif over := over_budget(r, config):
            why[r["name"]] = over
        elif future is not None and future < 0:
            why[r["name"]] = (f"shown worse than {config['future_reference']} on the future "
                              f"set (bound {future:+.3f})")
    return why


def recommend(rows, val_scores, config, by_folds=False):
    """The recommendation, chosen on val (test is only reported). Among the baselines within
    config's budgets, behavioural pass rate and faithfulness floor, the best val macro F1
    stands unless a baseline of a cheaper cost class (`cost_classes`) is shown no worse than
    config's margin below it: the one-sided lower bound of its val F1 minus the best's lies
    above -margin, at level alpha / m for the m cheaper baselines compared (Bonferroni: more
    comparisons, wider bounds, never an extra swap). Of those shown no worse, the cheapest
    class wins, and within a class the higher val F1.

    val_scores: name -> macro F1 on the same val bootstrap resamples, or with by_folds,
    name -> its k-fold val scores (a baseline without them cannot be chosen).
    """
    classes, why = cost_classes(rows, config), excluded(rows, val_scores, config)
    choice = {"recommended": None, "best_on_val": None, "candidates": [], "bounds": {},
              "cost_classes": classes, "why_not": dict(why), "margin": config["margin"],
              "alpha": config["alpha"], "by": "folds" if by_folds else "val bootstrap"}
    open_ = [r["name"] for r in rows if r["name"] not in why]
    if not open_:
        return choice
    f1 = {r["name"]: r["val_f1"] for r in rows}  # folds: their mean
    mean = {n: float(np.mean(val_scores[n])) if by_folds else f1[n] for n in open_}
    best = max(open_, key=lambda n: (mean[n], -classes[n]))
    cheaper = [n for n in open_ if classes[n] < classes[best]]

    def bounds(level):
        return {n: lower_bound(val_scores[n], val_scores[best], level, by_folds)
                for n in open_ if n != best}

    def chosen(bound):
        candidates = [best] + [n for n in cheaper if bound[n] > -config["margin"]]
        return min(candidates, key=lambda n: (classes[n], -mean[n])), candidates

    corrected, raw = bounds(config["alpha"] / max(1, len(cheaper))), bounds(config["alpha"])
    name, candidates = chosen(corrected)
    for n in open_:
        choice["why_not"][n] = reason(n, name, best, cheaper, candidates, corrected, classes,
                                      config["margin"])
    return {**choice, "recommended": name, "best_on_val": best, "candidates": candidates,
            "bounds": {n: round(b, 4) for n, b in corrected.items()},
            "cheaper": cheaper,
            "uncorrected": dict(zip(("recommended", "candidates"), chosen(raw)))}


def reason(name, chosen, best, cheaper, candidates, bounds, classes, margin):
    """Why name was or was not chosen, in a few words."""
    if name == chosen:
        return "chosen: the best on val" if name == best else "chosen: cheaper, shown no worse"
    if name == best:
        return f"best on val, but {chosen} costs less and is shown no worse"
    if name in candidates:
        return (f"shown no worse, but {chosen} costs less" if classes[chosen] < classes[name]
                else f"shown no worse, but {chosen} scores higher at the same cost")
    if name in cheaper:
        return f"cheaper, but not shown within {margin} of the best"
    if classes[name] == classes[best]:
        return f"same cost as {best}, lower val F1"
    return f"costs more than {best}, lower val F1"
