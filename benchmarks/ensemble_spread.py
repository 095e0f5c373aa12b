"""How far a seed moves a neural baseline that averages k seeds inside itself (`ensemble: k`),
for several k, from one pool of single nets.

Trains --members single nets of the baseline (seeds 1..N, ensemble 1, everything else as in
params.yaml, each as the noise floor trains it), keeps their val and test scores, then for
each k draws disjoint pairs (A, B) of k members from the pool, averages each side's logits
as the baseline does, chooses the threshold on val as the pipeline does, and estimates the
sd of macro F1 over independent k-seed baselines as sqrt(mean((F(A) - F(B))^2) / 2), which
is unbiased whatever the pool's size, and how many test cells (project, tag) A and B decide
differently. One pool of N nets answers every k up to N / 2,
where measuring each k over 10 seeds would train 10 k nets.

Member scores are kept in benchmarks/results/members/ (not in git) and reused while the
baseline's section and the split stay the same. Run alone on
the machine, after `make repro`:
    python benchmarks/ensemble_spread.py cnn [--members 20] [--ks 1,2,3,5,10]
"""

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
from scipy.special import expit, logit

from tagbench import data
from tagbench.core import metrics, thresholds
from tagbench.core.io import read_json, write_text
from tagbench.core.seeding import seed_everything
from tagbench.models.shared import params, registry, training
from tagbench.studies.noise import floor

OUT = Path(__file__).parent / "results"
PAIRS = 150  # disjoint pairs drawn per k


def key(name, p, splits):
    """What a member's scores depend on besides its seed: the baseline's section and the
    split (a cached member of other params is never reused)."""
    section = {k: v for k, v in p[name].items() if k not in ("seed", "ensemble")}
    text = json.dumps([name, section, splits], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def member(name, p, seed, splits):
    """{val, test, y_val, y_test} of one single net under seed, cached."""
    path = OUT / "members" / f"{name}_{key(name, p, splits)}_{seed}.npz"
    if path.exists():
        return dict(np.load(path))
    one = {**p, name: {**p[name], "seed": seed, "ensemble": 1}}
    seed_everything(seed)
    model, _ = training.train(name, one, splits["train"], splits["val"])
    scores = {}
    for split in ("val", "test"):
        rows = data.load_ids(splits[split], model.input)
        scores[split], scores[f"y_{split}"] = model.predict_scores(rows.texts), rows.y
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **scores)
    return scores


def logits(scores):
    """A member's val and test logits, back from its scores (sigmoids)."""
    return {s: logit(np.clip(scores[s], 1e-12, 1 - 1e-12)) for s in ("val", "test")}


def averaged(pool, group):
    """Val and test scores of the members in group with their logits averaged."""
    return [expit(np.mean([pool[i]["logits"][s] for i in group], 0)) for s in ("val", "test")]


def decided(pool, group, meta, config):
    """{val, test} macro F1 and the test decisions of the members in group averaged, the
    threshold chosen on val as the pipeline does."""
    y = {s: pool[0][f"y_{s}"] for s in ("val", "test")}
    scores = dict(zip(("val", "test"), averaged(pool, group)))
    record = thresholds.choose(y["val"], scores["val"], meta, config)
    tags = {s: thresholds.decide(scores[s], record) for s in y}
    return {**{s: metrics.overall(y[s], tags[s])["f1"] for s in y}, "tags": tags["test"]}


def spread(pool, k, meta, config, rng):
    """{k, val_mean, val_sd, test_mean, test_sd, cells} over PAIRS disjoint pairs of k
    members; cells: the test (project, tag) cells the two sides of a pair decide differently,
    on average."""
    pairs = []
    for _ in range(PAIRS):
        order = rng.permutation(len(pool))
        pairs.append([decided(pool, g, meta, config) for g in (order[:k], order[k:2 * k])])
    row = {"k": k, "cells": float(np.mean([(a["tags"] != b["tags"]).sum() for a, b in pairs]))}
    for split in ("val", "test"):
        a = np.array([[side[split] for side in pair] for pair in pairs])
        row[f"{split}_mean"] = float(a.mean())
        row[f"{split}_sd"] = float(np.sqrt(np.mean((a[:, 0] - a[:, 1]) ** 2) / 2))
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("baseline")
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--ks", default="1,2,3,5,10")
    parser.add_argument("--params", default=params.PARAMS_FILE,
                        help="another params file (an earlier commit's: git show REV:params.yaml)")
    args = parser.parse_args()
    p, splits = params.load(args.params), read_json(data.SPLITS)
    pool = [member(args.baseline, p, seed, splits) for seed in range(1, args.members + 1)]
    pool = [{**scores, "logits": logits(scores)} for scores in pool]
    model = registry.build(args.baseline, p, data.load_classes())  # for the threshold's meta
    meta = {"output": model.output, "default_threshold": model.default_threshold}
    rng = np.random.default_rng(0)
    rows = [spread(pool, int(k), meta, p["threshold"], rng) for k in args.ks.split(",")
            if 2 * int(k) <= len(pool)]
    lines = [f"{args.baseline} as {args.params} sets it: {len(pool)} single nets (seeds "
             f"1-{len(pool)}), sd over "
             f"independent k-seed baselines from {PAIRS} disjoint pairs each", "",
             "| k | val macro F1, mean ± sd | test macro F1, mean ± sd | seed floor at 10 seeds "
             "| test cells two such baselines decide differently |", "|---|---|---|---|---|"]
    lines += [f"| {r['k']} | {r['val_mean']:.3f} ± {r['val_sd']:.4f} | {r['test_mean']:.3f} ± "
              f"{r['test_sd']:.4f} | {floor(r['test_sd'], 10):.3f} | {r['cells']:.1f} of "
              f"{pool[0]['y_test'].size:,} |" for r in rows]
    text = "\n".join(lines) + "\n"
    write_text(OUT / f"ensemble_spread_{args.baseline}.md", text)
    print(text)


if __name__ == "__main__":
    main()
