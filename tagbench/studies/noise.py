"""The noise floor: how far each baseline's macro F1 moves when nothing but a seed changes.

Opt-in (params.yaml's noise.baselines is empty by default: no noise@ stage, so `dvc repro`
pays nothing). Model seeds retrain every baseline on the committed split under each seed;
split seeds re-split the data (the model seed fixed) and retrain, which also moves val and
test (only a split that draws: the iterative one; the temporal split has no seed). Each
run chooses its threshold on val, as the pipeline does.
"""

import time

import numpy as np
from scipy.stats import t as student_t

from tagbench import data
from tagbench.core.io import read_json
from tagbench.data import split
from tagbench.models.shared import training

# How rarely a reproduction of an unchanged baseline exceeds its seed floor by chance. CI holds
# seven baselines that a float path moves to their floor on every run: 1 run in 143 red by
# chance at 0.001 a baseline, 1 in 15 at 0.01.
FALSE_ALARM = 0.001


def summary(values):
    """mean, sample std (0 for one value), min and max."""
    std = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    return {"mean": float(np.mean(values)), "std": std, "min": float(np.min(values)),
            "max": float(np.max(values))}


def spread(runs):
    """{val: summary, test: summary, (future: summary,) runs: [...]}, or None for no runs."""
    if not runs:
        return None
    return {**{s: summary([r[s] for r in runs]) for s in SCORED if s in runs[0]}, "runs": runs}


def seed_floor(runs, split="test"):
    """How far two runs of one baseline that differ only in chance (a seed, or a float path,
    which is another seed to a chaotic training) can differ in test macro F1 (or on the
    future set, its F1): the two-sided (1 - FALSE_ALARM) bound of their difference,
    t(n-1) * sqrt(2) * the sample std over n model seeds. 0 when every seed scored the same;
    None when the runs did not score that split."""
    if split not in runs[0]:
        return None
    return floor(summary([r[split] for r in runs])["std"], len(runs))


def floor(std, n):
    """The seed floor of a test macro F1 sd measured over n model seeds (seed_floor)."""
    if std == 0.0:
        return 0.0
    return float(student_t.ppf(1 - FALSE_ALARM / 2, n - 1) * np.sqrt(2) * std)


def split_for(p, seed):
    records, classes = read_json(data.PROCESSED), data.load_classes()
    return split.split_ids(records, classes, p["split"]["method"], p["split"]["train_size"],
                           p["split"]["order"], seed)


def model_seed(p, seed):
    """params with every baseline's own seed set to seed (the split is passed on its own)."""
    return {**p, **{name: {**p[name], "seed": seed} for name in p["baselines"]}}


SCORED = ("val", "test", "future")  # future: F1 on the future set, when the data has one


def run(name, p, splits):
    f1 = training.train_and_score(name, p, splits["train"], splits["val"], splits["test"])
    return {split: round(value, 6) for split, value in f1.items()}


def noise_floor(name, p):
    """{"seeds", "split_seeds", "baselines": {name: {"seed": spread, "split_seed": spread,
    "seconds"}}} of one baseline; no row when no seed is asked for."""
    seeds, split_seeds = p["noise"]["seeds"], p["noise"]["split_seeds"]
    if not split.seeded(read_json(data.PROCESSED), p["split"]["method"]):
        split_seeds = []  # the temporal split, or the dataset's own: no seed moves it
    result = {"seeds": seeds, "split_seeds": split_seeds, "baselines": {}}
    if not seeds and not split_seeds:
        return result
    start = time.perf_counter()
    by_seed = [{"seed": s, **run(name, model_seed(p, s), read_json(data.SPLITS))} for s in seeds]
    by_split = [{"split_seed": s, **run(name, p, split_for(p, s))} for s in split_seeds]
    row = {"seed": spread(by_seed), "split_seed": spread(by_split),
           "seconds": round(time.perf_counter() - start, 1)}
    result["baselines"][name] = row
    print(f"noise {name}: " + "; ".join(
        f"{varied} test macro F1 {row[varied]['test']['mean']:.4f} ± "
        f"{row[varied]['test']['std']:.4f}" for varied in ("seed", "split_seed") if row[varied])
        + f" ({row['seconds']:.0f} s)", flush=True)
    return result


def combined(runs):
    """One noise run from its noise@ stages' results (each {seeds, split_seeds, baselines})."""
    runs = list(runs)
    return {"seeds": runs[0]["seeds"], "split_seeds": runs[0]["split_seeds"],
            "baselines": {n: row for r in runs for n, row in r["baselines"].items()}}


def merge(kept, result, source):
    """The committed floor (kept, or None) with one run's rows in place of its baselines';
    every row says which run it came from."""
    rows = {} if kept is None else {name: {"source": kept.get("source"), **row}
                                    for name, row in kept["baselines"].items()}
    rows.update({name: {**row, "source": source} for name, row in result["baselines"].items()})
    return {"seeds": result["seeds"], "split_seeds": result["split_seeds"], "baselines": rows}


def markdown(result):
    """The noise table for reports/noise_floor.md and the README."""
    splits = (f"under split seeds {result['split_seeds']} (model seed fixed)"
              if result["split_seeds"] else "no split seeds (the split draws none)")
    lines = [f"Every baseline retrained under n model seeds on the committed split, and "
             f"{splits}, threshold chosen on val each time. Macro F1 (the future set: its F1): "
             f"mean ± std [min, max]. The seed floor: how far two runs that differ only by "
             f"chance can differ in test macro F1 (t(n-1) * sqrt(2) * std, two-sided, "
             f"{1 - FALSE_ALARM:.1%}); on the future set, the same of its F1.", "",
             "| baseline | n | model seeds: val | model seeds: test | seed floor | "
             "model seeds: future set | its floor | split seeds: val | split seeds: test "
             "| seconds | from |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]

    def cell(stats):
        return f"{stats['mean']:.3f} ± {stats['std']:.3f} [{stats['min']:.3f}, {stats['max']:.3f}]"

    for name, row in result["baselines"].items():
        seed, split = row["seed"], row["split_seed"]
        cells = ([str(len(seed["runs"])), cell(seed["val"]), cell(seed["test"]),
                  f"{seed_floor(seed['runs']):.3f}"] if seed else ["", "", "", ""])
        future = seed and seed_floor(seed["runs"], "future")
        cells += [cell(seed["future"]), f"{future:.3f}"] if future is not None else ["", ""]
        cells += [cell(split["val"]), cell(split["test"])] if split else ["", ""]
        lines.append(f"| {name} | {' | '.join(cells)} | {row['seconds']:.0f} "
                     f"| `{row['source']}` |")
    return "\n".join(lines) + "\n"
