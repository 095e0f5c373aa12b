"""A seed-moved baseline's level: its macro F1 over the noise floor's model seeds
(reports/noise_floor.json), shown beside the committed run, which is one draw of them."""

from tagbench.core.io import read_json
from tagbench.data.artifacts import NOISE_FLOOR


def spreads(noise):
    """name -> {"n", "val", "test"} (each {mean, std, min, max}) for every baseline whose
    model seeds moved its test macro F1; {} without a noise floor."""
    if not noise:
        return {}
    return {name: {"n": len(row["seed"]["runs"]), "val": row["seed"]["val"],
                   "test": row["seed"]["test"]}
            for name, row in noise["baselines"].items()
            if row.get("seed") and row["seed"]["test"]["std"] > 0}


def cell(spread, split="test"):
    """`0.626 ± 0.011 (10 seeds)`, or "" for a baseline no seed moves."""
    if spread is None:
        return ""
    s = spread[split]
    return f"{s['mean']:.3f} ± {s['std']:.3f} ({spread['n']} seeds)"


def committed():
    """spreads() of the committed noise floor; {} before `make noise` has run."""
    return spreads(read_json(NOISE_FLOOR) if NOISE_FLOOR.exists() else None)
